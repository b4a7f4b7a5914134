#!/usr/bin/env bash
# Times one `reviewbot scan` process over the whole shared corpus against the npm linters dockerfilelint and
# dockerfile-utils, each linting the same files in one node process. Start-up is included in every figure.
# Target (issue 2): reviewbot at least 10x faster than each. Usage: tools/compare-peers.sh [CORPUS_DIR]
# Needs node/npm and the .NET SDK; uses hyperfine when installed (apt-get install -y hyperfine), else /usr/bin/time.
set -euo pipefail
trap 'echo "error: compare-peers.sh failed at line $LINENO" >&2' ERR

repo=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}

# ../shared/corpus relative to the repository root is shared/corpus in one of its ancestors (also from a git worktree).
corpus=${1:-}
if [ -z "$corpus" ]; then
  dir=$repo
  while [ "$dir" != / ]; do
    if [ -d "$dir/shared/corpus" ]; then corpus=$dir/shared/corpus; break; fi
    dir=$(dirname "$dir")
  done
fi
if [ -z "$corpus" ] || [ ! -d "$corpus" ]; then
  echo "error: corpus not found: pass a folder of Dockerfiles, or put the shared corpus at ../shared/corpus beside the repository" >&2
  exit 2
fi
corpus=$(cd "$corpus" && pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== peers: npm install into $work (not the repository's package.json)"
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error dockerfilelint@1.8.0 dockerfile-utils@0.16.3 >/dev/null)

# The same files `reviewbot scan` picks (src/ReviewBot.Analysis/DockerfileNames.cs), listed once so the node
# scripts do not time a directory walk of their own that reviewbot does inside its figure.
find "$corpus" \( -name .git -o -name node_modules -o -name bin -o -name obj \) -prune -o -type f \
  \( -name Dockerfile -o -name 'Dockerfile.?*' -o -name '?*.Dockerfile' -o -name '?*.dockerfile' \
     -o -name Containerfile -o -name 'Containerfile.?*' \) -print | sort > "$work/files.txt"
files=$(wc -l < "$work/files.txt")
bytes=$(tr '\n' '\0' < "$work/files.txt" | xargs -0 cat | wc -c)
echo "== corpus: $corpus: $files Dockerfiles, $bytes bytes"

# dockerfilelint's programmatic API is lib/index.js `run(configPath, content)`; its CLI passes the file's folder
# as configPath (where it looks for .dockerfilelintrc), and so do we.
cat > "$work/dockerfilelint.js" <<'JS'
const fs = require('fs'), path = require('path');
const lint = require('dockerfilelint');
let problems = 0, crashed = 0;
const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
for (const file of files) {
  const content = fs.readFileSync(file, 'utf8');
  // dockerfilelint 1.8.0 throws on some valid files (e.g. a HEALTHCHECK form it does not expect): count and go on.
  try { problems += lint.run(path.dirname(file), content).length; } catch { crashed++; }
}
console.log(`dockerfilelint: ${files.length} files, ${problems} problems, threw on ${crashed} files`);
JS
cat > "$work/dockerfile-utils.js" <<'JS'
const fs = require('fs');
const { validate } = require('dockerfile-utils');
let problems = 0, crashed = 0;
const files = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
for (const file of files) {
  const content = fs.readFileSync(file, 'utf8');
  try { problems += validate(content).length; } catch { crashed++; }
}
console.log(`dockerfile-utils: ${files.length} files, ${problems} problems, threw on ${crashed} files`);
JS

echo "== reviewbot: Release build, a ReadyToRun publish and the Native AOT publish (what the CLI project publishes)"
rid=linux-$(case "$(uname -m)" in aarch64|arm64) echo arm64 ;; *) echo x64 ;; esac)
# Native AOT links with clang; Debian ships it as clang-NN without the plain name unless the clang package is installed.
linker=()
if ! command -v clang >/dev/null; then
  cc=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -V | tail -n 1 || true)
  [ -n "$cc" ] && linker=(-p:CppCompilerAndLinker="$cc")
fi
dotnet build "$repo/src/ReviewBot.Cli" -c Release --nologo -v q >/dev/null
dotnet publish "$repo/src/ReviewBot.Cli" -c Release -r "$rid" -p:PublishAot=false -p:PublishReadyToRun=true --self-contained false \
  --nologo -v q -o "$work/r2r" >/dev/null
