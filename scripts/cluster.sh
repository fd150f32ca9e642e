#!/usr/bin/env bash
# A Redis Cluster (3 masters + 3 replicas) and a MariaDB Galera cluster (3 nodes) on free
# private ports of 127.0.0.1, every file in one folder (SCRM_CLUSTER_DIR, default
# /tmp/scrm-cluster). Never touches the shared servers of scripts/services.sh.
#
#   scripts/cluster.sh up            bring both clusters up (nothing when they already are)
#   scripts/cluster.sh status        each node's state (wsrep_cluster_size, CLUSTER INFO)
#   scripts/cluster.sh down          stop every node by its pid and remove the folder
#   scripts/cluster.sh kill NODE     SIGKILL one node (galera1..3, redis1..6)
#   scripts/cluster.sh start NODE    start a stopped node again (it rejoins its cluster)
#   scripts/cluster.sh pid NODE      print a node's pid (nothing when it is not running)
#   scripts/cluster.sh watch OWNER [UP]  wait until process OWNER (and UP, the `up` that
#                                    started it) is gone, then take the cluster down
#   scripts/cluster.sh reap          take down every cluster under $TMPDIR/scrm-cl* whose
#                                    owner is gone (`make clean-test-dbs` runs it)
#
# With SCRM_CLUSTER_OWNER=<pid>, `up` records that process as the cluster's owner and leaves
# a watcher behind (`watch`, in a session of its own): when the owner ends, even killed
# without running its clean-up (a test run stopped with SIGKILL), every node is stopped and
# the folder removed within a second or two.
#
# `up` writes $SCRM_CLUSTER_DIR/cluster.env (shell syntax, one VAR=value a line):
#   SCRM_REDIS_CLUSTER_NODES  127.0.0.1:P,... the six Redis nodes (seeds for scrm)
#   SCRM_GALERA_PORTS         the MySQL ports of galera1..3, comma-separated
#   SCRM_GALERA_URL_1..3      mysql://root@127.0.0.1:P/scrm?prefer_socket=false
# Installs galera-4 and rsync (the SST method) when missing, as scripts/services.sh does.
set -euo pipefail

DIR="${SCRM_CLUSTER_DIR:-/tmp/scrm-cluster}"
ENV_FILE="$DIR/cluster.env"
GALERA_LIB=/usr/lib/galera/libgalera_smm.so
START_LIMIT=120 # half-seconds a node may take to come up

say() { echo "cluster: $*"; }
die() { say "$*" >&2; exit 1; }

# as_root, apt_install.
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

ensure_packages() {
  local missing=()
  [ -x /usr/sbin/mariadbd ] || missing+=(mariadb-server)
  [ -f "$GALERA_LIB" ] || missing+=(galera-4)
  command -v rsync >/dev/null || missing+=(rsync)
  command -v redis-server >/dev/null || missing+=(redis-server)
  # wsrep_sst_rsync checks the rsync daemon's port with one of these.
  command -v ss >/dev/null || command -v lsof >/dev/null || missing+=(iproute2)
  if [ "${#missing[@]}" -gt 0 ]; then say "installing ${missing[*]}"; apt_install "${missing[@]}"; fi
  id mysql >/dev/null 2>&1 || die "no mysql user (mariadb-server's package makes it)"
}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# listen_ports N: N distinct ports of 127.0.0.1, free a moment ago, below the kernel's
# ephemeral range. A node binds its ports seconds after they are chosen (galera3 only after
# two state transfers): a port of the ephemeral range (what free_ports gives) may be taken
# meanwhile as the local end of some outgoing connection, and the node fails with "Address
# already in use"; no outgoing connection takes a port below the range.
listen_ports() {
  python3 - "$1" <<'EOF'
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
ports = []
for port in random.sample(range(10000, low), low - 10000):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    ports.append(port)
    if len(ports) == int(sys.argv[1]):
        break
print(" ".join(map(str, ports)))
EOF
}

