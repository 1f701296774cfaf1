//! Checking an installer a person was handed: what its vesselinfo grants and whether its
//! metainfo holds, by the core's `inspection`, as `cib inspect` reads them. Here rather than in
//! the page's module because verifying the metainfo's signature needs big integers and reading a
//! tar.gz inflates it.

use cib_core::base_installer::{BaseInstallerError, TailRead};
use cib_core::inspection::Inspection;
use cib_core::Localized;
use serde_json::{json, Value};
use std::io::{Cursor, Read};

/// A public_keys.zip's keys are a few kB each; more than this is not one.
const MAX_KEY_BYTES: u64 = 64_000;

/// `cib inspect --json`'s findings (the page reads the same JSON into its
/// `inspection::Report`) from the installer's bytes from `start` on: a zip's tail, or the whole
/// file when `start` is 0; `{"needs": offset}` when the entries to read lie earlier. For the
/// page, `problems_said`, `unusable_said` and `metainfo_said` hold the vesselinfo's problems,
/// why each unusable key is one and the metainfo's problems as catalog messages, to say them in
/// its language. An error is the one customizing gives for a file it cannot take.
pub fn findings(installer: &[u8], start: u64, now: f64) -> Result<Value, BaseInstallerError> {
    let read = match start {
        0 => Inspection::read(installer, None, now).map(TailRead::Read),
        _ => Inspection::read_zip_tail(installer, start, None, now),
    };
    Ok(match read? {
        TailRead::Read(inspection) => {
            let mut json = inspection.json();
            let vesselinfo = inspection.vesselinfo.iter();
            json["problems_said"] = messages(vesselinfo.clone().flat_map(|v| v.problems.iter()));
            json["unusable_said"] =
                messages(vesselinfo.flat_map(|v| &v.unusable_keys).map(|k| &k.why));
            json["metainfo_said"] =
                messages(inspection.verification.iter().flat_map(|v| &v.problems));
            json
        }
        TailRead::NeedsBytesFrom(offset) => json!({ "needs": offset }),
    })
}

/// Problems as the core's catalog messages (`{"id": …, "args": {…}}`).
fn messages<'a, P: Localized + 'a>(problems: impl Iterator<Item = &'a P>) -> Value {
    json!(problems.map(Localized::message).collect::<Vec<_>>())
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
