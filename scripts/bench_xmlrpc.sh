#!/usr/bin/env bash
# Load test of `cib serve --xmlrpc` with wrk on loopback:
# - `build_installers` calls per second: the clearinghouse's call (one 80% vessel, owner and user
#   keys given), the same call again and again as a donor's clicks are, and calls that each make a
#   new build (a record written and synced; a different user key in each);
# - the download of a customized installer against the plain download of its base installer,
#   from the same host in the same run, taking turns, for a tar.gz and a zip.
# The base installers are made here (`cib pack-base-installers`) from the demo tree plus an
# incompressible file, so they are of a realistic size.
#
#   scripts/bench_xmlrpc.sh
#   BENCH_ROUNDS=5 BENCH_DURATION=10 scripts/bench_xmlrpc.sh
#
# Settings (environment): BENCH_ROUNDS (3), BENCH_DURATION (seconds per run, 5),
# BENCH_CONNECTIONS (64), BENCH_THREADS (2), BENCH_INSTALLER_MB (4).
# Exits 1 when a run had errors (non-2xx answers or socket errors) or a call answered a fault.
set -euo pipefail

rounds=${BENCH_ROUNDS:-3}
duration=${BENCH_DURATION:-5}
connections=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
installer_mb=${BENCH_INSTALLER_MB:-4}
timeout=10
repo=$(cd "$(dirname "$0")/.." && pwd)

# shellcheck source=scripts/bench_lib.sh
source "$repo/scripts/bench_lib.sh"

echo "== making ${installer_mb} MiB base installers and two key pairs"
cp -r "$repo/demo" "$work/tree"
head -c "$((installer_mb << 20))" /dev/urandom >"$work/tree/seattle/seattle_repy/payload.bin"
"$cib" pack-base-installers "$work/tree" --out "$work/base_installers" >/dev/null
"$cib" keygen owner --out "$work/keys" >/dev/null
"$cib" keygen user --out "$work/keys" >/dev/null
mkdir -p "$work/site"
printf '<!doctype html><title>bench</title>\n' >"$work/site/index.html"

echo "== starting cib serve --xmlrpc"
"$cib" serve --addr 127.0.0.1:0 --site "$work/site" --base-installers "$work/base_installers" \
    --xmlrpc "$work/state" >"$work/cib.out" 2>"$work/cib.log" &
cib_pid=$!
pids+=("$cib_pid")
for _ in $(seq 100); do grep -q Serving "$work/cib.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^Serving //p' "$work/cib.out")
[ -n "$url" ] || { echo "cib serve did not start:" >&2; cat "$work/cib.log" >&2; exit 1; }

# The call's body exactly as Python's xmlrpc.client writes it, and the installer URLs it gives.
python3 - "$url" "$work" <<'PY'
import sys, xmlrpc.client
url, work = sys.argv[1], sys.argv[2]
key = lambda name: open(f"{work}/keys/{name}.publickey").read().strip()
args = ([{"percentage": 80, "owner": "owner", "users": ["user"]}],
        {"owner": {"public_key": key("owner")}, "user": {"public_key": key("user")}})
open(f"{work}/call.xml", "w").write(xmlrpc.client.dumps(args, "build_installers"))
# For new builds: the user's modulus with its last 9 digits left to the Lua script, which makes
# each request's odd and different (the core checks a key's form, not that n has two factors).
e, n = key("user").split()
users = {"owner": args[1]["owner"], "user": {"public_key": f"{e} {n[:-9]}XXXXXXXXX"}}
open(f"{work}/new.xml", "w").write(xmlrpc.client.dumps((args[0], users), "build_installers"))
answer = xmlrpc.client.ServerProxy(url + "custom_install/xmlrpc/").build_installers(*args)
for platform in ("linux", "windows"):
    open(f"{work}/{platform}.url", "w").write(answer["installers"][platform])
