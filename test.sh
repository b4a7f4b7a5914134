#!/usr/bin/env bash
# Runs every test ReviewBot has: the .NET suites (with Azurite for the durable queue) and the stage that
# builds fixed Dockerfiles in real containers. Installs what the tests need when it is missing.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n== %s ==\n' "$*"; }

step "npm test tools (Azurite, real GitHub webhook payloads)"
if [ ! -d node_modules/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

step "dotnet test"
dotnet test ReviewBot.sln --nologo -v q -- RunConfiguration.TreatNoTestsAsError=true
