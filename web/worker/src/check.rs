//! Checking an installer a person was handed: what its vesselinfo grants and whether its
//! metainfo holds, by the core's `inspection`, as `cib inspect` reads them. Here rather than in
//! the page's module because verifying the metainfo's signature needs big integers and reading a
//! tar.gz inflates it.

use cib_core::inspection::Inspection;
use serde_json::{json, Value};
use std::io::{Cursor, Read};

/// A public_keys.zip's keys are a few kB each; more than this is not one.
const MAX_KEY_BYTES: u64 = 64_000;

/// The findings for the page (its `inspection::Report`); an error in the words customizing
/// uses for a file it cannot take.
pub fn findings(installer: &[u8], now: f64) -> Result<Value, String> {
    let inspection = Inspection::read(installer, None, now).map_err(|e| e.to_string())?;
    Ok(for_page(&inspection))
}

/// `cib inspect --json`'s findings under the names the page reads: `reserved`, `accepts` and
/// `unusable` for `reserved_vessel`, `seattle_accepts` and `unusable_keys`, and a metainfo that
/// is `null` when there is none, names its signer by fingerprint and size, and lists the files
/// that do not match. Vessels, keys and problems go as they are.
fn for_page(inspection: &Inspection) -> Value {
    let findings = inspection.json();
    let m = &findings["metainfo"];
    let metainfo = match &inspection.verification {
        Some(verification) => json!({
            "signer": m["signer"]["fingerprint"],
            "signer_bits": m["signer"]["bits"],
            "signature_valid": m["signature_valid"] == true,
            "signed_at": m["signed_at"],
            "expires": m["expires"],
            "expired": m["expired"] == true,
            "differing": verification.differing,
            "problems": m["problems"],
        }),
        None => Value::Null,
    };
    json!({
        "vesselinfo": findings["vesselinfo"],
        "vessels": findings["vessels"],
        "reserved": findings["reserved_vessel"],
        "accepts": findings["seattle_accepts"],
        "problems": findings["problems"],
        "unusable": findings["unusable_keys"],
        "metainfo": metainfo,
    })
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
