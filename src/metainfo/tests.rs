use super::*;
use crate::base_installer::{customize, pack, repy_files};
use crate::platform::ArchiveKind;
use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;

// A 512-bit key made with `openssl genrsa 512`; d recomputed as the inverse of e modulo
// (p-1)(q-1), as Seattle's own key generator makes it.
const E_N: &str = "65537 8072489355235667812714407463736995342536120014120484923773290856081482813742451342595753218864972502000356668047279136110459363311944306660003142415907889";
const D_P_Q: &str = "675981835932882874653656227184470305931584092001361387638552576684547319557159873475494144740921180217534529210981533099041270644350534464774687438626753 91576104116311042551122776632065920854187759612349863503794175734202269239679 88150609082286123122656935721606335590995232795308962507389813361744325734991";
const SIGNED_AT: f64 = 1_764_410_000.0;

fn pair() -> KeyPair {
    KeyPair::new(
        PublicKey::parse(E_N).unwrap(),
        PrivateKey::parse(D_P_Q).unwrap(),
    )
    .unwrap()
}

fn other_pair() -> KeyPair {
    use rand::rngs::StdRng;
    use rand::SeedableRng;
    KeyPair::generate(&mut StdRng::seed_from_u64(7), crate::KeyBits::B1024).unwrap()
}

fn file(path: &str, contents: &[u8]) -> TreeEntry {
    TreeEntry::file(path, 0o644, contents.to_vec())
}

/// Listed and skipped files, in the order `cib pack-base-installers` collects them.
fn tiny_tree() -> Vec<TreeEntry> {
    vec![
        TreeEntry::folder("seattle/"),
        file("seattle/install.sh", b"#!/bin/sh\n"),
        TreeEntry::folder("seattle/seattle_repy/"),
        file("seattle/seattle_repy/metainfo", b"unsigned stand-in\n"),
        file("seattle/seattle_repy/nmmain.py", b"print('node')\n"),
        file("seattle/seattle_repy/nodeman.cfg", b"cfg"),
        file("seattle/seattle_repy/old.pyc", b"\0\0"),
        TreeEntry::folder("seattle/seattle_repy/sub/"),
        file("seattle/seattle_repy/sub/x.txt", b"x"),
        file("seattle/seattle_repy/vesselinfo", b"Percent 80"),
    ]
}

fn metainfo_of(tree: &[TreeEntry]) -> &[u8] {
    &tree
        .iter()
        .find(|e| e.path == ARCHIVE_PATH)
        .unwrap()
        .contents
}

#[test]
fn signs_a_tiny_tree_exactly_as_seattles_dist_does() {
    // Written by hand from SEATTLE.md; the SHA-1s are `hashlib.sha1(...).hexdigest()` of the two
    // files, and the signature was computed independently in python3 as
    // pow(int.from_bytes(b"\x01" + hashlib.sha1(TOTAL).digest(), "big"), d, p * q).
    let data = "nmmain.py 03e8fa16d16cb59d9e1e7f8122b2211902dab78f 14\n\
                sub/x.txt 11f6ad8ec52a2984abaafd7c3b516503785c2072 1\n";
    let total = format!("{data}\n!{E_N}!1764410000.0!1767002000.0!None!None");
    let signature = "5665729288622016551002133831378792744532487725262232871124463586266759130908911324875434870412159641231802327027401993682889352663879173771379940481422911";
    let expected = format!("{total}! {signature}");

    let mut tree = tiny_tree();
    sign_tree(&mut tree, &pair(), SIGNED_AT).unwrap();
    assert_eq!(
        String::from_utf8(metainfo_of(&tree).to_vec()).unwrap(),
        expected
    );
    // The stand-in is replaced in place; nothing else moves.
    let paths: Vec<&str> = tree.iter().map(|e| e.path.as_str()).collect();
    let before: Vec<String> = tiny_tree().into_iter().map(|e| e.path).collect();
    assert_eq!(paths, before);

    // Without a metainfo in the tree, it goes where name order puts it.
    let mut tree: Vec<TreeEntry> = tiny_tree()
        .into_iter()
        .filter(|e| e.path != ARCHIVE_PATH)
        .collect();
    sign_tree(&mut tree, &pair(), SIGNED_AT).unwrap();
    assert_eq!(tree[3].path, ARCHIVE_PATH);
    assert_eq!(tree[3].mode, 0o644);
    assert_eq!(metainfo_of(&tree), expected.as_bytes());
}

