use super::*;
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The text of `path` under web/.
fn read(path: &str) -> String {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The JSON of `path` under web/.
fn json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn catalog(tag: &str) -> Map<String, Value> {
    match json(&format!("i18n/{tag}.json")) {
        Value::Object(catalog) => catalog,
        other => panic!("{tag}.json is {other}, not an object"),
    }
}

/// The placeholders of a pattern, as the core reads them (lower-case letters and `_`).
fn placeholders(pattern: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        rest = &rest[open + 1..];
        if let Some(end) = rest.find('}') {
            let name = &rest[..end];
            if !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                found.insert(name.to_string());
            }
        }
    }
    found
}

/// What looks like a placeholder but is text, as the core reads it: `{sha256}`, `{Name}`.
fn not_placeholders(pattern: &str) -> Vec<&str> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| {
            let word = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            let placeholder = name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
            !name.is_empty() && word && !placeholder
        })
        .collect()
}

/// Whether a message has plural forms, and the placeholders of each of its forms.
fn shape(id: &str, value: &Value) -> (bool, Vec<BTreeSet<String>>) {
    match value {
        Value::String(text) => {
            let odd = not_placeholders(text);
            assert!(odd.is_empty(), "{id}: {odd:?} would be said as text");
            (false, vec![placeholders(text)])
        }
        Value::Object(forms) => {
            assert!(forms.contains_key("other"), "{id} has no \"other\" form");
            let forms = forms.values().map(|f| {
                let form = f.as_str().unwrap();
                let odd = not_placeholders(form);
                assert!(odd.is_empty(), "{id}: {odd:?} would be said as text");
                placeholders(form)
            });
            (true, forms.collect())
        }
        other => panic!("{id} is {other}, neither a pattern nor plural forms"),
    }
}

#[test]
fn every_catalog_says_every_message_with_the_same_placeholders() {
    let english = catalog(ENGLISH);
    assert_eq!(
        english,
        serde_json::from_str::<Map<String, Value>>(ENGLISH_CATALOG).unwrap()
    );
    for (tag, _) in LANGUAGES.iter().filter(|(t, _)| *t != ENGLISH) {
        let ours = catalog(tag);
        let missing: Vec<_> = english
            .keys()
            .filter(|id| !ours.contains_key(*id))
            .collect();
        let extra: Vec<_> = ours
            .keys()
            .filter(|id| !english.contains_key(*id))
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{tag}: missing {missing:?}, extra {extra:?}"
        );
        for (id, value) in &english {
            let (plural, forms) = shape(id, value);
            let (their_plural, their_forms) = shape(id, &ours[id]);
            assert_eq!(
                plural, their_plural,
                "{tag}: {id} plural or not as in English"
            );
            // Every form of a translation names what English's forms name (a language with one
            // form, such as Chinese, still says every argument).
            let wanted: BTreeSet<String> = forms.into_iter().flatten().collect();
            for form in their_forms {
                assert_eq!(
                    form, wanted,
                    "{tag}: {id} has other placeholders than in English"
                );
            }
        }
    }
}

#[test]
fn the_ui_ids_are_not_the_cores() {
    for id in catalog(ENGLISH).keys() {
        let core = id.starts_with("problem-") || id.starts_with("place-");
        assert!(
            core || id.starts_with("ui-"),
            "{id}: ids are problem-, place- or ui-"
        );
    }
}

#[test]
fn a_language_is_chosen_as_every_shared_case_expects() {
    // The same cases as the script that chooses before the module runs (web/language.js, whose
    // node test reads this file too).
    let cases = json("tests/language_choice.json");
    let cases = cases.as_array().expect("a list of cases");
    assert!(cases.len() >= 10, "only {} cases", cases.len());
    for case in cases {
        let why = &case["why"];
        let chosen = ["lang", "address", "remembered"].map(|input| case[input].as_str());
        let browser: Vec<String> = case["browser"]
            .as_array()
            .unwrap_or_else(|| panic!("{why}: browser is not a list"))
            .iter()
            .map(|tag| tag.as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            Some(choose(chosen, &browser)),
            case["expected"].as_str(),
            "{why}"
        );
    }
}

#[test]
fn the_catalogs_are_the_languages_and_each_language_has_one() {
    let dir = format!("{}/i18n", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(String::from)
        })
        .collect();
    files.sort();
    let mut ours: Vec<String> = LANGUAGES.iter().map(|(t, _)| t.to_string()).collect();
    ours.sort();
    assert_eq!(files, ours, "the catalogs in {dir}");
    // One catalog per language: which of two same-language tags `known` tries first would
    // matter, and the script before the module lists them in another order.
    let primaries: BTreeSet<&str> = LANGUAGES
        .iter()
        .map(|(t, _)| t.split('-').next().unwrap())
        .collect();
    assert_eq!(primaries.len(), LANGUAGES.len());
}

#[test]
fn the_script_before_the_module_reads_the_remembered_choice_where_the_module_keeps_it() {
    let wanted = format!("localStorage.getItem('{REMEMBERED}')");
    assert!(
        read("language.js").contains(&wanted),
        "language.js has no {wanted}"
    );
}

/// Every `ui-` id the page's code, HTML or element script names (`"ui-…"`, `data-i18n="ui-…"`).
fn named_ids() -> BTreeSet<String> {
    let web = env!("CARGO_MANIFEST_DIR");
    let mut files = vec![
        format!("{web}/index.html"),
        format!("{web}/saved.html"),
        format!("{web}/embed.js"),
    ];
    let mut dirs = vec![format!("{web}/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path().display().to_string();
            match entry.path().is_dir() {
                true => dirs.push(path),
                false if path.ends_with(".rs") => files.push(path),
                false => {}
            }
        }
    }
    let mut ids = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, _) in text.match_indices("\"ui-") {
            let id = &text[at + 1..];
            let end = id.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
            let id = &id[..end.unwrap_or(id.len())];
            // "ui-" alone is this test's own prefix, not an id.
            if id.len() > "ui-".len() {
                ids.insert(id.to_string());
            }
        }
    }
    ids
}

#[test]
fn every_ui_message_is_said_and_every_one_said_is_in_the_catalog() {
    let english: BTreeSet<String> = catalog(ENGLISH)
        .keys()
        .filter(|id| id.starts_with("ui-"))
        .cloned()
        .collect();
    let named = named_ids();
    let unknown: Vec<_> = named.difference(&english).collect();
    let unsaid: Vec<_> = english.difference(&named).collect();
    assert!(unknown.is_empty(), "named but not in en.json: {unknown:?}");
    assert!(unsaid.is_empty(), "in en.json but said nowhere: {unsaid:?}");
}
