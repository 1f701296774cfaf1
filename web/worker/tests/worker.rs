//! The worker's module in headless Chromium: its pieces of a tar.gz and of a zip read from its
//! tail are the core's, its key zips are the core's, and its key pairs match. (`cargo test -p cib-worker --target wasm32-unknown-unknown --release`)

use cib_core::base_installer::{self, pack, Piece, TreeEntry};
use cib_core::vessel::RESERVED_OWNER_KEY;
use cib_core::{ArchiveKind, PrivateKey, PublicKey};
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[path = "../../../tests/cli/hostile_archives.rs"]
mod hostile_archives;

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

/// A zip customized by the worker's module as the page asks it: from its tail, then from as far
/// back as it says it needs. The answer's bytes, and how many times it asked for more.
fn zip_from_tail(base: &[u8], vesselinfo: &str) -> Result<(Vec<u8>, usize), JsValue> {
    let mut start = base_installer::zip_tail_start(base.len() as u64);
    let mut asks = 0;
    loop {
        let answer =
            cib_worker::customize_zip_tail(&base[start as usize..], start as f64, vesselinfo)?;
        if let Some(earlier) = Reflect::get(&answer, &"needs".into())?.as_f64() {
            assert!((earlier as u64) < start, "asked for {earlier} from {start}");
            (start, asks) = (earlier as u64, asks + 1);
            continue;
        }
        let pieces: Array = Reflect::get(&answer, &"pieces".into())?.unchecked_into();
        let mut bytes = Vec::new();
        for piece in pieces.iter() {
            match piece.dyn_ref::<Uint8Array>() {
                Some(new) => bytes.extend(new.to_vec()),
                None => {
                    let range: Array = piece.unchecked_into();
                    let [from, to] = [0, 1].map(|i| range.get(i).as_f64().unwrap() as usize);
                    bytes.extend_from_slice(&base[from..to]);
                }
            }
        }
        return Ok((bytes, asks));
    }
}

#[wasm_bindgen_test]
fn a_zip_is_customized_from_its_tail_as_natively() {
    let vesselinfo = format!("Percent 80\nOwner {}", RESERVED_OWNER_KEY.trim());
    // Small; 400 kB of entries, of which only the tail is read; and a central directory longer
    // than the first tail, for which the worker asks for earlier bytes.
    for (files, size, asks) in [(3, 100, 0), (4, 100_000, 0), (2_000, 10, 1)] {
        let base = pack(ArchiveKind::Zip, &tree(files, size)).unwrap();
        let native = base_installer::customize(&base, vesselinfo.as_bytes())
            .unwrap()
            .pieces
            .to_vec(&base)
            .unwrap();
        let (made, asked) = zip_from_tail(&base, &vesselinfo)
            .unwrap_or_else(|_| panic!("customizes {files} files"));
        assert_eq!(made, native, "{files} files of {size} bytes");
        assert_eq!(asked, asks, "{files} files of {size} bytes");
    }
    // What is not a base installer is refused with the core's message for the page.
    let no_repy = pack(ArchiveKind::Zip, &[TreeEntry::folder("other/")]).unwrap();
    for refused in [b"not an archive".to_vec(), no_repy] {
        let error = zip_from_tail(&refused, &vesselinfo).expect_err("refused");
        let said = Reflect::get(&error, &"said".into()).unwrap().as_string();
        assert!(said.is_some_and(|s| s.starts_with("{\"id\":\"problem-")));
    }
}

