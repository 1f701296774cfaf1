use super::*;
use crate::vesselinfo::write;
use proptest::prelude::*;
use rsa::BigUint;

/// An odd modulus of `bits` bits: 2^(bits-1) + 1. Not a real key; the format only carries shape.
fn modulus(bits: usize) -> BigUint {
    (BigUint::from(1u32) << (bits - 1)) + BigUint::from(1u32)
}

fn key(e: u32, bits: usize) -> PublicKey {
    PublicKey::from_parts(Natural::from(e), (&modulus(bits)).into()).unwrap()
}

fn user(name: &str, key: PublicKey) -> User {
    User {
        name: name.into(),
        public_key: Some(key),
    }
}

fn vessel(percent: u32, owner: &str, users: &[&str]) -> Vessel {
    Vessel {
        percent,
        owner: owner.into(),
        users: users.iter().map(|u| u.to_string()).collect(),
    }
}

fn bob_alone() -> Shared {
    Shared {
        description: BuildDescription {
            vessels: vec![vessel(80, "bob", &[])],
            users: vec![user("bob", key(3, 512))],
        },
        platforms: vec![Platform::Linux, Platform::Windows],
    }
}

/// A description of several users and vessels, orders deliberately not sorted.
fn several() -> Shared {
    Shared {
        description: BuildDescription {
            vessels: vec![
                vessel(30, "zed", &["carol", "alice"]),
                vessel(50, "alice", &["zed"]),
            ],
            users: vec![
                user("zed", key(65537, 1024)),
                user("alice", key(3, 2048)),
                user("carol", key(65537, 512)),
                user("nobody_in_a_vessel", key(17, 600)),
            ],
        },
        platforms: Platform::ALL.to_vec(),
    }
}

/// The link's bytes, for tests that damage them.
fn bytes_of(shared: &Shared) -> Vec<u8> {
    BASE64.decode(encode(shared).unwrap()).unwrap()
}

