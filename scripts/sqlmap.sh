#!/usr/bin/env bash
# `make sqlmap`: sqlmap (--level 3 --risk 2 --batch) against every parameter of customerPage,
# downLoad, getCustomerInfoByCall, getManualTaskDetail and getRedisMessageRecord of the release
# server with the demo data, logged in, and against account/me (no parameters: sqlmap tries
# its path and, at level 3, its User-Agent and Referer headers). Fails when sqlmap finds
# anything injectable.
# Logs in target/sqlmap/. Uses its own database (scrm_sqlmap) and Redis prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

OUT=target/sqlmap
VENV=target/sqlmap-venv
PREFIX=scrm_sqlmap
mkdir -p "$OUT"
say() { echo "sqlmap: $*"; }

scripts/services.sh
venv_tool "$VENV" sqlmap sqlmap
cargo build --release --quiet -p scrm-app --bin scrm
SCRM=target/release/scrm
export SCRM_DATABASE_URL="mysql://root@127.0.0.1:3306/scrm_sqlmap" SCRM_REDIS_PREFIX="$PREFIX" RUST_LOG=warn
wipe_store scrm_sqlmap "$PREFIX"
"$SCRM" seed >/dev/null

start_server "$SCRM" "$OUT/server.log"
TOKEN="$(login "$BASE" demo_admin demo-pass-123)"
FIRST=$(curl -sf "$BASE/wechat_api/customer/customerPage?limit=1" -H "Authorization: Bearer $TOKEN" |
  python3 -c 'import json,sys;d=json.load(sys.stdin)["data"][0];print(d["adminUserId"],d["wechatUserId"],d["wechatContactId"],d["customerPhone"])')
read -r ADMIN WUSER WCONTACT PHONE <<<"$FIRST"

# Every parameter each endpoint reads, with a value that gives a non-empty answer.
C="$BASE/wechat_api/customer"
declare -A TARGETS=(
  [customerPage]="$C/customerPage?q=王&customerName=王&customerPhone=138&tagIds=1&tagMode=any&beginTime=2020-01-01&endTime=2030-12-31&remarks=客&remarkName=王&wechatUserId=$WUSER&limit=10&pageNo=1"
  [downLoad]="$C/downLoad?q=王&customerName=王&customerPhone=138&tagIds=1&tagMode=any&beginTime=2020-01-01&endTime=2030-12-31&remarks=客&remarkName=王&wechatUserId=$WUSER&limit=10&pageNo=1"
  [getCustomerInfoByCall]="$C/getCustomerInfoByCall?phone=$PHONE"
  [getManualTaskDetail]="$C/getManualTaskDetail?adminUserId=$ADMIN&company=公司&customerName=客&userName=wx&dialStatus=0&addStatus=0&pageNo=1&limit=20"
  [me]="$BASE/wechat_api/account/me"
  [getRedisMessageRecord]="$BASE/wechat_api/message/getRedisMessageRecord?adminUserId=$ADMIN&wechatUserIds=$WUSER&wechatContactIds=$WCONTACT&beginTime=2020-01-01&endTime=2030-12-31&limit=20&pageNo=1"
)
pids=()
for name in "${!TARGETS[@]}"; do
  say "$name"
  "$VENV/bin/sqlmap" -u "${TARGETS[$name]}" -H "Authorization: Bearer $TOKEN" \
    --level 3 --risk 2 --batch --dbms=mysql --skip-waf --disable-coloring --flush-session \
    --output-dir="$OUT/session-$name" >"$OUT/$name.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || true; done

status=0
for name in "${!TARGETS[@]}"; do
  log="$OUT/$name.log"
  params=$(grep -oE "(GET )?parameter '[^']+' does not seem to be injectable" "$log" |
    sed -E "s/.*parameter '([^']+)'.*/\1/" | sort -u | paste -sd, -)
  codes=$(grep -A1 "HTTP error codes detected" "$log" | tail -1)
  if grep -qiE "is vulnerable|appears to be injectable|sqlmap identified the following injection" "$log"; then
    say "$name: INJECTABLE (see $log)"; status=1
  elif grep -q "all tested parameters do not appear to be injectable" "$log"; then
    say "$name: nothing injectable in: $params (answers other than 200: ${codes:-none})"
  else
    say "$name: sqlmap did not finish (see $log)"; status=1
  fi
  if grep -q "500 (Internal" "$log"; then say "$name: the server answered 500"; status=1; fi
done
exit $status
