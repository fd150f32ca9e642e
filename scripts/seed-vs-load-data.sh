#!/usr/bin/env bash
# Times `scrm seed --customers N --tenants T` against `LOAD DATA LOCAL INFILE` of the same rows
# into the same migrated tables (indexes built), in one run (docs/benchmarks.md).
#
#   scripts/seed-vs-load-data.sh [N] [T]      (default 1000000 50; needs target/release/scrm)
#
# Uses the databases scrm_seedcmp_seed, scrm_seedcmp_load and scrm_seedcmp_fast (dropped at
# the end) and the Redis prefix scrm_seedcmp (its keys deleted at the end).
set -euo pipefail

N="${1:-1000000}"
T="${2:-50}"
SCRM="${SCRM:-target/release/scrm}"
SERVER="${SCRM_MYSQL_SERVER:-mysql://root@127.0.0.1:3306}"
MARIADB=(mariadb -h127.0.0.1 -uroot)
PREFIX=scrm_seedcmp
DIR="$(mktemp -d)"

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc; }
drop_all() {
  for db in scrm_seedcmp_seed scrm_seedcmp_load scrm_seedcmp_fast; do
    "${MARIADB[@]}" -e "DROP DATABASE IF EXISTS $db"
  done
  redis-cli --scan --pattern "$PREFIX:*" | xargs -r -n 500 redis-cli del >/dev/null
  rm -rf "$DIR"
}
trap drop_all EXIT
drop_all
mkdir -p "$DIR"

for db in scrm_seedcmp_seed scrm_seedcmp_load scrm_seedcmp_fast; do
  SCRM_DATABASE_URL="$SERVER/$db" RUST_LOG=warn "$SCRM" migrate >/dev/null
done
echo "buffer pool: $("${MARIADB[@]}" -N -e 'SELECT @@innodb_buffer_pool_size DIV 1048576') MiB"

echo "== scrm seed --customers $N --tenants $T"
t0=$(now)
SCRM_REDIS_PREFIX=$PREFIX RUST_LOG=warn "$SCRM" seed --customers "$N" --tenants "$T" \
  --database-url "$SERVER/scrm_seedcmp_seed" | tee "$DIR/seed.out"
seed_total=$(secs "$t0" "$(now)")

echo "== the same rows to files (not timed)"
RUST_LOG=warn "$SCRM" seed --customers "$N" --tenants "$T" --dump-dir "$DIR" >/dev/null
du -sh "$DIR"

echo "== LOAD DATA LOCAL INFILE, default session"
t0=$(now)
"${MARIADB[@]}" --local-infile=1 scrm_seedcmp_load <"$DIR/load.sql"
load_plain=$(secs "$t0" "$(now)")

echo "== LOAD DATA LOCAL INFILE, unique_checks = 0, foreign_key_checks = 0"
t0=$(now)
{ echo "SET unique_checks = 0, foreign_key_checks = 0;"; cat "$DIR/load.sql"; } |
  "${MARIADB[@]}" --local-infile=1 scrm_seedcmp_fast
load_fast=$(secs "$t0" "$(now)")

for db in scrm_seedcmp_seed scrm_seedcmp_load; do
  echo "$db: $("${MARIADB[@]}" -N -e "SELECT COUNT(*) FROM $db.customer") customers," \
    "$("${MARIADB[@]}" -N -e "SELECT COUNT(*) FROM $db.contact_tag") tag links"
done
seed_mysql=$(grep -o 'indexed in [0-9.]* s' "$DIR/seed.out" | grep -o '[0-9.]*')
echo "seed, MariaDB part (generate + load + index + counts + ANALYZE): ${seed_mysql} s"
echo "seed, whole command (with migrations check and Redis messages): ${seed_total} s"
echo "LOAD DATA, default session: ${load_plain} s (ratio $(echo "scale=2; $seed_mysql / $load_plain" | bc))"
echo "LOAD DATA, unique/foreign key checks off: ${load_fast} s (ratio $(echo "scale=2; $seed_mysql / $load_fast" | bc))"
