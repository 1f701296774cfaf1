use super::*;
use crate::base_installer::{pack, TreeEntry};
use crate::platform::ArchiveKind;
use crate::vessel::RESERVED_OWNER_KEY;
use std::collections::BTreeSet;

/// The demo base installer: a metainfo signed by the demo updater key on 2026-01-01, no
/// vesselinfo.
const DEMO_BASE: &[u8] = include_bytes!("../../base_installers/seattle_linux.tgz");
const DEMO_UPDATER_KEY: &str = include_str!("../../demo/updater_demo.publickey");
const SIGNED_AT: f64 = 1_767_225_600.0;

fn names(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

#[test]
fn a_base_installer_has_no_vesselinfo_and_a_metainfo_that_holds() {
    let key = PublicKey::parse(DEMO_UPDATER_KEY.trim()).unwrap();
    let inspection = Inspection::read(DEMO_BASE, Some(key.clone()), SIGNED_AT + 60.0).unwrap();
    assert!(!inspection.seattle_accepts());
    let json = inspection.json();
    // The fields of docs/cli.md, and no others.
    assert_eq!(
        names(&json),
        BTreeSet::from([
            "vesselinfo",
            "vessels",
            "reserved_vessel",
            "seattle_accepts",
            "problems",
            "unusable_keys",
            "metainfo"
        ])
    );
    assert_eq!(json["vesselinfo"], false);
    assert_eq!(json["vessels"], json!([]));
    assert_eq!(json["seattle_accepts"], false);
    assert_eq!(json["problems"], json!([no_vesselinfo()]));

    let metainfo = &json["metainfo"];
    assert_eq!(
        names(metainfo),
        BTreeSet::from([
            "present",
            "signer",
            "signature_valid",
            "signer_is_updater_key",
            "signed_at",
            "expires",
            "expired",
            "files",
            "unlisted",
            "holds",
            "problems"
        ])
    );
    assert_eq!(metainfo["present"], true);
    assert_eq!(
        metainfo["signer"],
        json!({"key": key.to_string(), "fingerprint": key.fingerprint(), "bits": key.modulus_bits()})
    );
    assert_eq!(metainfo["signature_valid"], true);
    assert_eq!(metainfo["signer_is_updater_key"], true);
    assert_eq!(metainfo["signed_at"], "1767225600.0");
    assert_eq!(metainfo["expired"], false);
    assert_eq!(metainfo["holds"], true, "{metainfo}");
    let files = metainfo["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f["path"] == "nmmain.py"), "{metainfo}");
    assert!(files.iter().all(|f| f["matches"] == true), "{metainfo}");

    // Without a key nothing says whose it should be; a month later the signature has expired.
    let later = Inspection::read(DEMO_BASE, None, SIGNED_AT + 40.0 * 86_400.0).unwrap();
    let metainfo = &later.json()["metainfo"];
    assert_eq!(metainfo["signer_is_updater_key"], Value::Null);
    assert_eq!(metainfo["expired"], true);
}

#[test]
fn a_vesselinfo_is_shown_vessel_by_vessel_with_its_keys() {
    let reserved = RESERVED_OWNER_KEY.trim();
    let vesselinfo = format!(
        "Percent 60\nOwner {reserved}\nPercent 20\nOwner {reserved}\nUser {reserved}\nUser 3 3127\n\
         Percent 20\nOwner {reserved}"
    );
    let tree = [
        TreeEntry::folder("seattle/"),
        TreeEntry::folder("seattle/seattle_repy/"),
        TreeEntry::file("seattle/seattle_repy/vesselinfo", 0o644, vesselinfo.into()),
    ];
    let installer = pack(ArchiveKind::TarGz, &tree).unwrap();
    let inspection = Inspection::read(&installer, None, SIGNED_AT).unwrap();
    assert!(inspection.seattle_accepts());
    let json = inspection.json();
    assert_eq!(json["vesselinfo"], true);
    assert_eq!(json["reserved_vessel"], true);
    assert_eq!(json["seattle_accepts"], true);
    assert_eq!(json["problems"], json!([]));
    assert_eq!(json["metainfo"], json!({"present": false}));
    let owner = json!({
        "line": 2,
        "key": reserved,
        "fingerprint": fingerprint(reserved),
        "bits": PublicKey::parse(reserved).unwrap().modulus_bits(),
    });
    assert_eq!(json["vessels"][0]["line"], 1);
    assert_eq!(json["vessels"][0]["percent"], 60);
    assert_eq!(json["vessels"][0]["owner"], owner);
    assert_eq!(json["vessels"][0]["users"], json!([]));
    assert_eq!(json["vessels"][1]["line"], 3);
    assert_eq!(json["vessels"][1]["users"][0]["line"], 5);
    assert_eq!(json["vessels"][1]["users"][1]["key"], "3 3127");
    assert_eq!(json["vessels"][2]["percent"], 20);
    let unusable = &json["unusable_keys"][0];
    assert_eq!(unusable["line"], 6);
    assert_eq!(unusable["key"], "3 3127");
    assert_eq!(unusable["fingerprint"], fingerprint("3 3127"));
    assert!(unusable["why"].as_str().is_some_and(|why| !why.is_empty()));
}

#[test]
fn what_is_no_installer_is_refused_as_customizing_refuses_it() {
    let refused = |bytes: &[u8]| Inspection::read(bytes, None, SIGNED_AT).unwrap_err();
    assert_eq!(refused(b""), BaseInstallerError::Empty);
    assert_eq!(refused(b"not an archive"), BaseInstallerError::NotAnArchive);
    let no_repy = pack(ArchiveKind::TarGz, &[TreeEntry::folder("seattle/")]).unwrap();
    assert_eq!(refused(&no_repy), BaseInstallerError::NoRepyFolder);
}

#[test]
fn a_zip_read_from_its_tail_is_inspected_as_the_whole_is() {
    // The demo zip's Seattle folder, signed metainfo included, behind 300 kB that no check
    // needs: the tail alone says everything.
    let mut tree = crate::base_installer::repy_files(DEMO_BASE).unwrap();
    let mut state = 0x2545_f491_u32;
    let noise: Vec<u8> = (0..300_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect();
    tree.insert(0, TreeEntry::file("seattle/python.bin", 0o644, noise));
    let zip = pack(ArchiveKind::Zip, &tree).unwrap();
    let key = PublicKey::parse(DEMO_UPDATER_KEY.trim()).unwrap();
    let now = SIGNED_AT + 60.0;
    let whole = Inspection::read(&zip, Some(key.clone()), now)
        .unwrap()
        .json();
    assert_eq!(whole["metainfo"]["holds"], true, "{whole}");
    let tail = crate::base_installer::zip_tail_start(zip.len() as u64);
    assert!(tail > 0, "a zip of {} bytes fits in one tail", zip.len());
    let mut at = tail;
    let inspection = loop {
        match Inspection::read_zip_tail(&zip[at as usize..], at, Some(key.clone()), now).unwrap() {
            TailRead::Read(inspection) => break inspection,
            TailRead::NeedsBytesFrom(earlier) => {
                assert!(earlier < at && earlier > 300_000, "{earlier} from {at}");
                at = earlier;
            }
        }
    };
    assert_eq!(inspection.json(), whole);
    assert_eq!(at, tail, "bytes before the tail were asked for");
}
