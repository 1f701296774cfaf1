# Shared by the wrk benchmarks (bench_serve.sh, bench_xmlrpc.sh); sourced, not run.
# Expects $repo, $threads, $connections, $duration and $timeout to be set.

if ! command -v wrk >/dev/null; then
    echo "wrk is missing: apt-get install -y wrk" >&2
    exit 1
fi

# A work folder, removed on exit with every process whose pid is added to `pids`.
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# CIB_BIN measures another build (an older one, to compare); by default the release build.
if [ -n "${CIB_BIN:-}" ]; then
    cib=$CIB_BIN
else
    echo "== building cib (release)"
    (cd "$repo" && cargo build --release --quiet --bin cib)
    cib="$repo/target/release/cib"
fi

# Prints "requests/s transfer/s errors p99 max" for one wrk run; the arguments go to wrk after
# the common ones (a URL, or `-s SCRIPT URL`). wrk's own report goes to stderr.
load() {
    local out non2xx socket
    out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout "${timeout}s" --latency "$@")
    echo "$out" | sed 's/^/    /' >&2
    non2xx=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
    socket=$(echo "$out" | awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }')
    echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') \
$(echo "$out" | awk '/Transfer\/sec/ {print $2}') $((${non2xx:-0} + ${socket:-0})) \
$(echo "$out" | awk '$1 == "99%" {print $2}') $(echo "$out" | awk '$1 == "Latency" {print $4}')"
}

# The median of the numbers on standard input, separated by spaces or lines.
median() {
    tr ' ' '\n' | grep . | sort -n |
        awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