fn link_of(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

#[test]
fn a_tiny_description_has_this_exact_fragment() {
    // Written out by hand: format 1, platforms linux|windows (0b0101), 1 user "bob" with
    // e = 3 (1 byte) and n = 2^511 + 1 (64 bytes: 0x80, 62 zeros, 0x01), 1 vessel: 8 tens,
    // owner user 0, no users.
    let mut expected = vec![1, 0b0101, 1, 3, b'b', b'o', b'b', 1, 3, 64, 0x80];
    expected.extend([0; 62]);
    expected.extend([0x01, 1, 8, 0, 0]);
    let fragment = encode(&bob_alone()).unwrap();
    assert_eq!(BASE64.decode(&fragment).unwrap(), expected);
    // The same bytes through Python's base64.urlsafe_b64encode, '=' stripped.
    assert_eq!(
        fragment,
        "AQUBA2JvYgEDQIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEBCAAA"
    );
    assert_eq!(decode(&fragment).unwrap(), bob_alone());
}

#[test]
fn order_and_users_outside_vessels_are_kept_so_vesselinfo_is_the_same() {
    let shared = several();
    let decoded = decode(&encode(&shared).unwrap()).unwrap();
    assert_eq!(decoded, shared);
    assert_eq!(
        write(&decoded.description).unwrap(),
        write(&shared.description).unwrap()
    );
}

#[test]
fn takes_the_fragment_with_or_without_hash_or_the_whole_url() {
    let fragment = encode(&several()).unwrap();
    for link in [
        fragment.clone(),
        format!("#{fragment}"),
        format!("https://cib.example/builder/?x=1#{fragment}"),
        format!("  https://cib.example/#{fragment}\n"),
        // A copy that gained padding still reads.
        format!("{fragment}=="),
    ] {
        assert_eq!(decode(&link).unwrap(), several(), "{link:.60}");
    }
    assert!(decode("https://cib.example/")
        .unwrap_err()
        .contains("no '#'"));
    assert!(decode("https://cib.example/#")
        .unwrap_err()
        .contains("nothing follows '#'"));
    assert!(decode("").unwrap_err().contains("nothing follows"));
}

#[test]
fn refuses_a_user_without_a_key_and_never_writes_private_material() {
    let mut shared = several();
    shared.description.users[1].public_key = None;
    let err = encode(&shared).unwrap_err();
    assert!(err.starts_with("alice has no public key"), "{err}");
    assert!(err.contains("build first"));
}

#[test]
fn says_what_is_wrong_with_a_bad_link() {
    let good = bytes_of(&several());
    let with = |change: &dyn Fn(&mut Vec<u8>)| {
        let mut bytes = good.clone();
        change(&mut bytes);
        decode(&link_of(&bytes)).unwrap_err()
    };
    let cases: Vec<(String, &str)> = vec![
        (with(&|b| b.truncate(200)), "this link ends early: user 2's key modulus is cut off"),
        (with(&|b| b.truncate(1)), "this link ends early: the platforms is cut off"),
        (with(&|b| b[0] = 2), "this link was made by a newer version of cib (format 2); this one reads format 1"),
        (with(&|b| b[0] = 15), "this link was made by a newer version of cib (format 15)"),
        (with(&|b| b[0] = 16), "this link is damaged: it starts with 16, which is no format of a cib link"),
        (with(&|b| b[0] = 0), "this link is damaged: its format is 0"),
        (with(&|b| b[1] = 0x1f), "this link is damaged: it names platforms that do not exist (its platform byte is 31)"),
        (with(&|b| b.push(0)), "this link is damaged: 1 byte follows the end of the description"),
        (with(&|b| b[2] = 0xff), "this link is damaged: the number of users is"),
        // A user count of 2^20 is refused before anything is allocated for it.
        (with(&|b| b.splice(2..3, [0x80, 0x80, 0x40]).for_each(drop)), "this link is damaged: the number of users is 1048576; at most 128 can be"),
        (with(&|b| b.splice(2..3, [0x80, 0x80, 0x80, 0x01]).for_each(drop)), "this link is damaged: the number of users is too large"),
        (with(&|b| b[5] = b' '), "this link's build description is not valid: user_data: user name \"z d\" contains ' '"),
        (with(&|b| b[8] = 0), "this link is damaged: user 1's key exponent is not written the usual way"),
        (with(&|b| *b.last_mut().unwrap() = 9), "this link is damaged: vessel 2 names user 10, but there are 4 users"),
        (with(&|b| { let at = b.len() - 4; b[at] = 4 }), "this link's build description is not valid: vessels: vessel resources must total 80% exactly; these total 70%"),
        (decode("AQ!x").unwrap_err(), "this link is damaged: character 3 ('!') cannot be there in its text"),
        (decode("AQUBA").unwrap_err(), "this link is damaged: its text has a character too many or too few"),
    ];
    for (err, expected) in cases {
        assert!(err.starts_with(expected), "{err:?}\nexpected {expected:?}");
    }
    // A key that cannot be an RSA key is refused by the key's own rule.
    let mut bytes = good.clone();
    // zed's modulus: 128 bytes after its two-byte length, from byte 13; its last byte 0x01 -> 0x02.
    assert_eq!(bytes[11..13], [0x80, 0x01]);
    bytes[140] = 0x02;
    let err = decode(&link_of(&bytes)).unwrap_err();
    assert!(
        err.contains("user \"zed\" has a bad public key: the modulus is even"),
        "{err}"
    );
}

#[test]
fn link_lengths_fit_a_qr_code() {
    let one = Shared {
        description: BuildDescription {
            vessels: vec![vessel(80, "user", &[])],
            users: vec![user("user", key(65537, 1024))],
        },
        platforms: Platform::ALL.to_vec(),
    };
    let names = ["alice", "bob", "carol", "dave"];
    let four = Shared {
        description: BuildDescription {
            vessels: vec![
                vessel(30, "alice", &["bob", "carol", "dave"]),
                vessel(30, "bob", &["alice"]),
                vessel(20, "carol", &["dave"]),
            ],
            users: names.iter().map(|n| user(n, key(65537, 2048))).collect(),
        },
        platforms: Platform::ALL.to_vec(),
    };
    let one = encode(&one).unwrap().len();
    let four = encode(&four).unwrap().len();
    println!("share link fragment: 1 user, 1024-bit key: {one} characters; 4 users, 2048-bit keys: {four} characters");
    assert_eq!(one, 195);
    assert_eq!(four, 1450);
}

fn a_key() -> impl Strategy<Value = PublicKey> {
    (
        proptest::collection::vec(any::<u8>(), 64..=300),
        prop::sample::select(vec![3u32, 17, 65537, 0]),
    )
        .prop_map(|(mut n, e)| {
            n[0] |= 0x80;
            *n.last_mut().unwrap() |= 1;
            let n = BigUint::from_bytes_be(&n);
            // 0 stands for an exponent as long as the modulus, like old Seattle keys'.
            let e = match e {
                0 => &n - BigUint::from(2u32),
                e => BigUint::from(e),
            };
            PublicKey::from_parts((&e).into(), (&n).into()).unwrap()
        })
}

/// Any valid description whose users all have keys, and any set of platforms.
fn a_shared() -> impl Strategy<Value = Shared> {
    let users = proptest::collection::vec(("[a-zA-Z0-9][a-zA-Z0-9_]{2,39}", a_key()), 1..=5);
    let vessels = proptest::collection::vec(
        (
            any::<usize>(),
            proptest::collection::vec(any::<usize>(), 0..5),
        ),
        8,
    );
    (users, any::<u8>(), vessels, 0u8..16).prop_map(|(users, cuts, picks, platforms)| {
        let mut kept: Vec<User> = Vec::new();
        for (name, key) in users {
            if !kept.iter().any(|u| u.name == name) {
                kept.push(user(&name, key));
            }
        }
        // Cuts between the eight tens split the 80% into vessels.
        let mut tens = vec![1u32];
        for cut in 1..8 {
            match cuts & 1 << (cut - 1) != 0 {
                true => tens.push(1),
                false => *tens.last_mut().unwrap() += 1,
            }
        }
        let name = |i: usize| kept[i % kept.len()].name.clone();
        let vessels = tens
            .iter()
            .zip(picks)
            .map(|(t, (owner, users))| {
                let mut names: Vec<String> = Vec::new();
                for u in users {
                    if !names.contains(&name(u)) {
                        names.push(name(u));
                    }
                }
                Vessel {
                    percent: t * 10,
                    owner: name(owner),
                    users: names,
                }
            })
            .collect();
        Shared {
            description: BuildDescription {
                vessels,
                users: kept,
            },
            platforms: platforms_of(platforms).unwrap(),
        }
    })
}

/// Whatever the text decodes to, its link decodes to the same again.
fn decodes_stably(link: &str) -> Result<(), TestCaseError> {
    if let Ok(shared) = decode(link) {
        prop_assert_eq!(decode(&encode(&shared).unwrap()).unwrap(), shared);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_valid_description_round_trips(shared in a_shared()) {
        prop_assert_eq!(shared.description.clone().checked(), Ok(shared.description.clone()));
        let link = encode(&shared).unwrap();
        prop_assert_eq!(decode(&link).unwrap(), shared);
    }

    #[test]
    fn a_damaged_or_truncated_link_gets_an_answer(
        shared in a_shared(),
        changes in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4),
        keep in any::<usize>(),
    ) {
        let mut bytes = bytes_of(&shared);
        for (at, value) in changes {
            let at = at % bytes.len();
            bytes[at] = value;
        }
        bytes.truncate(keep % (bytes.len() + 1));
        decodes_stably(&link_of(&bytes))?;
        let text = encode(&shared).unwrap();
        decodes_stably(&text[..keep % (text.len() + 1)])?;
    }

    #[test]
    fn any_text_gets_an_answer(text in ".{0,300}") {
        decodes_stably(&text)?;
    }

    #[test]
    fn any_bytes_of_format_1_get_an_answer(mut bytes in proptest::collection::vec(any::<u8>(), 1..400)) {
        bytes[0] = FORMAT;
        decodes_stably(&link_of(&bytes))?;
    }
}

#[test]
fn a_link_cut_short_anywhere_says_so() {
    let text = encode(&several()).unwrap();
    for end in 1..text.len() {
        let err = decode(&text[..end]).unwrap_err();
        assert!(
            err.starts_with("this link ends early: ") || err.ends_with("(was it cut short?)"),
            "cut at {end}: {err}"
        );
    }
}
