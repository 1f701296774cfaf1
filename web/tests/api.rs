//! The JavaScript-facing API in a real browser (headless Chromium): the checks, vesselinfo,
//! WebCrypto keys in Seattle form, and the element's reading of its attributes. Customizing
//! happens in the worker's module (web/worker/tests), which a test page does not have.
//!
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test -p cib-web --target wasm32-unknown-unknown --release`

// These run in a browser (wasm-bindgen-test); natively there is nothing of them to build.
#![cfg(target_arch = "wasm32")]

use cib_core::vessel::RESERVED_OWNER_KEY;
use cib_core::{PrivateKey, PublicKey};
use cib_web::api;
use wasm_bindgen_test::*;

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
