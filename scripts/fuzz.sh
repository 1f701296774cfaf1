#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (cargo-fuzz, nightly): scripts/fuzz.sh [TARGET] [SECONDS]
# runs one target, or every target one after another, for SECONDS each (default 60), then prints
# per target: executions, executions per second, edges covered (libFuzzer's `cov:`), peak memory
# and crashes. New inputs go into fuzz/corpus/TARGET/ (minimize them with
# `cargo +nightly fuzz cmin TARGET` before committing); a crash is saved in fuzz/artifacts/TARGET/.
# Not part of the test command: scripts/test.sh replays the saved inputs on stable instead.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -f scripts/env.sh ]] && source scripts/env.sh

TARGETS=(description public_key private_key manifest share_link xmlrpc zip zip_tail tar_gz)
only="${1:-all}"
seconds="${2:-60}"
if [[ "$only" != all ]] && [[ ! " ${TARGETS[*]} " == *" $only "* ]]; then
  echo "fuzz.sh: no target $only; the targets: ${TARGETS[*]} (or all)" >&2
  exit 2
fi
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: SECONDS must be a whole number above 0, not $seconds" >&2
  exit 2
fi

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

dict_of() {
  case "$1" in
    description | manifest) echo json ;;
    public_key | private_key) echo keys ;;
    share_link) echo share_link ;;
    xmlrpc) echo xml ;;
    zip | zip_tail) echo zip ;;
    tar_gz) echo tar ;;
  esac
}

cd fuzz
nice -n 10 cargo +nightly fuzz build
logs=logs
mkdir -p "$logs"
failed=0
for target in "${TARGETS[@]}"; do
  [[ "$only" == all || "$only" == "$target" ]] || continue
  mkdir -p "corpus/$target" "artifacts/$target"
  before=$(find "artifacts/$target" -type f | wc -l)
  echo "==> $target for ${seconds}s" >&2
  status=0
  # Not under `nice`: a fuzzer starved by other work reports libFuzzer timeouts that are no bug.
  cargo +nightly fuzz run "$target" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=1 -rss_limit_mb=2048 \
    -dict="dict/$(dict_of "$target").dict" -print_final_stats=1 \
    >"$logs/$target.log" 2>&1 || status=$?
  crashes=$(( $(find "artifacts/$target" -type f | wc -l) - before ))
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$target.log" | tail -1)
  per_second=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$target.log" | tail -1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$logs/$target.log" | tail -1)
  edges=$(grep -o 'cov: [0-9]*' "$logs/$target.log" | tail -1 | cut -d' ' -f2)
  printf '%-12s executions %-10s exec/s %-7s edges %-6s peak %s MB  crashes %s\n' \
    "$target" "${executions:-?}" "${per_second:-?}" "${edges:-?}" "${rss:-?}" "$crashes"
  if (( status != 0 || crashes > 0 )); then
    failed=1
    echo "    $target failed (status $status); its log: $logs/$target.log" >&2
    grep -m3 -E 'panicked at|ERROR: libFuzzer|SUMMARY' "$logs/$target.log" | sed 's/^/    /' >&2 || true
  fi
done
exit "$failed"
