#!/usr/bin/env bash
# thoughtspot-tml (the Python TML library) against what tspot-tml writes.
# Installs the pinned requirements into target/ci/tmlvenv (reused while requirements.txt is unchanged).
#   tests/tml/run.sh            field order of the model vs the library's dataclasses, the hand-written
#                               samples, then the Rust test that writes every sample back (YAML and
#                               JSON) into a temporary directory and runs check_tml.py over it
#   tests/tml/run.sh DIR...     check_tml.py over the *.tml files under DIR...
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="$PWD/target/ci/tmlvenv"
requirements=tests/tml/requirements.txt
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.installed"
fi
export PYTHONDONTWRITEBYTECODE=1
if [ "$#" -gt 0 ]; then
  exec "$venv/bin/python" tests/tml/check_tml.py "$@"
fi
"$venv/bin/python" tests/tml/check_field_order.py
"$venv/bin/python" tests/tml/check_tml.py crates/tspot-tml/samples
TSPOT_TML_CHECK="$venv/bin/python" cargo test -p tspot-tml --test python_compat -- --nocapture
