#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every test: the core's unit and
# property tests, the CLI and host tests, the page's pure modules natively, the core's wasm32
# build, the wasm API's tests in headless Chromium, and the whole page in headless Chromium
# against the real `cib serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh --test

step() { printf '\n\033[1m==> %s\033[0m\n' "$1" >&2; shift; "$@"; }

step "core, CLI and host tests" cargo test --workspace --exclude cib-web --exclude cib-worker
step "README.md and docs/: every link resolves, every command shown exists" \
  bash -c 'python3 scripts/check_docs.py --self-test && CIB_BIN="$PWD/target/debug/cib" python3 scripts/check_docs.py'
step "the page's rules, natively (its actions, update, state and chosen base installers)" \
  cargo test -p cib-web --lib
step "the core builds for wasm32-unknown-unknown unchanged" \
  cargo build -p cib-core --target wasm32-unknown-unknown --release
step "the wasm API and the worker module in headless Chromium (wasm-bindgen-test)" \
  env WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" \
  cargo test -p cib-web -p cib-worker --target wasm32-unknown-unknown --release
step "build the page" bash -c 'cd web && trunk build --release'
if [[ -f tests/page/package.json ]]; then
  step "the page in headless Chromium against cib serve" \
    env CIB_BIN="$PWD/target/debug/cib" node --test --test-concurrency=1 tests/page/
fi