dotnet publish "$repo/src/ReviewBot.Cli" -c Release -r "$rid" "${linker[@]}" --nologo -v q -o "$work/aot" > "$work/aot-publish.log" 2>&1 || { cat "$work/aot-publish.log" >&2; exit 1; }
dll="$repo/src/ReviewBot.Cli/bin/Release/net10.0/reviewbot.dll"
r2r="$work/r2r/reviewbot"
aot="$work/aot/reviewbot"
# The smallest corpus file: a single scan of it is start-up plus almost no work.
small=$(tr '\n' '\0' < "$work/files.txt" | xargs -0 wc -c | awk '$2 != "total" && (min == "" || $1 < min) {min = $1; f = $2} END {print f}')

# Exit 1 from reviewbot means "findings at or above --fail-level", not failure; 2 is a real error.
cmd_dll="dotnet $dll scan $corpus --format json > /dev/null; [ \$? -le 1 ]"
cmd_r2r="$r2r scan $corpus --format json > /dev/null; [ \$? -le 1 ]"
cmd_aot="$aot scan $corpus --format json > /dev/null; [ \$? -le 1 ]"
cmd_lint="node $work/dockerfilelint.js $work/files.txt > /dev/null"
cmd_utils="node $work/dockerfile-utils.js $work/files.txt > /dev/null"
cmd_rules_r2r="$r2r rules > /dev/null"
cmd_rules_aot="$aot rules > /dev/null"
cmd_small_r2r="$r2r scan $small --format json > /dev/null; [ \$? -le 1 ]"
cmd_small_aot="$aot scan $small --format json > /dev/null; [ \$? -le 1 ]"

echo "== check: every tool reads every file"
node "$work/dockerfilelint.js" "$work/files.txt"
node "$work/dockerfile-utils.js" "$work/files.txt"
rc=0; "$aot" scan "$corpus" --format json > "$work/reviewbot.json" || rc=$?
[ "$rc" -le 1 ] || { echo "error: reviewbot scan exited $rc" >&2; exit 1; }
rc=0; "$r2r" scan "$corpus" --format json > "$work/reviewbot-r2r.json" || rc=$?
cmp -s "$work/reviewbot.json" "$work/reviewbot-r2r.json" || { echo "error: the Native AOT and ReadyToRun builds disagree" >&2; exit 1; }
node -e 'const r = require(process.argv[1]); const n = r.files.length, f = r.files.reduce((a, x) => a + x.findings.length, 0);
  console.log(`reviewbot: ${n} files, ${f} findings`); if (n !== +process.argv[2]) { console.error(`reviewbot read ${n} files, expected ${process.argv[2]}`); process.exit(1); }' \
  "$work/reviewbot.json" "$files"

echo "== peak RSS (/usr/bin/time -v, one run each)"
peak() { /usr/bin/time -v bash -c "$2" 2> "$work/time.txt" >/dev/null || true
  printf '%-34s %8.1f MB  (user %ss, sys %ss)\n' "$1" "$(awk '/Maximum resident/ {print $6 / 1024}' "$work/time.txt")" \
    "$(awk -F': ' '/User time/ {print $2}' "$work/time.txt")" "$(awk -F': ' '/System time/ {print $2}' "$work/time.txt")"; }
peak "reviewbot scan (dotnet reviewbot.dll)" "$cmd_dll"
peak "reviewbot scan (ReadyToRun)" "$cmd_r2r"
peak "reviewbot scan (Native AOT)" "$cmd_aot"
peak "dockerfilelint (one node process)" "$cmd_lint"
peak "dockerfile-utils (one node process)" "$cmd_utils"
peak "reviewbot rules (AOT, start-up only)" "$cmd_rules_aot"
peak "reviewbot scan one small file (AOT)" "$cmd_small_aot"

echo "== wall time, $runs runs each"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/times.json" \
    -n reviewbot-dll "$cmd_dll" -n reviewbot-r2r "$cmd_r2r" -n reviewbot-aot "$cmd_aot" \
    -n dockerfilelint "$cmd_lint" -n dockerfile-utils "$cmd_utils" \
    -n rules-r2r "$cmd_rules_r2r" -n rules-aot "$cmd_rules_aot" -n one-small-file-r2r "$cmd_small_r2r" -n one-small-file-aot "$cmd_small_aot"
