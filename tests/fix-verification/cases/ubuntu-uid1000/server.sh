#!/bin/bash
# Writes a heartbeat into its state folder, like a worker that keeps local state.
set -euo pipefail
printf 'heartbeat %s uid=%s\n' "$(date -u +%s)" "$(id -u)" >> /srv/var/heartbeat.log
echo "worker ok as $(id -un)"
