use super::*;
use std::collections::{BTreeMap, BTreeSet};

/// Every message the core can say, one or more of each variant, with a tag for its variant.
fn every_message() -> Vec<(String, Message, String)> {
    fn tagged<T: Localized + fmt::Debug + fmt::Display>(
        samples: Vec<T>,
        kind: &str,
    ) -> Vec<(String, Message, String)> {
        samples
            .into_iter()
            .map(|s| {
                let debug = format!("{s:?}");
                let variant = debug.split(['(', ' ', '{']).next().unwrap().to_string();
                (format!("{kind}::{variant}"), s.message(), s.to_string())
            })
            .collect()
    }
    let placed = Problem::new(Place::Vessel(2), ProblemKind::NoOwner);
    let mut all = tagged(ProblemKind::samples(), "ProblemKind");
    all.extend(tagged(Place::samples(), "Place"));
    all.extend(tagged(Found::samples(), "Found"));
    all.extend(tagged(LinkPart::samples(), "LinkPart"));
    all.extend(tagged(vec![placed], "Problem"));
    all
}

fn placeholders(pattern: &str) -> BTreeSet<&str> {
    pattern.split('{').skip(1).filter_map(placeholder).collect()
}

#[test]
fn every_message_has_an_english_pattern_with_exactly_its_arguments() {
    for (variant, message, display) in every_message() {
        assert!(!display.is_empty(), "{variant}");
        let pattern = english::pattern(message.id)
            .unwrap_or_else(|| panic!("{variant}: {} is not in ENGLISH", message.id));
        let names: BTreeSet<&str> = message.args.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            names.len(),
            message.args.len(),
            "{variant}: an argument twice"
        );
        for form in pattern.forms() {
            // The count that chooses a plural form need not be written in it.
            let mut said = placeholders(form);
            if let Pattern::Plural { .. } = pattern {
                said.insert("count");
            }
            assert_eq!(said, names, "{variant}: {form}");
        }
        if let Pattern::Plural { .. } = pattern {
            let count = message.args.iter().find(|(name, _)| *name == "count");
            assert!(
                matches!(count, Some((_, Arg::Number(_)))),
                "{variant}: a plural needs a number `count`"
            );
        }
    }
}

#[test]
fn ids_are_one_per_variant_and_every_english_id_is_sampled() {
    let mut variant_of: BTreeMap<&str, String> = BTreeMap::new();
    let all = every_message();
    for (variant, message, _) in &all {
        if let Some(other) = variant_of.insert(message.id, variant.clone()) {
            assert_eq!(&other, variant, "{} names two variants", message.id);
        }
    }
    let english: BTreeSet<&str> = ENGLISH.iter().map(|(id, _)| *id).collect();
    assert_eq!(english.len(), ENGLISH.len(), "an id twice in ENGLISH");
    let sampled: BTreeSet<&str> = variant_of.keys().copied().collect();
    assert_eq!(english, sampled);
    for id in english {
        let kebab = id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        assert!(
            kebab && (id.starts_with("problem-") || id.starts_with("place-")),
            "{id}"
        );
    }
}

#[test]
fn the_pages_english_catalog_holds_the_cores_messages() {
    let file: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(include_str!("../../web/i18n/en.json")).unwrap();
    let ours: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&english_catalog_json()).unwrap();
    // The page's own strings share the file; the core's are those with its prefixes.
    let core: serde_json::Map<String, serde_json::Value> = file
        .into_iter()
        .filter(|(id, _)| id.starts_with("problem-") || id.starts_with("place-"))
        .collect();
    assert_eq!(
        core, ours,
        "web/i18n/en.json is out of date: write english_catalog_json() into it"
    );
}

#[test]
fn english_is_the_patterns_filled() {
    let problem = Problem::new(Place::UserKey("bob".into()), ProblemKind::ModulusEven);
    assert_eq!(
        problem.to_string(),
        "user bob: public key: the modulus is even, so it is not a product of two odd primes"
    );
    assert_eq!(
        ProblemKind::UserDataNotObject.to_string(),
        r#"must be an object from user name to {"public_key": "e n"} or {}"#
    );
    let link = |bytes| ProblemKind::LinkTrailingBytes { bytes }.to_string();
    assert_eq!(
        link(1),
        "this link is damaged: 1 byte follows the end of the description"
    );
    assert_eq!(
        link(2),
        "this link is damaged: 2 bytes follow the end of the description"
    );
}

#[test]
fn typed_text_is_quoted_as_rust_quotes_it() {
    for name in ["a\"b", "tab\there", "back\\slash", "new\nline", "é'"] {
        let said = ProblemKind::VesselUserTwice { name: name.into() }.to_string();
        assert_eq!(said, format!("user {name:?} is listed twice"));
    }
    for c in ['\'', '"', '\n', 'ø'] {
        let said = ProblemKind::NotADigit { character: c }.to_string();
        assert_eq!(said, format!("{c:?} is not a decimal digit"));
    }
}

#[test]
fn a_message_serializes_with_its_arguments_by_name() {
    let problem = Problem::new(
        Place::Vessel(2),
        ProblemKind::PercentNotWhole {
            found: Found::ShortString("x".into()),
        },
    );
    let json = serde_json::to_value(problem.message()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"id": "problem-at", "args": {
            "place": {"id": "place-vessel", "args": {"index": 2}},
            "problem": {"id": "problem-vessel-percent-not-whole", "args": {
                "found": {"id": "problem-found-string", "args": {"text": "x"}}
            }}
        }})
    );
}
