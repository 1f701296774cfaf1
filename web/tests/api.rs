//! The JavaScript-facing API in a real browser (headless Chromium): the checks, vesselinfo,
//! WebCrypto keys in Seattle form, zip installers assembled from Blob slices, and the element's
//! reading of its attributes.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cib-web --target wasm32-unknown-unknown --release`

// These run in a browser (wasm-bindgen-test); natively there is nothing of them to build.
#![cfg(target_arch = "wasm32")]

use cib_core::base_installer::{self, pack, TreeEntry};
use cib_core::vessel::RESERVED_OWNER_KEY;
use cib_core::{ArchiveKind, PrivateKey, PublicKey};
use cib_web::api;
use js_sys::{Array, Uint8Array};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn names_and_keys_are_checked_by_the_core() {
    assert_eq!(api::check_user_name("alice_2"), None);
    assert!(api::check_user_name("ab").unwrap().contains("3 to 40"));
    assert!(api::check_user_name("a b").unwrap().contains("' '"));
    assert_eq!(api::check_public_key(RESERVED_OWNER_KEY), None);
    assert!(api::check_public_key("65537 12")
        .unwrap()
        .contains("at least 512"));
    assert!(api::check_public_key("hello").is_some());
}

#[wasm_bindgen_test]
fn vesselinfo_comes_from_a_description() {
    let key = RESERVED_OWNER_KEY.trim();
    let json = format!(
        r#"{{"vessels": [{{"percentage": 80, "owner": "alice", "users": ["bob"]}}],
            "user_data": {{"alice": {{"public_key": "{key}"}}, "bob": {{"public_key": "{key}"}}}}}}"#
    );
    let text =
        api::vesselinfo_from_description(&json).unwrap_or_else(|_| panic!("a valid description"));
    let lines: Vec<&str> = text.split('\n').collect();
    assert_eq!(lines[0], "Percent 80");
    assert_eq!(lines[1], format!("Owner {key}"));
    assert_eq!(lines[2], format!("User {key}"));
    assert_eq!(lines[3], "Percent 20");
    assert!(!text.ends_with('\n'));
    let bad = r#"{"vessels": [{"percentage": 70, "owner": "alice"}], "user_data": {"alice": {}}}"#;
    assert!(api::vesselinfo_from_description(bad).is_err());
}

#[wasm_bindgen_test]
async fn a_webcrypto_key_pair_becomes_matching_seattle_text() {
    let pair = api::webcrypto_key_pair(1024)
        .await
        .unwrap_or_else(|_| panic!("WebCrypto generates"));
    let public = PublicKey::parse(&pair.public_key()).unwrap();
    let private = PrivateKey::parse(&pair.private_key()).unwrap();
    assert_eq!(public.modulus_bits(), 1024);
    assert_eq!(public.e().to_string(), "65537");
    assert!(private.matches(&public));
}

/// Bytes that do not compress, so the archives are large enough to be read from their tail.
fn noise(len: usize, mut seed: u32) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (seed >> 24) as u8
        })
        .collect()
}

fn tree(files: usize, size: usize) -> Vec<TreeEntry> {
    let mut tree = vec![
        TreeEntry::folder("seattle/"),
        TreeEntry::folder("seattle/seattle_repy/"),
    ];
    for i in 0..files {
        let path =
            format!("seattle/seattle_repy/a_rather_long_file_name_to_grow_the_directory_{i:05}.py");
        tree.push(TreeEntry::file(&path, 0o644, noise(size, i as u32)));
    }
    tree
}

fn blob(bytes: &[u8]) -> Blob {
    Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes))).unwrap()
}

async fn bytes_of(blob: &Blob) -> Vec<u8> {
    Uint8Array::new(&JsFuture::from(blob.array_buffer()).await.unwrap()).to_vec()
}

