//! "Check an installer": a person gives any Seattle installer (and, to name its keys, a
//! public_keys.zip) and sees what it grants, the findings `cib inspect` prints. The worker reads
//! and verifies the file (big integers and inflating stay out of the page's module); nothing
//! leaves the browser. This module draws the section and reads the files it is given.

use crate::action::{Action, Dispatch};
use crate::dom::{El, Root};
use crate::inspection::{Check, Key, Metainfo, Report, Unusable, Vessel};
use crate::places::Places;
use crate::state::UserEntry;
use crate::words::sentence;
use crate::customize;
use cib_core::base_installer::{zip_tail_start, MAX_BASE_BYTES};
use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, File};

pub const SECTION: &str = "cib-check";
pub const FILE: &str = "cib-check-file";
pub const KEYS: &str = "cib-check-keys";
const RESULT: &str = "cib-check-result";
/// A public_keys.zip of a few dozen keys is well under this.
const MAX_KEYS_ZIP_BYTES: f64 = 16_000_000.0;

/// The section's words, in one place for the catalog.
mod words {
    pub const HEADING: &str = "Check an installer";
    pub const INTRO: &str = "Choose or drop any Seattle installer (.tgz or .zip, made by this \
        builder or anyone) to see what it grants: its vessels, their owners and users, and \
        whether Seattle's installer would take it. It is read here; nothing leaves your browser.";
    pub const FILE_LABEL: &str = "Installer to check";
    pub const KEYS_LABEL: &str = "public_keys.zip, to show the names of its keys (optional)";
    pub const ACCEPTS: &str = "Seattle's installer accepts its vesselinfo.";
    pub const REFUSES: &str = "Seattle's installer refuses its vesselinfo:";
    pub const NO_VESSELINFO: &str = "It has no seattle/seattle_repy/vesselinfo, so Seattle's \
        installer has no vessels to set up.";
    pub const RESERVED: &str = "The last vessel is the reserved one: 20%, owned by the Seattle \
        project's key, no users.";
    pub const NOT_RESERVED: &str = "The last vessel is NOT the reserved one (20%, owned by the \
        Seattle project's key, no users).";
    pub const UNUSABLE: &str = "Keys Seattle's installer takes but no node can use as RSA keys:";
    pub const NO_METAINFO: &str = "Metainfo: none (seattle/seattle_repy/metainfo is not in the \
        installer).";
    pub const METAINFO_HOLDS: &str = "Metainfo: holds.";
    pub const METAINFO_FAILS: &str = "Metainfo: does not hold:";
    pub const OWNER: &str = "Owner";
    pub const NO_OWNER: &str = "Owner: none";
    pub const USER: &str = "User";
    pub const NO_USERS: &str = "No users.";
    pub const CANNOT: &str = "It cannot be used:";
    pub fn reading(name: &str) -> String {
        format!("Reading {name}…")
    }
    pub fn vessel(n: usize, percent: &str) -> String {
        format!("Vessel {n} ({percent}%)")
    }
    pub fn bits(bits: Option<usize>) -> String {
        bits.map_or_else(|| "? bits".into(), |b| format!("{b} bits"))
    }
    pub fn signer(fingerprint: &str, bits: Option<usize>, valid: bool) -> String {
        let valid = if valid { "valid" } else { "NOT valid" };
        format!("Signer fingerprint: {fingerprint}, {}; signature {valid}.", self::bits(bits))
    }
    pub fn expiry(expires: Option<&str>, expired: bool) -> String {
        match (expires, expired) {
            (None, _) => "Expires: never.".into(),
            (Some(at), false) => format!("Expires: {at}."),
            (Some(at), true) => format!("Expires: {at} (passed)."),
        }
    }
    pub fn differs(path: &str) -> String {
        format!("Does not match the installer's file: {path}")
    }
    pub fn unusable(line: usize, fingerprint: &str, why: &str) -> String {
        format!("Line {line}: {fingerprint}: {why}")
    }
    pub fn keys_zip(name: &str, count: usize) -> String {
        format!("{name}: {count} named keys.")
    }
    pub fn keys_zip_problem(name: &str, why: &str) -> String {
        format!("{name} names no keys: {why}")
    }
}

