//! "Check an installer": a person gives any Seattle installer (and, to name its keys, a
//! public_keys.zip) and sees what it grants, the findings `cib inspect` prints. The worker reads
//! and verifies the file (big integers and inflating stay out of the page's module); nothing
//! leaves the browser. This module draws the section and reads the files it is given.

use crate::action::{Action, Dispatch};
use crate::dom::{El, Root};
use crate::inspection::{Check, Key, Metainfo, Report, Unusable, Vessel};
use crate::places::Places;
use crate::catalog::{message, say, t, text};
use crate::reading::cannot_be_used;
use crate::state::UserEntry;
use crate::customize;
use crate::words::{count, Said};
use cib_core::base_installer::MAX_BASE_BYTES;
use cib_core::problem::Arg;
use cib_core::vessel::RESERVED_PERCENT;
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::File;

pub const SECTION: &str = "cib-check";
pub const FILE: &str = "cib-check-file";
pub const KEYS: &str = "cib-check-keys";
const RESULT: &str = "cib-check-result";
/// A public_keys.zip of a few dozen keys is well under this.
const MAX_KEYS_ZIP_BYTES: f64 = 16_000_000.0;

pub fn skeleton() -> El {
    let file = |id: &str, label: &str, accept: &str, action: Action| {
        El::new("div").class("field").children([
            El::new("label").attr("for", id).class("file-label").text(&t(label)),
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
                .text(&t("ui-check-heading")),
            El::new("p").class("intro").text(&t("ui-check-intro")),
            file(
                FILE,
                "ui-check-file-label",
                ".tgz,.gz,.zip,application/gzip,application/zip",
                Action::CheckChosen,
            ),
            file(KEYS, "ui-check-keys-label", ".zip,application/zip", Action::KeysZipChosen),
            El::new("p").attr("id", "cib-check-keys-message").class("hint"),
            El::new("div").attr("id", RESULT).attr("aria-live", "polite"),
        ])
}

pub fn render(root: &Root, check: &Check, users: &[UserEntry]) {
    let keys = match &check.keys_file {
        None => String::new(),
        Some((name, Ok(keys))) => say(
            "ui-check-keys-zip",
            &[("name", text(name)), ("count", count(keys.len()))],
        ),
        Some((name, Err(why))) => say(
            "ui-check-keys-zip-problem",
            &[("name", text(name)), ("problem", why.clone().into())],
        ),
    };
    root.set_text("cib-check-keys-message", &keys);
    let Some(name) = &check.installer else {
        return root.replace_children(RESULT, []);
    };
    let heading = El::new("h3").text(name);
    let body = match &check.report {
        None => vec![El::new("p").text(&say("ui-check-reading", &[("name", text(name))]))],
        Some(Err(e)) => vec![El::new("p")
            .class("message")
            .text(&message(&cannot_be_used(e.clone())))],
        Some(Ok(report)) => findings(check, report, users),
    };
    root.replace_children(RESULT, std::iter::once(heading).chain(body));
}

/// "2048 bits", or "? bits" when the size is not known.
fn bits(bits: Option<usize>) -> Arg {
    let bits = bits.map_or_else(|| text("?"), count);
    Said::new("ui-bits", vec![("bits", bits)]).into()
}

fn list(items: impl IntoIterator<Item = String>, class: &str) -> El {
    El::new("ul")
        .class(class)
        .children(items.into_iter().map(|t| El::new("li").text(&t)))
}

fn findings(check: &Check, report: &Report, users: &[UserEntry]) -> Vec<El> {
    let mut out = Vec::new();
    if !report.vesselinfo {
        out.push(El::new("p").class("message").text(&t("ui-check-no-vesselinfo")));
    } else if report.accepts {
        out.push(El::new("p").class("verdict").text(&t("ui-check-accepts")));
    } else {
        out.push(El::new("p").class("message").text(&t("ui-check-refuses")));
        out.push(list(report.problems.iter().map(message), "problems"));
    }
    let n = report.vessels.len();
    out.extend(report.vessels.iter().enumerate().map(|(i, v)| vessel(check, i, v, users)));
    if n > 0 {
        let reserved = match report.reserved {
            true => "ui-check-reserved",
            false => "ui-check-not-reserved",
        };
        let reserved = say(reserved, &[("percent", count(RESERVED_PERCENT as usize))]);
        out.push(El::new("p").class("reserved").text(&reserved));
    }
    if !report.unusable.is_empty() {
        out.push(El::new("p").text(&t("ui-check-unusable")));
        let items = report.unusable.iter().map(|Unusable { line, fingerprint, why }| {
            say(
                "ui-check-unusable-key",
                &[("line", count(*line)), ("fingerprint", text(fingerprint)), ("why", why.clone().into())],
            )
        });
        out.push(list(items, "problems"));
    }
    out.extend(metainfo(report.metainfo.as_ref()));
    out
}

fn vessel(check: &Check, i: usize, v: &Vessel, users: &[UserEntry]) -> El {
    let percent = v.percent.map_or_else(|| text("?"), |p| Arg::Number(p.into()));
    let share = match v.percent {
        Some(p) if (10..=80).contains(&p) && p % 10 == 0 => format!("share share-{p}"),
        _ => "share".into(),
    };
    let key = |role: &str, key: &Key| {
        let mut args = vec![("fingerprint", text(&key.fingerprint)), ("bits", bits(key.bits))];
        let said = match check.name_of(key, users) {
            Some(name) => {
                args.push(("name", text(&name)));
                Said::new("ui-check-named-key", args)
            }
            None => Said::new("ui-check-key", args),
        };
        El::new("li")
            .class("inspected-key")
            .text(&say(role, &[("key", said.into())]))
    };
    let mut keys = vec![match &v.owner {
        Some(owner) => key("ui-check-owner", owner),
        None => El::new("li").text(&t("ui-check-no-owner")),
    }];
    keys.extend(v.users.iter().map(|u| key("ui-check-user", u)));
    if v.users.is_empty() {
        keys.push(El::new("li").text(&t("ui-check-no-users")));
    }
    El::new("fieldset")
        .class("vessel")
        .attr("id", &format!("cib-check-vessel-{}", i + 1))
        .children([
            El::new("legend").text(&say(
                "ui-vessel-legend",
                &[("vessel", count(i + 1)), ("percent", percent)],
            )),
            El::new("div").class(&share).attr("aria-hidden", "true"),
            El::new("ul").class("inspected-keys").children(keys),
        ])
}

fn metainfo(metainfo: Option<&Metainfo>) -> Vec<El> {
    let Some(m) = metainfo else {
        return vec![El::new("p")
            .attr("id", "cib-check-metainfo")
            .text(&t("ui-check-no-metainfo"))];
    };
    let mut out = vec![if m.problems.is_empty() {
        El::new("p")
            .attr("id", "cib-check-metainfo")
            .text(&t("ui-check-metainfo-holds"))
    } else {
        El::new("p")
            .attr("id", "cib-check-metainfo")
            .class("message")
            .text(&t("ui-check-metainfo-fails"))
    }];
    if !m.problems.is_empty() {
        out.push(list(m.problems.iter().map(message), "problems"));
    }
    let mut facts = Vec::new();
    if let Some(signer) = &m.signer {
        let signature = match m.signature_valid {
            true => "ui-check-signer",
            false => "ui-check-signer-invalid",
        };
        let signer = [("fingerprint", text(signer)), ("bits", bits(m.signer_bits))];
        facts.push(say(signature, &signer));
        facts.push(match (m.expires.as_deref(), m.expired) {
            (None, _) => t("ui-check-expires-never"),
            (Some(at), false) => say("ui-check-expires", &[("at", text(at))]),
            (Some(at), true) => say("ui-check-expired", &[("at", text(at))]),
        });
    }
    facts.extend(
        m.differing
            .iter()
            .map(|p| say("ui-check-differs", &[("path", text(p))])),
    );
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
        Err(Said::id("ui-check-too-large"))
    } else {
        worker_findings(&places, &file).await.map(|answer| report_of(&answer))
    };
    dispatch.send(Action::CheckRead { name, report });
}