#[test]
fn times_are_written_as_python_2_str_of_a_float() {
    for (time, text) in [
        (1_764_410_000.0, "1764410000.0"),
        (1_767_002_000.0, "1767002000.0"),
        (1_764_410_000.123_456, "1764410000.12"),
        (1_764_410_000.999_999_9, "1764410001.0"),
        (0.0, "0.0"),
        (0.5, "0.5"),
        (1_234_567.891_234_567, "1234567.89123"),
        (0.000_012_5, "1.25e-05"),
        (1e16, "1e+16"),
        (99_999_999_999.0, "99999999999.0"),
    ] {
        assert_eq!(python_float(time), text, "{time}");
    }
}

#[test]
fn lists_what_writemetainfo_lists() {
    for listed in [
        "nmmain.py",
        "repy/emulcomm.py",
        "seattleinstaller.py",
        "sub/install.sh",
    ] {
        assert!(is_listed(listed), "{listed}");
    }
    for skipped in [
        "a.pyc",
        ".x.swp",
        "nmmain_repy.py",
        "metainfo",
        "old.metainfo",
        "nodeman.cfg",
        "resources.offcut",
        "install.sh",
        "start_seattle.bat",
        "uninstall.sh",
        "vesselinfo",
    ] {
        assert!(!is_listed(skipped), "{skipped}");
    }
    let unreadable = [
        file("seattle/seattle_repy/my file.py", b""),
        file("seattle/seattle_repy/#notes", b""),
    ];
    let err = listing(&unreadable).unwrap_err();
    assert!(err.contains("\"seattle/seattle_repy/my file.py\""), "{err}");
    assert!(err.contains("#notes"), "{err}");
}

#[test]
fn signing_refuses_a_key_that_softwareupdater_py_does_not_trust() {
    let updater = |key: &PublicKey| {
        let (e, n) = (key.e(), key.n());
        file(
            UPDATER_PATH,
            format!("import sys\nsoftwareurl = \"http://x/\"\nsoftwareupdatepublickey = {{'e':{e}, 'n':{n}}}\n").as_bytes(),
        )
    };
    let mut tree = tiny_tree();
    tree.push(updater(&pair().public));
    assert!(sign(&tree, &pair(), SIGNED_AT).is_ok());

    let other = other_pair();
    let err = sign(&tree, &other, SIGNED_AT).unwrap_err();
    assert!(err.contains("could never update"), "{err}");
    assert!(err.contains(&pair().public.abbreviated()), "{err}");
    assert!(err.contains(&other.public.abbreviated()), "{err}");

    let mut no_key = tiny_tree();
    no_key.push(file(UPDATER_PATH, b"print('no key here')\n"));
    assert!(sign(&no_key, &pair(), SIGNED_AT)
        .unwrap_err()
        .contains("has no softwareupdatepublickey"));
}

#[test]
fn signing_refuses_times_outside_seattles_format() {
    for time in [-1.0, f64::NAN, f64::INFINITY, 1e11] {
        assert!(sign(&tiny_tree(), &pair(), time)
            .unwrap_err()
            .contains("not a time between 1970"));
    }
}

#[test]
fn reads_the_updater_key_as_softwareupdater_py_writes_it() {
    let key = pair().public;
    let (e, n) = (key.e(), key.n());
    for script in [
        format!("softwareupdatepublickey = {{'e':{e}, 'n':{n}}}"),
        format!("x = 1\n  softwareupdatepublickey={{\"n\": {n}L, \"e\": {e}L}}  # trusted\n"),
    ] {
        assert_eq!(updater_key(&script).unwrap().unwrap(), key, "{script}");
    }
    assert!(updater_key("softwareurl = 'x'").is_none());
    for bad in [
        format!("softwareupdatepublickey = {{'e':{e}}}"),
        format!("softwareupdatepublickey = {{'e':{e}, 'x':{n}}}"),
        format!("softwareupdatepublickey = ({e}, {n})"),
        "softwareupdatepublickey = {'e':3, 'n':35}".to_string(),
    ] {
        assert!(updater_key(&bad).unwrap().is_err(), "{bad}");
    }
}

