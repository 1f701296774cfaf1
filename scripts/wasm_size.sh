#!/usr/bin/env bash
# What the page's WebAssembly modules are made of: the largest functions and the bytes of each
# crate, read by twiggy from a build that still has its names (before wasm-opt strips them,
# target/wasm32-unknown-unknown/wasm-release/*.wasm). wasm-bindgen's `__wbindgen_describe_*`
# functions and the custom sections (names, wasm-bindgen's own) are left out: the shipped module
# has neither. Sizes are twiggy's, uncompressed and before wasm-opt; the shipped sizes, gzip -9 of
# web/dist, follow when a trunk build is there.
#
#   scripts/wasm_size.sh                 build both modules, then list
#   WASM_SIZE_NO_BUILD=1 scripts/wasm_size.sh   list what is built already
#   WASM_SIZE_TOP=40 scripts/wasm_size.sh       more functions (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

command -v twiggy >/dev/null || scripts/setup.sh --size
if [[ -z "${WASM_SIZE_NO_BUILD:-}" ]]; then
  say "cargo build --profile wasm-release (cib-web, cib-worker)"
  # One crate at a time, as trunk builds them: built together, their core features would unify.
  cargo build -p cib-web --target wasm32-unknown-unknown --profile wasm-release
  cargo build -p cib-worker --target wasm32-unknown-unknown --profile wasm-release
fi

out=target/wasm32-unknown-unknown/wasm-release
for module in cib_web cib_worker; do
  wasm="$out/$module.wasm"
  [[ -f "$wasm" ]] || { echo "$wasm is not built" >&2; exit 1; }
  printf '\n%s (%s bytes with names)\n' "$module" "$(stat -c %s "$wasm")"
  twiggy top -f csv "$wasm" | python3 scripts/wasm_size.py "${WASM_SIZE_TOP:-20}"
done

if compgen -G "web/dist/*_bg.wasm" >/dev/null; then
  printf '\nshipped (web/dist, after wasm-opt), gzip -9:\n'
  for wasm in web/dist/*_bg.wasm; do
    printf '  %-40s %8s bytes, %8s gzipped\n' "$(basename "$wasm")" "$(stat -c %s "$wasm")" \
      "$(gzip -9c "$wasm" | wc -c)"
  done
fi
