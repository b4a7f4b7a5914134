#!/bin/sh
set -eu
echo "$(date -u +%s) cache refreshed by $(id -u)" > /app/cache/last-refresh
echo "alpine app ok"
