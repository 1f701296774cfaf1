//! The page's layout: its modules import one another one way only. An import circle makes a
//! module that cannot be read, changed or tested without the others; this keeps there being
//! none, by reading the sources' `crate::` paths (tests left out).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module of `src/` and the top-level modules its code names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut folders = vec![src.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).expect("src/ is readable") {
            let path = entry.expect("an entry of src/").path();
            if path.is_dir() {
                folders.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let Some(relative) = relative.strip_suffix(".rs") else {
                continue;
            };
            if relative == "lib" || relative == "tests" || relative.ends_with("/tests") {
                continue;
            }
            let module = relative.split('/').next().unwrap().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            // Inline test modules come last in a file and may name anything.
            let code = text.split("#[cfg(all(test").next().unwrap();
            let code = code.split("#[cfg(test)]").next().unwrap();
            let named = imports.entry(module.clone()).or_default();
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                if !name.is_empty() && name != module {
                    named.insert(name);
                }
            }
        }
    }
    imports
}

/// A circle through `from`, if there is one.
fn circle(imports: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    fn walk(
        imports: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        let here = path.last().unwrap().clone();
        for next in imports.get(&here).into_iter().flatten() {
            if *next == path[0] {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(imports, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![from.to_string()];
    walk(imports, &mut path, &mut BTreeSet::new()).then_some(path)
}

#[test]
fn no_module_of_the_page_imports_itself_round_a_circle() {
    let imports = imports();
    assert!(imports.len() > 20, "read {} modules", imports.len());
    assert!(
        imports["app"].contains("update"),
        "the reader sees app's imports"
    );
    for module in imports.keys() {
        if let Some(circle) = circle(&imports, module) {
            panic!("an import circle: {}", circle.join(" -> "));
        }
    }
}

#[test]
fn only_what_mounts_a_builder_imports_the_app() {
    let importers: Vec<String> = imports()
        .into_iter()
        .filter(|(_, named)| named.contains("app"))
        .map(|(module, _)| module)
        .collect();
    assert_eq!(importers, ["donor_view", "language", "mount"]);
}
