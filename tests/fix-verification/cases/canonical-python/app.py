# Stand-in for a Python web app (run by the python stand-in with sh): needs what pip installed, logs
# under its own folder.
test -f /usr/local/lib/python3.12/site-packages/flask.installed || { echo "flask is not installed"; exit 1; }
echo "request served" >>/app/data/app.log
echo "app ok as uid $(id -u)"
