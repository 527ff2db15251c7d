#!/usr/bin/env bash
# Other languages, proven: generates three clients from the published dist/thoughtspot-v1.yaml, a
# Python client (openapi-generator, generator `python`), a TypeScript client (generator
# `typescript-fetch`, compiled with `tsc --strict`) and a Python client from openapi-python-client
# (httpx), installs them, starts `tspot serve` with the demo and runs EVERY operation through each,
# authenticated the way that generator's users do it (tests/bindings/python/test_openapi_generator.py,
# tests/bindings/python/test_openapi_python_client.py, tests/bindings/typescript/smoke.test.ts).
#
# Tools are pinned and installed under target/ci (reused while their pin files are unchanged):
# tests/bindings/python/requirements.txt into target/ci/bindings-venv, and tests/bindings/package.json
# with its package-lock.json into target/ci/bindings-node. openapi-generator runs on the machine's Java.
# Generated code goes to target/bindings (rewritten on every run, never committed); the generators
# get the spec as published, with no patching of their output: what they need belongs in the spec.
# Builds nothing: run `cargo build -p tspot` first (or point TSPOT_BIN at a binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
spec="$root/dist/thoughtspot-v1.yaml"
out="$root/target/bindings"

if ! command -v java >/dev/null; then
  echo "tests/bindings/run.sh: openapi-generator needs Java 17 or later (Debian: openjdk-17-jre-headless)" >&2
  exit 2
fi

venv="$root/target/ci/bindings-venv"
requirements=tests/bindings/python/requirements.txt
if [ ! -x "$venv/bin/openapi-generator-cli" ] || ! cmp -s "$requirements" "$venv/requirements.installed"; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.installed"
fi
node_tools="$root/target/ci/bindings-node"
if [ ! -x "$node_tools/node_modules/.bin/tsc" ] || ! cmp -s tests/bindings/package-lock.json "$node_tools/package-lock.json"; then
  rm -rf "$node_tools"
  mkdir -p "$node_tools"
  cp tests/bindings/package.json tests/bindings/package-lock.json "$node_tools/"
  npm ci --silent --no-audit --no-fund --prefix "$node_tools"
fi
tsc="$node_tools/node_modules/.bin/tsc"
version="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["info"]["version"])' dist/thoughtspot-v1.json)"
echo "openapi-generator $("$venv/bin/openapi-generator-cli" version), openapi-python-client $("$venv/bin/pip" show openapi-python-client | sed -n 's/^Version: //p'), tsc $("$tsc" --version), node $(node --version), spec $version"

rm -rf "$out"
mkdir -p "$out"
generate() { # GENERATOR OUTPUT_DIR ADDITIONAL_PROPERTIES
  if ! "$venv/bin/openapi-generator-cli" generate --input-spec "$spec" --generator-name "$1" --output "$2" \
    --global-property apiTests=false,modelTests=false,apiDocs=false,modelDocs=false \
    --additional-properties "$3" >"$out/generate-$1.log" 2>&1; then
    tail -n 40 "$out/generate-$1.log" >&2
    echo "openapi-generator $1 failed on $spec; the log is $out/generate-$1.log" >&2
    exit 1
  fi
  echo "generated $1 client in ${2#"$root/"}"
}

# Python: generate, then install into the venv (its dependencies are already there, pinned).
generate python "$out/python" "packageName=thoughtspot_v1,projectName=thoughtspot-v1,packageVersion=$version"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall "$out/python"

# openapi-python-client: generate (it formats its output with ruff, from the venv), then install.
if ! PATH="$venv/bin:$PATH" "$venv/bin/openapi-python-client" generate --path "$spec" \
  --output-path "$out/python-httpx" --meta setup --config tests/bindings/openapi-python-client.yaml \
  >"$out/generate-openapi-python-client.log" 2>&1; then
  tail -n 40 "$out/generate-openapi-python-client.log" >&2
  echo "openapi-python-client failed on $spec; the log is $out/generate-openapi-python-client.log" >&2
  exit 1
fi
if grep -q "^Warning" "$out/generate-openapi-python-client.log"; then
  cat "$out/generate-openapi-python-client.log" >&2
  echo "openapi-python-client left parts of $spec out (warnings above)" >&2
  exit 1
fi
echo "generated openapi-python-client client in ${out#"$root/"}/python-httpx"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --no-build-isolation --force-reinstall "$out/python-httpx"

# TypeScript: generate, compile with tsc --strict, pack, install the package into the smoke project
# and compile the smoke test against it, strictly too.
client="$out/typescript/thoughtspot-v1"
smoke="$out/typescript/smoke"
generate typescript-fetch "$client" "npmName=thoughtspot-v1,npmVersion=$version,supportsES6=true"
"$tsc" --project "$client/tsconfig.json" --strict
(cd "$client" && npm pack --silent --ignore-scripts --pack-destination "$out/typescript" >/dev/null)
mkdir -p "$smoke"
npm install --silent --no-save --ignore-scripts --offline --no-audit --no-fund --prefix "$smoke" \
  "$out/typescript/thoughtspot-v1-$version.tgz"
cp tests/bindings/typescript/smoke.test.ts "$smoke/"
"$tsc" --strict --target es2022 --module commonjs --moduleResolution node --lib es2022,dom \
  --types node --typeRoots "$node_tools/node_modules/@types" --outDir "$smoke" "$smoke/smoke.test.ts"
echo "compiled the TypeScript client and its smoke test with tsc --strict"

# shellcheck source=tests/bindings/start-tspot.sh
source tests/bindings/start-tspot.sh
start_tspot "$out/tspot.log"

status=0
echo "== Python clients: openapi-generator python, openapi-python-client (pytest)"
PYTHONDONTWRITEBYTECODE=1 "$venv/bin/python" -m pytest -p no:cacheprovider -ra tests/bindings/python || status=$?
echo "== TypeScript client (node --test)"
node --test "$smoke/smoke.test.js" || status=$?
if [ "$status" -ne 0 ]; then
  echo "a bindings smoke test failed; generated code is under $out, the server log is $out/tspot.log" >&2
fi
exit "$status"
