#!/bin/sh
set -eu
echo "app ok"