#[wasm_bindgen_test]
fn the_key_zips_are_the_core_s() {
    let reserved = PublicKey::parse(RESERVED_OWNER_KEY).unwrap();
    let names = vec!["alice".to_string(), "bob".to_string()];
    let keys = vec![reserved.to_string(); 2];
    let public = cib_worker::public_keys_zip(names.clone(), keys.clone())
        .unwrap_or_else(|_| panic!("writes public_keys.zip"));
    let native = cib_core::key_files::public_keys_zip([("alice", &reserved), ("bob", &reserved)]);
    assert_eq!(public, native);

    let pair = cib_worker::generate_key_pair(1024).unwrap_or_else(|_| panic!("generates"));
    let private = Reflect::get(&pair, &"private_key".into())
        .unwrap()
        .as_string()
        .unwrap();
    let zip = cib_worker::private_keys_zip(vec!["carol".into()], vec![private.clone()])
        .unwrap_or_else(|_| panic!("writes private_keys.zip"));
    let key = PrivateKey::parse(&private).unwrap();
    assert_eq!(
        zip,
        cib_core::key_files::private_keys_zip([("carol", &key)])
    );

    // A key that is not one is refused, and nothing is written.
    assert!(cib_worker::public_keys_zip(names, vec!["65537".into(), keys[1].clone()]).is_err());
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

/// The worker refuses the hostile archive `name` with the core's message, and so does the page's
/// way of customizing a zip (from its tail, fetching earlier bytes when told).
fn refused_in_the_browser(name: &str) {
    let base = hostile_archives::named(name);
    let vesselinfo = format!("Percent 80\nOwner {}", RESERVED_OWNER_KEY.trim());
    let error = cib_worker::customize_pieces(&base, &vesselinfo).expect_err(name);
    // The core's message for the page to say in its language, and its English as the text.
    let said = Reflect::get(&error, &"said".into()).unwrap().as_string();
    let said = said.unwrap_or_else(|| panic!("{name}: no said"));
    assert!(said.starts_with("{\"id\":\"problem-"), "{name}: {said}");
    let message = js_sys::Error::from(error).message().as_string().unwrap();
    let expected = hostile_archives::refusal(name);
    assert!(
        expected.iter().all(|gist| message.contains(gist)),
        "{name}: {message}"
    );
    // Checking the installer refuses it with customizing's words.
    let error = cib_worker::check_installer(&base, 0.0, 0.0).expect_err(name);
    let checked = js_sys::Error::from(error).message();
    let checked = checked.as_string().unwrap();
    assert!(
        expected.iter().all(|gist| checked.contains(gist)),
        "{name} checked: {checked}"
    );
    if name.ends_with(".zip") {
        // Customized from its tail, as the page asks the worker.
        let error = zip_from_tail(&base, &vesselinfo).expect_err(name);
        let error = js_sys::Error::from(error).message().as_string().unwrap();
        assert!(
            expected.iter().all(|gist| error.contains(gist)),
            "{name} from its tail: {error}"
        );
    }
}

#[wasm_bindgen_test]
fn a_tar_gz_that_unpacks_to_3_gib_is_refused() {
    refused_in_the_browser("bomb.tgz");
}

#[wasm_bindgen_test]
fn a_tar_gz_that_unpacks_past_the_limit_within_its_claims_is_refused() {
    refused_in_the_browser("bomb-within-claims.tgz");
}

#[wasm_bindgen_test]
fn a_tar_gz_of_300_000_entries_is_refused() {
    refused_in_the_browser("tar-entries.tgz");
}

#[wasm_bindgen_test]
fn a_zip_of_300_000_entries_is_refused() {
    refused_in_the_browser("zip-entries.zip");
}

#[wasm_bindgen_test]
fn a_zip_claiming_a_2_gb_directory_is_refused() {
    refused_in_the_browser("huge-directory.zip");
}

#[wasm_bindgen_test]
fn a_64_mb_pax_path_is_refused() {
    refused_in_the_browser("pax-path.tgz");
}

#[wasm_bindgen_test]
fn a_60_000_level_path_is_refused() {
    refused_in_the_browser("deep-path.tgz");
}

#[wasm_bindgen_test]
fn a_sparse_entry_claiming_1_tib_is_refused() {
    refused_in_the_browser("sparse.tgz");
}

#[wasm_bindgen_test]
fn a_zip64_with_lying_sizes_is_refused() {
    refused_in_the_browser("zip64-lying.zip");
}

#[wasm_bindgen_test]
fn an_installer_is_checked_and_a_public_keys_zip_read() {
    let reserved = RESERVED_OWNER_KEY.trim();
    let tree = [
        TreeEntry::folder("seattle/"),
        TreeEntry::folder("seattle/seattle_repy/"),
        TreeEntry::file(
            "seattle/seattle_repy/vesselinfo",
            0o644,
            format!("Percent 80\nOwner {reserved}\nUser 3 3127\nPercent 20\nOwner {reserved}")
                .into_bytes(),
        ),
    ];
    let installer = pack(ArchiveKind::TarGz, &tree).unwrap();
    let json =
        cib_worker::check_installer(&installer, 0.0, 0.0).unwrap_or_else(|_| panic!("checks"));
    let found = js_sys::JSON::parse(&json).unwrap();
    let get = |v: &JsValue, name: &str| Reflect::get(v, &name.into()).unwrap();
    assert_eq!(get(&found, "seattle_accepts").as_bool(), Some(true));
    assert_eq!(get(&found, "reserved_vessel").as_bool(), Some(true));
    assert_eq!(
        get(&get(&found, "metainfo"), "present").as_bool(),
        Some(false)
    );
    let vessels: Array = get(&found, "vessels").unchecked_into();
    let first = vessels.get(0);
    assert_eq!(get(&first, "percent").as_f64(), Some(80.0));
    let owner = get(&first, "owner");
    assert_eq!(
        get(&owner, "fingerprint").as_string().unwrap(),
        cib_core::public_key::fingerprint(reserved)
    );
    let unusable: Array = get(&found, "unusable_keys").unchecked_into();
    assert_eq!(get(&unusable.get(0), "line").as_f64(), Some(3.0));

    let keys = [
        TreeEntry::folder("public_keys/"),
        TreeEntry::file(
            "public_keys/alice.publickey",
            0o644,
            reserved.as_bytes().to_vec(),
        ),
    ];
    let zip = pack(ArchiveKind::Zip, &keys).unwrap();
    let named = cib_worker::keys_in_zip(&zip).unwrap_or_else(|_| panic!("reads"));
    assert_eq!(named, format!("[[\"alice\",\"{reserved}\"]]"));
    assert!(cib_worker::keys_in_zip(&installer).is_err());
}

#[wasm_bindgen_test]
fn a_zip_is_checked_from_its_tail_asking_for_earlier_bytes_only_when_needed() {
    let reserved = RESERVED_OWNER_KEY.trim();
    // Incompressible bytes outside the Seattle folder, first, and a metainfo to verify.
    let mut state = 7u32;
    let noise: Vec<u8> = (0..400_000)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    let tree = [
        TreeEntry::folder("seattle/"),
        TreeEntry::file("seattle/python.bin", 0o644, noise),
        TreeEntry::folder("seattle/seattle_repy/"),
        TreeEntry::file(
            "seattle/seattle_repy/metainfo",
            0o644,
            b"not signed\n".to_vec(),
        ),
        TreeEntry::file(
            "seattle/seattle_repy/vesselinfo",
            0o644,
            format!("Percent 80\nOwner {reserved}\nPercent 20\nOwner {reserved}").into_bytes(),
        ),
    ];
    let zip = pack(ArchiveKind::Zip, &tree).unwrap();
    let whole = cib_worker::check_installer(&zip, 0.0, 0.0).unwrap_or_else(|_| panic!("checks"));
    let start = base_installer::zip_tail_start(zip.len() as u64);
    assert!(start > 0, "{start}");
    let from_tail = cib_worker::check_installer(&zip[start as usize..], start as f64, 0.0)
        .unwrap_or_else(|_| panic!("checks from the tail"));
    assert_eq!(from_tail, whole);
    assert!(whole.contains("\"seattle_accepts\":true"), "{whole}");

    // The same entries before the noise: the tail asks for the bytes from the folder on.
    let mut reordered = tree.to_vec();
    let noise = reordered.remove(1);
    reordered.push(noise);
    let zip = pack(ArchiveKind::Zip, &reordered).unwrap();
    let mut start = base_installer::zip_tail_start(zip.len() as u64);
    let mut asks = 0;
    let read = loop {
        let answer = cib_worker::check_installer(&zip[start as usize..], start as f64, 0.0)
            .unwrap_or_else(|_| panic!("answers"));
        let parsed = js_sys::JSON::parse(&answer).unwrap();
        match Reflect::get(&parsed, &"needs".into()).unwrap().as_f64() {
            None => break answer,
            Some(earlier) => {
                assert!((earlier as u64) < start, "{answer} from {start}");
                start = earlier as u64;
                asks += 1;
                assert!(asks < 3);
            }
        }
    };
    assert!(asks >= 1);
    assert_eq!(
        read,
        cib_worker::check_installer(&zip, 0.0, 0.0).unwrap_or_else(|_| panic!("checks"))
    );
}

/// The demo base installer, its metainfo signed by the demo updater key on 2026-01-01, with
/// one listed file changed.
#[wasm_bindgen_test]
fn an_installer_s_metainfo_is_checked_for_the_page() {
    let base: &[u8] = include_bytes!("../../../base_installers/seattle_linux.tgz");
    let signer =
        PublicKey::parse(include_str!("../../../demo/updater_demo.publickey").trim()).unwrap();
    let mut tree = base_installer::repy_files(base).unwrap();
    let nmmain = tree
        .iter_mut()
        .find(|entry| entry.path == "seattle/seattle_repy/nmmain.py")
        .unwrap();
    nmmain.contents.extend_from_slice(b"# changed\n");
    let changed = pack(ArchiveKind::TarGz, &tree).unwrap();
    let signed_at = 1_767_225_600.0;
    let get = |v: &JsValue, name: &str| Reflect::get(v, &name.into()).unwrap();
    let checked = |installer: &[u8], now: f64| {
        let json =
            cib_worker::check_installer(installer, 0.0, now).unwrap_or_else(|_| panic!("checks"));
        get(&js_sys::JSON::parse(&json).unwrap(), "metainfo")
    };

    let holds = checked(base, signed_at + 60.0);
    assert_eq!(
        get(&get(&holds, "signer"), "fingerprint").as_string(),
        Some(signer.fingerprint())
    );
    assert_eq!(
        get(&get(&holds, "signer"), "bits").as_f64(),
        Some(signer.modulus_bits() as f64)
    );
    assert_eq!(get(&holds, "signature_valid").as_bool(), Some(true));
    assert_eq!(
        get(&holds, "signed_at").as_string().as_deref(),
        Some("1767225600.0")
    );
    assert_eq!(get(&holds, "expired").as_bool(), Some(false));
    let differing = |metainfo: &JsValue| -> Vec<JsValue> {
        Array::from(&get(metainfo, "files"))
            .iter()
            .filter(|f| get(f, "matches").as_bool() == Some(false))
            .map(|f| get(&f, "path"))
            .collect()
    };
    assert!(Array::from(&get(&holds, "files")).length() > 0);
    assert_eq!(differing(&holds).len(), 0);
    assert_eq!(Array::from(&get(&holds, "problems")).length(), 0);

    let broken = checked(&changed, signed_at + 40.0 * 86_400.0);
    assert_eq!(get(&broken, "expired").as_bool(), Some(true));
    assert_eq!(differing(&broken), [JsValue::from("nmmain.py")]);
    let problems = Array::from(&get(&broken, "problems"));
    assert!(problems.iter().any(|p| p
        .as_string()
        .is_some_and(|p| p.starts_with("nmmain.py differs"))));
}
