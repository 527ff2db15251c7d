#!/usr/bin/env bash
# The Python library's suite (tests/python) against two `tspot serve` replicas sharing one
# PostgreSQL store, every request sent to the other replica by a round-robin proxy
# (roundrobin.py): sessions, their ends, imports and syncs must cross replicas at once.
#
# Needs the PostgreSQL of tests/postgres/start.sh (started here when TSPOT_TEST_POSTGRES is
# unset) and a built tspot (`cargo build -p tspot`). The store lives in a fresh schema, dropped
# at the end. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${TSPOT_TEST_POSTGRES:-}" ]; then
  . tests/postgres/start.sh
fi
schema="replicas_suite_$$_$(date +%s)"
psql -X -q -v ON_ERROR_STOP=1 "$TSPOT_TEST_POSTGRES" -c "CREATE SCHEMA $schema"
drop_schema() {
  psql -X -q "$TSPOT_TEST_POSTGRES" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
}
trap drop_schema EXIT
case "$TSPOT_TEST_POSTGRES" in
  *\?*) separator='&' ;;
  *) separator='?' ;;
esac
export TSPOT_REPLICAS_STORE="${TSPOT_TEST_POSTGRES}${separator}options=-c%20search_path%3D${schema}"
bash tests/python/run.sh "$@"