PY
cat >"$work/call.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "text/xml"
local f = io.open("$work/call.xml", "rb")
wrk.body = f:read("*a")
f:close()
EOF
cat >"$work/new.lua" <<EOF
local f = io.open("$work/new.xml", "rb")
local template = f:read("*a")
f:close()
local threads = 0
function setup(thread)
    threads = threads + 1
    thread:set("id", threads)
end
-- The round, the thread and a count: no two requests of a run alike.
local round = tonumber(os.getenv("BENCH_ROUND")) % 10
local count = 0
function request()
    count = count + 1
    local digits = string.format("%d%d%06d1", round, id % 10, count % 1000000)
    local body = template:gsub("XXXXXXXXX", digits)
    return wrk.format("POST", nil, {["Content-Type"] = "text/xml"}, body)
end
EOF
# The files the installer URLs redirect to.
for platform in linux windows; do
    curl -fsS -o /dev/null -w '%{redirect_url}' "$(cat "$work/$platform.url")" >"$work/$platform.file"
done
answer=$(curl -fsS -H 'Content-Type: text/xml' --data-binary @"$work/call.xml" "${url}custom_install/xmlrpc/")
if echo "$answer" | grep -q faultCode; then
    echo "the call answers a fault: $answer" >&2
    exit 1
fi

errors=0
calls=""
new_calls=""
declare -A ratios plain custom
for round in $(seq "$rounds"); do
    echo "== round $round/$rounds: build_installers, ${duration}s, $connections connections" >&2
    r=$(load -s "$work/call.lua" "${url}custom_install/xmlrpc/")
    errors=$((errors + $(echo "$r" | cut -d' ' -f3)))
    calls="$calls ${r%% *}"
    echo "== round $round/$rounds: build_installers, each call a new build" >&2
    r=$(BENCH_ROUND=$round load -s "$work/new.lua" "${url}custom_install/xmlrpc/")
    errors=$((errors + $(echo "$r" | cut -d' ' -f3)))
    new_calls="$new_calls ${r%% *}"
    for platform in linux windows; do
        base_path="base_installers/$(basename "$(cat "$work/$platform.file")")"
        echo "== round $round/$rounds: $platform, plain base installer" >&2
        p=$(load "$url$base_path")
        echo "== round $round/$rounds: $platform, customized installer" >&2
        c=$(load "$(cat "$work/$platform.file")")
        errors=$((errors + $(echo "$p" | cut -d' ' -f3) + $(echo "$c" | cut -d' ' -f3)))
        plain[$platform]="${plain[$platform]:-} ${p%% *}"
        custom[$platform]="${custom[$platform]:-} ${c%% *}"
        ratio=$(awk -v c="${c%% *}" -v p="${p%% *}" 'BEGIN {printf "%.2f", c / p}')
        ratios[$platform]="${ratios[$platform]:-} $ratio"
        echo "   round $round, $platform: customized/plain $ratio" >&2
    done
done

echo
echo "== results: $rounds rounds of ${duration}s per run, $connections connections, $threads wrk" \
    "threads, loopback, $(nproc) cores, ${installer_mb} MiB installers"
echo "build_installers calls/s, the same call: median $(echo "$calls" | median) (rounds:$calls)"
echo "build_installers calls/s, each a new build: median $(echo "$new_calls" | median)" \
    "(rounds:$new_calls; $(find "$work/state" -type f | wc -l) records written)"
for platform in linux windows; do
    echo "$platform downloads/s: plain median $(echo "${plain[$platform]}" | median)" \
        "(rounds:${plain[$platform]}), customized median $(echo "${custom[$platform]}" | median)" \
        "(rounds:${custom[$platform]})"
    echo "$platform customized/plain: median $(echo "${ratios[$platform]}" | median)" \
        "(rounds:${ratios[$platform]})"
done
echo "cib peak memory (VmHWM): $(awk '/VmHWM/ {print $2 " " $3}' "/proc/$cib_pid/status")"
echo "errors (non-2xx answers and socket errors, all runs): $errors"
if [ "$errors" -ne 0 ]; then
    echo "FAILED: $errors errors" >&2
    exit 1
fi
