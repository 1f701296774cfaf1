//! Checking an installer a person was handed: what its vesselinfo grants and whether its
//! metainfo holds, as `cib inspect` reads them. Here rather than in the page's module because
//! verifying the metainfo's signature needs big integers and reading a tar.gz inflates it.

use cib_core::base_installer::{
    installer_files, installer_files_from_zip_tail, repy_files, repy_files_from_zip_tail, TailRead,
};
use cib_core::metainfo;
use cib_core::public_key::fingerprint;
use cib_core::vesselinfo::{VesselKey, Vesselinfo};
use serde_json::{json, Value};
use std::io::{Cursor, Read};

/// A public_keys.zip's keys are a few kB each; more than this is not one.
const MAX_KEY_BYTES: u64 = 64_000;

/// The findings as JSON (the page's `inspection::Report`) from the installer's bytes from
/// `start` on (a zip's tail, or the whole file when `start` is 0); `{"needs": offset}` when the
/// entries to read lie earlier. An error is in the words customizing uses for a file it cannot
/// take.
pub fn findings(installer: &[u8], start: u64, now: f64) -> Result<Value, String> {
    let whole = start == 0;
    let files = match whole {
        true => installer_files(installer).map(TailRead::Read),
        false => installer_files_from_zip_tail(installer, start),
    };
    let files = match files.map_err(|e| e.to_string())? {
        TailRead::Read(files) => files,
        TailRead::NeedsBytesFrom(offset) => return Ok(json!({ "needs": offset })),
    };
    let read = files.vesselinfo.as_deref().map(Vesselinfo::parse);
    let empty = Vesselinfo::default();
    let vesselinfo = read.as_ref().unwrap_or(&empty);
    let metainfo = match files.metainfo {
        None => json!(null),
        Some(_) => {
            let tree = match whole {
                true => repy_files(installer).map(TailRead::Read),
                false => repy_files_from_zip_tail(installer, start),
            };
            match tree.map_err(|e| e.to_string())? {
                TailRead::Read(tree) => verification(&metainfo::verify(&tree, None, now), now),
                TailRead::NeedsBytesFrom(offset) => return Ok(json!({ "needs": offset })),
            }
        }
    };
    let vessels: Vec<Value> = vesselinfo
        .vessels
        .iter()
        .map(|v| {
            json!({
                "percent": v.percent,
                "owner": v.owner.as_ref().map(key),
                "users": v.users.iter().map(key).collect::<Vec<_>>(),
            })
        })
        .collect();
    let unusable: Vec<Value> = vesselinfo
        .unusable_keys
        .iter()
        .map(|k| json!({ "line": k.line, "fingerprint": fingerprint(&k.key), "why": k.why }))
        .collect();
    Ok(json!({
        "vesselinfo": read.is_some(),
        "vessels": vessels,
        "reserved": vesselinfo.ends_with_reserved_vessel(),
        "accepts": read.as_ref().is_some_and(Vesselinfo::seattle_accepts),
        "problems": vesselinfo.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "unusable": unusable,
        "metainfo": metainfo,
    }))
}

fn verification(v: &metainfo::Verification, now: f64) -> Value {
    let found = v.found.as_ref();
    json!({
        "signer": found.map(|f| f.signer.fingerprint()),
        "signer_bits": found.map(|f| f.signer.modulus_bits()),
        "signature_valid": found.is_some_and(|f| f.signature_holds),
        "signed_at": found.map(|f| f.signed_at_text.clone()),
        "expires": found.and_then(|f| f.expires.map(|_| f.expires_text.clone())),
        "expired": found.and_then(|f| f.expires).is_some_and(|at| at < now),
        "differing": v.differing,
        "problems": v.problems,
    })
}

fn key(key: &VesselKey) -> Value {
    json!({ "key": key.text, "fingerprint": key.fingerprint(), "bits": key.bits() })
}

/// The `NAME.publickey` entries of a zip (cib's public_keys.zip) as `[[name, key text], …]`.
pub fn named_keys(zip: &[u8]) -> Result<Value, String> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(zip)).map_err(|e| format!("it is not a zip: {e}"))?;
    let mut keys = Vec::new();
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|e| e.to_string())?;
        let path = entry.name().map_err(|e| e.to_string())?.to_string();
        let Some(name) = path
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_suffix(".publickey"))
        else {
            continue;
        };
        let mut text = String::new();
        if entry.take(MAX_KEY_BYTES).read_to_string(&mut text).is_ok() {
            keys.push(json!([name, text.trim()]));
        }
    }
    if keys.is_empty() {
        return Err("it holds no .publickey files".into());
    }
    Ok(Value::Array(keys))
}
