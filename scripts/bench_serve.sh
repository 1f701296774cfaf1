#!/usr/bin/env bash
# Load test of `cib serve` with wrk on loopback: a small file (the manifest) and a base installer,
# and, where nginx is installed, the same load on nginx serving the same files, and the ratio.
#
# Shared machines drift by a quarter within minutes, so the two hosts take turns: each round
# loads cib then nginx with each file, and the ratio is taken per round. The summary gives the
# mean requests/s over the rounds and the median of the per-round ratios.
#
#   scripts/bench_serve.sh                # 3 rounds of 10 s runs: 30 s per host and file
#   BENCH_ROUNDS=1 BENCH_DURATION=30 scripts/bench_serve.sh
#
# Settings (environment): BENCH_ROUNDS (3), BENCH_DURATION (seconds per run, 10),
# BENCH_CONNECTIONS (256), BENCH_THREADS (2), BENCH_INSTALLER_MB (size of the generated
# installer, 4), BENCH_TIMEOUT (seconds before wrk counts a request as failed, 10).
# Exits 1 when a run had errors (non-2xx answers or socket errors).
set -euo pipefail

rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-256}
threads=${BENCH_THREADS:-2}
installer_mb=${BENCH_INSTALLER_MB:-4}
# wrk's default of 2 s is too short here: 256 downloads of 4 MiB at loopback speed saturate wrk's
# own two threads, and a request waiting in wrk's backlog would count as a server error. The
# latency percentiles show what each host really does.
timeout=${BENCH_TIMEOUT:-10}
repo=$(cd "$(dirname "$0")/.." && pwd)

# shellcheck source=scripts/bench_lib.sh
source "$repo/scripts/bench_lib.sh"

# Always a copy: the host is tested on files it cannot disturb, and the benchmark gets an
# installer of realistic size even where the repository's are small demos.
site="$work/site"
installers="$work/base_installers"
mkdir -p "$site" "$installers"
printf '<!doctype html><title>bench</title>\n' >"$site/index.html"
if compgen -G "$repo/base_installers/*" >/dev/null; then
    cp "$repo"/base_installers/*.zip "$repo"/base_installers/*.tgz "$installers"/ 2>/dev/null || true
fi
head -c "$((installer_mb << 20))" /dev/urandom >"$installers/seattle_bench.zip"
big=/base_installers/seattle_bench.zip
small=/base_installers/manifest.json

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

peak_memory() {
    awk '/VmHWM/ {print $2 " " $3}' "/proc/$1/status"
}

errors=0
declare -A result # host.file -> "sum of requests/s over rounds, transfer/s, p99, max (last round)"
declare -A ratios # file -> the per-round cib/nginx ratios

echo "== starting cib serve"
"$cib" serve --addr 127.0.0.1:0 --site "$site" --base-installers "$installers" \
    >"$work/cib.out" 2>"$work/cib.log" &
cib_pid=$!
pids+=("$cib_pid")
for _ in $(seq 100); do grep -q Serving "$work/cib.out" 2>/dev/null && break; sleep 0.1; done
cib_url=$(sed -n 's/^Serving //p' "$work/cib.out")
[ -n "$cib_url" ] || { echo "cib serve did not start:" >&2; cat "$work/cib.log" >&2; exit 1; }
curl -fsS "${cib_url}base_installers/manifest.json" >"$work/manifest.json"

nginx_bin=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
nginx_url=""
if [ -n "$nginx_bin" ]; then
    port=$(free_port)
    mkdir -p "$work/nginx"
    cat >"$work/nginx/nginx.conf" <<EOF
# Ignored (with a warning) unless started as root; as root, workers must still read the files.
user $(id -un) $(id -gn);
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
    types {
        text/html html;
        application/json json;
        application/zip zip;
        application/gzip tgz gz;
    }
    access_log $work/nginx/access.log;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port;
        root $site;
        location = /base_installers/manifest.json { alias $work/manifest.json; }
        location /base_installers/ { alias $installers/; }
    }
}
EOF
    echo "== starting nginx ($nginx_bin) on port $port"
    "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>>"$work/nginx/stderr" &
    nginx_pid=$!
    pids+=("$nginx_pid")
    for _ in $(seq 100); do curl -fsS -o /dev/null "http://127.0.0.1:$port$small" 2>/dev/null && break; sleep 0.1; done
    nginx_url="http://127.0.0.1:$port/"
else
    echo "== nginx is not installed (apt-get install -y nginx-light): comparison skipped"
fi

# Adds one run's figures to result[host.file].
record() { # host file requests/s transfer/s errors p99 max
    local key=$1.$2 sum=0
    errors=$((errors + $5))
    [ -n "${result[$key]:-}" ] && sum=${result[$key]%% *}
    result[$key]="$(awk -v a="$sum" -v b="$3" 'BEGIN {print a + b}') $4 $6 $7"
}

for round in $(seq "$rounds"); do
    for kind in small big; do
        path=$small
        [ "$kind" = big ] && path=$big
        declare -A this=()
        for host in cib nginx; do
            url=$cib_url
            [ "$host" = nginx ] && url=$nginx_url
            [ -n "$url" ] || continue
            echo "== round $round/$rounds, $host, $kind file ($path), ${duration}s, $connections connections" >&2
            r=$(load "$url${path#/}")
            # shellcheck disable=SC2086 # the figures are words on purpose
            record "$host" "$kind" $r
            this[$host]=${r%% *}
        done
        if [ -n "$nginx_url" ]; then
            ratio=$(awk -v c="${this[cib]}" -v n="${this[nginx]}" 'BEGIN {printf "%.2f", c / n}')
            ratios[$kind]="${ratios[$kind]:-} $ratio"
            echo "   round $round, $kind file: cib/nginx $ratio" >&2
        fi
    done
done
cib_memory=$(peak_memory "$cib_pid")
if [ -n "$nginx_url" ]; then
    # The workers do the serving; their peaks are summed.
    nginx_memory=$(for p in $(pgrep -P "$nginx_pid") "$nginx_pid"; do awk '/VmHWM/ {print $2}' "/proc/$p/status"; done |
        awk '{s += $1} END {print s " kB"}')
fi

echo
echo "== results: $rounds rounds of ${duration}s per host and file, $connections connections," \
    "$threads wrk threads, wrk timeout ${timeout}s, loopback, $(nproc) cores"
printf '%-8s %-6s %12s %12s %10s %10s\n' host file 'requests/s' 'transfer/s' 'p99' 'max'
for key in cib.small cib.big nginx.small nginx.big; do
    [ -n "${result[$key]:-}" ] || continue
    # shellcheck disable=SC2086
    set -- ${result[$key]}
    mean=$(awk -v s="$1" -v n="$rounds" 'BEGIN {printf "%.0f", s / n}')
    printf '%-8s %-6s %12s %12s %10s %10s\n' "${key%%.*}" "${key#*.}" "$mean" "$2" "$3" "$4"
done
echo "requests/s: mean over the rounds; transfer/s, p99, max: the last round"
echo "errors (non-2xx answers and socket errors, all runs): $errors"
echo "cib peak memory (VmHWM): $cib_memory"
if [ -n "$nginx_url" ]; then
    echo "nginx peak memory (VmHWM, master and workers): $nginx_memory"
    for kind in small big; do
        echo "cib/nginx requests/s, $kind file: median $(echo "${ratios[$kind]}" | median)" \
            "(rounds:${ratios[$kind]})"
    done
fi
if [ "$errors" -ne 0 ]; then
    echo "FAILED: $errors errors" >&2
    exit 1
fi
