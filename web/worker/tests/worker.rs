//! The worker's module in headless Chromium: its pieces of a tar.gz are the core's, and its key
//! pairs match. (`cargo test -p cib-worker --target wasm32-unknown-unknown --release`)

use cib_core::base_installer::{self, pack, Piece, TreeEntry};
use cib_core::vessel::RESERVED_OWNER_KEY;
use cib_core::{ArchiveKind, PrivateKey, PublicKey};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn base() -> Vec<u8> {
    let tree = [
        TreeEntry::folder("seattle/"),
        TreeEntry::folder("seattle/seattle_repy/"),
        TreeEntry::file(
            "seattle/seattle_repy/nmmain.py",
            0o644,
            b"print('hi')\n".repeat(500),
        ),
    ];
    pack(ArchiveKind::TarGz, &tree).unwrap()
}

#[wasm_bindgen_test]
fn a_tar_gz_is_customized_as_natively() {
    let base = base();
    let vesselinfo = format!("Percent 80\nOwner {}", RESERVED_OWNER_KEY.trim());
    let native = base_installer::customize(&base, vesselinfo.as_bytes())
        .unwrap()
        .pieces;
    let sent =
        cib_worker::customize_pieces(&base, &vesselinfo).unwrap_or_else(|_| panic!("customizes"));
    assert_eq!(sent.length() as usize, native.as_slice().len());
    for (sent, native) in sent.iter().zip(native.as_slice()) {
        match native {
            Piece::New(bytes) => assert_eq!(&sent.unchecked_into::<Uint8Array>().to_vec(), bytes),
            Piece::Base(range) => {
                let pair: Array = sent.unchecked_into();
                assert_eq!(pair.get(0).as_f64(), Some(range.start as f64));
                assert_eq!(pair.get(1).as_f64(), Some(range.end as f64));
            }
        }
    }
    assert!(cib_worker::customize_pieces(b"not an archive", &vesselinfo).is_err());
}

#[wasm_bindgen_test]
fn a_key_pair_of_the_rsa_crate_matches() {
    let pair = cib_worker::generate_key_pair(1024).unwrap_or_else(|_| panic!("generates"));
    let text = |name: &str| {
        Reflect::get(&pair, &name.into())
            .unwrap()
            .as_string()
            .unwrap()
    };
    let public = PublicKey::parse(&text("public_key")).unwrap();
    let private = PrivateKey::parse(&text("private_key")).unwrap();
    assert_eq!(public.modulus_bits(), 1024);
    assert!(private.matches(&public));
    assert!(cib_worker::generate_key_pair(1000).is_err());
}

#[wasm_bindgen_test]
fn a_qr_code_is_an_svg_or_a_refusal() {
    let svg = cib_worker::qr_svg("http://127.0.0.1:8080/#AQID").unwrap_or_else(|_| panic!("draws"));
    assert!(svg.contains("<svg"), "{svg}");
    // The largest QR code holds 2,953 bytes at the lowest error correction.
    assert!(cib_worker::qr_svg(&"x".repeat(3_000)).is_err());
}
