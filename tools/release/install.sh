#!/usr/bin/env bash
# The Action's install step: downloads the released native reviewbot for this runner and refuses it unless its
# SHA-256 is the one expected (and, when given, the one the workflow pinned). No SDK, no build.
#   install.sh VERSION DEST          VERSION: 1.2.3, v1.2.3 or latest; DEST: folder for the binary. The expected
#                                    SHA-256 comes from REVIEWBOT_CHECKSUMS when set, else from the release's SHA256SUMS.
#   install.sh --action DIR DEST     the Action's own install: the version is REVIEWBOT_VERSION, else DIR/action.version
#                                    (the release this commit of the Action was made for); for that version the expected
#                                    SHA-256 is the one DIR/action.sha256sums lists, committed with the Action, never the
#                                    release's SHA256SUMS (which lives next to the archive: whoever can replace one can
#                                    replace both). So a tag or commit of the Action runs exactly one binary.
# Environment:
#   REVIEWBOT_RELEASES  where releases live (default https://github.com/reviewbot/reviewbot/releases);
#                       assets are $REVIEWBOT_RELEASES/download/vVERSION/NAME (latest: $REVIEWBOT_RELEASES/latest/download/NAME)
#   REVIEWBOT_SHA256    optional: the archive's expected SHA-256, pinned in the workflow (the release's own SHA256SUMS
#                       comes from the same place as the archive; a pin does not)
#   REVIEWBOT_CHECKSUMS optional: a file in SHA256SUMS format that is trusted instead of the release's
#   REVIEWBOT_VERSION   with --action: a release to run instead of the Action's own (its sums are then the release's)
#   RUNNER_OS, RUNNER_ARCH  set by GitHub (Linux|macOS|Windows, X64|ARM64); uname is used without them
# Prints the binary's path; in Actions also adds DEST to GITHUB_PATH and sets the step output `path`.
set -euo pipefail

die() { echo "::error::reviewbot install: $*" >&2; exit 1; }

checksums=${REVIEWBOT_CHECKSUMS:-}
checksums_from="the release's SHA256SUMS"
if [[ ${1:-} == --action ]]; then
  action=${2:-}
  dest=${3:-}
  [[ -n $action && -n $dest ]] || { echo "usage: install.sh --action ACTION_DIR DEST" >&2; exit 2; }
  own=$(tr -d '[:space:]' <"$action/action.version" 2>/dev/null || true)
  own=${own#v}
  version=${REVIEWBOT_VERSION:-$own}
  [[ -n $version ]] || die "this commit of the Action names no reviewbot release (action.version is empty): use a release tag of the Action, or set version: and sha256:"
  if [[ ${version#v} == "$own" ]]; then
    checksums=$action/action.sha256sums
    checksums_from="the Action's own action.sha256sums"
  elif [[ -z ${REVIEWBOT_SHA256:-} ]]; then
    echo "::warning::reviewbot $version is not the release this Action was made for ($own): only the release's own SHA256SUMS vouches for it; set sha256: to pin it" >&2
  fi
else
  version=${1:-}
  dest=${2:-}
  [[ -n $version && -n $dest ]] || { echo "usage: install.sh VERSION DEST" >&2; exit 2; }
fi
[[ -z $checksums || $checksums_from != "the release's SHA256SUMS" ]] || checksums_from="$checksums"
version=${version#v}
if [[ $version != latest && ! $version =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]]; then
  die "version '$version' is not like 1.2.3 or latest"
fi
releases=${REVIEWBOT_RELEASES:-https://github.com/reviewbot/reviewbot/releases}
releases=${releases%/}

os=${RUNNER_OS:-$(uname -s)}
arch=${RUNNER_ARCH:-$(uname -m)}
case "$os/$arch" in
  Linux/X64 | Linux/x86_64) rid=linux-x64 ;;
  Linux/ARM64 | Linux/aarch64 | Linux/arm64) rid=linux-arm64 ;;
  macOS/ARM64 | Darwin/arm64) rid=osx-arm64 ;;
  Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64 | CYGWIN*/x86_64) rid=win-x64 ;;
  *) die "no released reviewbot for $os/$arch (there are linux-x64, linux-arm64, osx-arm64 and win-x64)" ;;
esac
exe=reviewbot
asset=reviewbot-$rid.tar.gz
if [[ $rid == win-* ]]; then
  exe=reviewbot.exe
  asset=reviewbot-$rid.zip
fi
if [[ $version == latest ]]; then
  base=$releases/latest/download
else
  base=$releases/download/v$version
fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1"; else shasum -a 256 "$1"; fi | awk '{print $1}'
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# GitHub answers release downloads with a redirect to its storage: follow it, but only to https.
fetch() { curl --fail --silent --show-error --location --proto-redir '=https' --retry 3 --connect-timeout 20 --max-time 300 -o "$2" "$1"; }

if [[ -n $checksums ]]; then
  [[ $version != latest ]] || die "latest names no fixed binary: expected checksums are for one version"
  [[ -f $checksums ]] || die "$checksums_from ($checksums) is missing: refusing to install without it"
  sums=$checksums
else
  fetch "$base/SHA256SUMS" "$work/SHA256SUMS" || die "could not download $base/SHA256SUMS"
  sums=$work/SHA256SUMS
fi
fetch "$base/$asset" "$work/$asset" || die "could not download $base/$asset"

# sha256sum -c format: "<64 hex>  <name>" (a '*' before the name marks binary mode).
# (No {64} in the pattern: mawk, Debian's awk, has no interval expressions.)
listed=$(awk -v name="$asset" '($2 == name || $2 == "*" name) && length($1) == 64 && $1 ~ /^[0-9a-fA-F]+$/ {print tolower($1)}' "$sums")
[[ $(wc -w <<<"$listed") -eq 1 ]] || die "$checksums_from for $version lists $asset $(wc -w <<<"$listed") times, not once: refusing it"
actual=$(sha256 "$work/$asset" | tr 'A-F' 'a-f')
if [[ $actual != "$listed" ]]; then
  die "$asset has SHA-256 $actual but $checksums_from lists $listed: refusing it"
fi
if [[ -n ${REVIEWBOT_SHA256:-} ]]; then
  pinned=$(tr 'A-F' 'a-f' <<<"$REVIEWBOT_SHA256")
  [[ $actual == "$pinned" ]] || die "$asset has SHA-256 $actual but the workflow pinned $pinned: refusing it"
fi

mkdir -p "$dest"
if [[ $asset == *.zip ]]; then
  unzip -o -q "$work/$asset" "$exe" -d "$dest"
else
  tar -xzf "$work/$asset" -C "$dest" "$exe"
  chmod +x "$dest/$exe"
fi
[[ -f $dest/$exe ]] || die "$asset has no $exe"

echo "reviewbot $version ($rid, sha256 $actual) in $dest" >&2
if [[ -n ${GITHUB_PATH:-} ]]; then echo "$dest" >>"$GITHUB_PATH"; fi
if [[ -n ${GITHUB_OUTPUT:-} ]]; then echo "path=$dest/$exe" >>"$GITHUB_OUTPUT"; fi
echo "$dest/$exe"
