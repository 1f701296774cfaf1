#!/usr/bin/env python3
"""`cib serve --xmlrpc` under faults, on loopback, for SECONDS; standard library only.

    soak.py --cib BIN --repo DIR [--seconds 60] [--wrk] [--header-timeout S]

All at once: load on the page, the manifest and an installer (wrk at 256 connections with
--wrk, else Python keep-alive clients); clients sending their headers a byte a second; clients
that close mid-download; ranges past the end; a base installer replaced (renamed over) and
written over and truncated in place while it is downloaded; concurrent `build_installers` calls whose installers
are downloaded. Then: the host alive, no panic in its log, its peak RSS, requests per second,
every completed download's SHA-256 equal to a version the file really had, the manifest equal
to the files once writes settle, a clean exit on SIGTERM. Prints one line per check and
`N passed, N failed`; exits 1 if any failed.
"""

import argparse
import hashlib
import http.client
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.parse
import xmlrpc.client
import zipfile

PLATFORM_FILES = {
    "linux": "seattle_linux.tgz",
    "mac": "seattle_mac.tgz",
    "windows": "seattle_win.zip",
    "android": "seattle_android.zip",
}
# The base installer that changes while downloaded, and the one that does not.
MOVING = "seattle_linux.tgz"
STEADY = "seattle_win.zip"
VESSELINFO = "seattle/seattle_repy/vesselinfo"

results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    results["passed" if condition else "failed"] += 1
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else f" {detail}"), flush=True)


class Counts:
    """Counters shared by the client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}
        self.problems = []

    def add(self, name, n=1):
        with self.lock:
            self.values[name] = self.values.get(name, 0) + n

    def problem(self, what):
        with self.lock:
            if len(self.problems) < 20:
                self.problems.append(what)
            self.values["problems"] = self.values.get("problems", 0) + 1

    def get(self, name):
        return self.values.get(name, 0)


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, **kwargs)


def make_bases(cib, repo, work):
    """Three versions of a 4 MiB base installer (the demo tree with a different padding file),
    packed by cib so each is a real installer, and the repository's others."""
    versions = []
    for i in range(3):
        tree = os.path.join(work, f"tree{i}")
        shutil.copytree(os.path.join(repo, "demo"), tree)
        with open(os.path.join(tree, "seattle", "padding.bin"), "wb") as f:
            f.write(os.urandom(4 << 20))
        out = os.path.join(work, f"packed{i}")
        run(cib, "pack-base-installers", tree, "--out", out)
        versions.append(out)
    return versions


