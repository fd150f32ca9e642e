#!/usr/bin/env bash
# The web console's browser tests (tests/browser), run by `make test` after the cargo tests:
# installs what they need when missing (scripts/browser-deps.sh), builds the scrm binary
# (the console's assets are compiled into it), and runs pytest against a real `scrm serve`
# on the memory store and on MariaDB + Redis (SCRM_BROWSER_STORES narrows that). Extra
# arguments go to pytest (e.g. -k export).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
scripts/browser-deps.sh
"${CARGO:-cargo}" build --quiet -p scrm-app --bin scrm
export SCRM_BIN="$ROOT/target/debug/scrm"
cd tests/browser
exec "${BROWSER_VENV:-$ROOT/target/browser-venv}/bin/python" -m pytest -q "$@"
