#!/usr/bin/env bash
# The published document as a strict validator reads it: openapi-core checks the product
# documentation's own request examples and the requests the Python library thoughtspot-rest-api-v1
# sends (captured without a server) against dist/thoughtspot-v1.yaml. Requests that follow the
# documentation must validate; the library's deviations must not, and dist/ must say so in words
# (tests/validation/test_requests.py). Needs no server and builds nothing.
# Installs tests/validation/requirements.txt (pinned) into target/ci/validation-venv, reused while
# that file is unchanged. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="$PWD/target/ci/validation-venv"
requirements=tests/validation/requirements.txt
if [ ! -x "$venv/bin/pytest" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.installed"
fi
export PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/python" -m pytest -p no:cacheprovider -ra tests/validation "$@"