pub fn skeleton() -> El {
    let file = |id: &str, label: &str, accept: &str, action: Action| {
        El::new("div").class("field").children([
            El::new("label").attr("for", id).class("file-label").text(label),
            El::new("input")
                .attr("id", id)
                .attr("type", "file")
                .attr("accept", accept)
                .action(&action),
        ])
    };
    El::new("section")
        .attr("id", SECTION)
        .attr("aria-labelledby", "cib-check-heading")
        .children([
            El::new("h2")
                .attr("id", "cib-check-heading")
                .attr("tabindex", "-1")
                .text(words::HEADING),
            El::new("p").class("intro").text(words::INTRO),
            file(
                FILE,
                words::FILE_LABEL,
                ".tgz,.gz,.zip,application/gzip,application/zip",
                Action::CheckChosen,
            ),
            file(KEYS, words::KEYS_LABEL, ".zip,application/zip", Action::KeysZipChosen),
            El::new("p").attr("id", "cib-check-keys-message").class("hint"),
            El::new("div").attr("id", RESULT).attr("aria-live", "polite"),
        ])
}

pub fn render(root: &Root, check: &Check, users: &[UserEntry]) {
    let keys = match &check.keys_file {
        None => String::new(),
        Some((name, Ok(keys))) => words::keys_zip(name, keys.len()),
        Some((name, Err(why))) => words::keys_zip_problem(name, why),
    };
    root.set_text("cib-check-keys-message", &keys);
    let Some(name) = &check.installer else {
        return root.replace_children(RESULT, []);
    };
    let heading = El::new("h3").text(name);
    let body = match &check.report {
        None => vec![El::new("p").text(&words::reading(name))],
        Some(Err(e)) => vec![El::new("p")
            .class("message")
            .text(&format!("{} {}", words::CANNOT, sentence(e)))],
        Some(Ok(report)) => findings(check, report, users),
    };
    root.replace_children(RESULT, std::iter::once(heading).chain(body));
}

fn list(items: impl IntoIterator<Item = String>, class: &str) -> El {
    El::new("ul")
        .class(class)
        .children(items.into_iter().map(|t| El::new("li").text(&t)))
}

fn findings(check: &Check, report: &Report, users: &[UserEntry]) -> Vec<El> {
    let mut out = Vec::new();
    if !report.vesselinfo {
        out.push(El::new("p").class("message").text(words::NO_VESSELINFO));
    } else if report.accepts {
        out.push(El::new("p").class("verdict").text(words::ACCEPTS));
    } else {
        out.push(El::new("p").class("message").text(words::REFUSES));
        out.push(list(report.problems.iter().cloned(), "problems"));
    }
    let n = report.vessels.len();
    out.extend(report.vessels.iter().enumerate().map(|(i, v)| vessel(check, i, v, users)));
    if n > 0 {
        let reserved = if report.reserved { words::RESERVED } else { words::NOT_RESERVED };
        out.push(El::new("p").class("reserved").text(reserved));
    }
    if !report.unusable.is_empty() {
        out.push(El::new("p").text(words::UNUSABLE));
        let items = report.unusable.iter().map(|Unusable { line, fingerprint, why }| {
            words::unusable(*line, fingerprint, why)
        });
        out.push(list(items, "problems"));
    }
    out.extend(metainfo(report.metainfo.as_ref()));
    out
}

