set -eu
echo "$(date -u +%s) tick as $(id -u):$(id -g)" >> /app/data/ticks
echo "worker ok as $(id -u):$(id -g)"
