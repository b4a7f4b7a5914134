#!/usr/bin/env bash
# Renders what the approval tests wrote (tests/*/bin/Debug/net10.0/renders) into HTML and PNG screenshots under
# tools/render/out, to look at what a person sees. Needs node, this folder's `npm ci`, and chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$here/out"
[ -d "$here/node_modules/cmark-gfm" ] || (cd "$here" && npm install --no-audit --no-fund)
mkdir -p "$out"
for renders in "$root"/tests/*/bin/Debug/net10.0/renders; do
  [ -d "$renders" ] && node "$here/render.mjs" "$renders" "$out"
done
for html in "$out"/*.html; do
  src="$(basename "${html%.html}")"
  # The page is as tall as its text: about 22 px a line, at least one screen.
  lines=$(find "$root"/tests/*/bin/Debug/net10.0/renders -name "$src.*" -exec wc -l {} + | awk 'NR==1{print $1}')
  height=$(( lines * 22 + 200 )); [ "$height" -lt 900 ] && height=900
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=940,"$height" --screenshot="${html%.html}.png" "file://$html" >/dev/null 2>&1
  echo "${html%.html}.png"
done
