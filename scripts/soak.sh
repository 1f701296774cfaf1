#!/usr/bin/env bash
# The host under faults for SECONDS (default 60), on loopback only: the release `cib serve
# --xmlrpc` under wrk at 256 connections on the page, the manifest and an installer, slow
# clients, clients that quit mid-download, ranges past the end, a base installer replaced,
# written over and truncated while downloaded, and concurrent `build_installers` calls (scripts/soak.py says
# what is checked). Prints one line per check and the figures; exits 1 if a check failed.
#
#   scripts/soak.sh          # 60 s
#   scripts/soak.sh 300
#
# `cargo test -p cib --test serve_soak` (cli/tests/serve_soak.rs) runs the same checks for 4 s, with Python clients instead of wrk.
set -euo pipefail
seconds=${1:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        apt-get install -y wrk >/dev/null
    fi
fi
load=()
if command -v wrk >/dev/null; then
    load=(--wrk)
else
    echo "wrk is missing (apt-get install -y wrk): the load comes from Python clients" >&2
fi

echo "== building cib (release)"
(cd "$repo" && cargo build --release --quiet --bin cib)
exec python3 "$repo/scripts/soak.py" --cib "$repo/target/release/cib" --repo "$repo" \
    --seconds "$seconds" "${load[@]}"
