//! `cib inspect`: what an installer grants, read back from its own files, for a donor handed
//! one by someone else. It shows each vessel's owner and users, whether Seattle's installer
//! would take the vesselinfo, and what the signed metainfo says.

use super::verify::{expected_key, now, report};
use crate::failure::{Failure, Outcome};
use crate::files::{print, read_base};
use cib_core::inspection::{no_vesselinfo, Inspection};
use cib_core::metainfo;
use cib_core::vesselinfo::VesselKey;
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
    let inspection = Inspection::read(&bytes, expected, now()?)
        .map_err(|e| Failure::Invalid(format!("{name}: {e}")))?;
    if args.json {
        print(&format!("{:#}\n", inspection.json()))?;
    } else {
        print(&text(&inspection))?;
    }
    let reasons = reasons(&inspection);
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

/// Why the command refuses the installer: what Seattle's installer refuses, and, when an
/// updater key is given, every way the metainfo does not hold with it.
fn reasons(inspection: &Inspection) -> Vec<String> {
    let mut reasons: Vec<String> = match &inspection.vesselinfo {
        None => vec![no_vesselinfo()],
        Some(read) => read
            .problems
            .iter()
            .map(|p| format!("Seattle's installer refuses the vesselinfo: {p}"))
            .collect(),
    };
    if inspection.expected.is_some() {
        match &inspection.verification {
            None => reasons.push(format!("the installer has no {}", metainfo::ARCHIVE_PATH)),
            Some(v) => reasons.extend(v.problems.iter().map(|p| format!("metainfo: {p}"))),
        }
    }
    reasons
}

fn text(inspection: &Inspection) -> String {
    let mut out = String::new();
    let Some(read) = &inspection.vesselinfo else {
        let _ = writeln!(out, "vesselinfo: none; {}", no_vesselinfo());
        out.push_str(&metainfo_text(inspection));
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
    out.push_str(&metainfo_text(inspection));
    out
}

fn metainfo_text(inspection: &Inspection) -> String {
    let Some(verification) = &inspection.verification else {
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
            verification.problems_english().join("\n    ")
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
        if let Some(expected) = &inspection.expected {
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
    out.push_str(&report(
        verification,
        inspection.expected.is_some(),
        inspection.now,
    ));
    for path in &verification.differing {
        let _ = writeln!(out, "  does not match the installer's file: {path}");
    }
    out
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
