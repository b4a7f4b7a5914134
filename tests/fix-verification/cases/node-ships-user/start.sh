# Stands in for `node server.js` (the emulated node image has no node binary): same files, same
# place to write.
set -eu
echo "$(date -u +%s) orders starting as $(id -un)" >> /usr/src/app/logs/app.log
echo "orders service ok as $(id -un)"