load_env() { [ -f "$ENV_FILE" ] || die "not up ($ENV_FILE missing)"; . "$ENV_FILE"; }

sql() { # port statement...
  mariadb --no-defaults -h127.0.0.1 -P"$1" -uroot -N -B -e "$2" 2>/dev/null
}

wsrep() { # port variable: a wsrep status value
  sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" | cut -f2
}

# --- Galera ----------------------------------------------------------------------------

galera_port() { local -a p; IFS=, read -ra p <<<"$SCRM_GALERA_PORTS"; echo "${p[$(($1 - 1))]}"; }
galera_gcomm() { local -a p; IFS=, read -ra p <<<"$GALERA_GCOMM_PORTS"; echo "${p[$(($1 - 1))]}"; }

galera_pid() { cat "$DIR/galera$1/pid" 2>/dev/null || true; }

# start_galera I [new]: starts node I in the background as the mysql user; `new` bootstraps
# the cluster (--wsrep-new-cluster). Returns once the process runs (not once it is synced).
start_galera() {
  local i="$1" node="$DIR/galera$1" port gcomm ist sst addresses="" j
  port="$(galera_port "$i")"; gcomm="$(galera_gcomm "$i")"
  ist="$(cut -d, -f"$i" <<<"$GALERA_IST_PORTS")"; sst="$(cut -d, -f"$i" <<<"$GALERA_SST_PORTS")"
  for j in 1 2 3; do addresses+="${addresses:+,}127.0.0.1:$(galera_gcomm "$j")"; done
  local args=(
    --no-defaults --user=mysql --datadir="$node/data" --socket="$node/sock"
    --pid-file="$node/mariadbd.pid" --log-error="$node/mariadbd.log" --tmpdir="$node/tmp"
    --port="$port" --bind-address=127.0.0.1
    --innodb-buffer-pool-size=64M --innodb-log-file-size=16M --skip-log-bin
    --binlog-format=ROW --default-storage-engine=InnoDB --innodb-autoinc-lock-mode=2
    --wsrep-on=ON --wsrep-provider="$GALERA_LIB" --wsrep-cluster-name=scrm
    # Reads wait until the node has applied every write committed before them anywhere, so a
    # write through one node is read through another at once.
    --wsrep-sync-wait=1
    --wsrep-node-name="galera$i" --wsrep-node-address="127.0.0.1:$gcomm"
    --wsrep-cluster-address="gcomm://$addresses"
    --wsrep-sst-method=rsync --wsrep-sst-receive-address="127.0.0.1:$sst"
    # Short failure detection: a killed node leaves the cluster within ~3 s, not ~15 s.
    --wsrep-provider-options="base_port=$gcomm;gmcast.listen_addr=tcp://127.0.0.1:$gcomm;ist.recv_addr=127.0.0.1:$ist;gcache.size=64M;evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT3S;evs.install_timeout=PT3S"
  )
  [ "${2:-}" = new ] && args+=(--wsrep-new-cluster)
  # In a session of its own (setsid execs: no job control here, so no fork) so the caller's
  # terminal or test harness does not hold it; $! is mariadbd's pid from its first moment
  # (its own pid file appears only once it has joined).
  setsid /usr/sbin/mariadbd "${args[@]}" </dev/null >>"$node/stdout.log" 2>&1 &
  echo "$!" >"$node/pid"
}

# poll CMD...: until CMD succeeds, START_LIMIT times at most, half a second apart.
poll() {
  for _ in $(seq 1 "$START_LIMIT"); do
    "$@" && return 0
    sleep 0.5
  done
  return 1
}

galera_synced() { [ "$(wsrep "$1" wsrep_local_state_comment)" = Synced ]; }

# wait_galera I: until node I answers SQL and is Synced.
wait_galera() {
  local port; port="$(galera_port "$1")"
  poll galera_synced "$port" && return 0
  tail -n 30 "$DIR/galera$1/mariadbd.log" >&2 || true
  die "galera$1 did not reach Synced on port $port"
}

