#!/usr/bin/env bash
# The community Python library thoughtspot-rest-api-v1, unmodified, against `tspot serve`.
# Builds nothing: run `cargo build -p tspot` first (or point TSPOT_BIN at a binary).
# Installs the pinned requirements into target/ci/pyvenv (reused while requirements.txt is unchanged)
# and exits with pytest's status. Extra arguments go to pytest (e.g. `-k trusted -x`).
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="$PWD/target/ci/pyvenv"
requirements=tests/python/requirements.txt
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.installed"
fi
export TSPOT_BIN="${TSPOT_BIN:-$PWD/target/debug/tspot}"
if [ ! -x "$TSPOT_BIN" ]; then
  echo "tests/python/run.sh: no tspot binary at $TSPOT_BIN; run 'cargo build -p tspot' first" >&2
  exit 2
fi
export PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/python" -m pytest -p no:cacheprovider -ra tests/python "$@"
