//! `cib vesselinfo`, and how a command that reads a build description reports what is wrong
//! with it.

mod support;

use std::fs;
use support::{cib, stderr, workspace};

#[test]
fn vesselinfo_needs_every_key_and_says_where_to_get_them() {
    let (dir, build) = workspace();
    let out = cib(&["vesselinfo", build.to_str().unwrap()], dir.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("bob has no public key; `cib build` generates"));
}

#[test]
fn invalid_descriptions_list_every_problem_and_print_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{"vessels": [{"percentage": 55, "owner": "bob"}, {"percentage": "20"}], "user_data": {"bob": {"public_key": "3 8"}, "x": {}}}"#,
            &[
                "vessel 1: percentage 55 is not a multiple of 10",
                "vessel 2: percentage must be a whole number",
                "vessel 2: has no owner",
                "user bob: public key: the modulus has 4 bits",
                "user_data: user name \"x\" has 1 characters",
            ][..],
        ),
        (
            r#"{"vessels": [{"percentage": 70, "owner": "bob"}], "user_data": {"bob": {}}}"#,
            &["these total 70%"][..],
        ),
        ("{not json", &["not a JSON object"][..]),
    ];
    let cases = cases.map(|(json, expected)| (json.as_bytes().to_vec(), expected));
    // Not text at all is invalid input too (exit 2), said with where the text stops.
    let not_text = (
        b"{\"vessels\": \xff}".to_vec(),
        &["is not UTF-8 text: it stops being text after 12 bytes"][..],
    );
    for (json, expected) in cases.into_iter().chain([not_text]) {
        let json = &json;
        fs::write(dir.path().join("bad.json"), json).unwrap();
        for command in ["vesselinfo", "build"] {
            let mut args = vec![command, "bad.json"];
            if command == "build" {
                args.extend(["--out", "out"]);
            }
            let out = cib(&args, dir.path());
            assert_eq!(
                out.status.code(),
                Some(2),
                "{}",
                String::from_utf8_lossy(json)
            );
            assert!(out.stdout.is_empty());
            for e in expected {
                assert!(stderr(&out).contains(e), "{e:?} not in {}", stderr(&out));
            }
            assert!(!dir.path().join("out").exists(), "nothing written");
        }
    }
    let missing = cib(&["vesselinfo", "nowhere.json"], dir.path());
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("nowhere.json"));
}