galera_up() {
  local i template="$DIR/galera-template"
  mkdir -p "$template"
  chown mysql:mysql "$template"
  mariadb-install-db --no-defaults --user=mysql --datadir="$template" \
    --auth-root-authentication-method=normal --skip-test-db --skip-log-bin \
    --innodb-buffer-pool-size=32M --innodb-log-file-size=16M >"$DIR/install-db.log" 2>&1 ||
    { cat "$DIR/install-db.log" >&2; die "mariadb-install-db failed"; }
  for i in 1 2 3; do
    mkdir -p "$DIR/galera$i/tmp"
    cp -a "$template" "$DIR/galera$i/data"
    chown -R mysql:mysql "$DIR/galera$i"
  done
  rm -rf "$template"
  start_galera 1 new
  wait_galera 1
  # Joiners receive a state snapshot (rsync) from a donor, one after the other.
  for i in 2 3; do start_galera "$i"; wait_galera "$i"; done
}

# --- Redis Cluster ---------------------------------------------------------------------

redis_port() { cut -d, -f"$1" <<<"$REDIS_PORTS"; }
redis_pid() { cat "$DIR/redis$1/redis.pid" 2>/dev/null || true; }

start_redis() {
  local i="$1" node="$DIR/redis$1" port bus
  port="$(redis_port "$i")"; bus="$(cut -d, -f"$i" <<<"$REDIS_BUS_PORTS")"
  mkdir -p "$node"
  rm -f "$node/redis.pid"
  # No persistence: a restarted master comes back empty and rejoins as a replica of the one
  # promoted in its place. cluster-node-timeout 2 s: failover within a few seconds.
  redis-server --port "$port" --bind 127.0.0.1 --cluster-enabled yes \
    --cluster-port "$bus" --cluster-config-file "$node/nodes.conf" \
    --cluster-node-timeout 2000 --dir "$node" --save "" --appendonly no \
    --daemonize yes --pidfile "$node/redis.pid" --logfile "$node/redis.log" >/dev/null
}

redis_pongs() { [ "$(redis-cli -p "$1" PING 2>/dev/null)" = PONG ]; }

# redis_whole PORT: the node sees the whole cluster (six connected) and every slot covered.
redis_whole() {
  redis-cli -p "$1" CLUSTER INFO 2>/dev/null | grep -q '^cluster_state:ok' &&
    [ "$(redis-cli -p "$1" CLUSTER NODES | grep -c connected)" -eq 6 ]
}

wait_redis() {
  local port; port="$(redis_port "$1")"
  poll redis_pongs "$port" && return 0
  die "redis$1 did not answer on port $port"
}

redis_up() {
  local i nodes=()
  for i in 1 2 3 4 5 6; do start_redis "$i"; done
  for i in 1 2 3 4 5 6; do wait_redis "$i"; nodes+=("127.0.0.1:$(redis_port "$i")"); done
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes \
    >"$DIR/redis-create.log" 2>&1 || { cat "$DIR/redis-create.log" >&2; die "redis-cli --cluster create failed"; }
  # Every node sees the whole cluster and every slot covered.
  for i in 1 2 3 4 5 6; do
    poll redis_whole "$(redis_port "$i")" || true
    redis-cli -p "$(redis_port "$i")" CLUSTER INFO | grep -q '^cluster_state:ok' ||
      die "redis$i: cluster_state is not ok"
  done
}

# --- commands --------------------------------------------------------------------------

healthy() {
  [ -f "$ENV_FILE" ] || return 1
  . "$ENV_FILE"
  local i
  for i in 1 2 3; do
    alive "$(galera_pid "$i")" && [ "$(wsrep "$(galera_port "$i")" wsrep_cluster_size)" = 3 ] || return 1
  done
  for i in 1 2 3 4 5 6; do
    alive "$(redis_pid "$i")" &&
      redis-cli -p "$(redis_port "$i")" CLUSTER INFO 2>/dev/null | grep -q '^cluster_state:ok' || return 1
  done
}

