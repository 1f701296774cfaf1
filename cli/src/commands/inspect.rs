//! `cib inspect`: what an installer grants, read back from its own files, for a donor handed
//! one by someone else. It shows each vessel's owner and users, whether Seattle's installer
//! would take the vesselinfo, and what the signed metainfo says.

use super::verify::{expected_key, now, report};
use crate::failure::{Failure, Outcome};
use crate::files::{print, read_base};
use cib_core::base_installer::{installer_files, repy_files};
use cib_core::metainfo::{self, Verification};
use cib_core::vesselinfo::{VesselKey, Vesselinfo, ARCHIVE_PATH};
use cib_core::PublicKey;
use serde_json::{json, Value};
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The installer (zip or tar.gz, read from its bytes).
    installer: PathBuf,
    /// The update site's public key (`e n`): the metainfo must verify with it.
    #[arg(long, value_name = "FILE")]
    updater_public_key: Option<PathBuf>,
    /// Print the findings as JSON (see docs/cli.md).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Outcome {
    let expected = expected_key(args.updater_public_key.as_deref())?;
    let name = args.installer.display();
    let bytes = read_base(&args.installer)?;
    let files = installer_files(&bytes).map_err(|e| Failure::Invalid(format!("{name}: {e}")))?;
    let vesselinfo = files.vesselinfo.as_deref().map(Vesselinfo::parse);
    let verification = match files.metainfo {
        None => None,
        Some(_) => {
            let tree = repy_files(&bytes).map_err(|e| Failure::Invalid(format!("{name}: {e}")))?;
            Some(metainfo::verify(&tree, expected.as_ref(), now()?))
        }
    };
    let findings = Findings {
        vesselinfo,
        verification,
        expected,
        now: now()?,
    };
    if args.json {
        print(&format!("{:#}\n", findings.json()))?;
    } else {
        print(&findings.text())?;
    }
    let reasons = findings.reasons();
    if reasons.is_empty() {
        return Ok(());
    }
    Err(Failure::Invalid(format!(
        "{name}: {} reason{} to refuse it:\n  {}",
        reasons.len(),
        if reasons.len() == 1 { "" } else { "s" },
        reasons.join("\n  ")
    )))
}

struct Findings {
    /// `None` when the installer has no vesselinfo.
    vesselinfo: Option<Vesselinfo>,
    /// `None` when it has no metainfo.
    verification: Option<Verification>,
    expected: Option<PublicKey>,
    now: f64,
}

impl Findings {
    fn seattle_accepts(&self) -> bool {
        self.vesselinfo
            .as_ref()
            .is_some_and(Vesselinfo::seattle_accepts)
    }

    /// Why the command refuses the installer: what Seattle's installer refuses, and, when an
    /// updater key is given, every way the metainfo does not hold with it.
    fn reasons(&self) -> Vec<String> {
        let mut reasons: Vec<String> = match &self.vesselinfo {
            None => vec![no_vesselinfo()],
            Some(read) => read
                .problems
                .iter()
                .map(|p| format!("Seattle's installer refuses the vesselinfo: {p}"))
                .collect(),
        };
        if self.expected.is_some() {
            match &self.verification {
                None => reasons.push(format!("the installer has no {}", metainfo::ARCHIVE_PATH)),
                Some(v) => reasons.extend(v.problems.iter().map(|p| format!("metainfo: {p}"))),
            }
        }
        reasons
    }

    fn json(&self) -> Value {
        let empty = Vesselinfo::default();
        let read = self.vesselinfo.as_ref().unwrap_or(&empty);
        let mut problems: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        if self.vesselinfo.is_none() {
            problems.push(no_vesselinfo());
        }
        let vessels: Vec<Value> = read
            .vessels
            .iter()
            .map(|v| {
                json!({
                    "line": v.line,
                    "percent": v.percent,
                    "owner": v.owner.as_ref().map(key_json),
                    "users": v.users.iter().map(key_json).collect::<Vec<_>>(),
                })
            })
            .collect();
        let unusable: Vec<Value> = read
            .unusable_keys
            .iter()
            .map(|k| {
                json!({
                    "line": k.line,
                    "key": k.key,
                    "fingerprint": cib_core::public_key::fingerprint(&k.key),
                    "why": k.why,
                })
            })
            .collect();
        json!({
            "vesselinfo": self.vesselinfo.is_some(),
            "vessels": vessels,
            "reserved_vessel": read.ends_with_reserved_vessel(),
            "seattle_accepts": self.seattle_accepts(),
            "problems": problems,
            "unusable_keys": unusable,
            "metainfo": self.metainfo_json(),
        })
    }

