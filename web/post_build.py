"""trunk's post-build step: writes embed.js with the hashed names of this build's files, and
copies the example embedding page. trunk runs it from web/ with TRUNK_STAGING_DIR set."""
import os
import pathlib
import sys

staging = pathlib.Path(os.environ["TRUNK_STAGING_DIR"])
here = pathlib.Path(__file__).parent


def one(pattern):
    found = sorted(p.name for p in staging.glob(pattern))
    if len(found) != 1:
        sys.exit(f"post_build.py: expected one {pattern} in {staging}, found {found}")
    return found[0]


names = {
    "__GLUE__": one("cib-web-*.js"),
    "__WASM__": one("cib-web-*_bg.wasm"),
    "__CSS__": one("style-*.css"),
}
embed = (here / "embed.js").read_text()
for placeholder, name in names.items():
    embed = embed.replace(placeholder, name)
(staging / "embed.js").write_text(embed)
(staging / "embed-example.html").write_text((here / "embed-example.html").read_text())
