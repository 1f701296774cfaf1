"""Reads `twiggy top -f csv` and prints the largest items and a sum per crate (wasm_size.sh)."""
import csv
import re
import sys
from collections import Counter

top = int(sys.argv[1]) if len(sys.argv) > 1 else 20
STD = {"core", "alloc", "std", "compiler_builtins"}


def crate(name):
    """The crate an item belongs to: the first path segment, of the implementing type for
    `<T as Trait>::f`; data and unnamed items are `(data)` and `(other)`."""
    if name.startswith("data segment"):
        return "(data)"
    if name.startswith(("import ", "export ")):
        return "(" + name.split(" ")[0] + "s)"
    name = re.sub(r"^<(&(mut )?|\*(const|mut) )*", "", name)
    first = re.match(r"[A-Za-z_][A-Za-z0-9_]*", name)
    if "::" not in name or not first:
        return "(other)"
    word = first.group(0)
    # Primitive types' methods (`<u128>::fmt`, `<str>::find`) are the standard library's.
    if word in {"u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
                "isize", "f32", "f64", "str", "char", "bool"}:
        return "core"
    # `<T as Trait>::f` where twiggy's name keeps the generic parameter.
    if len(word) == 1 and word.isupper():
        return "(generic)"
    return word


def shown(row):
    name = row["Name"]
    return not (name.startswith(("__wbindgen_describe", 'export "__wbindgen_describe')) or name.startswith("custom section")
                or name.endswith("subsection"))


rows = [r for r in csv.DictReader(sys.stdin) if shown(r) and not r["Name"].startswith("Σ")]
rows = [r for r in rows if not r["Name"].startswith("...")]
total = sum(int(r["ShallowSize"]) for r in rows)
by_crate = Counter()
for r in rows:
    by_crate[crate(r["Name"])] += int(r["ShallowSize"])

print(f"  {total:,} bytes of code and data")
print(f"  largest {top}:")
for r in sorted(rows, key=lambda r: -int(r["ShallowSize"]))[:top]:
    name = re.sub(r"::h[0-9a-f]{16}$", "", r["Name"])
    name = re.sub(r"\[[0-9a-f]{16}\]", "", name)
    print(f"    {int(r['ShallowSize']):8,}  {name[:110]}")
print("  by crate:")
for name, size in by_crate.most_common():
    if size * 200 < total:
        break
    label = name + (" (standard library)" if name in STD else "")
    print(f"    {size:8,}  {100 * size / total:5.1f}%  {label}")
