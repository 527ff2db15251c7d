#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests that run searches on a real PostgreSQL
# (crates/tspot-search's corpus, crates/tspot-reference/tests/postgres.rs).
#
#   . tests/postgres/start.sh          # start it (idempotent) and export TSPOT_TEST_POSTGRES;
#                                      # defines tspot_pg_stop (and tspot_pg_start, tspot_pg_url)
#   bash tests/postgres/start.sh       # the same, printing the `export` line to run
#   bash tests/postgres/start.sh stop  # stop it (the data stays for the next start)
#   bash tests/postgres/start.sh url   # print the URL only
#
# Installs Debian's `postgresql` when no server binaries are found (as root), initialises a
# cluster under target/ci/postgres owned by the `postgres` user (initdb refuses root; when that
# user cannot enter the checkout, under /tmp/tspot-postgres-PORT instead), and
# starts it on 127.0.0.1:${TSPOT_PG_PORT:-54329} with its socket in that directory: nothing
# listens beyond the loopback. A role `tspot` (password `tspot`) owns the database
# `tspot_test`. The cluster's locale is C.UTF-8 (or C): byte order, as the search corpus
# documents.
#
# Sourcing never changes the caller's shell options: every step is a function that returns
# non-zero on failure.

tspot_pg_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tspot_pg_dir="$tspot_pg_root/target/ci/postgres"
tspot_pg_port="${TSPOT_PG_PORT:-54329}"
# Where the cluster goes when the postgres user cannot enter the checkout.
tspot_pg_fallback="/tmp/tspot-postgres-$tspot_pg_port"
if [ ! -f "$tspot_pg_dir/data/PG_VERSION" ] && [ -f "$tspot_pg_fallback/data/PG_VERSION" ]; then
  tspot_pg_dir="$tspot_pg_fallback"
fi

tspot_pg_url() {
  printf 'postgres://tspot:tspot@127.0.0.1:%s/tspot_test\n' "$tspot_pg_port"
}

# The newest installed server's bin directory.
tspot_pg_bin() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && printf '%s\n' "$bin"
}

# Runs a server program as the cluster's owner: `postgres` when we are root, else ourselves.
tspot_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

tspot_pg_install() {
  if tspot_pg_bin >/dev/null; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "tests/postgres: no PostgreSQL server found; install Debian's postgresql (as root)" >&2
    return 1
  fi
  echo "tests/postgres: installing Debian's postgresql" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  tspot_pg_bin >/dev/null
}

tspot_pg_psql() {
  # As the superuser, over the cluster's own socket.
  tspot_pg_as_owner psql -X -q -v ON_ERROR_STOP=1 -h "$tspot_pg_dir/run" -p "$tspot_pg_port" \
    -U postgres -d postgres "$@"
}

tspot_pg_start() {
  tspot_pg_install || return 1
  local bin
  bin="$(tspot_pg_bin)" || return 1
  mkdir -p "$tspot_pg_dir/run" "$tspot_pg_dir/log" || return 1
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$tspot_pg_dir" || return 1
    if ! runuser -u postgres -- test -w "$tspot_pg_dir/run"; then
      # A checkout under a directory the postgres user cannot enter (a 0700 home, say).
      echo "tests/postgres: the postgres user cannot reach $tspot_pg_dir; using $tspot_pg_fallback" >&2
      tspot_pg_dir="$tspot_pg_fallback"
      mkdir -p "$tspot_pg_dir/run" "$tspot_pg_dir/log" && chown -R postgres:postgres "$tspot_pg_dir" || return 1
    fi
  fi
  if [ ! -f "$tspot_pg_dir/data/PG_VERSION" ]; then
    local locale=C
    if locale -a 2>/dev/null | grep -qix 'C.utf-\?8'; then
      locale=C.UTF-8
    fi
    tspot_pg_as_owner "$bin/initdb" -D "$tspot_pg_dir/data" -U postgres --encoding=UTF8 \
      --locale="$locale" --auth-local=trust --auth-host=scram-sha-256 >"$tspot_pg_dir/log/initdb.log" 2>&1 || {
      cat "$tspot_pg_dir/log/initdb.log" >&2
      return 1
    }
  fi
  if ! tspot_pg_as_owner "$bin/pg_ctl" -D "$tspot_pg_dir/data" status >/dev/null 2>&1; then
    tspot_pg_as_owner "$bin/pg_ctl" -D "$tspot_pg_dir/data" -l "$tspot_pg_dir/log/postgres.log" -w -t 60 \
      -o "-p $tspot_pg_port -k $tspot_pg_dir/run -c listen_addresses=127.0.0.1" start >/dev/null || {
      tail -n 20 "$tspot_pg_dir/log/postgres.log" >&2
      return 1
    }
  fi
  if [ -z "$(tspot_pg_psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'tspot'")" ]; then
    tspot_pg_psql -c "CREATE ROLE tspot LOGIN PASSWORD 'tspot'" || return 1
  fi
  if [ -z "$(tspot_pg_psql -tAc "SELECT 1 FROM pg_database WHERE datname = 'tspot_test'")" ]; then
    tspot_pg_psql -c "CREATE DATABASE tspot_test OWNER tspot" || return 1
  fi
  TSPOT_TEST_POSTGRES="$(tspot_pg_url)"
  export TSPOT_TEST_POSTGRES
}

tspot_pg_stop() {
  local bin
  bin="$(tspot_pg_bin)" || return 0
  if [ -f "$tspot_pg_dir/data/PG_VERSION" ] &&
    tspot_pg_as_owner "$bin/pg_ctl" -D "$tspot_pg_dir/data" status >/dev/null 2>&1; then
    tspot_pg_as_owner "$bin/pg_ctl" -D "$tspot_pg_dir/data" -m fast -w stop >/dev/null
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-start}" in
    start)
      tspot_pg_start
      echo "export TSPOT_TEST_POSTGRES=$(tspot_pg_url)"
      ;;
    stop) tspot_pg_stop ;;
    url) tspot_pg_url ;;
    *)
      echo "usage: $0 [start|stop|url]" >&2
      exit 2
      ;;
  esac
else
  tspot_pg_start && echo "tests/postgres: TSPOT_TEST_POSTGRES=$TSPOT_TEST_POSTGRES" >&2
fi
