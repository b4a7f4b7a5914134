# Stands in for `dotnet Orders.dll` (the emulated aspnet image has no .NET runtime).
set -eu
echo "$(date -u +%s) listening on ${ASPNETCORE_HTTP_PORTS} as uid $(id -u)" >> /app/logs/startup.log
echo "aspnet app ok on port ${ASPNETCORE_HTTP_PORTS}"
