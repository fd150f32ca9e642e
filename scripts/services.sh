#!/usr/bin/env bash
# Brings up what scrm needs: MariaDB on 127.0.0.1:3306 (root, empty password) and Redis on
# 127.0.0.1:6379. For each: nothing when it already answers; start it when it is installed;
# install it (Debian packages mariadb-server, redis-server) when it is missing.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

MYSQL_PORT="${SCRM_MYSQL_PORT:-3306}"
REDIS_PORT="${SCRM_REDIS_PORT:-6379}"

say() { echo "services: $*"; }

wait_for() { # name port
  for _ in $(seq 1 120); do port_open "$2" && return 0; sleep 0.5; done
  say "$1 did not come up on port $2"; exit 1
}

mariadb_client() { command -v mariadb || command -v mysql; }

ensure_mariadb() {
  if port_open "$MYSQL_PORT"; then say "MariaDB is running"; else
    if [ ! -x /usr/sbin/mariadbd ]; then say "installing mariadb-server"; apt_install mariadb-server; fi
    say "starting MariaDB"
    as_root mkdir -p /run/mysqld
    as_root chown mysql:mysql /run/mysqld
    as_root start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/mysqld.pid \
      --exec /usr/sbin/mariadbd -- --user=mysql --port="$MYSQL_PORT"
    wait_for MariaDB "$MYSQL_PORT"
  fi
  # Debian's root logs in through the Unix socket only; scrm connects over TCP with an empty
  # password. Allow that when it is not allowed yet (a fresh install).
  local client; client="$(mariadb_client)" || return 0
  for _ in $(seq 1 60); do
    "$client" -h127.0.0.1 -P"$MYSQL_PORT" -uroot -e 'SELECT 1' >/dev/null 2>&1 && return 0
    if as_root "$client" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
      say "allowing root over TCP with an empty password"
      as_root "$client" -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;"
    fi
    sleep 0.5
  done
  say "cannot log into MariaDB as root over TCP"; exit 1
}

ensure_redis() {
  if port_open "$REDIS_PORT"; then say "Redis is running"; return 0; fi
  if ! command -v redis-server >/dev/null; then say "installing redis-server"; apt_install redis-server; fi
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  wait_for Redis "$REDIS_PORT"
}

ensure_mariadb
ensure_redis
