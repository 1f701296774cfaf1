use super::{write, Vesselinfo};
use crate::vessel::RESERVED_OWNER_KEY;

/// A usable 512-bit key's text (2^511 + 1 is odd; the checks are about shape, not primes).
fn key() -> String {
    let n = (rsa::BigUint::from(1u32) << 511usize) + rsa::BigUint::from(1u32);
    format!("65537 {n}")
}

fn problems(text: &str) -> Vec<String> {
    Vesselinfo::parse(text.as_bytes())
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn accepted(text: &str) -> Vesselinfo {
    let read = Vesselinfo::parse(text.as_bytes());
    assert!(read.seattle_accepts(), "{text:?}: {}", read.problems);
    read
}

#[test]
fn reads_vessels_owners_and_users_in_order() {
    let read = accepted(
        "Percent 60\nOwner 17 3233\nUser 3 3127\nUser 5 77\nPercent 20\nOwner 7 4087\nPercent 20\nOwner 5 77",
    );
    assert_eq!(read.vessels.len(), 3);
    let first = &read.vessels[0];
    assert_eq!((first.line, first.percent), (1, Some(60)));
    assert_eq!(first.owner.as_ref().unwrap().text, "17 3233");
    let users: Vec<(usize, &str)> = first
        .users
        .iter()
        .map(|u| (u.line, u.text.as_str()))
        .collect();
    assert_eq!(users, [(3, "3 3127"), (4, "5 77")]);
    assert!(!read.ends_with_reserved_vessel());
}

#[test]
fn a_line_ends_at_newline_only_and_a_final_newline_is_fine() {
    accepted("Percent 100\nOwner 1 2\n");
    // `\r` is whitespace inside a line, not a line break: `\r\n` endings are fine...
    let read = accepted("Percent 100\r\nOwner 1 2\r\n");
    assert_eq!(read.vessels[0].owner.as_ref().unwrap().text, "1 2");
    // ...but with `\r` alone the file is one line, `Percent 100 Owner 1 2`, whose vessel has no owner.
    assert_eq!(
        problems("Percent 100\rOwner 1 2\r"),
        ["line 1: the vessel that starts here has no Owner line"]
    );
}

#[test]
fn words_split_at_ascii_whitespace_only() {
    let read = accepted("Percent\t100\nOwner \x0b 1\x0c2 \t\r");
    assert_eq!(read.vessels[0].owner.as_ref().unwrap().text, "1 2");
    // \x1c to \x1f and non-ASCII bytes are part of words (Python's str.split() keeps them).
    assert_eq!(
        problems("Percent 100\nOwner 1\x1c 2"),
        ["line 2: Owner: the key's e \"1\\u{1c}\" is not a whole number"]
    );
    assert_eq!(
        problems("Percent\u{a0}100\nOwner 1 2"),
        [
            "line 2: Owner comes before any Percent line",
            "there is no vessel: no line starts with Percent"
        ]
    );
}

#[test]
fn a_blank_line_is_refused() {
    assert_eq!(
        problems("Percent 100\n\nOwner 1 2"),
        ["line 2: the line is blank"]
    );
    assert_eq!(
        problems("Percent 100\nOwner 1 2\n \t\n"),
        ["line 3: the line is blank"]
    );
    assert_eq!(
        problems("Percent 100\nOwner 1 2\n\n"),
        ["line 3: the line is blank"]
    );
    // An empty file has no line, blank or not.
    assert_eq!(
        problems(""),
        ["there is no vessel: no line starts with Percent"]
    );
    assert_eq!(
        problems("\n"),
        [
            "line 1: the line is blank",
            "there is no vessel: no line starts with Percent"
        ]
    );
}

#[test]
fn numbers_are_read_as_python_2_reads_them() {
    // int(): sign and leading zeros, no L; long(): the same, and a trailing L or l.
    let read = accepted("Percent +0100\nOwner 0017L -03233l\nUser -0 000");
    let vessel = &read.vessels[0];
    assert_eq!(vessel.percent, Some(100));
    assert_eq!(vessel.owner.as_ref().unwrap().text, "17 -3233");
    assert_eq!(vessel.users[0].text, "0 0");
    assert_eq!(
        problems("Percent 100L\nOwner 1 2"),
        ["line 1: the percentage \"100L\" is not a whole number"]
    );
    for (word, shown) in [
        ("1_0", "\"1_0\""),
        ("0x10", "\"0x10\""),
        ("+", "\"+\""),
        ("L", "\"L\""),
        ("5LL", "\"5LL\""),
        ("٣", "\"٣\""),
    ] {
        assert_eq!(
            problems(&format!("Percent 100\nOwner 3 {word}")),
            [format!(
                "line 2: Owner: the key's n {shown} is not a whole number"
            )]
        );
    }
    assert_eq!(
        problems("Percent 99999999999999999999\nOwner 1 2"),
        ["line 1: the percentage 99999999999999999999 is not one of 10, 20, ..., 100"]
    );
}

#[test]
fn lines_with_other_first_words_are_ignored() {
    let read = Vesselinfo::parse(
        b"# a comment\nPercent 100\npercent 50\nComment Owner 1\nOwner 1 2 and more\n\x01\xff",
    );
    assert!(read.seattle_accepts(), "{}", read.problems);
    assert_eq!(read.vessels.len(), 1);
    assert_eq!(read.vessels[0].owner.as_ref().unwrap().text, "1 2");
}

#[test]
fn owner_and_user_need_a_vessel_and_a_key() {
    assert_eq!(
        problems("User 1 2\nPercent 100\nOwner 1 2"),
        ["line 1: User comes before any Percent line"]
    );
    assert_eq!(
        problems("Owner 1 2\nPercent 100\nOwner 1 2"),
        ["line 1: Owner comes before any Percent line"]
    );
    assert_eq!(
        problems("Percent 100\nOwner 1"),
        ["line 2: Owner is not followed by a key (two numbers, e and n)"]
    );
    assert_eq!(
        problems("Percent 100\nOwner 1 2\nUser"),
        ["line 3: User is not followed by a key (two numbers, e and n)"]
    );
    assert_eq!(
        problems("Percent\nOwner 1 2"),
        ["line 1: Percent is not followed by a percentage"]
    );
    // A second Owner replaces the first.
    let read = accepted("Percent 100\nOwner 1 2\nOwner 3 4");
    assert_eq!(read.vessels[0].owner.as_ref().unwrap().text, "3 4");
}

#[test]
fn every_vessel_needs_an_owner_and_there_must_be_one() {
    assert_eq!(
        problems("Percent 50\nPercent 50\nOwner 1 2"),
        ["line 1: the vessel that starts here has no Owner line"]
    );
    assert_eq!(
        problems("Percent 50\nOwner 1 2\nPercent 50\nUser 1 2"),
        ["line 3: the vessel that starts here has no Owner line"]
    );
    assert_eq!(
        problems("# only a comment"),
        ["there is no vessel: no line starts with Percent"]
    );
}

#[test]
fn percentages_are_tens_to_100_and_total_100() {
    assert_eq!(
        problems("Percent 85\nOwner 1 2\nPercent 15\nOwner 1 2"),
        [
            "line 1: the percentage 85 is not one of 10, 20, ..., 100",
            "line 3: the percentage 15 is not one of 10, 20, ..., 100"
        ]
    );
    assert_eq!(
        problems("Percent 70\nOwner 1 2\nPercent 20\nOwner 1 2"),
        ["the vessels total 90%, not 100%"]
    );
    assert_eq!(
        problems("Percent 110\nOwner 1 2\nPercent -10\nOwner 1 2"),
        [
            "line 1: the percentage 110 is not one of 10, 20, ..., 100",
            "line 3: the percentage -10 is not one of 10, 20, ..., 100"
        ]
    );
    assert_eq!(
        problems("Percent 0\nOwner 1 2\nPercent 100\nOwner 1 2"),
        ["line 1: the percentage 0 is not one of 10, 20, ..., 100"]
    );
    // Every problem at once, in the order of the lines, the whole file's last.
    assert_eq!(
        problems("User 1 2\nPercent 85\n\nPercent x\nOwner 1 2"),
        [
            "line 1: User comes before any Percent line",
            "line 3: the line is blank",
            "line 2: the vessel that starts here has no Owner line",
            "line 4: the percentage \"x\" is not a whole number",
            "line 2: the percentage 85 is not one of 10, 20, ..., 100"
        ]
    );
}

#[test]
fn keys_the_installer_takes_but_no_node_can_use_are_noted_apart() {
    let good = key();
    let n = good.split(' ').nth(1).unwrap();
    let text = format!(
        "Percent 80\nOwner {good}\nUser 3 3127\nUser -5 {n}\nPercent 20\nOwner {}",
        RESERVED_OWNER_KEY.trim()
    );
    let read = accepted(&text);
    assert!(read.ends_with_reserved_vessel());
    let unusable: Vec<(usize, String)> = read
        .unusable_keys
        .iter()
        .map(|k| (k.line, k.why.to_string()))
        .collect();
    assert_eq!(
        unusable,
        [
            (3, "the modulus has 12 bits; at least 512 are needed".into()),
            (4, "a number is negative; it must be positive".into())
        ]
    );
    assert_eq!(read.unusable_keys[0].key, "3 3127");
    let owner = read.vessels[0].owner.as_ref().unwrap();
    assert_eq!(owner.bits(), Some(512));
    assert_eq!(owner.fingerprint(), crate::public_key::fingerprint(&good));
    assert_eq!(read.vessels[0].users[0].bits(), Some(12));
    assert_eq!(read.vessels[0].users[1].bits(), Some(512));
    assert_eq!(
        Vesselinfo::parse(b"Percent 100\nOwner 1 -2").vessels[0]
            .owner
            .as_ref()
            .unwrap()
            .bits(),
        None
    );
}

#[test]
fn the_reserved_vessel_is_20_percent_of_the_seattle_key_alone() {
    let reserved = RESERVED_OWNER_KEY.trim();
    let ends = |text: &str| Vesselinfo::parse(text.as_bytes()).ends_with_reserved_vessel();
    assert!(ends(&format!(
        "Percent 80\nOwner 1 2\nPercent 20\nOwner {reserved}"
    )));
    assert!(!ends(&format!(
        "Percent 70\nOwner 1 2\nPercent 30\nOwner {reserved}"
    )));
    assert!(!ends(&format!(
        "Percent 80\nOwner 1 2\nPercent 20\nOwner {reserved}\nUser 1 2"
    )));
    assert!(!ends(&format!(
        "Percent 20\nOwner {reserved}\nPercent 80\nOwner 1 2"
    )));
    assert!(!ends(""));
}

#[test]
fn what_cib_writes_has_the_reserved_vessel_last() {
    let json = format!(
        r#"{{"vessels": [{{"percentage": 80, "owner": "alice"}}], "user_data": {{"alice": {{"public_key": "{}"}}}}}}"#,
        key()
    );
    let description = crate::BuildDescription::parse(&json).unwrap();
    let read = accepted(&write(&description).unwrap());
    assert!(read.ends_with_reserved_vessel());
    assert!(read.unusable_keys.is_empty());
}
