#!/usr/bin/env bash
# A throwaway PostgreSQL server for the session-store tests, on loopback only.
#
#   tools/postgres-test-server.sh start DIR [PORT]   prints the URL to export as BACKTALK_TEST_POSTGRES
#   tools/postgres-test-server.sh stop DIR
#
# Uses Debian's postgresql packages (installs them with apt-get when initdb is missing and this
# runs as root). As root, the server runs as the `postgres` user, which PostgreSQL requires.
# Authentication is `trust` for loopback connections: a test server, never a deployment.
set -euo pipefail

command=${1:?usage: $0 start|stop DIR [PORT]}
dir=${2:?usage: $0 start|stop DIR [PORT]}
port=${3:-55432}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] && [ "$command" = start ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "installing postgresql (Debian) for the session-store tests" >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "PostgreSQL is not installed (apt-get install postgresql) and this is not root" >&2
    exit 1
  fi
fi

run() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
  else
    "$@"
  fi
}

case "$command" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/PG_VERSION" ]; then
      run "$bindir/initdb" -D "$dir" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
    fi
    run "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=on" \
      start >/dev/null
    run "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 -c \
      "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'backtalk') THEN CREATE ROLE backtalk LOGIN; END IF; END \$\$;" >/dev/null
    if [ -z "$(run "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'backtalk'")" ]; then
      run "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres -O backtalk backtalk
    fi
    echo "postgres://backtalk@127.0.0.1:$port/backtalk?sslmode=disable"
    ;;
  stop)
    if [ -f "$dir/postmaster.pid" ]; then run "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
    ;;
  *)
    echo "usage: $0 start|stop DIR [PORT]" >&2
    exit 64
    ;;
esac
