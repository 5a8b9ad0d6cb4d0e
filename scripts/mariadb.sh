#!/usr/bin/env bash
# Starts (or stops) a private MariaDB server on loopback for the storage tests, in its own data folder,
# without touching any system instance. Prints the connection string on success.
#   scripts/mariadb.sh start   |   scripts/mariadb.sh stop
set -euo pipefail
dir="${TCCG_MARIADB_DIR:-/tmp/tccg-mariadb}"
port="${TCCG_MARIADB_PORT:-33071}"
sock="$dir/mysqld.sock"
conn="Server=127.0.0.1;Port=$port;User ID=tccg;Password=tccg;Database=tccg_test"

case "${1:-start}" in
  stop)
    if [ -f "$dir/mysqld.pid" ]; then kill "$(cat "$dir/mysqld.pid")" 2>/dev/null || true; fi
    exit 0 ;;
  start) ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac

if mariadb-admin --no-defaults --protocol=tcp -h127.0.0.1 -P"$port" -utccg -ptccg ping >/dev/null 2>&1; then
  echo "$conn"; exit 0
fi
command -v mariadbd >/dev/null || export PATH="$PATH:/usr/sbin"
command -v mariadbd >/dev/null || { echo "mariadb.sh: mariadbd not found (scripts/install-deps.sh --test installs it)" >&2; exit 1; }

user_args=()
[ "$(id -u)" -eq 0 ] && user_args=(--user=root)
if [ ! -d "$dir/mysql" ]; then
  mkdir -p "$dir"
  mariadb-install-db --no-defaults --datadir="$dir" "${user_args[@]}" --auth-root-authentication-method=socket \
    --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
fi
nohup mariadbd --no-defaults --datadir="$dir" --port="$port" --bind-address=127.0.0.1 --socket="$sock" \
  --pid-file="$dir/mysqld.pid" --log-error="$dir/error.log" "${user_args[@]}" \
  --innodb-buffer-pool-size=512M --innodb-flush-log-at-trx-commit=2 --max-connections=500 \
  --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci >/dev/null 2>&1 &
for _ in $(seq 1 60); do
  mariadb-admin --no-defaults --socket="$sock" -uroot ping >/dev/null 2>&1 && break
  sleep 0.5
done
mariadb --no-defaults --socket="$sock" -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'tccg'@'127.0.0.1' IDENTIFIED BY 'tccg';
CREATE USER IF NOT EXISTS 'tccg'@'localhost' IDENTIFIED BY 'tccg';
GRANT ALL PRIVILEGES ON *.* TO 'tccg'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'tccg'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS tccg_test CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
FLUSH PRIVILEGES;
SQL
echo "$conn"
