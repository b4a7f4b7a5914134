#!/bin/sh
# pip stand-in: `pip install [options] -r FILE` records each requirement as installed in the root-owned
# site-packages, as the real pip writes there; anything else fails.
set -e
[ "${1:-}" = install ] || { echo "pip stand-in: only 'pip install -r FILE'" >&2; exit 2; }
shift
file=""
while [ $# -gt 0 ]; do
    case $1 in
    -r | --requirement) file=$2; shift 2 ;;
    *) shift ;;
    esac
done
[ -n "$file" ] || { echo "pip stand-in: no -r FILE" >&2; exit 2; }
site=/usr/local/lib/python3.12/site-packages
grep -v '^[[:space:]]*#' "$file" | while read -r req; do
    [ -z "$req" ] || echo "$req" >"$site/${req%%[=<>]*}.installed"
done
