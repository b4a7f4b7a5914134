#!/bin/sh
# nginx stand-in: reads the listen port and the pid file from the configuration as nginx does, fails the
# way nginx fails when it cannot bind a privileged port or write its pid file, then serves the index
# page once (prints it) and exits.
port=$(sed -n 's/^[[:space:]]*listen[[:space:]]*\([0-9][0-9]*\).*/\1/p' /etc/nginx/conf.d/*.conf | head -1)
pid=$(sed -n 's/^pid[[:space:]]*\([^;]*\);.*/\1/p' /etc/nginx/nginx.conf)
if [ "$(id -u)" != 0 ] && [ "$port" -lt 1024 ]; then
    echo "nginx: [emerg] bind() to 0.0.0.0:$port failed (13: Permission denied)" >&2
    exit 1
fi
if ! echo $$ 2>/dev/null >"$pid"; then
    echo "nginx: [emerg] open() \"$pid\" failed (13: Permission denied)" >&2
    exit 1
fi
echo "nginx listening on port $port"
cat /usr/share/nginx/html/index.html
