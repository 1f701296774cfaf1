use super::*;
use crate::key_pair::{KeyBits, KeyPair};
use crate::vesselinfo::{write, Vesselinfo};
use proptest::prelude::*;
use rand::rngs::OsRng;
use std::sync::OnceLock;

/// Real keys are slow to make; a few shared ones serve every test.
fn keys() -> &'static [KeyPair] {
    static KEYS: OnceLock<Vec<KeyPair>> = OnceLock::new();
    KEYS.get_or_init(|| {
        (0..3)
            .map(|_| KeyPair::generate(&mut OsRng, KeyBits::B1024).unwrap())
            .collect()
    })
}

fn key(i: usize) -> String {
    keys()[i].public.to_string()
}

fn problems_of(json: &str) -> Vec<String> {
    BuildDescription::parse(json)
        .unwrap_err()
        .iter()
        .map(|p| p.to_string())
        .collect()
}

#[test]
fn reads_the_legacy_arguments() {
    let json = format!(
        r#"{{"vessels": [{{"percentage": 50, "owner": "alice", "users": ["bob"]}}, {{"percentage": 30, "owner": "bob"}}],
            "user_data": {{"alice": {{"public_key": "{}\n"}}, "bob": {{}}}}}}"#,
        key(0)
    );
    let description = BuildDescription::parse(&json).unwrap();
    assert_eq!(description.vessels.len(), 2);
    assert_eq!(description.vessels[0].users, ["bob"]);
    assert!(description.vessels[1].users.is_empty());
    let missing: Vec<&str> = description
        .users_without_key()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(missing, ["bob"]);
    assert_eq!(write(&description).unwrap_err(), ["bob"]);
}

#[test]
fn vesselinfo_is_byte_for_byte_the_legacy_text() {
    let json = format!(
        r#"{{"vessels": [{{"percentage": 60, "owner": "alice", "users": ["bob", "carol"]}}, {{"percentage": 20, "owner": "bob"}}],
            "user_data": {{"alice": {{"public_key": "{}"}}, "bob": {{"public_key": "{}"}}, "carol": {{"public_key": "{}"}}}}}}"#,
        key(0),
        key(1),
        key(2)
    );
    let text = write(&BuildDescription::parse(&json).unwrap()).unwrap();
    let reserved = crate::vessel::RESERVED_OWNER_KEY.trim();
    let expected = format!(
        "Percent 60\nOwner {}\nUser {}\nUser {}\nPercent 20\nOwner {}\nPercent 20\nOwner {reserved}",
        key(0),
        key(1),
        key(2),
        key(1)
    );
    assert_eq!(text, expected);
    assert!(!text.ends_with('\n'));
    assert!(text.is_ascii());
}

