# Sourced by the scripts: puts the tools that setup.sh installs on PATH.
export PATH="$HOME/.cargo/bin:${CIB_TOOLS:-$HOME/.cache/cib-tools}/node_modules/.bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