fn vessel(check: &Check, i: usize, v: &Vessel, users: &[UserEntry]) -> El {
    let percent = v.percent.map_or_else(|| "?".to_string(), |p| p.to_string());
    let share = match v.percent {
        Some(p) if (10..=80).contains(&p) && p % 10 == 0 => format!("share share-{p}"),
        _ => "share".into(),
    };
    let key = |role: &str, key: &Key| {
        let name = check.name_of(key, users);
        let mut text = format!("{role}: {}, {}", key.fingerprint, words::bits(key.bits));
        if let Some(name) = name {
            text = format!("{role}: {name} — {}, {}", key.fingerprint, words::bits(key.bits));
        }
        El::new("li").class("inspected-key").text(&text)
    };
    let mut keys = vec![match &v.owner {
        Some(owner) => key(words::OWNER, owner),
        None => El::new("li").text(words::NO_OWNER),
    }];
    keys.extend(v.users.iter().map(|u| key(words::USER, u)));
    if v.users.is_empty() {
        keys.push(El::new("li").text(words::NO_USERS));
    }
    El::new("fieldset")
        .class("vessel")
        .attr("id", &format!("cib-check-vessel-{}", i + 1))
        .children([
            El::new("legend").text(&words::vessel(i + 1, &percent)),
            El::new("div").class(&share).attr("aria-hidden", "true"),
            El::new("ul").class("inspected-keys").children(keys),
        ])
}

fn metainfo(metainfo: Option<&Metainfo>) -> Vec<El> {
    let Some(m) = metainfo else {
        return vec![El::new("p").attr("id", "cib-check-metainfo").text(words::NO_METAINFO)];
    };
    let mut out = vec![if m.problems.is_empty() {
        El::new("p").attr("id", "cib-check-metainfo").text(words::METAINFO_HOLDS)
    } else {
        El::new("p")
            .attr("id", "cib-check-metainfo")
            .class("message")
            .text(words::METAINFO_FAILS)
    }];
    if !m.problems.is_empty() {
        out.push(list(m.problems.iter().cloned(), "problems"));
    }
    let mut facts = Vec::new();
    if let Some(signer) = &m.signer {
        facts.push(words::signer(signer, m.signer_bits, m.signature_valid));
        facts.push(words::expiry(m.expires.as_deref(), m.expired));
    }
    facts.extend(m.differing.iter().map(|p| words::differs(p)));
    out.push(list(facts, "metainfo-facts"));
    out
}

/// Whether a dropped file is the public_keys.zip of a build rather than an installer.
pub fn is_keys_zip(file: &File) -> bool {
    let name = file.name().to_ascii_lowercase();
    name.contains("public_keys") && name.ends_with(".zip")
}

/// Reads the chosen installer in the worker and reports its findings.
pub async fn read_installer(dispatch: Dispatch, places: Places, file: File) {
    let name = file.name();
    let report = if file.size() > MAX_BASE_BYTES as f64 {
        Err("it is larger than any base installer".to_string())
    } else {
        worker_findings(&places, &file).await.map(|answer| report_of(&answer))
    };
    dispatch.send(Action::CheckRead { name, report });
}

/// The worker's findings. A tar.gz goes whole (the worker streams it, as customizing does); of
/// a zip only the tail goes, and earlier bytes only as far back as the worker asks for (the
/// entries it reads), so a 50 MB installer is not read into memory to see its vesselinfo.
async fn worker_findings(places: &Places, file: &File) -> Result<JsValue, String> {
    let size = file.size();
    let head = customize::read(file, 0.0, size.min(2.0)).await?;
    let mut start = match customize::is_gzip(&head) {
        true => 0,
        false => zip_tail_start(size as u64),
    };
    loop {
        let part = file
            .slice_with_f64(start as f64)
            .map_err(|_| "it could not be read".to_string())?;
        let now = js_sys::Date::now() / 1000.0;
        let more = [("now", now.into()), ("start", (start as f64).into())];
        let answer = ask(places, "check", &part, &more).await?;
        match number(&get(&answer, "needs")) {
            None => return Ok(answer),
            // The core asks for earlier bytes at most once per distance; refuse to go round.
            Some(earlier) if (earlier as u64) < start => start = earlier as u64,
            Some(_) => return Err("the zip's central directory could not be found".into()),
        }
    }
}