cmd_up() {
  # Before anything is touched: a watcher of a process that is not there would take the
  # cluster down as soon as it came up.
  if [ -n "${SCRM_CLUSTER_OWNER:-}" ] && ! alive "$SCRM_CLUSTER_OWNER"; then
    die "SCRM_CLUSTER_OWNER=$SCRM_CLUSTER_OWNER is not a running process"
  fi
  if healthy; then say "already up ($ENV_FILE)"; cat "$ENV_FILE"; return 0; fi
  [ -d "$DIR" ] && { say "removing a broken or stopped cluster in $DIR"; cmd_down; }
  ensure_packages
  local started=$SECONDS ports
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  watch_owner
  read -ra ports <<<"$(listen_ports 24)"
  SCRM_GALERA_PORTS="${ports[0]},${ports[1]},${ports[2]}"
  GALERA_GCOMM_PORTS="${ports[3]},${ports[4]},${ports[5]}"
  GALERA_IST_PORTS="${ports[6]},${ports[7]},${ports[8]}"
  GALERA_SST_PORTS="${ports[9]},${ports[10]},${ports[11]}"
  REDIS_PORTS="$(IFS=,; echo "${ports[*]:12:6}")"
  REDIS_BUS_PORTS="$(IFS=,; echo "${ports[*]:18:6}")"
  SCRM_REDIS_CLUSTER_NODES="$(sed 's/\([0-9]*\)/127.0.0.1:\1/g' <<<"$REDIS_PORTS")"
  {
    echo "SCRM_CLUSTER_DIR=$DIR"
    echo "SCRM_REDIS_CLUSTER_NODES=$SCRM_REDIS_CLUSTER_NODES"
    echo "SCRM_GALERA_PORTS=$SCRM_GALERA_PORTS"
    for i in 1 2 3; do
      echo "SCRM_GALERA_URL_$i=mysql://root@127.0.0.1:$(galera_port "$i")/scrm?prefer_socket=false"
    done
    echo "REDIS_PORTS=$REDIS_PORTS"
    echo "REDIS_BUS_PORTS=$REDIS_BUS_PORTS"
    echo "GALERA_GCOMM_PORTS=$GALERA_GCOMM_PORTS"
    echo "GALERA_IST_PORTS=$GALERA_IST_PORTS"
    echo "GALERA_SST_PORTS=$GALERA_SST_PORTS"
  } >"$ENV_FILE.tmp"
  # Redis and Galera come up side by side.
  redis_up &
  local redis_job=$!
  galera_up
  wait "$redis_job" || die "the Redis Cluster did not come up"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
  say "up in $((SECONDS - started)) s ($ENV_FILE)"
  cat "$ENV_FILE"
}

stop_pid() { # pid signal
  alive "$1" || return 0
  kill "-$2" "$1" 2>/dev/null || true
  for _ in $(seq 1 100); do alive "$1" || return 0; sleep 0.2; done
  kill -KILL "$1" 2>/dev/null || true
}

# watch_owner: with SCRM_CLUSTER_OWNER set (`cmd_up` checked that it runs), records it in
# $DIR/owner and starts the watcher, detached from this script's output (a caller reading it
# to the end would wait for the watcher) and from its session (a signal to the caller's
# process group spares it).
watch_owner() {
  local owner="${SCRM_CLUSTER_OWNER:-}"
  [ -n "$owner" ] || return 0
  echo "$owner" >"$DIR/owner"
  SCRM_CLUSTER_DIR="$DIR" setsid "$0" watch "$owner" "$$" </dev/null >/dev/null 2>&1 &
}

# cmd_watch OWNER [UP]: returns when the folder is gone (taken down by its owner); takes it
# down when OWNER ends first, once the `up` that started it (pid UP) has finished too, so
# that no node starts after the folder is taken down.
cmd_watch() {
  local owner="$1" up="${2:-}"
  [[ "$owner" =~ ^[0-9]+$ ]] || die "usage: $0 watch OWNER_PID [UP_PID]"
  while [ -d "$DIR" ] && { alive "$owner" || alive "$up"; }; do sleep 0.5; done
  if [ -d "$DIR" ]; then say "owner $owner is gone: taking $DIR down"; cmd_down; fi
}