    fn metainfo_json(&self) -> Value {
        let Some(verification) = &self.verification else {
            return json!({ "present": false });
        };
        let found = verification.found.as_ref();
        let files: Vec<Value> = found
            .map(|f| f.listed.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|l| {
                json!({
                    "path": l.path,
                    "sha1": l.sha1,
                    "size": l.size,
                    "matches": !verification.differing.contains(&l.path),
                })
            })
            .collect();
        json!({
            "present": true,
            "signer": found.map(|f| public_key_json(&f.signer)),
            "signature_valid": found.map(|f| f.signature_holds),
            "signer_is_updater_key": self.expected.as_ref().map(|e| found.is_some_and(|f| f.signer == *e)),
            "signed_at": found.map(|f| f.signed_at_text.clone()),
            "expires": found.and_then(|f| f.expires.map(|_| f.expires_text.clone())),
            "expired": found.and_then(|f| f.expires.map(|at| at < self.now)),
            "files": files,
            "unlisted": verification.unlisted,
            "holds": verification.problems.is_empty(),
            "problems": verification.problems,
        })
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let Some(read) = &self.vesselinfo else {
            let _ = writeln!(out, "vesselinfo: none; {}", no_vesselinfo());
            out.push_str(&self.metainfo_text());
            return out;
        };
        let verdict = if read.seattle_accepts() {
            "Seattle's installer accepts it".to_string()
        } else {
            format!(
                "Seattle's installer refuses it:\n  {}",
                read.problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n  ")
            )
        };
        let _ = writeln!(out, "vesselinfo: {} vessels; {verdict}", read.vessels.len());
        for (i, vessel) in read.vessels.iter().enumerate() {
            let percent = vessel
                .percent
                .map_or_else(|| "?".to_string(), |p| p.to_string());
            let _ = writeln!(out, "vessel {} (line {}): {percent}%", i + 1, vessel.line);
            match &vessel.owner {
                Some(owner) => out.push_str(&key_text("owner", owner)),
                None => out.push_str("  owner: none\n"),
            }
            for user in &vessel.users {
                out.push_str(&key_text("user", user));
            }
        }
        let reserved = if read.ends_with_reserved_vessel() {
            "the last vessel is the reserved one: 20%, owned by the Seattle project's key, no users"
        } else {
            "the last vessel is NOT the reserved one (20%, owned by the Seattle project's key, no users)"
        };
        let _ = writeln!(out, "{reserved}");
        if !read.unusable_keys.is_empty() {
            let _ = writeln!(
                out,
                "keys Seattle's installer takes but no node can use as RSA keys:"
            );
            for key in &read.unusable_keys {
                let _ = writeln!(
                    out,
                    "  line {}: {}: {}",
                    key.line,
                    cib_core::public_key::fingerprint(&key.key),
                    key.why
                );
            }
        }
        out.push_str(&self.metainfo_text());
        out
    }

    fn metainfo_text(&self) -> String {
        let Some(verification) = &self.verification else {
            return format!(
                "metainfo: none ({} is not in the installer)\n",
                metainfo::ARCHIVE_PATH
            );
        };
        let mut out = String::new();
        let verdict = if verification.problems.is_empty() {
            "holds".to_string()
        } else {
            format!(
                "does not hold:\n    {}",
                verification.problems.join("\n    ")
            )
        };
        let _ = writeln!(out, "metainfo: {verdict}");
        if let Some(found) = &verification.found {
            let _ = writeln!(
                out,
                "  signer fingerprint: {}, {} bits; signature {}",
                found.signer.fingerprint(),
                found.signer.modulus_bits(),
                if found.signature_holds {
                    "valid"
                } else {
                    "NOT valid"
                }
            );
            if let Some(expected) = &self.expected {
                let _ = writeln!(
                    out,
                    "  signed with the updater key given: {}",
                    if found.signer == *expected {
                        "yes"
                    } else {
                        "no"
                    }
                );
            }
        }
        out.push_str(&report(verification, self.expected.is_some(), self.now));
        for path in &verification.differing {
            let _ = writeln!(out, "  does not match the installer's file: {path}");
        }
        out
    }
}

fn no_vesselinfo() -> String {
    format!("the installer has no {ARCHIVE_PATH}, so Seattle's installer has no vessels to set up")
}

fn key_text(role: &str, key: &VesselKey) -> String {
    let bits = key
        .bits()
        .map_or_else(|| "? bits".to_string(), |b| format!("{b} bits"));
    format!(
        "  {role}: {}, {bits}\n    {}\n",
        key.fingerprint(),
        key.text
    )
}

fn key_json(key: &VesselKey) -> Value {
    json!({
        "line": key.line,
        "key": key.text,
        "fingerprint": key.fingerprint(),
        "bits": key.bits(),
    })
}

fn public_key_json(key: &PublicKey) -> Value {
    json!({
        "key": key.to_string(),
        "fingerprint": key.fingerprint(),
        "bits": key.modulus_bits(),
    })
}