/// Reads a public_keys.zip's named keys in the worker.
pub async fn read_keys(dispatch: Dispatch, places: Places, file: File) {
    let name = file.name();
    let keys = if file.size() > MAX_KEYS_ZIP_BYTES {
        Err("it is too large to be a public_keys.zip".to_string())
    } else {
        ask(&places, "keys", &file, &[]).await.map(|answer| {
            array(&answer)
                .map(|pair| (text(&index(&pair, 0)), text(&index(&pair, 1))))
                .collect()
        })
    };
    dispatch.send(Action::KeysZipRead { name, keys });
}

/// The worker's JSON answer to `op` over the file's bytes.
async fn ask(
    places: &Places,
    op: &str,
    file: &Blob,
    more: &[(&str, JsValue)],
) -> Result<JsValue, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "it could not be read".to_string())?;
    let mut fields = vec![("bytes", buffer.clone())];
    fields.extend(more.iter().cloned());
    let answer = crate::worker::call(places, op, &fields, &Array::of1(&buffer))
        .await
        .map_err(|e| match e {
            crate::worker::WorkerError::Failed(why) => why,
            e => e.to_string(),
        })?;
    let json = Reflect::get(&answer, &"json".into()).ok().and_then(|j| j.as_string());
    json.and_then(|j| JSON::parse(&j).ok())
        .ok_or_else(|| "the worker sent no answer".to_string())
}

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap_or(JsValue::NULL)
}

fn index(value: &JsValue, i: u32) -> JsValue {
    Reflect::get_u32(value, i).unwrap_or(JsValue::NULL)
}

fn text(value: &JsValue) -> String {
    value.as_string().unwrap_or_default()
}

fn number(value: &JsValue) -> Option<f64> {
    value.as_f64()
}

fn array(value: &JsValue) -> impl Iterator<Item = JsValue> {
    value
        .dyn_ref::<Array>()
        .map(|a| a.iter().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
}

fn texts(value: &JsValue) -> Vec<String> {
    array(value).map(|t| text(&t)).collect()
}

fn key_of(value: &JsValue) -> Key {
    Key {
        text: text(&get(value, "key")),
        fingerprint: text(&get(value, "fingerprint")),
        bits: number(&get(value, "bits")).map(|b| b as usize),
    }
}

fn report_of(answer: &JsValue) -> Report {
    let vessels = array(&get(answer, "vessels")).map(|v| {
        let owner = get(&v, "owner");
        Vessel {
            percent: number(&get(&v, "percent")).map(|p| p as i64),
            owner: owner.is_object().then(|| key_of(&owner)),
            users: array(&get(&v, "users")).map(|u| key_of(&u)).collect(),
        }
    });
    let unusable = array(&get(answer, "unusable_keys")).map(|u| Unusable {
        line: number(&get(&u, "line")).unwrap_or(0.0) as usize,
        fingerprint: text(&get(&u, "fingerprint")),
        why: text(&get(&u, "why")),
    });
    let m = get(answer, "metainfo");
    let signer = get(&m, "signer");
    let metainfo = get(&m, "present").is_truthy().then(|| Metainfo {
        signer: get(&signer, "fingerprint").as_string(),
        signer_bits: number(&get(&signer, "bits")).map(|b| b as usize),
        signature_valid: get(&m, "signature_valid").is_truthy(),
        signed_at: get(&m, "signed_at").as_string(),
        expires: get(&m, "expires").as_string(),
        expired: get(&m, "expired").is_truthy(),
        differing: array(&get(&m, "files"))
            .filter(|f| !get(f, "matches").is_truthy())
            .map(|f| text(&get(&f, "path")))
            .collect(),
        problems: texts(&get(&m, "problems")),
    });
    Report {
        vesselinfo: get(answer, "vesselinfo").is_truthy(),
        vessels: vessels.collect(),
        reserved: get(answer, "reserved_vessel").is_truthy(),
        accepts: get(answer, "seattle_accepts").is_truthy(),
        problems: texts(&get(answer, "problems")),
        unusable: unusable.collect(),
        metainfo,
    }
}
