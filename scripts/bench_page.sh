#!/usr/bin/env bash
# The page's benchmark (not a test): builds the page and the release `cib`, makes large base
# installers (a ~50 MB and a ~5 MB zip, a ~15 MB foreign tar.gz and a ~5 MB one laid out by cib)
# from generated Seattle trees
# of many small text files and some random blobs, serves them with `cib serve` on loopback, and
# runs tests/page/bench.mjs in headless Chromium. Prints a table of figures against the targets,
# after the modules' largest parts (scripts/wasm_size.sh).
#
#   scripts/bench_page.sh            build, then measure
#   BENCH_NO_BUILD=1 scripts/bench_page.sh   measure what is built already (BENCH_CIB=path: another cib)
#   BENCH_KEYGEN_ONLY=1 scripts/bench_page.sh   key generation only (every size, both ways),
#                                               against the repository's base_installers/
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [[ -z "${BENCH_NO_BUILD:-}" ]]; then
  scripts/setup.sh --test
  say "cargo build --release --bin cib"
  cargo build --release --bin cib
  say "trunk build --release (web/dist)"
  (cd web && trunk build --release)
fi
CIB="${BENCH_CIB:-$PWD/target/release/cib}"

say "what the page's modules are made of (scripts/wasm_size.sh)"
WASM_SIZE_NO_BUILD=1 scripts/wasm_size.sh

work="$(mktemp -d "${TMPDIR:-/tmp}/cib-bench.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ -n "${BENCH_KEYGEN_ONLY:-}" ]]; then
  bases="$PWD/base_installers"
else
say "generating Seattle trees and packing base installers in $work"
# tree NAME TEXT_FILES BLOB_MB: demo/seattle's scripts, TEXT_FILES small Python-like text files
# (1 to 8 kB, compressible) in seattle/seattle_repy/ and below, and BLOB_MB of random bytes in
# 1 MB files. Seeded, so every run measures the same archives.
tree() {
  python3 - "$work/$1" "$2" "$3" <<'PY'
import os, random, shutil, sys
root, texts, blob_mb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(20261126)
shutil.copytree("demo/seattle", os.path.join(root, "seattle"))
repy = os.path.join(root, "seattle", "seattle_repy")
words = ("def return import self if else for while in not and or None True False try except "
         "raise class lambda with as yield pass break continue print len range dict list str "
         "int float open read write socket timer lock vessel resource node key signed nonce").split()
for i in range(texts):
    folder = os.path.join(repy, "lib%02d" % (i % 40)) if i % 3 else repy
    os.makedirs(folder, exist_ok=True)
    lines = []
    for _ in range(rng.randint(25, 200)):
        indent = "    " * rng.randint(0, 3)
        lines.append(indent + " ".join(rng.choice(words) for _ in range(rng.randint(2, 9))))
    with open(os.path.join(folder, "module_%04d.py" % i), "w") as f:
        f.write("\n".join(lines) + "\n")
blobs = os.path.join(repy, "blobs")
os.makedirs(blobs, exist_ok=True)
for i in range(blob_mb):
    with open(os.path.join(blobs, "blob_%03d.bin" % i), "wb") as f:
        f.write(rng.randbytes(1 << 20))
PY
  "$CIB" pack-base-installers "$work/$1" --out "$work/$1.out" 2>/dev/null
}
tree big 3000 46     # the ~50 MB zip
tree mid 3000 11     # the ~15 MB tar.gz
tree small 600 4     # the ~5 MB zip and tar.gz
bases="$work/base_installers"
mkdir -p "$bases"
cp "$work/big.out/seattle_win.zip" "$bases/seattle_win.zip"
# A foreign tar.gz (one gzip member, as GNU tar + gzip make them), not laid out by cib.
gzip -cd "$work/mid.out/seattle_linux.tgz" | gzip -6 -n >"$bases/seattle_linux.tgz"
cp "$work/small.out/seattle_android.zip" "$bases/seattle_android.zip"
cp "$work/small.out/seattle_mac.tgz" "$bases/seattle_mac.tgz"
rm -rf "$work/big" "$work/mid" "$work/small" "$work"/*.out
ls -l "$bases" | awk 'NR > 1 { printf "  %-22s %6.1f MB\n", $9, $5 / 1e6 }' >&2
fi

# The site as built, plus the baseline for first paint (not shipped): a plain static page with
# the same stylesheet and the same header, served by the same host.
site="$work/site"
cp -r web/dist "$site"
css="$(cd "$site" && ls style-*.css)"
cat >"$site/baseline.html" <<HTML
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Baseline</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="$css">
</head>
<body>
  <header class="page-header">
    <h1>Seattle custom installer builder</h1>
    <p>Make Seattle installers that give the share of a computer donated to the Seattle testbed to
      the people you choose. Everything happens in your browser.</p>
  </header>
</body>
</html>
HTML

say "cib serve on loopback"
"$CIB" serve --addr 127.0.0.1:0 --site "$site" --base-installers "$bases" --shutdown-grace 1 \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
url=""
for _ in $(seq 100); do
  url="$(grep -o 'http://127\.0\.0\.1:[0-9]*/' "$work/serve.out" || true)"
  [[ -n "$url" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 1; }
  sleep 0.1
done
[[ -n "$url" ]] || { echo "cib serve printed no URL" >&2; exit 1; }

say "measuring in headless Chromium ($url)"
node tests/page/bench.mjs "$url" --site "$site" ${BENCH_KEYGEN_ONLY:+--keygen-only}
