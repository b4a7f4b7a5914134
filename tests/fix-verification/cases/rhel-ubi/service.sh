#!/bin/bash
set -euo pipefail
source /etc/myservice/service.conf
echo "$(date -u +%s) started $SERVICE_NAME as $(id -u)" >> /var/lib/myservice/events.log
echo "service $SERVICE_NAME ok"