/// The worker's findings. A tar.gz goes whole (the worker streams it, as customizing does); of
/// a zip only the tail goes, and earlier bytes only as far back as the worker asks for (the
/// entries it reads), so a 50 MB installer is not read into memory to see its vesselinfo.
async fn worker_findings(places: &Places, file: &File) -> Result<JsValue, Said> {
    let (_, start) = customize::reading_start(file).await?;
    let now = js_sys::Date::now() / 1000.0;
    customize::from_tail(places, "check", file, start, &[("now", now.into())]).await
}

/// Reads a public_keys.zip's named keys in the worker.
pub async fn read_keys(dispatch: Dispatch, places: Places, file: File) {
    let name = file.name();
    let keys = if file.size() > MAX_KEYS_ZIP_BYTES {
        Err(Said::id("ui-check-keys-too-large"))
    } else {
        crate::worker::over_bytes(&places.worker, "keys", &file, &[]).await.map(|answer| {
            array(&answer)
                .map(|pair| (string(&index(&pair, 0)), string(&index(&pair, 1))))
                .collect()
        })
    };
    dispatch.send(Action::KeysZipRead { name, keys });
}

fn get(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &name.into()).unwrap_or(JsValue::NULL)
}

fn index(value: &JsValue, i: u32) -> JsValue {
    Reflect::get_u32(value, i).unwrap_or(JsValue::NULL)
}

