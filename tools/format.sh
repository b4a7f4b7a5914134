#!/usr/bin/env bash
# Brings every C# file of the solution to the layout and style in .editorconfig, which the build enforces
# (EnforceCodeStyleInBuild in Directory.Build.props, TreatWarningsAsErrors): whitespace and layout, then the style
# rules with a code fix (braces IDE0011, file-scoped namespaces IDE0161). Field names (IDE1006, `_camelCase`) fail the
# build and are renamed by hand: dotnet format cannot fix them across a solution, and the tree already follows the rule.
#   tools/format.sh           fix the tree in place
#   tools/format.sh --check   change nothing; exit non-zero when something is off
# Only the solution's projects are read, so obj/, bin/, node_modules and generated code stay untouched.
set -euo pipefail
cd "$(dirname "$0")/.."

verify=()
if [[ "${1:-}" == "--check" ]]; then
  verify=(--verify-no-changes)
fi

dotnet restore ReviewBot.sln --verbosity quiet
dotnet format whitespace ReviewBot.sln --no-restore "${verify[@]}"
# The rules .editorconfig raises to warning, by id, so that a new analyzer default never sweeps the tree unasked.
dotnet format style ReviewBot.sln --no-restore --severity warn --diagnostics IDE0011 IDE0161 IDE0055 "${verify[@]}"
