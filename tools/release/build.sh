#!/usr/bin/env bash
# Builds what a release ships, into one folder (default dist/):
#   build.sh binary VERSION RID [RID…]  Native AOT reviewbot for each runtime id, as reviewbot-RID.tar.gz
#                                       (reviewbot-RID.zip for win-*): the binary and the README
#   build.sh pack VERSION               the dotnet tool package, reviewbot.VERSION.nupkg
#   build.sh checksums                  SHA256SUMS over every archive and package in the folder (sha256sum -c format)
# OUT=folder overrides dist/. Native AOT builds for the machine's own OS (linux-x64 on linux-x64; linux-arm64 needs an
# arm64 Linux or a cross sysroot; osx-* needs macOS with Xcode; win-* needs Windows with the C++ build tools), which is
# why the release workflow runs `binary` once per RID on a runner of that platform and `checksums` once at the end.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$repo/dist}
project=$repo/src/ReviewBot.Cli/ReviewBot.Cli.csproj
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

die() { echo "build.sh: $*" >&2; exit 2; }

# SemVer 2.0 (what NuGet and the Action's download path take): 1.2.3, 1.2.3-rc.1; no leading v.
check_version() {
  [[ ${1:-} =~ ^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$ ]] || die "version '${1:-}' is not like 1.2.3 or 1.2.3-rc.1"
}

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

# Native AOT links with clang; Debian and Ubuntu may ship it only as clang-NN.
linker_args() {
  if [[ $(uname -s) == Linux ]] && ! command -v clang >/dev/null 2>&1; then
    local cc
    cc=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -V | tail -n 1 || true)
    [[ -n $cc ]] && echo "-p:CppCompilerAndLinker=$cc"
  fi
  return 0
}

binary() {
  local version=$1 rid=$2 work archive exe=reviewbot
  [[ $rid == win-* ]] && exe=reviewbot.exe
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  echo "== reviewbot $version for $rid (Native AOT)"
  # shellcheck disable=SC2046 # linker_args prints zero or one word
  dotnet publish "$project" -c Release -r "$rid" -p:Version="$version" $(linker_args) --nologo -v q -o "$work/publish"
  [[ -f $work/publish/$exe ]] || die "the publish made no $exe"
  mkdir -p "$work/archive" "$out"
  cp "$work/publish/$exe" "$work/archive/"
  cp "$repo/README.md" "$work/archive/"
  if [[ $rid == win-* ]]; then
    archive=$out/reviewbot-$rid.zip
    rm -f "$archive"
    if command -v zip >/dev/null 2>&1; then
      (cd "$work/archive" && zip -q -X "$archive" "$exe" README.md)
    else # Windows runners have 7-Zip but no zip
      (cd "$work/archive" && 7z a -tzip -bd "$(cygpath -w "$archive" 2>/dev/null || echo "$archive")" "$exe" README.md >/dev/null)
    fi
  else
    archive=$out/reviewbot-$rid.tar.gz
    # Fixed owner and mode, so the archive says nothing about the build machine.
    tar -C "$work/archive" --owner=0 --group=0 --numeric-owner -czf "$archive" "$exe" README.md 2>/dev/null \
      || tar -C "$work/archive" -czf "$archive" "$exe" README.md # bsdtar (macOS) has no --owner
  fi
  echo "$archive"
}

pack() {
  local version=$1
  mkdir -p "$out"
  echo "== dotnet tool package reviewbot $version"
  dotnet pack "$project" -c Release -p:Version="$version" --nologo -v q -o "$out"
  [[ -f $out/reviewbot.$version.nupkg ]] || die "the pack made no reviewbot.$version.nupkg"
  echo "$out/reviewbot.$version.nupkg"
}

checksums() {
  [[ -d $out ]] || die "no $out to sum"
  (
    cd "$out"
    shopt -s nullglob
    files=(reviewbot-*.tar.gz reviewbot-*.zip reviewbot.*.nupkg)
    [[ ${#files[@]} -gt 0 ]] || die "nothing to sum in $out"
    sha256 "${files[@]}" > SHA256SUMS
    sha256 -c SHA256SUMS >/dev/null
  )
  cat "$out/SHA256SUMS"
}

case ${1:-} in
  binary)
    shift
    version=${1:-}; check_version "$version"; shift
    [[ $# -gt 0 ]] || die "usage: build.sh binary VERSION RID [RID…] (e.g. linux-x64 linux-arm64 osx-arm64 win-x64)"
    for rid in "$@"; do binary "$version" "$rid"; done
    ;;
  pack)
    check_version "${2:-}"
    pack "$2"
    ;;
  checksums)
    checksums
    ;;
  *)
    die "usage: build.sh binary VERSION RID…|pack VERSION|checksums (OUT=folder, default dist/)"
    ;;
esac
