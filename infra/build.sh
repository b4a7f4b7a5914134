#!/usr/bin/env bash
# Compiles infra/main.bicep with the Bicep compiler from NuGet (package Azure.Bicep.CommandLine.linux-x64),
# restored into a throwaway project under a temp folder, so it needs only the dotnet SDK and NuGet.
# Usage: infra/build.sh [output.json]
set -euo pipefail

BICEP_VERSION="${BICEP_VERSION:-0.49.2}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-${TMPDIR:-/tmp}/reviewbot-main.json}"
tools="${BICEP_TOOLS_DIR:-${TMPDIR:-/tmp}/reviewbot-bicep-$BICEP_VERSION}"

bicep="$(find "$tools/packages" -type f -name bicep -path '*linux-x64*' 2>/dev/null | head -n1 || true)"
if [[ -z "$bicep" ]]; then
  mkdir -p "$tools"
  cat > "$tools/fetch-bicep.csproj" <<PROJ
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
    <ImportDirectoryBuildProps>false</ImportDirectoryBuildProps>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="Azure.Bicep.CommandLine.linux-x64" Version="[$BICEP_VERSION]" />
  </ItemGroup>
</Project>
PROJ
  # Outside the repo, so the repo's Directory.*.props do not apply to the throwaway project.
  dotnet restore "$tools/fetch-bicep.csproj" --packages "$tools/packages" >/dev/null
  bicep="$(find "$tools/packages" -type f -name bicep -path '*linux-x64*' | head -n1)"
fi
[[ -n "$bicep" ]] || { echo "build.sh: no bicep binary in Azure.Bicep.CommandLine.linux-x64 $BICEP_VERSION" >&2; exit 1; }
chmod +x "$bicep"

"$bicep" --version
"$bicep" build "$here/main.bicep" --outfile "$out"
echo "infra: compiled main.bicep -> $out"
