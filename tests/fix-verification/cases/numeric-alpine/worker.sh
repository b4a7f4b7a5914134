set -eu
echo "$(date -u +%s) tick as $(id -u):$(id -g)" >> /opt/worker/ticks
echo "worker ok as $(id -u):$(id -g)"
