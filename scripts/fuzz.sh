#!/usr/bin/env bash
# `make fuzz`: schemathesis against /openapi.json of a scrm loaded with the demo data, logged
# in as demo_admin, every operation, with the checks not_a_server_error,
# response_schema_conformance and status_code_conformance. Bounded to 10 minutes in all
# (FUZZ_MAX_SECS); exits non-zero on any failure. Not part of `make test`.
#
# It uses a database and a Redis key prefix of its own (scrm_fuzz, emptied at each start),
# never `scrm` or a test's. The logout is fuzzed last and apart, as it ends the session the
# other operations use. Reports (JUnit) go to target/fuzz/. scripts/fuzz_hooks.py accepts one
# answer that is not scrm's (a URI over 64 KiB refused by the HTTP server with an empty 400).
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$PWD"
source scripts/lib.sh
SCHEMATHESIS_VERSION="4.32.5"
FUZZ_MAX_SECS="${FUZZ_MAX_SECS:-600}"
FUZZ_DB="${FUZZ_DB:-scrm_fuzz}"
VENV="$ROOT/target/fuzz-venv"
OUT="$ROOT/target/fuzz"
STARTED=$SECONDS

say() { echo "fuzz: $*"; }
left() { echo $((FUZZ_MAX_SECS - (SECONDS - STARTED))); }

# CPython 3.11 before 3.11.8 crashes in schemathesis's coverage phase ("AST constructor recursion
# depth mismatch", CPython gh-106905), and Debian 12's python3 is 3.11.2: take a newer one when
# the machine has it (FUZZ_PYTHON, python3.13/3.12 on PATH, or pyenv's).
pick_python() {
  if [ -n "${FUZZ_PYTHON:-}" ]; then echo "$FUZZ_PYTHON"; return; fi
  local candidate
  for candidate in python3.13 python3.12 "$HOME"/.pyenv/versions/3.13*/bin/python3 \
    "$HOME"/.pyenv/versions/3.12*/bin/python3; do
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      echo "$candidate"; return
    fi
  done
  echo python3
}

mkdir -p "$OUT"
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  PYTHON="$(pick_python)"
  say "installing schemathesis $SCHEMATHESIS_VERSION into $VENV ($("$PYTHON" --version))"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install -q "schemathesis==$SCHEMATHESIS_VERSION"
fi

scripts/services.sh
cargo build --quiet -p scrm-app --bin scrm
SCRM="$ROOT/target/debug/scrm"

export SCRM_STORE=mysql
export SCRM_DATABASE_URL="mysql://root@127.0.0.1:3306/$FUZZ_DB"
export SCRM_REDIS_PREFIX="$FUZZ_DB"
export RUST_LOG="${RUST_LOG:-warn}"

say "fresh database $FUZZ_DB and Redis prefix $SCRM_REDIS_PREFIX"
wipe_store "$FUZZ_DB" "$SCRM_REDIS_PREFIX"
"$SCRM" seed >"$OUT/seed.log"

start_server "$SCRM" "$OUT/server.log"
TOKEN="$(login "$BASE" demo_admin demo-pass-123)"
say "serving on $BASE, logged in as demo_admin"

run() { # name, then schemathesis filter options
  local name="$1"; shift
  local budget; budget="$(left)"
  if [ "$budget" -le 10 ]; then say "no time left for $name"; return 1; fi
  say "$name: up to ${budget}s"
  # From target/fuzz: schemathesis keeps its example database in ./.schemathesis.
  (cd "$OUT" && SCHEMATHESIS_HOOKS="$ROOT/scripts/fuzz_hooks.py" \
    timeout --signal=INT "$budget" "$VENV/bin/st" run "$BASE/openapi.json" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance \
    --header "Authorization: Bearer $TOKEN" \
    --workers 2 --seed "${FUZZ_SEED:-20261127}" \
    --report junit --report-junit-path "$OUT/$name.xml" "$@")
}

status=0
run operations --exclude-path /wechat_api/logout || status=1
run logout --include-path /wechat_api/logout --max-examples 5 || status=1
if [ "$status" -eq 0 ]; then say "0 failures (reports in $OUT)"; else say "FAILED (see above, $OUT)"; fi
exit "$status"
