//! Properties of the text inputs: build descriptions, keys, the manifest, share links.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cib_core::share_link;
use cib_core::vessel::RESERVED_OWNER_KEY;
use cib_core::{vesselinfo, BuildDescription, Manifest, Platform, PrivateKey, Problems, PublicKey};

/// Text targets read UTF-8; other bytes are the callers' business (they refuse them first).
fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

pub fn description(data: &[u8]) {
    let Some(json) = text(data) else { return };
    match BuildDescription::parse(json) {
        Ok(description) => valid_description(&description),
        Err(problems) => said(&problems),
    }
}

/// Every refusal names at least one problem, each with its place and what is wrong.
fn said(problems: &Problems) {
    assert!(!problems.is_empty(), "refused without a reason");
    for problem in &problems.0 {
        assert!(
            !problem.place.is_none(),
            "a problem without a place: {problem}"
        );
        assert!(
            !problem.kind.to_string().is_empty(),
            "a problem without a message"
        );
    }
}

/// What holds for every description that passed the checks: its JSON reads back as the same
/// value, and when every user in a vessel has a key its vesselinfo is one that Seattle's
/// installer accepts, vessel for vessel, with the reserved vessel last.
pub fn valid_description(description: &BuildDescription) {
    let json = description.to_json();
    assert_eq!(
        BuildDescription::parse(&json).as_ref(),
        Ok(description),
        "to_json does not read back: {json}"
    );
    let key_of = |name: &str| {
        description
            .user(name)
            .unwrap_or_else(|| panic!("{name:?} is in a vessel but not a user"))
            .public_key
            .as_ref()
            .map(ToString::to_string)
    };
    let keyless: Vec<&String> = description
        .vessels
        .iter()
        .flat_map(|v| std::iter::once(&v.owner).chain(&v.users))
        .filter(|name| key_of(name).is_none())
        .collect();
    let text = match vesselinfo::write(description) {
        Err(missing) => {
            assert!(!missing.is_empty());
            assert!(missing.iter().all(|name| keyless.contains(&name)));
            assert!(keyless.iter().all(|name| missing.contains(name)));
            return;
        }
        Ok(text) => text,
    };
    assert!(
        keyless.is_empty(),
        "vesselinfo written without keys for {keyless:?}"
    );
    let read = vesselinfo::Vesselinfo::parse(text.as_bytes());
    assert!(
        read.seattle_accepts(),
        "Seattle's installer refuses the vesselinfo: {}\n{text}",
        read.problems
    );
    assert!(read.ends_with_reserved_vessel());
    let text_of = |key: &Option<vesselinfo::VesselKey>| key.as_ref().map(|k| k.text.clone());
    let installed = read.vessels;
    assert_eq!(installed.len(), description.vessels.len() + 1);
    for (vessel, read) in description.vessels.iter().zip(&installed) {
        assert_eq!(read.percent, Some(i64::from(vessel.percent)));
        assert_eq!(text_of(&read.owner), key_of(&vessel.owner));
        let users: Vec<String> = vessel.users.iter().filter_map(|u| key_of(u)).collect();
        let read_users: Vec<String> = read.users.iter().map(|u| u.text.clone()).collect();
        assert_eq!(read_users, users);
    }
    let reserved = installed.last().expect("the reserved vessel");
    assert_eq!(
        text_of(&reserved.owner).as_deref(),
        Some(RESERVED_OWNER_KEY.trim())
    );
    assert!(reserved.users.is_empty());
}

pub fn public_key(data: &[u8]) {
    let Some(text) = text(data) else { return };
    match PublicKey::parse(text) {
        Err(message) => assert!(!message.is_empty()),
        Ok(key) => {
            let again = key.to_string();
            assert_eq!(PublicKey::parse(&again).as_ref(), Ok(&key));
            assert_eq!(
                again,
                text.trim(),
                "a key is read from its one written form"
            );
            assert_eq!(
                PublicKey::from_parts(key.e().clone(), key.n().clone()),
                Ok(key.clone())
            );
            let bits = key.modulus_bits();
            assert!((512..=16384).contains(&bits));
            let odd = |le: Vec<u8>| le.first().is_some_and(|low| low & 1 == 1);
            assert!(key.e() < key.n() && odd(key.e().to_bytes_le()) && odd(key.n().to_bytes_le()));
            assert!(!key.abbreviated().is_empty());
        }
    }
}

pub fn private_key(data: &[u8]) {
    let Some(text) = text(data) else { return };
    match PrivateKey::parse(text) {
        Err(message) => assert!(!message.is_empty()),
        Ok(key) => {
            let again = key.to_string();
            assert_eq!(
                again,
                text.trim(),
                "a key is read from its one written form"
            );
            assert!(PrivateKey::parse(&again) == Ok(key.clone()));
            assert_eq!(format!("{key:?}"), "PrivateKey(..)");
            // Matching against any public key answers, never panics (p or q of 0 or 1, d of 0...).
            if let Ok(public) = PublicKey::parse(RESERVED_OWNER_KEY) {
                let _ = key.check_matches(&public);
            }
        }
    }
}

pub fn manifest(data: &[u8]) {
    let Some(json) = text(data) else { return };
    match Manifest::parse(json) {
        Err(message) => assert!(!message.is_empty()),
        Ok(manifest) => {
            let again = manifest.to_json();
            assert_eq!(Manifest::parse(&again).as_ref(), Ok(&manifest), "{again}");
            for (name, entry) in &manifest.installers {
                let platform = Platform::ALL.into_iter().find(|p| p.name() == name);
                assert_eq!(platform.and_then(|p| manifest.for_platform(p)), Some(entry));
                assert!(!entry.file.is_empty() && !entry.file.starts_with('.'));
                assert!(!entry.file.contains(['/', '\\', '?', '#']));
                assert_eq!(entry.sha256.len(), 64);
                assert!(entry
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
            }
        }
    }
}

/// Links as typed (the text, if UTF-8) and as encoded (the bytes, base64url'd, to reach past
/// the base64 into the format itself).
pub fn share_link(data: &[u8]) {
    if let Some(link) = text(data) {
        decoded(link);
    }
    decoded(&URL_SAFE_NO_PAD.encode(data));
}

fn decoded(link: &str) {
    match share_link::decode(link) {
        Err(message) => assert!(!message.is_empty()),
        Ok(shared) => {
            let again = share_link::encode(&shared)
                .unwrap_or_else(|e| panic!("a decoded link does not encode: {e}"));
            assert_eq!(share_link::decode(&again).as_ref(), Ok(&shared));
            assert_eq!(
                shared.description.clone().checked().as_ref(),
                Ok(&shared.description)
            );
            assert!(shared.description.users_without_key().next().is_none());
            let mut platforms = shared.platforms.clone();
            platforms.sort_by_key(|p| Platform::ALL.iter().position(|q| q == p));
            platforms.dedup();
            assert_eq!(platforms, shared.platforms);
            valid_description(&shared.description);
        }
    }
}
