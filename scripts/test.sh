#!/usr/bin/env bash
# One command for the whole suite: install what the tests need (Chromium, PostgreSQL), check
# style and import rules, run the tests on SQLite, then again on a throwaway PostgreSQL
# cluster on a free loopback port, which is removed afterwards.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
cd "$ROOT"

setup_system test
setup_python test
export PATH="$VENV/bin:$PATH"

log "ruff"
ruff check .
ruff format --check .
log "import rules"
lint-imports

log "tests on SQLite"
pytest "$@"

pg_bin() {
  local found
  found="$(command -v "$1" 2>/dev/null || ls /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$found" ] || { echo "PostgreSQL's $1 not found" >&2; return 1; }
  printf '%s' "$found"
}
INITDB="$(pg_bin initdb)"
PG_CTL="$(pg_bin pg_ctl)"
PGDATA_DIR="$(mktemp -d /tmp/campaign-pg.XXXXXX)"
PG_PORT="$(python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[ "$(id -u)" -eq 0 ] && chown postgres "$PGDATA_DIR"
stop_pg() {
  as_pg "$PG_CTL" -D "$PGDATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA_DIR"
}
trap stop_pg EXIT

log "starting a throwaway PostgreSQL on 127.0.0.1:$PG_PORT"
as_pg "$INITDB" -D "$PGDATA_DIR/data" -A trust -U campaign -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$PG_CTL" -D "$PGDATA_DIR/data" -l "$PGDATA_DIR/server.log" -w \
  -o "-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null

log "tests on PostgreSQL"
TEST_DATABASE_URL="postgresql://campaign@127.0.0.1:$PG_PORT/postgres" pytest "$@"
