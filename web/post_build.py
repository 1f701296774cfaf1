"""trunk's post-build step: writes embed.js with the hashed names of this build's files, copies
the example embedding page, writes the saved page, seattle-installer-builder.html, with every
file it needs inside, and the service worker, sw.js, with the list of this build's page files.
Into the page, the saved page and embed.js it puts language.js with the words each of them
says before its module runs, and into the page its stylesheet, inline. trunk runs it from web/
with TRUNK_STAGING_DIR set. The output depends on the build's files only (no time, no
randomness), so the same build gives the same bytes."""
import base64
import hashlib
import json
import os
import pathlib
import re
import sys

staging = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
here = pathlib.Path(__file__).parent


def one(pattern):
    found = sorted(p.name for p in staging.glob(pattern))
    if len(found) != 1:
        sys.exit(f"post_build.py: expected one {pattern} in {staging}, found {found}")
    return found[0]


names = {
    "__OFFLINE__": one("offline-*.js"),
    "__GLUE__": one("cib-web-*.js"),
    "__WASM__": one("cib-web-*_bg.wasm"),
    "__CSS__": one("style-*.css"),
}
css = (staging / names["__CSS__"]).read_text()
catalogs = sorted((staging / "i18n").glob("*.json"))
every_catalog = {p.stem: json.loads(p.read_text()) for p in catalogs}


def script_json(value):
    """`value` as JSON to put inside a script element: "<" is escaped so that no text can end
    the element."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c")


def with_first_words(text, file):
    """`text` (of `file`) with language.js in place of __LANGUAGE__, after the table of the
    messages `text` names ("ui-…": its data-i18n ids, and those its scripts say) in every
    language, from the catalogs, for what the file says before its module runs."""
    if "__LANGUAGE__" not in text:
        sys.exit(f"post_build.py: {file} has no __LANGUAGE__ for language.js")
    english = every_catalog["en"]
    ids = sorted(set(re.findall(r'"(ui-[a-z0-9-]+)"', text)))
    unknown = [i for i in ids if i not in english]
    if unknown:
        sys.exit(f"post_build.py: {file} names {unknown}, which en.json does not have")
    plural = [i for i in ids if not isinstance(english[i], str)]
    if plural:
        sys.exit(f"post_build.py: {file} says {plural} before its module runs, which have plural forms")
    table = {lang: {i: catalog.get(i, english[i]) for i in ids} for lang, catalog in every_catalog.items()}
    words = f"const WORDS = {script_json(table)};\n" + (here / "language.js").read_text()
    return text.replace("__LANGUAGE__", words)


embed = with_first_words((here / "embed.js").read_text(), "embed.js")
for placeholder, name in names.items():
    embed = embed.replace(placeholder, name)
(staging / "embed.js").write_text(embed)
(staging / "embed-example.html").write_text((here / "embed-example.html").read_text())


def inline(name):
    return base64.b64encode((staging / name).read_bytes()).decode("ascii")


def with_inline_style(text):
    """`text` with its stylesheet's contents in a <style> element in place of trunk's link to
    it: the first paint then waits for no request (the file stays, for embed.js). `cib serve`
    names the element's SHA-256 in the page's style-src."""
    if "</style" in css.lower():
        sys.exit(f"post_build.py: {names['__CSS__']} holds '</style', which would end the element")
    link = re.compile(r'<link rel="stylesheet" href="\./' + re.escape(names["__CSS__"]) + r'"[^>]*>')
    if len(link.findall(text)) != 1:
        sys.exit(f"post_build.py: index.html should link {names['__CSS__']} once")
    return link.sub(lambda _: f"<style>{css}</style>", text)


# trunk's page, with its words before the module runs and its stylesheet inline. Once filled in
# it has no placeholder nor link left, and running this step again leaves it as it is.
page = staging / "index.html"
if "__LANGUAGE__" in page.read_text():
    page.write_text(with_inline_style(with_first_words(page.read_text(), "index.html")))

# Every catalog but English (built into the module), by language, for the saved page.
catalogs_json = script_json({lang: c for lang, c in every_catalog.items() if lang != "en"})

saved = with_first_words((here / "saved.html").read_text(), "saved.html")
for placeholder, text in {
    "__CSS__": css,
    "__PAGE_GLUE__": inline(names["__GLUE__"]),
    "__PAGE_WASM__": inline(names["__WASM__"]),
    "__WORKER_GLUE__": inline("cib-worker.js"),
    "__WORKER_WASM__": inline("cib-worker_bg.wasm"),
    "__CATALOGS__": catalogs_json,
}.items():
    saved = saved.replace(placeholder, text)
(staging / "seattle-installer-builder.html").write_text(saved)

# The service worker keeps exactly this build's page files; its version is their digest, so any
# change to any of them is a new worker (and the page offers the update).
page_files = ["index.html", *(names[k] for k in ("__OFFLINE__", "__GLUE__", "__WASM__", "__CSS__")),
              "cib-worker.js", "cib-worker_bg.wasm",
              *(f"i18n/{p.name}" for p in catalogs)]
digest = hashlib.sha256()
for name in page_files:
    digest.update(name.encode() + b"\0" + (staging / name).read_bytes())
worker = (here / "sw.js").read_text()
worker = worker.replace("__VERSION__", digest.hexdigest()[:16]).replace("__FILES__", json.dumps(page_files))
(staging / "sw.js").write_text(worker)
