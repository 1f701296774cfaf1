"""What the legacy builder's own XML-RPC suites (test_build_installers.py, test_invalid_input.py)
ask of it, for Python 2.7's xmlrpclib (run with Jython) and Python 3's xmlrpc.client alike.

    legacy_client.py URL KEYS RESERVED BITS WORK

URL is the host's origin with a trailing /, KEYS a folder with alex.publickey and
darren.publickey, RESERVED the reserved owner's public key file, BITS the size of the pairs the
host generates, WORK a folder for downloads. Every installer URL is followed through its 302 and
the installer extracted with tar or unzip; every generated private key is checked against its
public key. Prints one line per check and `N passed, N failed`; exits 1 if any failed.
"""

from __future__ import print_function

import os
import subprocess
import sys

try:
    import xmlrpclib
    import urllib2 as request
    from urllib2 import HTTPError
except ImportError:
    import xmlrpc.client as xmlrpclib
    import urllib.request as request
    from urllib.error import HTTPError

from seattle_files import PLATFORMS, VESSELINFO

counts = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    if condition:
        counts["passed"] += 1
        print("ok   " + name)
    else:
        counts["failed"] += 1
        print("FAIL %s %r" % (name, detail))


class NoRedirect(request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def first_hop(url):
    try:
        request.build_opener(NoRedirect).open(url)
    except HTTPError as err:
        return err.code, err.headers.get("Location")
    return None, None


def read_file(path):
    with open(path) as f:
        return f.read().strip()


def vesselinfo_in(url, work, label):
    """Follows the installer URL through its 302, downloads it and extracts it; its vesselinfo."""
    platform = url.rstrip("/").split("/")[-1]
    status, location = first_hop(url)
    file_name = PLATFORMS[platform]
    check("%s %s: 302 to %s" % (label, platform, file_name),
          status == 302 and location == url.split("/installers/")[0] + "/" + file_name,
          (status, location))
    response = request.urlopen(url)
    body = response.read()
    check("%s %s: followed to the file" % (label, platform), response.geturl() == location)
    folder = os.path.join(work, "%s-%s" % (label, platform))
    os.makedirs(folder)
    archive = os.path.join(folder, file_name)
    with open(archive, "wb") as f:
        f.write(body)
    if file_name.endswith(".zip"):
        subprocess.check_call(["unzip", "-q", archive, "-d", folder])
    else:
        subprocess.check_call(["tar", "-xzf", archive, "-C", folder])
    with open(os.path.join(folder, VESSELINFO)) as f:
        return f.read()


def gcd(a, b):
    while b:
        a, b = b, a % b
    return a


def check_generated(label, user, bits):
    """A generated pair: n = p q of the size asked for, d e = 1 mod lcm(p-1, q-1), and a round trip."""
    e, n = [int(x) for x in user["public_key"].split()]
    d, p, q = [int(x) for x in user["private_key"].split()]
    lcm = (p - 1) * (q - 1) // gcd(p - 1, q - 1)
    check("%s: n = p q, %d bits, e = 65537" % (label, bits),
          n == p * q and len(bin(n)) - 2 == bits and e == 65537, len(bin(n)) - 2)
    check("%s: d e = 1 mod lcm(p-1, q-1)" % label, (d * e) % lcm == 1)
    check("%s: the private key undoes the public one" % label, pow(pow(4242, e, n), d, n) == 4242)


def check_build(proxy, label, answer, vesselinfo, work):
    """get_urls gives the same map, and every installer carries `vesselinfo`."""
    check("%s: a URL per platform" % label, sorted(answer["installers"]) == sorted(PLATFORMS))
    check("%s: get_urls gives the same map" % label,
          proxy.get_urls(answer["build_id"]) == answer["installers"])
    for platform in sorted(answer["installers"]):
        got = vesselinfo_in(answer["installers"][platform], work, label)
        check("%s %s: the installer's vesselinfo" % (label, platform), got == vesselinfo, got)


def fault_of(call):
    try:
        call()
    except xmlrpclib.Fault as fault:
        return fault.faultCode, fault.faultString
    return None, None


def main(url, keys, reserved_path, bits, work):
    bits = int(bits)
    proxy = xmlrpclib.ServerProxy(url + "custom_install/xmlrpc/")
    reserved = read_file(reserved_path)
    alex = read_file(os.path.join(keys, "alex.publickey"))
    darren = read_file(os.path.join(keys, "darren.publickey"))
    check("api_version", proxy.api_version() == "2.0")

    # test_invalid_input.py's valid input: one argument, no user_data.
    answers = [proxy.build_installers([{"percentage": 80, "owner": "owner"}]) for _ in range(2)]
    for i, answer in enumerate(answers):
        label = "one argument (%d)" % (i + 1)
        owner = answer["users"]["owner"]
        check("%s: only the owner, with a private key" % label,
              sorted(answer["users"]) == ["owner"] and "private_key" in owner)
        check_generated(label, owner, bits)
        check_build(proxy, label, answer,
                    "Percent 80\nOwner %s\nPercent 20\nOwner %s" % (owner["public_key"], reserved), work)
    check("the same call twice: two key pairs",
          answers[0]["users"]["owner"]["public_key"] != answers[1]["users"]["owner"]["public_key"])
    check("the same call twice: two builds", answers[0]["build_id"] != answers[1]["build_id"])

    # test_build_installers.py: keys for alex and darren only; bob and carl are found in vessels.
    vessels = [{"percentage": 60, "owner": "alex", "users": ["bob"]},
               {"percentage": 20, "owner": "carl", "users": ["darren"]}]
    answer = proxy.build_installers(vessels, {"alex": {"public_key": alex}, "darren": {"public_key": darren}})
    users = answer["users"]
    check("alex..darren: every name in users", sorted(users) == ["alex", "bob", "carl", "darren"], sorted(users))
    check("alex..darren: the keys given, without a private key",
          users.get("alex") == {"public_key": alex} and users.get("darren") == {"public_key": darren})
    for name in ("bob", "carl"):
        check_generated("alex..darren: %s" % name, users[name], bits)
    check_build(proxy, "alex..darren", answer,
                "Percent 60\nOwner %s\nUser %s\nPercent 20\nOwner %s\nUser %s\nPercent 20\nOwner %s"
                % (alex, users["bob"]["public_key"], users["carl"]["public_key"], darren, reserved), work)

    good = [{"percentage": 80, "owner": "owner"}]
    bad_calls = [
        ("no argument", lambda: proxy.build_installers(), "TypeError:build_installers takes 1 to 2 arguments"),
        ("three arguments", lambda: proxy.build_installers(good, {}, 1), "3 given"),
        ("vessel_list not a list", lambda: proxy.build_installers("x"), "vessels: must be a list"),
        ("user_data not a struct", lambda: proxy.build_installers(good, ["owner"]), "user_data: must be an object"),
        ("a vessel not a struct", lambda: proxy.build_installers([80]), "vessel 1: must be an object"),
        ("a string percentage", lambda: proxy.build_installers([{"percentage": "80", "owner": "owner"}]),
         "percentage must be a whole number"),
        ("a total of 70", lambda: proxy.build_installers([{"percentage": 70, "owner": "owner"}]), "total"),
        ("a percentage not a multiple of 10", lambda: proxy.build_installers(
            [{"percentage": 75, "owner": "owner"}, {"percentage": 5, "owner": "owner"}]), "multiple of 10"),
        ("no owner", lambda: proxy.build_installers([{"percentage": 80, "users": ["user"]}]), "has no owner"),
        ("users not a list", lambda: proxy.build_installers([{"percentage": 80, "owner": "owner", "users": "bob"}]),
         "users must be a list"),
        ("a bad user name in a vessel", lambda: proxy.build_installers(
            [{"percentage": 80, "owner": "owner", "users": ["b!b"]}]), 'user name "b!b" contains'),
        ("a bad user name in user_data", lambda: proxy.build_installers(good, {"a b": {}}), 'user name "a b"'),
        ("a public key that is no RSA key", lambda: proxy.build_installers(
            good, {"owner": {"public_key": "1 2"}}), "user owner: public key"),
        ("a public key not a string", lambda: proxy.build_installers(
            good, {"owner": {"public_key": 5}}), "must be a string"),
        ("a build id not 40 of [a-z0-9]", lambda: proxy.get_urls("x"), "InvalidBuildIdError"),
        ("an unknown build id", lambda: proxy.get_urls("0" * 40), "UnknownBuildIdError"),
    ]
    for name, call, expected in bad_calls:
        code, text = fault_of(call)
        check("fault: " + name, code == 1 and text is not None and expected in text, (code, text))
    check("still serving", proxy.api_version() == "2.0")
    print("%d passed, %d failed" % (counts["passed"], counts["failed"]))
    sys.exit(1 if counts["failed"] else 0)


if __name__ == "__main__":
    main(*sys.argv[1:6])
