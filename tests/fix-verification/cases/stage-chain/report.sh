set -eu
cp /app/BASE /app/report.txt
echo "report ok"
