# Sourced by the scripts: puts the tools that setup.sh installs on PATH.
export PATH="$HOME/.cargo/bin:${CIB_TOOLS:-$HOME/.cache/cib-tools}/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# The shipped WebAssembly should not carry this machine's paths (panic locations name source
# files); shorter paths are also a smaller module.
remap=""
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
  [[ -d "$dir" ]] && remap+=" --remap-path-prefix=$dir="
done
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/=$remap"
unset remap dir
