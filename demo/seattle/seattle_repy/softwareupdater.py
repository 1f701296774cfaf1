"""Demo stand-in for Seattle's softwareupdater.py.

The real updater downloads metainfo from softwareurl, trusts it only when it is
signed with softwareupdatepublickey, and replaces the files whose SHA-1 changed.
This stand-in updates nothing: it checks the installed metainfo beside it the
way the updater trusts one (Seattle's signeddata, signed with the key below) and
every listed file's SHA-1 and size. Exit status: 0 when all holds, 1 otherwise.

The key below is cib's DEMO updater key (demo/updater_demo.publickey). Its
private key is published in cib's repository, so it protects nothing.
"""

import binascii
import hashlib
import os
import sys

softwareurl = "http://updatesite.invalid/cib-demo/"

softwareupdatepublickey = {'e':65537, 'n':162325716723860081447069222916233431350639722052940327816635160146005519073717802665579541774418704091049754176786783257464844976957991968818776279062290196590339353061547628004070009585366011358702075548783633904449797452011127985420067521425432356486893505128480638531129244447167687345794936147405374627759}


def signed_correctly(text, key):
    signed, signature = text.rsplit("!", 1)
    parts = signed.rsplit("!", 5)
    if len(parts) != 6 or parts[1].split() != [str(key['e']), str(key['n'])]:
        return False
    digest = b"\x01" + hashlib.sha1(signed.encode("latin-1")).digest()
    expected = int(binascii.hexlify(digest), 16)
    return pow(int(signature), key['e'], key['n']) == expected


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "metainfo"), "rb") as handle:
        text = handle.read().decode("latin-1")
    if not signed_correctly(text, softwareupdatepublickey):
        print("metainfo is not signed correctly with the updater key")
        return 1
    listed = 0
    for line in text.rsplit("!", 6)[0].split("\n"):
        if not line.strip() or line[0] in "#!":
            continue
        name, sha1, size = line.split()
        with open(os.path.join(here, name), "rb") as handle:
            data = handle.read()
        if hashlib.sha1(data).hexdigest() != sha1 or len(data) != int(size):
            print("%s differs from metainfo" % name)
            return 1
        listed += 1
    print("metainfo signed correctly with the updater key; %d files match" % listed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
