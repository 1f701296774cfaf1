//! `cib verify-base-installer`: what an operator runs on base installers received from elsewhere
//! before serving them. It checks the metainfo's signature, the key it was signed with, and
//! every listed file's SHA-1 and size against the archive.

use crate::failure::{Failure, Outcome};
use crate::files::{print, read_base, read_key};
use cib_core::base_installer::repy_files;
use cib_core::metainfo::{self, Verification};
use cib_core::PublicKey;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A base installer, or an installer customized from one (zip or tar.gz, read from its bytes).
    base: PathBuf,
    /// The update site's public key (`e n`) that must have signed the metainfo. Without it, the
    /// key of the installer's own softwareupdater.py is the only one checked.
    #[arg(long, value_name = "FILE")]
    updater_public_key: Option<PathBuf>,
}

pub fn run(args: Args) -> Outcome {
    let expected = expected_key(args.updater_public_key.as_deref())?;
    let name = args.base.display();
    let base = read_base(&args.base)?;
    let files = repy_files(&base).map_err(|e| Failure::Invalid(format!("{name}: {e}")))?;
    let now = now()?;
    let verification = metainfo::verify(&files, expected.as_ref(), now);
    let report = report(&verification, expected.is_some(), now);
    if verification.problems.is_empty() {
        print(&format!("{name}: metainfo holds\n{report}"))
    } else {
        let count = verification.problems.len();
        let found = if report.is_empty() {
            String::new()
        } else {
            format!("\nwhat it says:\n{}", report.trim_end())
        };
        Err(Failure::Invalid(format!(
            "{name}: metainfo does not hold, {count} problem{}:\n  {}{found}",
            if count == 1 { "" } else { "s" },
            verification.problems_english().join("\n  ")
        )))
    }
}

/// The updater key file given, if one is.
pub fn expected_key(path: Option<&Path>) -> Result<Option<PublicKey>, Failure> {
    let mut problems = Vec::new();
    let expected = match path {
        Some(path) => read_key(path, PublicKey::parse, &mut problems)?,
        None => None,
    };
    if !problems.is_empty() {
        return Err(Failure::Invalid(problems.join("\n")));
    }
    Ok(expected)
}

/// Seconds since 1970, which a signing time and an expiry are compared with.
pub fn now() -> Result<f64, Failure> {
    Ok(SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| Failure::Other(format!("the clock is before 1970: {e}")))?
        .as_secs_f64())
}

/// What was found, one fact a line.
pub fn report(verification: &Verification, key_given: bool, now: f64) -> String {
    let mut out = String::new();
    let Some(found) = &verification.found else {
        return out;
    };
    let signer_checked = if key_given {
        "the key given"
    } else {
        "softwareupdater.py's key, if the installer has one"
    };
    let _ = writeln!(
        out,
        "  signer:     {}, checked against {signer_checked}",
        found.signer.abbreviated()
    );
    let _ = writeln!(
        out,
        "  signed at:  {} ({})",
        found.signed_at_text,
        date(found.signed_at)
    );
    let expiry = match found.expires {
        Some(at) if at < now => format!("{} ({}, passed)", found.expires_text, date(at)),
        Some(at) => format!("{} ({})", found.expires_text, date(at)),
        None => "none".to_string(),
    };
    let _ = writeln!(out, "  expires:    {expiry}");
    let _ = writeln!(out, "  listed:     {} files", found.listed.len());
    for listed in &found.listed {
        let _ = writeln!(out, "    {} {} {}", listed.path, listed.sha1, listed.size);
    }
    if !verification.unlisted.is_empty() {
        let _ = writeln!(
            out,
            "  not listed (the updater never replaces them): {}",
            verification.unlisted.join(", ")
        );
    }
    out
}

fn date(seconds: f64) -> String {
    let at = UNIX_EPOCH.checked_add(Duration::from_secs_f64(seconds.max(0.0)));
    at.map_or_else(|| "out of range".into(), httpdate::fmt_http_date)
}
