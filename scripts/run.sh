#!/usr/bin/env bash
# One command for a new machine: install everything, prepare SQLite with the reference and
# demo data, and serve the platform on http://127.0.0.1:5000. Ctrl-C stops it.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

setup_system runtime
setup_python runtime

mkdir -p instance media
if [ ! -f instance/campaign.cfg ]; then
  log "writing instance/campaign.cfg with a new secret key"
  cat > instance/campaign.cfg <<CFG
# Local settings for this machine; see README.md, "Configuration".
SECRET_KEY = "$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))')"
# Local http: cookies without the Secure flag. Never set this in production.
SESSION_COOKIE_SECURE = False
CFG
fi

export FLASK_APP=wsgi
log "migrating the database"
"$VENV/bin/flask" db upgrade
log "loading reference data"
"$VENV/bin/flask" seed reference
if [ "$("$VENV/bin/flask" stats --json | "$VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["editions"])')" = 0 ]; then
  log "loading demo data"
  "$VENV/bin/flask" seed demo
fi
# The jobs process (schedules, outbox, kit render requests) runs beside the web server and
# stops with it: Ctrl-C stops both.
log "starting the jobs process"
"$VENV/bin/flask" jobs run --processes 1 &
JOBS=$!
trap 'kill -TERM "$JOBS" 2>/dev/null; wait "$JOBS" 2>/dev/null' EXIT
log "serving on http://127.0.0.1:${PORT:-5000} (Ctrl-C stops)"
"$VENV/bin/flask" run --host 127.0.0.1 --port "${PORT:-5000}"
