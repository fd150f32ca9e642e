#!/usr/bin/env bash
# `make load`: 64 connections (locust users) of a mixed read/write workload over every
# endpoint family against the release server with the demo data, for LOAD_DURATION (5m).
# Prints requests, failures, p50/p99 per endpoint, and the server's RSS after the first
# minute and at the end; fails on any failure (the intended 401/429s of the failing logins
# are not failures) or when the RSS at the end is more than 20 % above that after minute one.
# Results in target/load/. Uses its own database (scrm_load) and Redis prefix (scrm_load).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

USERS="${LOAD_USERS:-64}"
DURATION="${LOAD_DURATION:-5m}"
OUT=target/load
VENV=target/load-venv
DB_URL="mysql://root@127.0.0.1:3306/scrm_load"
PREFIX="scrm_load"
mkdir -p "$OUT"

say() { echo "load: $*"; }

scripts/services.sh
venv_tool "$VENV" locust 'locust>=2.32,<3'

say "building the release server"
cargo build --release --quiet -p scrm-app --bin scrm
SCRM=target/release/scrm
export SCRM_DATABASE_URL="$DB_URL" SCRM_REDIS_PREFIX="$PREFIX" RUST_LOG=warn

say "loading the demo data into scrm_load (fresh)"
wipe_store scrm_load "$PREFIX"
"$SCRM" seed --tenants 2 --contacts 300 >/dev/null
# Every account's live customers, highest id first: locust picks the ones it deletes and
# restores from this fixed list (see scripts/load/locustfile.py).
mariadb -h127.0.0.1 -uroot -N scrm_load -e "SELECT a.login_name, c.id FROM admin_user a
  JOIN customer c ON c.admin_user_id = a.id AND c.deleted_at IS NULL
  ORDER BY a.login_name, c.id DESC" >"$OUT/customers.tsv"
export LOAD_CUSTOMERS="$OUT/customers.tsv"

start_server "$SCRM" "$OUT/server.log"
SAMPLER=""
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  stop_server
}
trap cleanup EXIT

# RSS every 5 s (seconds since start, kB).
(
  start=$(date +%s)
  while kill -0 "$SERVER" 2>/dev/null; do
    echo "$(( $(date +%s) - start )) $(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")"
    sleep 5
  done
) >"$OUT/rss.txt" &
SAMPLER=$!

say "$USERS users for $DURATION on port $PORT"
set +e
"$VENV/bin/locust" -f scripts/load/locustfile.py --headless --only-summary \
  -u "$USERS" -r 16 -t "$DURATION" --host "http://127.0.0.1:$PORT" \
  --csv "$OUT/locust" --loglevel WARNING >"$OUT/locust.txt" 2>&1
set -e
kill "$SAMPLER" 2>/dev/null || true
SAMPLER=""

python3 - "$OUT" <<'PY'
import csv, sys
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/locust_stats.csv")))
print(f"{'endpoint':34} {'requests':>9} {'failures':>8} {'p50 ms':>7} {'p99 ms':>7} {'rps':>7}")
for r in rows:
    print(f"{(r['Name'] or r['Type'])[:34]:34} {r['Request Count']:>9} {r['Failure Count']:>8} "
          f"{r['50%']:>7} {r['99%']:>7} {float(r['Requests/s']):>7.1f}")
rss = [tuple(map(int, l.split())) for l in open(f"{out}/rss.txt") if len(l.split()) == 2]
after_minute = [kb for t, kb in rss if t >= 60]
last = rss[-1][1]
if after_minute:
    first = after_minute[0]
    print(f"server RSS: {first/1024:.1f} MiB after the first minute, {last/1024:.1f} MiB at the end "
          f"({(last/first - 1)*100:+.1f} %)")
    rss_ok = last <= first * 1.2
else:
    print(f"server RSS: {last/1024:.1f} MiB at the end (a run under a minute: no growth check)")
    rss_ok = True
total = next(r for r in rows if r["Name"] == "Aggregated")
failures = int(total["Failure Count"])
fails = list(csv.DictReader(open(f"{out}/locust_failures.csv")))
for f in fails:
    print(f"FAILURE {f['Method']} {f['Name']}: {f['Error']} x{f['Occurrences']}")
ok = failures == 0 and rss_ok
print("load: PASS" if ok else "load: FAIL")
sys.exit(0 if ok else 1)
PY
