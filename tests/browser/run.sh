#!/usr/bin/env bash
# The Swagger portal (/external/swagger), tried for real in headless Chromium: starts `tspot serve`
# with the demo and runs tests/browser/swagger.test.cjs with `node --test` (Try it out on
# session/login, then on user/list, which must show tsadmin). The screenshots, CI artifacts, are
# target/browser/swagger.png (the user/list call and its response) and swagger-full.png (the page).
#
# Chromium is Debian's package (/usr/bin/chromium), installed here with apt-get when missing (CI runs
# as root); playwright-core drives it and downloads no browser. playwright-core is pinned by
# tests/browser/package.json and package-lock.json, installed into target/ci/browser-node (reused
# while the lock file is unchanged).
# Builds nothing: run `cargo build -p tspot` first (or point TSPOT_BIN at a binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "tests/browser/run.sh: /usr/bin/chromium is missing; install Debian's chromium package" >&2
    exit 2
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
tools="$root/target/ci/browser-node"
if [ ! -d "$tools/node_modules/playwright-core" ] || ! cmp -s tests/browser/package-lock.json "$tools/package-lock.json"; then
  rm -rf "$tools"
  mkdir -p "$tools"
  cp tests/browser/package.json tests/browser/package-lock.json "$tools/"
  npm ci --silent --no-audit --no-fund --prefix "$tools"
fi
echo "$(/usr/bin/chromium --version 2>/dev/null), playwright-core $(node -p 'require(process.argv[1]).version' "$tools/node_modules/playwright-core/package.json")"

mkdir -p "$root/target/browser"
rm -f "$root/target/browser/"swagger*.png
# shellcheck source=tests/bindings/start-tspot.sh
source tests/bindings/start-tspot.sh
start_tspot "$root/target/browser/tspot.log"

status=0
NODE_PATH="$tools/node_modules" node --test tests/browser/swagger.test.cjs || status=$?
if [ -f "$root/target/browser/swagger.png" ]; then
  echo "screenshots: target/browser/swagger.png (the user/list call), target/browser/swagger-full.png"
fi
if [ "$status" -ne 0 ]; then
  echo "the Swagger portal test failed; see target/browser/swagger.png and target/browser/tspot.log" >&2
fi
exit "$status"
