#!/bin/sh
set -eu
wc -c < /srv/site/index.html > /var/cache/site/index.size
echo "site cache warmed as $(id -un)"
