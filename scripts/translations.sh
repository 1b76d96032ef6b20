#!/usr/bin/env bash
# Keep the message catalogues in step with the code.
#   scripts/translations.sh update   extract messages and merge them into nl/messages.po
#   scripts/translations.sh compile  compile the .po files into the .mo files the app reads
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL="${PYBABEL:-.venv/bin/pybabel}"
case "${1:-}" in
  update)
    "$PYBABEL" extract -F babel.cfg -k _l -k lazy_gettext -k N_ --ignore-dirs='.* .venv node_modules' \
      --no-location --sort-output --project campaign -o campaign/translations/messages.pot .
    "$PYBABEL" update -i campaign/translations/messages.pot -d campaign/translations -l nl --no-fuzzy-matching
    ;;
  compile)
    "$PYBABEL" compile -d campaign/translations --statistics
    ;;
  *)
    echo "usage: $0 update|compile" >&2; exit 2 ;;
esac
