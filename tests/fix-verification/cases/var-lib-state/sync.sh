#!/bin/sh
set -eu
echo "$(date -u +%s)" > /var/lib/sync-job/last-sync
echo "sync ok, cursor $(cat /var/lib/sync-job/cursor)"