#[test]
fn reports_every_problem_with_its_place() {
    let json = r#"{"vessels": [{"percentage": 55, "owner": "alice"}, {"percentage": "30", "owner": "carol", "users": ["bob", "bob"]},
                   {"percentage": 20.0}, {"owner": "alice", "percentage": 10, "user": ["x"]}],
                  "user_data": {"alice": {"public_key": "65537 12"}, "b b": {}, "bob": {"pubkey": "1"}}}"#;
    let problems = problems_of(json);
    let expect = [
        "user_data: user name \"b b\" contains ' '",
        "user alice: public key: the modulus has 4 bits",
        "user bob: unknown field \"pubkey\"",
        "vessel 1: percentage 55 is not a multiple of 10",
        "vessel 2: percentage must be a whole number such as 40, not the string \"30\"",
        "vessel 2: user \"bob\" is listed twice",
        "vessel 3: percentage must be a whole number such as 40, not a number with a decimal point",
        "vessel 3: has no owner",
        "vessel 4: unknown field \"user\"",
    ];
    for e in expect {
        assert!(
            problems.iter().any(|p| p.starts_with(e)),
            "missing {e:?} in {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expect.len(), "{problems:#?}");
}

#[test]
fn totals_and_counts() {
    let user = format!(
        r#""user_data": {{"alice": {{"public_key": "{}"}}}}"#,
        key(0)
    );
    let vessels = |ps: &[u32]| {
        let list: Vec<String> = ps
            .iter()
            .map(|p| format!(r#"{{"percentage": {p}, "owner": "alice"}}"#))
            .collect();
        format!(r#"{{"vessels": [{}], {user}}}"#, list.join(","))
    };
    assert!(problems_of(&vessels(&[50, 20]))[0].contains("these total 70%"));
    assert!(problems_of(&vessels(&[]))[0].contains("no vessels"));
    assert!(problems_of(&vessels(&[10; 9]))
        .iter()
        .any(|p| p.contains("9 vessels")));
    assert!(BuildDescription::parse(&vessels(&[10; 8])).is_ok());
    assert!(BuildDescription::parse(&vessels(&[80])).is_ok());
    // The reserved 20% is cib's to add; a caller who adds it is told.
    assert!(problems_of(&vessels(&[80, 20]))[0].contains("total 100%"));
}

#[test]
fn refuses_what_is_not_a_description() {
    assert!(problems_of("")[0].starts_with("build description: not a JSON object"));
    assert!(problems_of("[1]")[0].contains("not a JSON object"));
    assert!(problems_of("2.5")[0].ends_with("it is a number with a decimal point"));
    assert!(problems_of(r#""x""#)[0].ends_with("it is the string \"x\""));
    assert!(
        problems_of(r#"{"user_data": {"a": {}, "a": {}}, "vessels": []}"#)
            .iter()
            .any(|p| p.contains("user a is given twice"))
    );
    assert!(problems_of(r#"{"vessels": [], "vessels": []}"#)
        .iter()
        .any(|p| p.contains("\"vessels\" is given twice")));
    assert_eq!(
        problems_of(r#"{"vessels": 3}"#),
        ["vessels: must be a list of vessels"]
    );
    assert!(problems_of(r#"{"user_data": {}}"#)
        .iter()
        .any(|p| p.contains("\"vessels\" is missing")));
    let twice =
        r#"{"vessels": [{"percentage": 80, "owner": "bob"}], "user_data": {"bob": {}, "bob": {}}}"#;
    assert_eq!(problems_of(twice), ["user_data: user bob is given twice"]);
}

#[test]
fn to_json_fills_keys_and_reads_back_the_same() {
    let json =
        r#"{"vessels": [{"percentage": 80, "owner": "bob"}], "user_data": {"zed": {}, "bob": {}}}"#;
    let mut description = BuildDescription::parse(json).unwrap();
    description
        .set_public_key("bob", keys()[0].public.clone())
        .unwrap();
    assert!(description
        .set_public_key("nobody", keys()[0].public.clone())
        .is_err());
    let again = BuildDescription::parse(&description.to_json()).unwrap();
    assert_eq!(again, description);
    // user_data keeps its order.
    let json = description.to_json();
    assert!(json.find("\"zed\": {") < json.find("\"bob\": {"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Description -> vesselinfo -> the installer's reading gives back the same vessels.
    #[test]
    fn vesselinfo_reads_back_as_the_same_vessels(
        tens in proptest::collection::vec(1u32..=8, 1..=8).prop_filter("total 8", |t| t.iter().sum::<u32>() == 8),
        picks in proptest::collection::vec((0usize..3, proptest::collection::vec(0usize..3, 0..3)), 8),
    ) {
        let names = ["alice", "bob", "carol"];
        let vessels: Vec<String> = tens.iter().zip(&picks).map(|(t, (owner, users))| {
            let mut users: Vec<&str> = users.iter().map(|&u| names[u]).collect();
            users.dedup();
            users.sort();
            users.dedup();
            format!(r#"{{"percentage": {}, "owner": "{}", "users": {:?}}}"#, t * 10, names[*owner], users)
        }).collect();
        let json = format!(
            r#"{{"vessels": [{}], "user_data": {{"alice": {{"public_key": "{}"}}, "bob": {{"public_key": "{}"}}, "carol": {{"public_key": "{}"}}}}}}"#,
            vessels.join(","), key(0), key(1), key(2)
        );
        let description = BuildDescription::parse(&json).unwrap();
        let read = Vesselinfo::parse(write(&description).unwrap().as_bytes());
        prop_assert!(read.seattle_accepts(), "{}", read.problems);
        prop_assert!(read.unusable_keys.is_empty());
        prop_assert!(read.ends_with_reserved_vessel());
        let read = read.vessels;
        prop_assert_eq!(read.len(), description.vessels.len() + 1);
        let text = |key: &Option<crate::vesselinfo::VesselKey>| key.as_ref().map(|k| k.text.clone());
        for (vessel, installed) in description.vessels.iter().zip(&read) {
            let key_of = |n: &str| description.user(n).unwrap().public_key.as_ref().unwrap().to_string();
            prop_assert_eq!(installed.percent, Some(i64::from(vessel.percent)));
            prop_assert_eq!(text(&installed.owner), Some(key_of(&vessel.owner)));
            let users: Vec<String> = vessel.users.iter().map(|u| key_of(u)).collect();
            let read_users: Vec<String> = installed.users.iter().map(|u| u.text.clone()).collect();
            prop_assert_eq!(&read_users, &users);
        }
        prop_assert_eq!(read.last().unwrap().percent, Some(20));
        prop_assert_eq!(text(&read.last().unwrap().owner), Some(crate::vessel::RESERVED_OWNER_KEY.trim().to_string()));
    }

    /// Whatever the text, parsing answers without panicking.
    #[test]
    fn any_text_gets_an_answer(text in ".{0,200}") {
        let _ = BuildDescription::parse(&text);
    }
}

#[test]
fn names_found_only_in_vessels_are_users_without_a_key() {
    // The legacy builder's own test: keys for alex and darren only.
    let json = format!(
        r#"{{"vessels": [{{"percentage": 60, "owner": "alex", "users": ["bob"]}},
                         {{"percentage": 20, "owner": "carl", "users": ["darren", "bob"]}}],
            "user_data": {{"alex": {{"public_key": "{}"}}, "darren": {{"public_key": "{}"}}}}}}"#,
        key(0),
        key(1)
    );
    let (description, unlisted) = BuildDescription::parse_noting_unlisted(&json).unwrap();
    assert_eq!(unlisted, ["bob", "carl"]);
    let names: Vec<&str> = description.users.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["alex", "darren", "bob", "carl"]);
    let keyless: Vec<&str> = description
        .users_without_key()
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(keyless, ["bob", "carl"]);
    assert_eq!(
        description.user("darren").unwrap().public_key,
        Some(PublicKey::parse(&key(1)).unwrap())
    );

    // Without user_data (left out or null), every name is found in the vessels.
    for user_data in ["", r#", "user_data": null"#] {
        let json = format!(r#"{{"vessels": [{{"percentage": 80, "owner": "owner"}}]{user_data}}}"#);
        let (description, unlisted) = BuildDescription::parse_noting_unlisted(&json).unwrap();
        assert_eq!(unlisted, ["owner"], "{json}");
        assert_eq!(description.users_without_key().count(), 1);
    }

    // A name that is found only in a vessel meets the name rules there.
    let bad = r#"{"vessels": [{"percentage": 80, "owner": "a b", "users": ["x"]}]}"#;
    assert_eq!(
        problems_of(bad),
        [
            "vessel 1: user name \"a b\" contains ' '; use only letters, digits and _",
            "vessel 1: user name \"x\" has 1 characters; it needs 3 to 40",
        ]
    );
    assert!(problems_of(r#"{"vessels": [], "user_data": []}"#)
        .iter()
        .any(|p| p.starts_with("user_data: must be an object")));
}