fn string(value: &JsValue) -> String {
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
    array(value).map(|t| string(&t)).collect()
}

fn key_of(value: &JsValue) -> Key {
    Key {
        text: string(&get(value, "key")),
        fingerprint: string(&get(value, "fingerprint")),
        bits: number(&get(value, "bits")).map(|b| b as usize),
    }
}

/// What the worker sent as catalog messages (`said`), in the page's language; else its English
/// (`english`), as it is.
fn said_or_text(said: &JsValue, english: &JsValue) -> Vec<Said> {
    let english = texts(english);
    let said: Option<Vec<Said>> = array(said).map(|m| crate::catalog::said_of(&m)).collect();
    match said {
        Some(said) if said.len() == english.len() => said,
        _ => english.iter().map(|t| Said::text(t)).collect(),
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
    // Why each key is unusable in the page's language when the worker sent it as a message.
    let why_said: Vec<JsValue> = array(&get(answer, "unusable_said")).collect();
    let unusable = array(&get(answer, "unusable_keys")).enumerate().map(|(i, u)| Unusable {
        line: number(&get(&u, "line")).unwrap_or(0.0) as usize,
        fingerprint: string(&get(&u, "fingerprint")),
        why: why_said
            .get(i)
            .and_then(crate::catalog::said_of)
            .unwrap_or_else(|| Said::text(&string(&get(&u, "why")))),
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
            .map(|f| string(&get(&f, "path")))
            .collect(),
        problems: said_or_text(&get(answer, "metainfo_said"), &get(&m, "problems")),
    });
    Report {
        vesselinfo: get(answer, "vesselinfo").is_truthy(),
        vessels: vessels.collect(),
        reserved: get(answer, "reserved_vessel").is_truthy(),
        accepts: get(answer, "seattle_accepts").is_truthy(),
        // The vesselinfo's problems in the page's language when the worker sent them as
        // messages, else its English.
        problems: said_or_text(&get(answer, "problems_said"), &get(answer, "problems")),
        unusable: unusable.collect(),
        metainfo,
    }
}