class Host:
    def __init__(self, cib, work, header_timeout):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(work, "cib.log")
        self.log = open(self.log_path, "wb")
        args = [cib, "serve", "--addr", f"127.0.0.1:{self.port}",
                "--site", os.path.join(work, "site"),
                "--base-installers", os.path.join(work, "base_installers"),
                "--xmlrpc", os.path.join(work, "state"), "--public-url", self.url]
        if header_timeout:
            args += ["--header-timeout", str(header_timeout)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=self.log)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("cib serve did not start: " + open(self.log_path).read())

    def alive(self):
        return self.process.poll() is None

    def peak_rss_mb(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0


def get(port, path, headers=None, timeout=30):
    """One GET on a new connection: (status, headers, body, complete)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        try:
            body = response.read()
            complete = True
        except http.client.IncompleteRead as short:
            body, complete = short.partial, False
        return response.status, response.headers, body, complete
    finally:
        connection.close()


class Moving:
    """The base installer replaced, written over and truncated while it is downloaded. Its
    content is always a prefix of one of the versions (a replacement puts a whole one, a
    truncation shortens it, a write over it passes through its prefixes), so every content it
    ever had is remembered, and each completed download must be one of them."""

    def __init__(self, folder, versions):
        self.path = os.path.join(folder, MOVING)
        self.versions = [open(os.path.join(v, MOVING), "rb").read() for v in versions]
        self.lock = threading.Lock()
        # (version, length) of each content it had; and the versions written over it in place,
        # any prefix of which it had on the way.
        self.seen = set()
        self.written_in_place = set()
        self.now = None
        self.replace(0)
        self.changes = 0

    def replace(self, version):
        with self.lock:
            self.now = (version, len(self.versions[version]))
            self.seen.add(self.now)
        temporary = self.path + ".new"
        with open(temporary, "wb") as f:
            f.write(self.versions[version])
        os.rename(temporary, self.path)

    def write_over(self, version):
        """As `cp` does: the same file emptied, then written in 64 KiB pieces."""
        with self.lock:
            self.now = (version, len(self.versions[version]))
            self.written_in_place.add(version)
        data = self.versions[version]
        with open(self.path, "r+b") as f:
            f.truncate(0)
            for at in range(0, len(data), 64 << 10):
                f.write(data[at:at + (64 << 10)])
                f.flush()

    def truncate(self):
        version, length = self.now
        cut = random.randrange(length // 4, length)
        with self.lock:
            self.now = (version, cut)
            self.seen.add(self.now)
        os.truncate(self.path, cut)

    def was_real(self, data):
        with self.lock:
            seen = list(self.seen)
            written = list(self.written_in_place)
        return any(len(data) == length and data == self.versions[version][:length]
                   for version, length in seen) or any(
                       data == self.versions[version][:len(data)] for version in written)

    def loop(self, stop):
        while not stop.is_set():
            time.sleep(random.uniform(0.1, 0.4))
            change = random.random()
            if change < 1 / 3:
                self.truncate()
            elif change < 2 / 3:
                self.write_over(random.randrange(len(self.versions)))
            else:
                self.replace(random.randrange(len(self.versions)))
            self.changes += 1


def load_clients(port, paths, stop, counts, connections):
    """Keep-alive clients cycling over `paths` (the load when wrk is not used)."""

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = random.randrange(len(paths))
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                counts.add("load requests")
                if response.status != 200:
                    counts.problem(f"load {path}: {response.status}")
            except (OSError, http.client.HTTPException):
                counts.add("load reconnects")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.close()

    return [threading.Thread(target=client) for _ in range(connections)]


def wrk_load(url, paths, seconds, work):
    script = os.path.join(work, "paths.lua")
    with open(script, "w") as f:
        f.write("local paths = {" + ", ".join(f'"{p}"' for p in paths) + "}\n"
                "local i = 0\n"
                "request = function()\n  i = i + 1\n"
                "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n")
    return subprocess.Popen(
        ["wrk", "-t2", "-c256", f"-d{seconds}s", "--timeout", "10s", "-s", script, url + "/"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def slow_client(port, stop, counts):
    """Sends its request's headers a byte a second: the host must cut it off, not wait."""
    request = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
    while not stop.is_set():
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.settimeout(1)
            for byte in request:
                if stop.is_set():
                    counts.add("slow clients still sending at the end")
                    return
                try:
                    s.sendall(bytes([byte]))
                    s.recv(1024)  # waits the second; returns when the host answers or closes
                except socket.timeout:
                    continue
                except OSError:
                    pass
                counts.add("slow clients cut off")
                break
            else:
                counts.problem("a slow client's request was served whole")


def quitter(port, stop, counts):
    """Starts downloading an installer and closes the connection partway."""
    while not stop.is_set():
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(f"GET /base_installers/{MOVING} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            s.recv(random.randint(1, 64 << 10))
        counts.add("downloads abandoned")


def past_the_end(port, stop, counts, steady_len):
    while not stop.is_set():
        start = steady_len + random.randint(0, 1 << 20)
        status, _, _, _ = get(port, f"/base_installers/{STEADY}", {"Range": f"bytes={start}-"})
        counts.add("ranges past the end")
        if status != 416:
            counts.problem(f"range from {start} of {steady_len} bytes: {status}, not 416")
        status, headers, body, complete = get(
            port, f"/base_installers/{STEADY}", {"Range": f"bytes={steady_len - 10}-{start}"})
        if status != 206 or len(body) != 10:
            counts.problem(f"range over the end: {status}, {len(body)} bytes")


def downloader(port, stop, counts, moving, steady):
    while not stop.is_set():
        try:
            status, _, body, complete = get(port, f"/base_installers/{MOVING}")
        except (OSError, http.client.HTTPException):
            counts.add("moving downloads cut off")
            continue
        if status != 200:
            counts.add(f"moving downloads refused ({status})")
        elif not complete:
            counts.add("moving downloads cut off")
        elif moving.was_real(body):
            counts.add("moving downloads whole and real")
        else:
            counts.problem(f"a download of {MOVING} ({len(body)} bytes) is no version it had")
        status, _, body, complete = get(port, f"/base_installers/{STEADY}")
        if status == 200 and complete and sha256(body) == steady:
            counts.add("steady downloads whole and real")
        else:
            counts.problem(f"a download of {STEADY}: {status}, complete {complete}")


def holds_vesselinfo(name, data, owner):
    try:
        if name.endswith(".zip"):
            text = zipfile.ZipFile(io.BytesIO(data)).read(VESSELINFO)
        else:
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                text = tar.extractfile(VESSELINFO).read()
    except Exception:  # noqa: BLE001 - any unreadable archive is what this reports
        return False
    return f"Owner {owner}".encode() in text


def builder(url, port, stop, counts, keys, moving):
    proxy = xmlrpc.client.ServerProxy(url + "/custom_install/xmlrpc/")
    while not stop.is_set():
        owner, user = random.sample(keys, 2)
        vessels = [{"percentage": 80, "owner": "owner", "users": ["user"]}]
        users = {"owner": {"public_key": owner}, "user": {"public_key": user}}
        try:
            built = proxy.build_installers(vessels, users)
            urls = proxy.get_urls(built["build_id"])
        except (xmlrpc.client.Fault, OSError, xmlrpc.client.ProtocolError) as e:
            counts.problem(f"build_installers: {e}")
            continue
        counts.add("build_installers calls")
        platform = random.choice(sorted(urls))
        path = urllib.parse.urlparse(urls[platform]).path
        status, headers, _, _ = get(port, path)
        if status != 302:
            counts.problem(f"installer URL {path}: {status}")
            continue
        status, _, body, complete = get(port, urllib.parse.urlparse(headers["Location"]).path)
        name = PLATFORM_FILES[platform]
        if status == 200 and complete and holds_vesselinfo(name, body, owner):
            counts.add("customized downloads whole with their vesselinfo")
        elif name == MOVING and status != 200:
            # Its base is, for now, a truncated archive that cannot be customized.
            counts.add(f"customized downloads of the moving base refused ({status})")
        else:
            counts.problem(f"customized {name}: {status}, complete {complete}")


def manifest_matches(port, folder):
    status, _, body, _ = get(port, "/base_installers/manifest.json")
    entries = json.loads(body)["installers"].values()
    on_disk = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith((".zip", ".tgz", ".tar.gz")):
            data = open(os.path.join(folder, name), "rb").read()
            on_disk[name] = (len(data), sha256(data))
    served = {}
    for entry in entries:
        served[entry["file"]] = (entry["size"], entry["sha256"])
    return status == 200 and served == on_disk, f"served {served} on disk {on_disk}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cib", required=True)
    parser.add_argument("--repo", required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--wrk", action="store_true")
    parser.add_argument("--header-timeout", type=int, default=0)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="cib-soak-")
    try:
        os.makedirs(os.path.join(work, "site"))
        with open(os.path.join(work, "site", "index.html"), "w") as f:
            f.write("<!doctype html><title>soak</title>\n")
        folder = os.path.join(work, "base_installers")
        versions = make_bases(args.cib, args.repo, work)
        shutil.copytree(versions[0], folder)
        keys = []
        for i in range(4):
            run(args.cib, "keygen", f"key{i}", "--out", os.path.join(work, "keys"))
            keys.append(open(os.path.join(work, "keys", f"key{i}.publickey")).read().strip())
        steady = open(os.path.join(folder, STEADY), "rb").read()
        moving = Moving(folder, versions)
        host = Host(args.cib, work, args.header_timeout)
        counts = Counts()
        stop = threading.Event()
        paths = ["/", "/base_installers/manifest.json", f"/base_installers/{STEADY}"]

        threads = [threading.Thread(target=moving.loop, args=(stop,))]
        threads += [threading.Thread(target=slow_client, args=(host.port, stop, counts))
                    for _ in range(16)]
        for target, extra in [(quitter, ()), (past_the_end, (len(steady),)),
                              (downloader, (moving, sha256(steady))),
                              (builder, None)]:
            for _ in range(max(1, args.clients // 4)):
                if target is builder:
                    t = threading.Thread(target=builder,
                                         args=(host.url, host.port, stop, counts, keys, moving))
                else:
                    t = threading.Thread(target=target, args=(host.port, stop, counts) + extra)
                threads.append(t)
        wrk = None
        if args.wrk:
            wrk = wrk_load(host.url, paths, int(args.seconds), work)
        else:
            threads += load_clients(host.port, paths, stop, counts, args.clients)
        started = time.monotonic()
        for t in threads:
            t.daemon = True
            t.start()
        alive_throughout = True
        while time.monotonic() - started < args.seconds:
            time.sleep(0.5)
            alive_throughout &= host.alive()
        stop.set()
        for t in threads:
            t.join(timeout=40)
        elapsed = time.monotonic() - started
        if wrk:
            out, _ = wrk.communicate(timeout=60)
            rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
            socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
            non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
            print("    wrk: " + " | ".join(l.strip() for l in out.splitlines()
                                        if "Requests/sec" in l or "errors" in l or "Non-2xx" in l))
            failures = int(non2xx.group(1)) if non2xx else 0
            failures += sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
            check("wrk's load: every answer 2xx, no socket error", failures == 0, f"{failures} failed")
        else:
            rate = counts.get("load requests") / elapsed

        # Let the last replacement settle, then compare the manifest with the files.
        time.sleep(1.5)
        matches, detail = manifest_matches(host.port, folder)
        check("the manifest equals the files once writes settle", matches, detail)
        check("the host stayed up throughout", alive_throughout and host.alive())
        peak = host.peak_rss_mb()
        host.process.send_signal(signal.SIGTERM)
        code = host.process.wait(timeout=30)
        log = open(host.log_path, errors="replace").read()
        check("no panic in the host's log", "panicked" not in log,
              [l for l in log.splitlines() if "panicked" in l][:3])
        check("a clean exit on SIGTERM", code == 0, f"exit {code}")
        for problem in counts.problems:
            print("    problem: " + problem)
        check("every completed download is a real version of its file, every answer as expected",
              counts.get("problems") == 0, f"{counts.get('problems')} problems")
        for needed in ["moving downloads whole and real", "steady downloads whole and real",
                       "build_installers calls", "customized downloads whole with their vesselinfo",
                       "ranges past the end", "downloads abandoned"]:
            check(f"some {needed}", counts.get(needed) > 0)
        check("the slow clients were cut off", counts.get("slow clients cut off") > 0
              or args.seconds < (args.header_timeout or 10),
              counts.values)
        print(f"figures: {elapsed:.0f} s; peak RSS {peak:.1f} MB; {rate:,.0f} requests/s of load "
              f"({'wrk, 256 connections' if args.wrk else f'{args.clients} Python clients'}); "
              f"{moving.changes} changes to {MOVING}; "
              + "; ".join(f"{v:,} {k}" for k, v in sorted(counts.values.items())), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)


if __name__ == "__main__":
    main()
