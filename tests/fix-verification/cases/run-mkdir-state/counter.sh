#!/bin/sh
set -eu
n=$(cat /var/lib/counter/count 2>/dev/null || echo 0)
echo $((n + 1)) > /var/lib/counter/count
echo "$(date -u +%s) count=$((n + 1))" >> /var/log/counter/counter.log
echo "counter ok: $((n + 1))"
