set -eu
echo "$(date -u +%s) job ran as $(id -u)" >> "$APP_HOME/data/runs.log"
echo "job ok in $APP_HOME"
