# Sourced by tests/bindings/run.sh and tests/browser/run.sh: start_tspot LOG_FILE starts `tspot serve`
# on a free loopback port with a temporary data directory, a random admin password and the demo
# (TSPOT_DEMO_ROWS sales rows, default 2000) and a random trusted-authentication secret, waits until
# it answers, exports TSPOT_URL, TSPOT_ADMIN_PASSWORD and TSPOT_TRUSTED_AUTH_SECRET, and stops the
# server (and removes the data) when the calling shell exits.
# Builds nothing: it runs TSPOT_BIN, default target/debug/tspot (`cargo build -p tspot`).

start_tspot() {
  local log="$1"
  local binary="${TSPOT_BIN:-$PWD/target/debug/tspot}"
  if [ ! -x "$binary" ]; then
    echo "no tspot binary at $binary; run 'cargo build -p tspot' first (or set TSPOT_BIN)" >&2
    exit 2
  fi
  tspot_work="$(mktemp -d)"
  local port
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  TSPOT_URL="http://127.0.0.1:$port"
  TSPOT_ADMIN_PASSWORD="bindings-$(python3 -c 'import secrets; print(secrets.token_urlsafe(12))')"
  TSPOT_TRUSTED_AUTH_SECRET="$(python3 -c 'import uuid; print(uuid.uuid4())')"
  export TSPOT_URL TSPOT_ADMIN_PASSWORD TSPOT_TRUSTED_AUTH_SECRET
  mkdir -p "$(dirname "$log")"
  TSPOT_LOG=info NO_COLOR=1 "$binary" serve --listen "127.0.0.1:$port" --data-dir "$tspot_work/data" \
    --admin-password "$TSPOT_ADMIN_PASSWORD" --demo-rows "${TSPOT_DEMO_ROWS:-2000}" >"$log" 2>&1 &
  tspot_pid=$!
  trap stop_tspot EXIT
  local _
  for _ in $(seq 300); do
    if ! kill -0 "$tspot_pid" 2>/dev/null; then
      echo "tspot exited early:" >&2
      tail -n 40 "$log" >&2
      exit 3
    fi
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
      "$TSPOT_URL/openapi.json" 2>/dev/null; then
      echo "tspot serve is up at $TSPOT_URL (log: $log)"
      return 0
    fi
    sleep 0.2
  done
  echo "tspot did not answer on $TSPOT_URL within 60 s:" >&2
  tail -n 40 "$log" >&2
  exit 3
}

stop_tspot() {
  if [ -n "${tspot_pid:-}" ] && kill -0 "$tspot_pid" 2>/dev/null; then
    kill -TERM "$tspot_pid"
    wait "$tspot_pid" || echo "tspot exited with status $? after SIGTERM" >&2
  fi
  rm -rf "${tspot_work:-}"
}
