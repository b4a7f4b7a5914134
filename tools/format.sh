#!/usr/bin/env bash
# Brings every C# file of the solution to the style in .editorconfig, which the build enforces
# (EnforceCodeStyleInBuild in Directory.Build.props, TreatWarningsAsErrors): field names first (tools/FieldNames:
# dotnet format reports IDE1006 but cannot fix it across a solution), then layout and whitespace, then the style
# rules with a code fix (braces IDE0011, file-scoped namespaces IDE0161). Deterministic: a second run changes nothing.
#   tools/format.sh           fix the tree in place
#   tools/format.sh --check   change nothing; exit non-zero when something is off
# Only the solution's projects are read, so obj/, bin/, node_modules and generated code stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

check=()
verify=()
if [[ "${1:-}" == "--check" ]]; then
  check=(--check)
  verify=(--verify-no-changes)
fi

mapfile -t projects < <(dotnet sln ReviewBot.sln list | grep '\.csproj$')

dotnet restore ReviewBot.sln --verbosity quiet
# Field names bind against what the projects reference: build once without the style gate (it would fail on
# exactly what this script fixes), then rename.
dotnet build ReviewBot.sln --no-restore --verbosity quiet --nologo -p:EnforceCodeStyleInBuild=false -p:TreatWarningsAsErrors=false >/dev/null
dotnet run --project tools/FieldNames --verbosity quiet -- "${check[@]}" "${projects[@]}"
dotnet format whitespace ReviewBot.sln --no-restore "${verify[@]}"
# The rules .editorconfig raises to warning, by id, so that a new analyzer default never sweeps the tree unasked.
dotnet format style ReviewBot.sln --no-restore --severity warn --diagnostics IDE0011 IDE0161 IDE0055 "${verify[@]}"
