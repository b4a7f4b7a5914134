#!/usr/bin/env bash
# Runs every test ReviewBot has: the .NET suites (with Azurite for the durable queue and Chromium for the
# setup page, docker-registry for the registry client), then the stage that builds fixed Dockerfiles in real containers. Installs what the tests need
# when it is missing. The last line counts every test: "N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n== %s ==\n' "$*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "npm test tools (Azurite, real GitHub webhook payloads)"
if [ ! -d node_modules/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

step "Chromium for the /setup page test (Debian's package)"
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

step "docker-registry for the registry client's tests (Debian's package: the CNCF distribution registry)"
if [ ! -x /usr/bin/docker-registry ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-registry >/dev/null
fi

step "Bicep: infra/main.bicep compiles"
infra/build.sh

step "dotnet test"
status=0
# The console logger named so a failure prints its message (a seed to replay, a figure), not only its name.
dotnet test ReviewBot.sln --nologo -v q --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=$?

step "fix verification in real containers"
verify_status=0
REVIEWBOT_CLI="dotnet $PWD/src/ReviewBot.Cli/bin/Debug/net10.0/reviewbot.dll" tests/fix-verification/run 2>&1 | tee -a "$log" || verify_status=$?

# One closing line for everything: the .NET suites' counts plus the verified fixes.
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
fixes_ok=$(grep -oE '^[0-9]+ fixes verified' "$log" | awk '{print $1}' | tail -1)
fixes_bad=$(grep -oE 'fixes verified, [0-9]+ failed' "$log" | grep -oE '[0-9]+' | tail -1)
passed=$((passed + ${fixes_ok:-0}))
failed=$((failed + ${fixes_bad:-0}))
if [ "$status" -ne 0 ] || [ "$verify_status" -ne 0 ]; then
  [ "$failed" -gt 0 ] || failed=1
fi
echo
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$verify_status" -eq 0 ]
