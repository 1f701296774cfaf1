#!/usr/bin/env python3
"""Keeps README.md and docs/*.md true: every relative link leads to a file (and an `#anchor` to a
heading of it, by GitHub's slug rules), and every command in a ```sh block of the README is one
the project has (`cib X` or `cargo run ... --bin cib -- X`: X is in `cib --help`'s command list;
`scripts/x.sh`: the file exists).

    scripts/check_docs.py [ROOT]     # CIB_BIN names the cib binary (default target/debug/cib)
    scripts/check_docs.py --self-test

Exit 1 with one line per problem (file:line: what is wrong), 0 when all hold."""

import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^\s*(```|~~~)")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
CODE_SPAN = re.compile(r"`+[^`]*`+")


def lines_outside_code(text):
    """(line number, line) of every line outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading):
    """GitHub's anchor for a heading: the text without markup, lower-case, punctuation other
    than '-' and '_' dropped, each space a '-'."""
    text = heading.replace("`", "")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.strip().lower()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return text.replace(" ", "-")


def anchors(path):
    seen = {}
    result = set()
    with open(path, encoding="utf-8") as f:
        for _, line in lines_outside_code(f.read()):
            m = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
            if not m:
                continue
            base = slug(m.group(1))
            n = seen.get(base, 0)
            seen[base] = n + 1
            result.add(base if n == 0 else f"{base}-{n}")
    return result


def check_links(root, doc):
    problems = []
    path = os.path.join(root, doc)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for number, line in lines_outside_code(text):
        for target in LINK.findall(CODE_SPAN.sub("", line)):
            if re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue  # http:, https:, mailto: ...
            file_part, _, anchor = target.partition("#")
            where = f"{doc}:{number}: link ({target})"
            linked = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not os.path.exists(linked):
                problems.append(f"{where}: {os.path.relpath(linked, root)} does not exist")
                continue
            if anchor:
                if not linked.endswith(".md") or os.path.isdir(linked):
                    problems.append(f"{where}: an anchor into {os.path.relpath(linked, root)}, which has no headings")
                elif anchor not in anchors(linked):
                    problems.append(
                        f"{where}: {os.path.relpath(linked, root)} has no heading whose anchor is #{anchor}")
    return problems


def sh_commands(text):
    """(line number, command) of each command in the ```sh blocks, continuations joined."""
    block = None
    pending, start = "", 0
    for number, line in enumerate(text.split("\n"), 1):
        if FENCE.match(line):
            block = None if block is not None else line.strip().strip("`~").strip()
            continue
        if block != "sh":
            continue
        if not pending:
            start = number
        line = re.sub(r"\s+#.*$", "", line) if not line.lstrip().startswith("#") else ""
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        command = (pending + line).strip()
        pending = ""
        if command:
            yield start, command


def cib_commands(cib):
    """The subcommands and options `cib --help` lists."""
    try:
        out = subprocess.run([cib, "--help"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f"check_docs: cannot run `{cib} --help` ({e}); build it with `cargo build --bin cib` "
                 "or name it with CIB_BIN")
    names, section = set(), None
    for line in out.split("\n"):
        if re.match(r"^\S.*:$", line):
            section = line[:-1]
            continue
        m = re.match(r"^\s+(\S+)", line)
        if m and section == "Commands":
            names.add(m.group(1))
        elif m and section == "Options":
            names.update(o.rstrip(",") for o in line.split() if o.startswith("-"))
    return names


def check_commands(root, doc, cib):
    problems = []
    with open(os.path.join(root, doc), encoding="utf-8") as f:
        text = f.read()
    known = None
    for number, command in sh_commands(text):
        words = command.split()
        while words and re.match(r"^[A-Z_][A-Z0-9_]*=", words[0]):
            words.pop(0)  # VAR=value before the command
        if not words:
            continue
        sub = None
        if words[0] == "cib":
            sub = words[1] if len(words) > 1 else None
        elif words[:2] == ["cargo", "run"] and "cib" in words and "--" in words:
            rest = words[words.index("--") + 1:]
            sub = rest[0] if rest else None
        elif words[0].startswith("scripts/"):
            if not os.path.isfile(os.path.join(root, words[0])):
                problems.append(f"{doc}:{number}: command `{command}`: {words[0]} does not exist")
            continue
        else:
            continue
        if known is None:
            known = cib_commands(cib)
        if sub is not None and sub not in known:
            problems.append(f"{doc}:{number}: command `{command}`: `cib --help` lists no command {sub}")
    return problems


def check(root, cib):
    docs = ["README.md"] + sorted(
        os.path.join("docs", name) for name in os.listdir(os.path.join(root, "docs")) if name.endswith(".md"))
    problems = []
    for doc in docs:
        problems += check_links(root, doc)
    problems += check_commands(root, "README.md", cib)
    return problems


def self_test():
    """The checker finds what it is for: a missing file, a missing heading, an unknown command."""
    with tempfile.TemporaryDirectory() as root:
        os.mkdir(os.path.join(root, "docs"))
        os.mkdir(os.path.join(root, "scripts"))
        open(os.path.join(root, "scripts", "run.sh"), "w").close()
        with open(os.path.join(root, "docs", "a.md"), "w") as f:
            f.write("# A\n\n## The legacy builder's XML-RPC API (`--xmlrpc`)\n\n```\n# Not a heading\n```\n")
        fake = os.path.join(root, "cib")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\nprintf 'Usage: cib <COMMAND>\\n\\nCommands:\\n  serve  Serve\\n  help   Help\\n\\n"
                    "Options:\\n  -h, --help  Print help\\n'\n")
        os.chmod(fake, 0o755)
        with open(os.path.join(root, "README.md"), "w") as f:
            f.write("[ok](docs/a.md#the-legacy-builders-xml-rpc-api---xmlrpc) [ok](https://x.org/y)\n"
                    "[gone](docs/b.md) [bad anchor](docs/a.md#not-a-heading) `[code](no.md)`\n\n"
                    "```sh\nscripts/run.sh\nscripts/gone.sh\ncib serve --addr x \\\n    --y\n"
                    "cib frobnicate\ncargo run --release --bin cib -- --help\n```\n")
        found = check(root, fake)
        expected = [
            "README.md:2: link (docs/b.md): docs/b.md does not exist",
            "README.md:2: link (docs/a.md#not-a-heading): docs/a.md has no heading whose anchor is #not-a-heading",
            "README.md:6: command `scripts/gone.sh`: scripts/gone.sh does not exist",
            "README.md:9: command `cib frobnicate`: `cib --help` lists no command frobnicate",
        ]
        if found != expected:
            sys.exit("check_docs self-test failed:\nfound:\n  " + "\n  ".join(found) +
                     "\nexpected:\n  " + "\n  ".join(expected))
    print("check_docs self-test: each kind of bad link and command is found")


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    root = os.path.abspath(root)
    cib = os.environ.get("CIB_BIN", os.path.join(root, "target", "debug", "cib"))
    problems = check(root, cib)
    if problems:
        print(f"check_docs: {len(problems)} problem(s) in README.md and docs/:", file=sys.stderr)
        for p in problems:
            print(f"  {p}", file=sys.stderr)
        sys.exit(1)
    print("check_docs: every link in README.md and docs/ resolves; every command in the README exists")


if __name__ == "__main__":
    main()
