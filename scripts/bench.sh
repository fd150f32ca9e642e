#!/usr/bin/env bash
# make bench: seeds the bench data once (database BENCH_DB, Redis prefix BENCH_REDIS_PREFIX),
# starts two release servers over it on free ports, one as configured (the customer index on)
# and one with SCRM_INDEX=off, then `scrm-floor run` times the index's load of the big tenant,
# loads each case with wrk at each connection count (the customer lists on both servers) and
# runs the case's floor (the same SQL / Redis commands over native clients), prints the table
# and writes target/bench/results.json, index-load.json, index.json and results.md (and
# docs/benchmarks.md).
#
# Variables: BENCH_CUSTOMERS (1000000), BENCH_TENANTS (50), BENCH_SECONDS per case and
# connection count (10), BENCH_CONNS (1,16), BENCH_EXPORT_SECONDS (120, an export is cut
# there), BENCH_ONLY (only cases whose name contains it, or one of a comma-separated list),
# BENCH_PASSWORD (demo-pass-123), BENCH_DB (scrm_bench; a small run may use another so that
# the big seed stays), BENCH_REDIS_PREFIX (the database's name), BENCH_DOCS (the doc whose
# generated section is replaced: docs/benchmarks.md for a whole run of 1,000,000 customers in
# scrm_bench, none otherwise; the section is always in target/bench/results.md),
# BENCH_INDEX_WAIT (900 s: longest wait for the index to load the big tenant).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

CUSTOMERS="${BENCH_CUSTOMERS:-1000000}"
TENANTS="${BENCH_TENANTS:-50}"
SECONDS_PER_RUN="${BENCH_SECONDS:-10}"
CONNS="${BENCH_CONNS:-1,16}"
EXPORT_SECONDS="${BENCH_EXPORT_SECONDS:-120}"
PASSWORD="${BENCH_PASSWORD:-demo-pass-123}"
DB="${BENCH_DB:-scrm_bench}"
OUT=target/bench
if [ -z "${BENCH_DOCS+set}" ]; then
  # Only a whole run at the size the docs describe rewrites them.
  if [ "$CUSTOMERS" = 1000000 ] && [ "$DB" = scrm_bench ] && [ -z "${BENCH_ONLY:-}" ]; then
    BENCH_DOCS=docs/benchmarks.md
  else
    BENCH_DOCS=
  fi
fi
MYSQL=(mariadb -h127.0.0.1 -P3306 -uroot)

export SCRM_DATABASE_URL="mysql://root@127.0.0.1:3306/$DB"
export SCRM_REDIS_PREFIX="${BENCH_REDIS_PREFIX:-$DB}"
export SCRM_SESSION_TTL_SECS=86400
export RUST_LOG="${RUST_LOG:-warn}"

say() { echo "bench: $*" >&2; }

scripts/services.sh
if ! command -v wrk >/dev/null; then
  say "installing wrk"
  if [ "$(id -u)" -eq 0 ]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
command -v curl >/dev/null || { say "curl is needed"; exit 1; }

# The issue's floors were measured with a 4 GiB buffer pool (the package's default is 128 MiB,
# too small to keep a million customers and their indexes in memory). Raised for the running
# server only; a restart of MariaDB returns to its configuration.
POOL=$(( 4 * 1024 * 1024 * 1024 ))
if [ "$("${MYSQL[@]}" -N -e 'SELECT @@innodb_buffer_pool_size')" -lt "$POOL" ]; then
  say "raising innodb_buffer_pool_size to 4 GiB (until MariaDB restarts)"
  "${MYSQL[@]}" -e "SET GLOBAL innodb_buffer_pool_size = $POOL"
fi

say "building the release server and scrm-floor"
cargo build --release --quiet -p scrm-app -p scrm-bench
SCRM=target/release/scrm
FLOOR=(target/release/scrm-floor --out "$OUT")
mkdir -p "$OUT"

# The seed is reused when a finished one of this kind and size is there: the marker row is
# written only after `scrm seed` succeeded.
if "$SCRM" seed --help | grep -q -- '--customers'; then KIND=scale; else KIND=demo; fi
# The newest migration is part of the marker: a seed made before a schema change is redone.
SCHEMA="$(ls migrations | tail -n 1)"
SPEC="$KIND $CUSTOMERS customers, $TENANTS tenants, schema $SCHEMA"
seeded() {
  "${MYSQL[@]}" -N -e "SELECT spec FROM \`$DB\`._bench_seed" 2>/dev/null | grep -qxF "$SPEC"
}
if seeded; then
  say "reusing the seed in $DB ($SPEC)"
else
  say "seeding $DB ($SPEC)"
  wipe_store "$DB" "$SCRM_REDIS_PREFIX"
  if [ "$KIND" = scale ]; then
    "$SCRM" seed --customers "$CUSTOMERS" --tenants "$TENANTS"
  else
    # The demo seed (before `--customers`): contacts per tenant, about 90 % with a customer.
    "$SCRM" migrate
    "$SCRM" seed --tenants "$TENANTS" --contacts $(( CUSTOMERS * 10 / 9 / TENANTS + 1 ))
  fi
  "${MYSQL[@]}" "$DB" -e "CREATE TABLE _bench_seed (spec VARCHAR(200) NOT NULL, seeded_at DATETIME NOT NULL); INSERT INTO _bench_seed VALUES ('$SPEC', NOW())"
fi

# The same data with the index off (same Redis prefix, so the sessions are valid on both).
SCRM_INDEX=off start_server "$SCRM" "$OUT/server-sql.log"
SQL_SERVER="$SERVER" SQL_BASE="$BASE"
start_server "$SCRM" "$OUT/server.log"
say "server $SERVER on $BASE, with SCRM_INDEX=off $SQL_SERVER on $SQL_BASE"
# At once, so that a load at start (a warm-up) is timed as well as one on first use.
rm -f "$OUT/index-load.json"
"${FLOOR[@]}" index-load --base-url "$BASE" --server-pid "$SERVER" --password "$PASSWORD" \
  --wait-seconds "${BENCH_INDEX_WAIT:-900}"

eval "$("${FLOOR[@]}" params)"
MAIN_TOKEN="$(login "$BASE" "$BENCH_MAIN_LOGIN" "$PASSWORD")"
SUB_TOKEN="$(login "$BASE" "$BENCH_SUB_LOGIN" "$PASSWORD")"
say "tenant $BENCH_TENANT: $BENCH_MAIN_LOGIN and $BENCH_SUB_LOGIN logged in"

"${FLOOR[@]}" chat --base-url "$BASE" --token "$MAIN_TOKEN"
"${FLOOR[@]}" run --base-url "$BASE" --main-token "$MAIN_TOKEN" --sub-token "$SUB_TOKEN" \
  --server-pid "$SERVER" --sql-base-url "$SQL_BASE" --sql-server-pid "$SQL_SERVER" \
  --conns "$CONNS" --seconds "$SECONDS_PER_RUN" --export-seconds "$EXPORT_SECONDS" \
  --index-wait-seconds "${BENCH_INDEX_WAIT:-900}" --index-load "$OUT/index-load.json" \
  ${BENCH_ONLY:+--only "$BENCH_ONLY"} ${BENCH_DOCS:+--docs "$BENCH_DOCS"}
