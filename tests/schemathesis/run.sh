#!/usr/bin/env bash
# Conformance: schemathesis runs property-based tests against `tspot serve`, checking every answer
# against the spec it serves at /openapi.json, for EVERY operation of the spec (all tags; set ST_TAGS
# to a regex of tags to narrow it, e.g. ST_TAGS='^(tml|data)$'). The server starts with the demo
# (the "Retail Sales" worksheet, its tables, three answers and the "Sales Overview" Liveboard) on a
# small fact table (ST_DEMO_ROWS, default 2000), and schemathesis.toml feeds the demo's GUIDs and
# valid queries into some of the generated cases so the success paths are exercised too. Fixed seed,
# 100 examples per operation, every check; any failure fails the script.
# Builds nothing: run `cargo build -p tspot` first (or point TSPOT_BIN at a binary).
# Extra arguments go to `schemathesis run` and win over the defaults (e.g. `--max-examples 1000 --seed 7`).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
venv="$root/target/ci/schemathesis-venv"
requirements=tests/schemathesis/requirements.txt
if [ ! -x "$venv/bin/schemathesis" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.installed"
fi
binary="${TSPOT_BIN:-$root/target/debug/tspot}"
if [ ! -x "$binary" ]; then
  echo "tests/schemathesis/run.sh: no tspot binary at $binary; run 'cargo build -p tspot' first" >&2
  exit 2
fi
demo_rows="${ST_DEMO_ROWS:-2000}"
tag_filter=()
if [ -n "${ST_TAGS:-}" ]; then
  tag_filter=(--include-tag-regex "$ST_TAGS")
fi
report_dir="$root/target/ci/schemathesis-report"
rm -rf "$report_dir"
mkdir -p "$report_dir"

work="$(mktemp -d)"
log="$report_dir/tspot.log"
port="$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
# Random per run: the admin password must appear nowhere in the spec (see hooks.py).
export TSPOT_ADMIN_PASSWORD="st-$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(18))')"
export TSPOT_TRUSTED_AUTH_SECRET="$("$venv/bin/python" -c 'import uuid; print(uuid.uuid4())')"
# The fuzzer guesses passwords and the trusted-authentication secret by the thousand from one
# address; sign-in throttling (tested in the e2e suite) would only make its later valid calls wait.
export TSPOT_SIGN_IN_FREE_FAILURES=1000000
# The spec's examples redirect to this host after a trusted-authentication sign-in.
export TSPOT_REDIRECT_HOSTS=analytics.example.com
TSPOT_LOG=info NO_COLOR=1 "$binary" serve --listen "127.0.0.1:$port" --data-dir "$work/data" \
  --demo-rows "$demo_rows" >"$log" 2>&1 &
server=$!
stop_server() {
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server"
    wait "$server" || echo "tspot exited with status $? after SIGTERM" >&2
  fi
  rm -rf "$work"
}
trap stop_server EXIT

ready=no
for _ in $(seq 300); do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "tspot exited early:" >&2
    tail -n 40 "$log" >&2
    exit 3
  fi
  if "$venv/bin/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url/openapi.json" 2>/dev/null; then
    ready=yes
    break
  fi
  sleep 0.2
done
if [ "$ready" != yes ]; then
  echo "tspot did not answer on $url within 60 s:" >&2
  tail -n 40 "$log" >&2
  exit 3
fi

export TSPOT_URL="$url"
export SCHEMATHESIS_HOOKS="$root/tests/schemathesis/hooks.py"
# Run from target/ci so schemathesis' and hypothesis' caches (.schemathesis/, .hypothesis/) stay out of the tree.
mkdir -p "$root/target/ci/schemathesis-cwd"
cd "$root/target/ci/schemathesis-cwd"
status=0
"$venv/bin/schemathesis" --config-file "$root/tests/schemathesis/schemathesis.toml" --no-color run "$url/openapi.json" \
  --url "$url/callosum/v1" \
  "${tag_filter[@]}" \
  --checks all \
  --seed 20261127 \
  --max-examples 100 \
  --generation-database none \
  --request-timeout 30 \
  --continue-on-failure \
  --report junit \
  --report-dir "$report_dir" \
  "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "schemathesis failed (status $status); the server log is $log, the JUnit report in $report_dir" >&2
fi
exit "$status"
