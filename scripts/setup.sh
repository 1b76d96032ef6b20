#!/usr/bin/env bash
# Installs what the platform needs on a Debian machine. Sourced by run.sh and test.sh.
#   setup_system runtime|test   Debian packages (apt-get, as root or through sudo)
#   setup_python runtime|test   the virtual environment in .venv and the Python packages
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || printf '%s ' "$pkg"
  done
}

setup_system() {
  # WeasyPrint needs Pango; without libharfbuzz-subset0 its font subsetting is 7–9× slower.
  local wanted=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
  if [ "${1:-runtime}" = test ]; then
    wanted+=(chromium poppler-utils)  # poppler: pdftoppm draws PDF pages in tests
    command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || wanted+=(postgresql-15)
  fi
  command -v dpkg-query >/dev/null || { log "not a Debian system: install ${wanted[*]} yourself"; return 0; }
  local missing
  missing="$(missing_packages "${wanted[@]}")"
  if [ -n "$missing" ]; then
    log "installing Debian packages: $missing"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
}

setup_python() {
  local extra=""
  [ "${1:-runtime}" = test ] && extra="[dev]"
  if [ ! -x "$VENV/bin/python" ]; then
    log "creating the virtual environment in .venv"
    "$PYTHON" -m venv "$VENV"
  fi
  # Reinstall only when the dependencies changed.
  local stamp="$VENV/.installed-$1-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    log "installing Python packages"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e "$ROOT$extra"
    rm -f "$VENV"/.installed-"$1"-*
    touch "$stamp"
  fi
}