fn signed_tree() -> Vec<TreeEntry> {
    let mut tree = tiny_tree();
    sign_tree(&mut tree, &pair(), SIGNED_AT).unwrap();
    tree
}

const NOW: f64 = SIGNED_AT + 100.0;

#[test]
fn verifies_what_it_signed() {
    let tree = signed_tree();
    let verification = verify(&tree, Some(&pair().public), NOW);
    assert_eq!(verification.problems_english(), Vec::<String>::new());
    assert!(verification.unlisted.is_empty());
    let found = verification.found.unwrap();
    assert_eq!(found.signer, pair().public);
    assert_eq!(found.signed_at_text, "1764410000.0");
    assert_eq!(found.expires, Some(SIGNED_AT + VALIDITY_SECONDS));
    assert_eq!(
        found.listed,
        vec![
            Listed::of("nmmain.py", b"print('node')\n"),
            Listed::of("sub/x.txt", b"x")
        ]
    );
    assert!(found.signature_holds);
    assert!(verification.differing.is_empty());
    // Any key is fine when none is expected and there is no softwareupdater.py.
    assert!(verify(&tree, None, NOW).problems.is_empty());
}

#[test]
fn verify_names_the_listed_files_that_differ_or_are_missing() {
    let mut tree = signed_tree();
    entry(&mut tree, "seattle/seattle_repy/sub/x.txt").contents = b"y".to_vec();
    tree.retain(|e| e.path != "seattle/seattle_repy/nmmain.py");
    let verification = verify(&tree, None, NOW);
    assert_eq!(verification.differing, ["nmmain.py", "sub/x.txt"]);
    assert!(verification.found.unwrap().signature_holds);
    let text = &mut entry(&mut tree, ARCHIVE_PATH).contents;
    let at = text.iter().rposition(|&b| b == b'1').unwrap();
    text[at] = b'2';
    assert!(!verify(&tree, None, NOW).found.unwrap().signature_holds);
}

fn problems_after(change: impl FnOnce(&mut Vec<TreeEntry>)) -> Vec<String> {
    let mut tree = signed_tree();
    change(&mut tree);
    verify(&tree, Some(&pair().public), NOW).problems_english()
}

fn entry<'a>(tree: &'a mut [TreeEntry], path: &str) -> &'a mut TreeEntry {
    tree.iter_mut().find(|e| e.path == path).unwrap()
}

#[test]
fn verify_says_what_does_not_hold() {
    let changed =
        problems_after(|t| entry(t, "seattle/seattle_repy/sub/x.txt").contents = b"y".to_vec());
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert!(
        changed[0].starts_with("sub/x.txt differs: SHA-1"),
        "{changed:?}"
    );

    let missing = problems_after(|t| t.retain(|e| e.path != "seattle/seattle_repy/nmmain.py"));
    assert_eq!(missing, ["nmmain.py is listed but missing"]);

    let tampered = problems_after(|t| {
        let text = &mut entry(t, ARCHIVE_PATH).contents;
        let at = text.iter().rposition(|&b| b == b'1').unwrap();
        text[at] = b'2';
    });
    assert_eq!(tampered.len(), 1, "{tampered:?}");
    assert!(tampered[0].contains("signature does not hold"));

    let relisted = problems_after(|t| {
        let text = &mut entry(t, ARCHIVE_PATH).contents;
        text.splice(
            0..0,
            b"extra.py 0000000000000000000000000000000000000000 1\n"
                .iter()
                .copied(),
        );
    });
    assert!(relisted
        .iter()
        .any(|p| p.contains("signature does not hold")));
    assert!(relisted
        .iter()
        .any(|p| p == "extra.py is listed but missing"));

    let other = other_pair();
    let wrong_key = verify(&signed_tree(), Some(&other.public), NOW).problems_english();
    assert_eq!(wrong_key.len(), 1);
    assert!(wrong_key[0].contains("not with the expected updater key"));

    let future = verify(&signed_tree(), None, SIGNED_AT - 1.0).problems_english();
    assert_eq!(future.len(), 1);
    assert!(future[0].contains("in the future"));

    let absent = problems_after(|t| t.retain(|e| e.path != ARCHIVE_PATH));
    assert_eq!(absent, [format!("the installer has no {ARCHIVE_PATH}")]);
    for (garbage, expected) in [
        (&b"no signature"[..], "no '!'"),
        (b"a!b", "not signed data"),
        (b"\xff\xfe", "not text"),
    ] {
        let problems = problems_after(|t| entry(t, ARCHIVE_PATH).contents = garbage.to_vec());
        assert!(problems[0].contains(expected), "{problems:?}");
    }
}

