set -eu
echo "$(date -u +%s) tick as $(id -u):$(id -g)" >> /app/data/ticks
echo "$(date -u +%s)" > "$HOME/.worker-state"
echo "worker ok as $(id -u):$(id -g) with HOME $HOME"
