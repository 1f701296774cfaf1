#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the page and `cib`, and serves the
# builder with the demo base installers on http://127.0.0.1:8080 (ADDR=host:port to change it).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
scripts/setup.sh
(cd web && trunk build --release)
cargo build --release --bin cib
exec target/release/cib serve --addr "${ADDR:-127.0.0.1:8080}" --site web/dist --base-installers base_installers