#[test]
fn verify_checks_the_key_of_the_installers_own_updater() {
    let mut tree = tiny_tree();
    tree.retain(|e| e.path != ARCHIVE_PATH);
    let other = other_pair();
    tree.push(file(
        UPDATER_PATH,
        format!(
            "softwareupdatepublickey = {{'e':{}, 'n':{}}}",
            other.public.e(),
            other.public.n()
        )
        .as_bytes(),
    ));
    // Signed as if the check had not been there (a foreign installer made that way).
    let metainfo = signeddata::sign(&lines(&listing(&tree).unwrap()), &pair(), SIGNED_AT);
    tree.push(file(ARCHIVE_PATH, metainfo.as_bytes()));
    let verification = verify(&tree, None, NOW);
    assert_eq!(verification.problems.len(), 1);
    assert!(verification.problems_english()[0].contains("could never update"));
}

#[test]
fn files_the_metainfo_leaves_out_are_reported_apart() {
    let mut tree = signed_tree();
    tree.push(file("seattle/seattle_repy/added.py", b"later"));
    let verification = verify(&tree, None, NOW);
    assert!(verification.problems.is_empty());
    assert_eq!(verification.unlisted, ["added.py"]);
}

#[test]
fn packed_installers_carry_it_and_customizing_leaves_it_alone() {
    let tree = signed_tree();
    for kind in [ArchiveKind::Zip, ArchiveKind::TarGz] {
        let base = pack(kind, &tree).unwrap();
        let files = repy_files(&base).unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                ARCHIVE_PATH,
                "seattle/seattle_repy/nmmain.py",
                "seattle/seattle_repy/nodeman.cfg",
                "seattle/seattle_repy/old.pyc",
                "seattle/seattle_repy/sub/x.txt",
                "seattle/seattle_repy/vesselinfo",
            ],
            "{kind:?}"
        );
        assert!(verify(&files, Some(&pair().public), NOW)
            .problems
            .is_empty());

        let customized = customize(&base, b"Percent 80\nOwner 3 55").unwrap();
        let customized = customized.pieces.to_vec(&base).unwrap();
        let after = repy_files(&customized).unwrap();
        assert_eq!(metainfo_of(&after), metainfo_of(&tree), "{kind:?}");
        assert!(verify(&after, Some(&pair().public), NOW)
            .problems
            .is_empty());
    }
}

#[test]
fn a_private_key_of_another_pair_is_refused_with_the_reason() {
    let public = PublicKey::parse(E_N).unwrap();
    let words: Vec<&str> = D_P_Q.split(' ').collect();
    let d = rsa::BigUint::parse_bytes(words[0].as_bytes(), 10).unwrap() + 2u32;
    let other_d = format!("{d} {} {}", words[1], words[2]);
    let err = KeyPair::new(public.clone(), PrivateKey::parse(&other_d).unwrap()).unwrap_err();
    assert!(
        err.contains("d of the private key is not the inverse"),
        "{err}"
    );
    let other = other_pair();
    let err = KeyPair::new(public, other.private).unwrap_err();
    assert!(err.contains("p * q of the private key is not"), "{err}");
}
