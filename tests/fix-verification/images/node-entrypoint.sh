#!/bin/sh
set -e
# Same logic as the official node image's entrypoint: prefix `node` when the first argument is an
# option or not a command.
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