cmd_reap() {
  local d owner
  for d in "${TMPDIR:-/tmp}"/scrm-cl*/; do
    [ -f "$d/owner" ] || continue
    owner="$(cat "$d/owner")"
    alive "$owner" && continue
    DIR="${d%/}" cmd_down
  done
}

cmd_down() {
  local i
  for i in 1 2 3; do stop_pid "$(galera_pid "$i")" TERM & done
  for i in 1 2 3 4 5 6; do stop_pid "$(redis_pid "$i")" TERM & done
  wait
  # A joiner's rsync daemon (from wsrep_sst_rsync) may outlive a node killed mid-SST.
  for f in "$DIR"/galera*/data/rsync_sst.pid; do [ -f "$f" ] && stop_pid "$(cat "$f")" KILL; done
  rm -rf "$DIR"
  say "down"
}

cmd_status() {
  load_env
  local i port
  for i in 1 2 3; do
    port="$(galera_port "$i")"
    if alive "$(galera_pid "$i")"; then
      printf 'galera%s  127.0.0.1:%s  pid %s  cluster_size=%s state=%s\n' "$i" "$port" \
        "$(galera_pid "$i")" "$(wsrep "$port" wsrep_cluster_size)" \
        "$(wsrep "$port" wsrep_local_state_comment)"
    else
      printf 'galera%s  127.0.0.1:%s  stopped\n' "$i" "$port"
    fi
  done
  for i in 1 2 3 4 5 6; do
    port="$(redis_port "$i")"
    if alive "$(redis_pid "$i")"; then
      printf 'redis%s   127.0.0.1:%s  pid %s  %s %s\n' "$i" "$port" "$(redis_pid "$i")" \
        "$(redis-cli -p "$port" ROLE 2>/dev/null | head -n1)" \
        "$(redis-cli -p "$port" CLUSTER INFO 2>/dev/null | grep -E '^cluster_(state|known_nodes|size):' | tr -d '\r' | tr '\n' ' ')"
    else
      printf 'redis%s   127.0.0.1:%s  stopped\n' "$i" "$port"
    fi
  done
}

node_arg() {
  [[ "${1:-}" =~ ^(galera[1-3]|redis[1-6])$ ]] || die "NODE is galera1..3 or redis1..6"
}

cmd_kill() {
  node_arg "${1:-}"; load_env
  local n="${1#galera}"
  if [ "$n" != "$1" ]; then stop_pid "$(galera_pid "$n")" KILL; else stop_pid "$(redis_pid "${1#redis}")" KILL; fi
  say "$1 killed"
}

cmd_start() {
  node_arg "${1:-}"; load_env
  local n="${1#galera}"
  if [ "$n" != "$1" ]; then
    alive "$(galera_pid "$n")" || { start_galera "$n"; wait_galera "$n"; }
  else
    n="${1#redis}"
    alive "$(redis_pid "$n")" || { start_redis "$n"; wait_redis "$n"; }
  fi
  say "$1 running"
}

cmd_pid() {
  node_arg "${1:-}"; load_env
  local n="${1#galera}" pid
  if [ "$n" != "$1" ]; then pid="$(galera_pid "$n")"; else pid="$(redis_pid "${1#redis}")"; fi
  if alive "$pid"; then echo "$pid"; fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) if [ -d "$DIR" ]; then cmd_down; else say "not up"; fi ;;
  status) cmd_status ;;
  kill) cmd_kill "${2:-}" ;;
  start) cmd_start "${2:-}" ;;
  pid) cmd_pid "${2:-}" ;;
  watch) cmd_watch "${2:-}" "${3:-}" ;;
  reap) cmd_reap ;;
  *) die "usage: $0 up|down|status|kill NODE|start NODE|pid NODE|watch OWNER|reap" ;;
esac