else
  # No hyperfine: $runs rounds, each running every command once in turn (so a load that comes and goes weighs on all
  # alike), each command started directly (no shell in between: its start-up is the tool's own) under /usr/bin/time for
  # its CPU time (user + system, which load on a shared machine distorts less than wall time), stdout to /dev/null.
  # Written in hyperfine's JSON shape for the summary below.
  sep=$'\x1f'
  line() { local name=$1; shift; local IFS=$sep; printf '%s%s%s\n' "$name" "$sep" "$*"; }
  {
    line reviewbot-dll dotnet "$dll" scan "$corpus" --format json
    line reviewbot-r2r "$r2r" scan "$corpus" --format json
    line reviewbot-aot "$aot" scan "$corpus" --format json
    line dockerfilelint node "$work/dockerfilelint.js" "$work/files.txt"
    line dockerfile-utils node "$work/dockerfile-utils.js" "$work/files.txt"
    line rules-r2r "$r2r" rules
    line rules-aot "$aot" rules
    line one-small-file-r2r "$r2r" scan "$small" --format json
    line one-small-file-aot "$aot" scan "$small" --format json
  } > "$work/commands.txt"
  OUT="$work/times.json" CPU="$work/cpu.txt" node -e '
    const { spawnSync } = require("child_process"); const fs = require("fs"); const [runs, file] = process.argv.slice(1);
    const commands = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map(l => l.split("\x1f"));
    const mean = xs => xs.reduce((a, b) => a + b) / xs.length;
    const seen = commands.map(() => ({ times: [], user: [], system: [] }));
    const devnull = fs.openSync("/dev/null", "w");
    for (let r = 0; r < +runs; r++) commands.forEach(([name, ...argv], i) => { const t = process.hrtime.bigint();
      const run = spawnSync("/usr/bin/time", ["-f", "%U %S", "-o", process.env.CPU, ...argv], { stdio: ["ignore", devnull, "ignore"] });
      seen[i].times.push(Number(process.hrtime.bigint() - t) / 1e9);
      // Exit 1 from reviewbot means findings, not failure; anything above is a failed run, not a time.
      if (run.status > 1) { console.error(`error: ${name} exited ${run.status}`); process.exit(1); }
      const [u, s] = fs.readFileSync(process.env.CPU, "utf8").trim().split("\n").pop().split(" ").map(Number); seen[i].user.push(u); seen[i].system.push(s); });
    const results = commands.map(([name], i) => { const x = seen[i];
      return { command: name, mean: mean(x.times), min: Math.min(...x.times), max: Math.max(...x.times), user: mean(x.user), system: mean(x.system) }; });
    fs.writeFileSync(process.env.OUT, JSON.stringify({ results }));' "$runs" "$work/commands.txt"
fi

echo "== summary (mean wall time, start-up included; ratio = peer time / reviewbot time, target >= 10)"
# CPU (user + system) is shown too: on a machine shared with other work, wall time also counts waiting for a core.
node -e '
  const { results } = require(process.argv[1]); const t = {}, cpu = {}, best = {};
  for (const r of results) { t[r.command] = r.mean; best[r.command] = r.min; cpu[r.command] = (r.user ?? NaN) + (r.system ?? NaN); }
  for (const r of results) console.log(`${r.command.padEnd(22)} ${(r.mean * 1000).toFixed(0).padStart(6)} ms wall (min ${(r.min * 1000).toFixed(0)}, max ${(r.max * 1000).toFixed(0)}), ${(cpu[r.command] * 1000).toFixed(0)} ms CPU`);
  for (const rb of ["reviewbot-dll", "reviewbot-r2r", "reviewbot-aot"]) for (const peer of ["dockerfilelint", "dockerfile-utils"])
    console.log(`${peer} / ${rb}: ${(t[peer] / t[rb]).toFixed(1)}x wall, ${(cpu[peer] / cpu[rb]).toFixed(1)}x CPU`);
  // Each at its best: the fastest run of each, so no tool is judged by a slow round of the shared machine.
  for (const peer of ["dockerfilelint", "dockerfile-utils"])
    console.log(`${peer} at its best / reviewbot-aot at its best (fastest runs): ${(best[peer] / best["reviewbot-aot"]).toFixed(1)}x wall`);
  console.log(`per file, AOT, start-up excluded: ${((t["reviewbot-aot"] - t["rules-aot"]) * 1e6 / process.argv[2]).toFixed(0)} us wall`);' \
  "$work/times.json" "$files"
