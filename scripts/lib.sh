# Shared by the scripts that run a real scrm against a database of their own (fuzz.sh,
# load.sh, sqlmap.sh, bench.sh) and by those that install what it needs (services.sh,
# browser-deps.sh, cluster.sh): `source scripts/lib.sh`, then use the functions below.
# They read SCRM_REDIS_URL (default redis://127.0.0.1:6379).

: "${SCRM_REDIS_URL:=redis://127.0.0.1:6379}"
export SCRM_REDIS_URL

# as_root CMD...: runs CMD as root (directly, or through sudo). The caller defines `say`.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    say "need root for: $*"; exit 1; fi
}

# apt_install [APT-GET OPTIONS] PACKAGES...: installs Debian packages quietly, running
# `apt-get update` once first. Packages must not try to start services themselves (no init
# system in containers), hence RUNLEVEL=1.
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 apt-get install -y -qq "$@" >/dev/null
}

# wipe_store DB PREFIX: drops the MariaDB database DB and deletes the Redis keys PREFIX:*.
wipe_store() {
  mariadb -h127.0.0.1 -uroot -e "DROP DATABASE IF EXISTS \`$1\`"
  redis-cli -u "$SCRM_REDIS_URL" --scan --pattern "$2:*" |
    xargs -r -n 500 redis-cli -u "$SCRM_REDIS_URL" DEL >/dev/null
}

# venv_tool VENV BIN PIP_SPEC [PYTHON]: makes sure VENV/bin/BIN exists, creating the virtualenv
# with PYTHON (default python3) and pip-installing PIP_SPEC when it does not.
venv_tool() {
  [ -x "$1/bin/$2" ] && return 0
  echo "installing $3 into $1"
  rm -rf "$1"
  "${4:-python3}" -m venv "$1"
  "$1/bin/pip" install -q "$3"
}

# port_open PORT: whether something listens on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_ports N: N distinct ports of 127.0.0.1 that were free a moment ago, space-separated.
free_ports() {
  python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

# start_server SCRM LOG: serves with the binary SCRM on a free loopback port (logging to LOG),
# stops it when the script exits, and waits until it answers /healthz. Sets PORT, BASE and
# SERVER (the pid). A script with its own EXIT trap calls stop_server from it, which stops
# every server started so far (a script may start several).
STARTED_SERVERS=""
start_server() {
  PORT="$(free_ports 1)"
  BASE="http://127.0.0.1:$PORT"
  SCRM_BIND="127.0.0.1:$PORT" "$1" serve >"$2" 2>&1 &
  SERVER=$!
  STARTED_SERVERS="$STARTED_SERVERS $SERVER"
  trap stop_server EXIT
  for _ in $(seq 1 300); do
    curl -fsS "$BASE/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER" 2>/dev/null || { echo "scrm did not start:" >&2; cat "$2" >&2; exit 1; }
    sleep 0.2
  done
  echo "scrm did not answer /healthz within 60 s" >&2
  exit 1
}

stop_server() {
  local pid
  for pid in $STARTED_SERVERS; do kill "$pid" 2>/dev/null || true; done
  for pid in $STARTED_SERVERS; do wait "$pid" 2>/dev/null || true; done
}

# login BASE LOGIN PASSWORD: prints the session token.
login() {
  curl -fsS -H 'Content-Type: application/json' \
    -d "{\"loginName\":\"$2\",\"password\":\"$3\"}" "$1/wechat_api/login" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["token"])'
}
