#!/usr/bin/env bash
# Installs what building and testing cib need, skipping whatever is already there at the right
# version. `scripts/setup.sh` for building the page; `scripts/setup.sh --test` adds what the
# tests need (Chromium and its driver, bsdtar, pigz and nginx-light from Debian, the page tests' npm packages);
# `scripts/setup.sh --size` adds twiggy, which scripts/wasm_size.sh reads the modules with.
# Nothing here lets a tool download its own browser or binaries: that fails on this network.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
TWIGGY_VERSION=0.8.0
# Must equal the wasm-bindgen crate pinned in web/Cargo.toml.
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132
TOOLS="${CIB_TOOLS:-$HOME/.cache/cib-tools}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

need_apt=()
for tool in gzip tar unzip python3; do
  command -v "$tool" >/dev/null || need_apt+=("$tool")
done
if [[ "${1:-}" == "--test" ]]; then
  [[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
  [[ -x /usr/bin/chromedriver ]] || need_apt+=(chromium-driver)
  # Foreign tar.gz base installers in the tests are made by other tools too.
  command -v bsdtar >/dev/null || need_apt+=(libarchive-tools)
  command -v pigz >/dev/null || need_apt+=(pigz)
  # The export's page test serves it with nginx (its own config, on a loopback port).
  [[ -x /usr/sbin/nginx ]] || need_apt+=(nginx-light)
  # The XML-RPC tests also call the host from Python 2.7's xmlrpclib, as old clearinghouses do.
  [[ -f /usr/share/java/jython.jar ]] || need_apt+=(jython)
  [[ -f /usr/share/java/xercesImpl.jar ]] || need_apt+=(libxerces2-java)
fi
if ((${#need_apt[@]})); then
  say "apt-get install ${need_apt[*]}"
  sudo_cmd=""; [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

if [[ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]]; then
  say "cargo install trunk $TRUNK_VERSION (about 10 minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION" --quiet
fi
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]]; then
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 4 minutes)"
  # Without --locked: the locked set asks for a webpki-roots the registry no longer serves.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force --quiet
fi

# wasm-opt from npm's binaryen: Debian's (version 108) builds modules that fail at start-up.
if [[ "$("$TOOLS/node_modules/.bin/wasm-opt" --version 2>/dev/null)" != *"version $BINARYEN_VERSION"* ]]; then
  say "npm install binaryen@$BINARYEN_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

if [[ "${1:-}" == "--size" && "$(twiggy --version 2>/dev/null)" != "twiggy-opt $TWIGGY_VERSION" ]]; then
  say "cargo install twiggy $TWIGGY_VERSION (about 2 minutes)"
  cargo install --locked twiggy --version "$TWIGGY_VERSION" --quiet
fi

if [[ "${1:-}" == "--test" && -f tests/page/package.json ]]; then
  if [[ ! -d tests/page/node_modules ]] || [[ tests/page/package-lock.json -nt tests/page/node_modules ]]; then
    say "npm ci in tests/page"
    (cd tests/page && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
fi
