"""Demo stand-in for Seattle's seattleinstaller.py.

It reads vesselinfo from its own folder by the rules the real installer applies
and reports the vessels, or says why the installer would refuse the file. It
installs nothing. Exit status: 0 when the vesselinfo is accepted, 1 otherwise.
"""

import os
import sys


def read_vesselinfo(text):
    vessels = []
    for number, line in enumerate(text.split("\n"), start=1):
        words = line.split()
        if not words:
            raise ValueError("line %d is empty" % number)
        label = words[0]
        if label == "Percent":
            vessels.append({"percent": int(words[1]), "owner": None, "users": []})
        elif label in ("Owner", "User"):
            if not vessels:
                raise ValueError("line %d: %s before any Percent" % (number, label))
            key = "%d %d" % (int(words[1]), int(words[2]))
            if label == "Owner":
                vessels[-1]["owner"] = key
            else:
                vessels[-1]["users"].append(key)
    if not vessels:
        raise ValueError("no vessel")
    for index, vessel in enumerate(vessels, start=1):
        if vessel["owner"] is None:
            raise ValueError("vessel %d has no owner" % index)
        if vessel["percent"] not in range(10, 101, 10):
            raise ValueError("vessel %d: percent %d is not one of 10, 20, ..., 100" % (index, vessel["percent"]))
    total = sum(vessel["percent"] for vessel in vessels)
    if total != 100:
        raise ValueError("the vessels total %d, not 100" % total)
    return vessels


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vesselinfo")
    try:
        with open(path) as handle:
            vessels = read_vesselinfo(handle.read())
    except (IOError, OSError, ValueError, IndexError) as error:
        print("vesselinfo refused: %s" % error)
        return 1
    for index, vessel in enumerate(vessels, start=1):
        print("vessel %d: %d%%, owner %s..., %d user(s)" % (index, vessel["percent"], vessel["owner"][:16], len(vessel["users"])))
    print("vesselinfo accepted (demo installer: nothing was installed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
