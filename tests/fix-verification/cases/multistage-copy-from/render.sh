#!/bin/sh
set -eu
cat /site/page.txt /site/about.txt > /site/reports/rendered.txt
echo "rendered $(wc -l < /site/reports/rendered.txt) lines"
