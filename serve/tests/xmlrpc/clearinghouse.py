#!/usr/bin/env python3
"""Drives the host's XML-RPC API (what `cib serve --xmlrpc` answers) with Python's standard
xmlrpc.client, exactly as a Seattle clearinghouse calls its installer builder, and checks every
answer and download.

    clearinghouse.py first URL BASES KEYS RESERVED STATE_JSON   # a fresh host
    clearinghouse.py again URL STATE_JSON                         # the same host restarted

`first` writes what `again` checks: the build ids, their installer maps and the SHA-256 of each
download. Prints one line per check and `N passed, N failed`; exits 1 if any failed.
"""

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import xmlrpc.client

from seattle_files import PLATFORMS, VESSELINFO

passed = 0
failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def first_hop(url):
    """The answer to the installer URL itself, without following it."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url)
    except urllib.error.HTTPError as err:
        return err.code, err.headers.get("Location")
    return None, None


def download(url):
    """As a browser does: follows the 302 to the file."""
    with urllib.request.urlopen(url) as response:
        return response.geturl(), response.headers, response.read()


def extract(archive, folder):
    os.makedirs(folder)
    if archive.endswith(".zip"):
        subprocess.run(["unzip", "-q", archive, "-d", folder], check=True)
    else:
        subprocess.run(["tar", "-xzf", archive, "-C", folder], check=True)
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = f.read()
    return files


def check_installer(label, url, platform, bases, vesselinfo, work):
    """Follows `url`, extracts the download with tar or unzip and compares it with its base."""
    status, location = first_hop(url)
    file_name = PLATFORMS[platform]
    check(f"{label} {platform}: the URL answers 302", status == 302, status)
    check(
        f"{label} {platform}: to the file under its name",
        location == url.split("/installers/")[0] + "/" + file_name,
        location,
    )
    final, headers, body = download(url)
    check(f"{label} {platform}: followed to {file_name}", final == location, final)
    check(
        f"{label} {platform}: a download",
        headers.get("Content-Disposition") == f'attachment; filename="{file_name}"',
        headers.get("Content-Disposition"),
    )
    check(f"{label} {platform}: Content-Length", headers.get("Content-Length") == str(len(body)))
    folder = tempfile.mkdtemp(dir=work)
    archive = os.path.join(folder, file_name)
    with open(archive, "wb") as f:
        f.write(body)
    got = extract(archive, os.path.join(folder, "customized"))
    base = extract(os.path.join(bases, file_name), os.path.join(folder, "base"))
    base.pop(VESSELINFO, None)
    check(
        f"{label} {platform}: vesselinfo as expected",
        got.pop(VESSELINFO, b"").decode() == vesselinfo,
    )
    check(f"{label} {platform}: every other file as in the base installer", got == base)
    return hashlib.sha256(body).hexdigest()


def fault_of(call):
    try:
        call()
    except xmlrpc.client.Fault as fault:
        return fault.faultCode, fault.faultString
    return None, None


def raw_post(url, body):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("POST", parts.path, body=body, headers={"Content-Type": "text/xml"})
    response = connection.getresponse()
    answer = response.read()
    connection.close()
    return response.status, answer.decode("utf-8", "replace")


def status_before_body(url, length):
    """The status a POST announcing `length` bytes gets before any of them is sent."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        head = (
            f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Content-Type: text/xml\r\nContent-Length: {length}\r\n\r\n"
        )
        connection.sendall(head.encode())
        status_line = connection.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def first(url, bases, keys, reserved, state_path):
    endpoint = url + "custom_install/xmlrpc/"
    proxy = xmlrpc.client.ServerProxy(endpoint)
    with open(os.path.join(keys, "owner.publickey")) as f:
        donor_pubkey = f.read().strip()
    with open(os.path.join(keys, "user.publickey")) as f:
        acceptdonations_pubkey = f.read().strip()
    with open(reserved) as f:
        reserved_key = f.read().strip()
    work = tempfile.mkdtemp()

    check("api_version", proxy.api_version() == "2.0")

    # The clearinghouse's call, word for word (website/html/views.py, _build_installer).
    vessel_list = [{"percentage": 80, "owner": "owner", "users": ["user"]}]
    user_data = {
        "owner": {"public_key": donor_pubkey},
        "user": {"public_key": acceptdonations_pubkey},
    }
    build_results = proxy.build_installers(vessel_list, user_data)
    again = proxy.build_installers(vessel_list, user_data)
    build_id = build_results["build_id"]
    check("build_id is 40 of [a-z0-9]", len(build_id) == 40 and build_id.isalnum() and build_id == build_id.lower())
    check("the same call twice gives the same id", again["build_id"] == build_id)
    check("a URL per platform", sorted(build_results["installers"]) == sorted(PLATFORMS))
    check("get_urls gives the same map", proxy.get_urls(build_id) == build_results["installers"])
    check(
        "users: the keys given, no private key",
        build_results["users"]
        == {"owner": {"public_key": donor_pubkey}, "user": {"public_key": acceptdonations_pubkey}},
    )
    vesselinfo = (
        f"Percent 80\nOwner {donor_pubkey}\nUser {acceptdonations_pubkey}\n"
        f"Percent 20\nOwner {reserved_key}"
    )
    state = {build_id: {"installers": build_results["installers"], "sha256": {}}}
    for platform in PLATFORMS:
        installer_url = build_results["installers"][platform]
        state[build_id]["sha256"][platform] = check_installer(
            "clearinghouse", installer_url, platform, bases, vesselinfo, work
        )

    # A user without a key gets a generated 1024-bit pair, and an installer with its public key.
    keyless = proxy.build_installers(vessel_list, {"owner": {}, "user": {"public_key": acceptdonations_pubkey}})
    owner = keyless["users"]["owner"]
    e, n = (int(x) for x in owner["public_key"].split())
    d, p, q = (int(x) for x in owner["private_key"].split())
    check("generated pair: n = p q, 1024 bits", n == p * q and n.bit_length() == 1024 and e == 65537)
    check("generated pair: the private key undoes the public one", pow(pow(42, e, n), d, n) == 42)
    check("keys given stay without a private key", "private_key" not in keyless["users"]["user"])
    check("a generated key makes a new build", keyless["build_id"] != build_id)
    check_installer(
        "keyless",
        keyless["installers"]["linux"],
        "linux",
        bases,
        f"Percent 80\nOwner {owner['public_key']}\nUser {acceptdonations_pubkey}\n"
        f"Percent 20\nOwner {reserved_key}",
        work,
    )

    # Every bad input is a fault with faultCode 1 that says what is wrong.
    bad_calls = [
        ("a string percentage", lambda: proxy.build_installers([{"percentage": "80", "owner": "owner"}], user_data),
         'ValidationError:the build description has 1 problem:\n  vessel 1: percentage must be a whole number such as 40, not the string "80"'),
        ("a total of 70", lambda: proxy.build_installers([{"percentage": 70, "owner": "owner"}], user_data), "total"),
        ("no owner", lambda: proxy.build_installers([{"percentage": 80}], user_data), "vessel 1: has no owner"),
        ("a bad name found only in a vessel", lambda: proxy.build_installers([{"percentage": 80, "owner": "no body"}]),
         'vessel 1: user name "no body" contains'),
        ("a bad key and a bad name together", lambda: proxy.build_installers(
            vessel_list, {"owner": {"public_key": "1 2"}, "user": {}, "a b": {}}), "2 problems:\n  user_data: user name \"a b\" contains"),
        ("a key that is not a string", lambda: proxy.build_installers(vessel_list, {"owner": {"public_key": 5}, "user": {}}),
         "user owner: public key: must be a string"),
        ("vessel_list not a list", lambda: proxy.build_installers("x", user_data), "vessels: must be a list"),
        ("no argument", lambda: proxy.build_installers(), "TypeError:build_installers takes 1 to 2 arguments"),
        ("an extra argument", lambda: proxy.build_installers(vessel_list, user_data, 1), "3 given"),
        ("an argument to api_version", lambda: proxy.api_version(1), "TypeError:api_version takes no arguments"),
        ("an unknown method", lambda: proxy.make_installers(), 'UnknownMethodError:method "make_installers"'),
        ("system.listMethods", lambda: proxy.system.listMethods(), "UnknownMethodError"),
        ("a malformed build id", lambda: proxy.get_urls("not-an-id"), "InvalidBuildIdError:Invalid build_id provided"),
        ("an upper-case build id", lambda: proxy.get_urls(build_id.upper()), "InvalidBuildIdError"),
        ("a build id that is not a string", lambda: proxy.get_urls(12), "InvalidBuildIdError"),
        ("an unknown build id", lambda: proxy.get_urls("0" * 40), "UnknownBuildIdError:Given build ID does not exist."),
    ]
    for name, call, expected in bad_calls:
        code, text = fault_of(call)
        check(f"fault: {name}", code == 1 and text is not None and expected in text, f"{code} {text!r}")

    raw_cases = [
        ("malformed XML", b"<methodCall><methodName>api_version</methodName>", 200, "InvalidRequestError:"),
        ("a DTD with an entity bomb",
         b"<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
         b"<methodCall><methodName>&b;</methodName></methodCall>", 200, "(DTD)"),
        ("an external entity",
         b"<?xml version='1.0'?><!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><methodCall>&x;</methodCall>",
         200, "(DTD)"),
        ("an undeclared entity", b"<methodCall><methodName>&x;</methodName></methodCall>", 200, "the entity &amp;x;"),
        ("deep nesting", b"<methodCall><params><param>" + b"<value><array><data>" * 40000 + b"</param></params></methodCall>",
         200, "nested deeper than 32"),
    ]
    for name, body, status, expected in raw_cases:
        got_status, text = raw_post(endpoint, body)
        ok = got_status == status and expected in text and "root:" not in text
        if status == 200:
            ok = ok and "<name>faultCode</name>" in text and "<i4>1</i4>" in text
        check(f"refused: {name}", ok, f"{got_status} {text[:300]!r}")
    status = status_before_body(endpoint, (1 << 20) + 1)
    check("refused at once: a body over 1 MB (413 before it is sent)", status == 413, status)
    check("still serving after all that", proxy.api_version() == "2.0")

    status, _ = first_hop(url + "custom_install/" + "0" * 40 + "/installers/linux/")
    check("an unknown build's URL: 404", status == 404, status)
    with open(state_path, "w") as f:
        json.dump(state, f)


def again(url, state_path):
    proxy = xmlrpc.client.ServerProxy(url + "custom_install/xmlrpc/")
    with open(state_path) as f:
        state = json.load(f)
    for build_id, build in state.items():
        check("after a restart: get_urls of an old id", proxy.get_urls(build_id) == build["installers"])
        for platform, installer_url in build["installers"].items():
            _, _, body = download(installer_url)
            check(
                f"after a restart: {platform} the same download",
                hashlib.sha256(body).hexdigest() == build["sha256"][platform],
            )


def main():
    if sys.argv[1] == "first":
        first(*sys.argv[2:7])
    else:
        again(*sys.argv[2:4])
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
