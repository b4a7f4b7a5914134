#!/bin/sh
set -eu
n=$(cat /var/www/hits 2>/dev/null || echo 0)
echo $((n + 1)) > /var/www/hits
echo "page served, hits=$((n + 1))"