/// Customizing through the JS-facing API gives what the core gives natively.
async fn same_as_native(kind: ArchiveKind, tree: &[TreeEntry]) {
    let base = pack(kind, tree).unwrap();
    let vesselinfo = format!("Percent 80\nOwner {}", RESERVED_OWNER_KEY.trim());
    let native = base_installer::customize(&base, vesselinfo.as_bytes())
        .unwrap()
        .pieces
        .to_vec(&base)
        .unwrap();
    let made = api::customize_installer(blob(&base), vesselinfo.clone())
        .await
        .unwrap_or_else(|_| panic!("customizes"));
    assert_eq!(
        bytes_of(&made).await,
        native,
        "{kind:?}, {} bytes",
        base.len()
    );
}

#[wasm_bindgen_test]
async fn small_archives_are_customized_as_natively() {
    // A tar.gz goes to the worker's module (web/worker/tests), which a test page does not have.
    same_as_native(ArchiveKind::Zip, &tree(3, 100)).await;
}

#[wasm_bindgen_test]
async fn a_zip_is_customized_from_its_tail() {
    // 400 kB of entries: only the last 128 kB are read.
    same_as_native(ArchiveKind::Zip, &tree(4, 100_000)).await;
    // A central directory longer than the first tail: the core asks for earlier bytes.
    same_as_native(ArchiveKind::Zip, &tree(2_000, 10)).await;
}

#[wasm_bindgen_test]
async fn what_is_not_an_installer_is_refused() {
    assert!(
        api::customize_installer(blob(b"not an archive"), "Percent 80".into())
            .await
            .is_err()
    );
    let no_repy = pack(ArchiveKind::Zip, &[TreeEntry::folder("other/")]).unwrap();
    assert!(
        api::customize_installer(blob(&no_repy), "Percent 80".into())
            .await
            .is_err()
    );
}

#[wasm_bindgen_test]
fn the_elements_attributes_are_read_strictly() {
    use cib_core::Platform;
    use cib_web::donation::{button_order, Request};
    let key = RESERVED_OWNER_KEY.trim();
    let request = Request::from_attributes(key, Some(key), Some("windows  linux windows")).unwrap();
    assert_eq!(
        request.platforms,
        Some(vec![Platform::Windows, Platform::Linux])
    );
    let vesselinfo = request.vesselinfo().unwrap();
    assert_eq!(
        vesselinfo,
        format!("Percent 80\nOwner {key}\nUser {key}\nPercent 20\nOwner {key}")
    );
    let alone = Request::from_attributes(key, None, None).unwrap();
    assert_eq!(alone.platforms, None);
    assert!(alone
        .vesselinfo()
        .unwrap()
        .starts_with(&format!("Percent 80\nOwner {key}\nPercent 20")));
    // Every problem at once, each naming its attribute.
    let problems = Request::from_attributes("65537 12", Some("x"), Some("linux beos")).unwrap_err();
    // Said in the page's English catalog, as the element shows them.
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("owner-key: "));
    assert!(problems[1].starts_with("user-key: "));
    assert!(problems[2].contains("\"beos\" is not a platform"));
    assert!(Request::from_attributes(key, None, Some(" ")).is_err());
    assert_eq!(
        button_order(
            [Platform::Linux, Platform::Mac, Platform::Windows],
            Platform::Windows
        ),
        vec![Platform::Windows, Platform::Linux, Platform::Mac]
    );
}

#[wasm_bindgen_test]
fn the_elements_offer_keeps_its_vesselinfo_and_platforms_and_reads_instructions() {
    use cib_core::Platform;
    use cib_web::donation::Request;
    let key = RESERVED_OWNER_KEY.trim();
    let request = Request::from_attributes(key, None, Some("mac")).unwrap();
    let vesselinfo = request.vesselinfo().unwrap();
    let offer = request.clone().offer(None).unwrap();
    assert_eq!(offer.vesselinfo, vesselinfo);
    assert_eq!(offer.platforms, Some(vec![Platform::Mac]));
    assert!(offer.instructions);
    assert!(request.clone().offer(Some("on")).unwrap().instructions);
    assert!(!request.offer(Some("off")).unwrap().instructions);
}
