//! Checking a base installer's metainfo the way the software updater relies on it: signed
//! correctly, by the key the nodes trust, and true of the files beside it.

use super::{check_updater_key, Listed, SignedData, ARCHIVE_PATH};
use crate::base_installer::{TreeEntry, REPY_FOLDER};
use crate::public_key::PublicKey;
use std::collections::HashMap;

/// What an installer's metainfo says, and every way in which it does not hold.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// The metainfo as read, when it could be.
    pub found: Option<Found>,
    /// Empty when the metainfo holds.
    pub problems: Vec<String>,
    /// Files the listing rule would list that this metainfo does not: the updater never
    /// replaces them. Worth knowing, not wrong (the installer's maker chose what to list).
    pub unlisted: Vec<String>,
    /// Listed files that are missing from the installer or differ from their line.
    pub differing: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Found {
    pub signer: PublicKey,
    /// Whether the signature is the signer's over the data as it is.
    pub signature_holds: bool,
    pub signed_at: f64,
    pub signed_at_text: String,
    pub expires: Option<f64>,
    pub expires_text: String,
    pub listed: Vec<Listed>,
}

/// Checks the metainfo among an installer's files (archive paths). `expected` is the key the
/// operator expects; the installer's own softwareupdater.py, when it has one, is checked too.
/// `now` (seconds since 1970) catches a signing time in the future, which makes the updater
/// refuse every update signed before it.
pub fn verify(files: &[TreeEntry], expected: Option<&PublicKey>, now: f64) -> Verification {
    let mut verification = Verification::default();
    let problems = &mut verification.problems;
    // Extracting keeps the last of entries that have the same name.
    let Some(metainfo) = files.iter().rev().find(|f| f.path == ARCHIVE_PATH) else {
        problems.push(format!("the installer has no {ARCHIVE_PATH}"));
        return verification;
    };
    let Ok(text) = std::str::from_utf8(&metainfo.contents) else {
        problems.push(format!("{ARCHIVE_PATH} is not text"));
        return verification;
    };
    let signed = match SignedData::read(text) {
        Ok(signed) => signed,
        Err(why) => {
            problems.push(format!("{ARCHIVE_PATH} cannot be read: {why}"));
            return verification;
        }
    };
    if !signed.signature_holds {
        problems.push(format!(
            "the signature does not hold: the metainfo was changed after signing, or not signed \
             with the private key of {}",
            signed.signer.abbreviated()
        ));
    }
    if let Some(expected) = expected.filter(|key| **key != signed.signer) {
        problems.push(format!(
            "signed with {}, not with the expected updater key {}",
            signed.signer.abbreviated(),
            expected.abbreviated()
        ));
    }
    if let Err(why) = check_updater_key(files, &signed.signer) {
        problems.push(why);
    }
    if signed.signed_at > now {
        problems.push(format!(
            "signed at {}, which is in the future: the updater would refuse every update signed \
             before then",
            signed.signed_at_text
        ));
    }
    let listed = match super::read_lines(signed.data) {
        Ok(listed) => listed,
        Err(why) => {
            problems.push(why);
            Vec::new()
        }
    };
    let by_path: HashMap<&str, &TreeEntry> = files
        .iter()
        .filter(|f| !f.is_folder())
        .filter_map(|f| Some((f.path.strip_prefix(REPY_FOLDER)?, f)))
        .collect();
    for line in &listed {
        match by_path.get(line.path.as_str()) {
            None => {
                problems.push(format!("{} is listed but missing", line.path));
                verification.differing.push(line.path.clone());
            }
            Some(file) => {
                let actual = Listed::of(&line.path, &file.contents);
                if actual != *line {
                    verification.differing.push(line.path.clone());
                    problems.push(format!(
                        "{} differs: SHA-1 {} and {} bytes in the installer, {} and {} in the \
                         metainfo",
                        line.path, actual.sha1, actual.size, line.sha1, line.size
                    ));
                }
            }
        }
    }
    if let Ok(should) = super::listing(files) {
        verification.unlisted = should
            .into_iter()
            .filter(|s| !listed.iter().any(|l| l.path == s.path))
            .map(|s| s.path)
            .collect();
    }
    verification.found = Some(Found {
        signer: signed.signer,
        signature_holds: signed.signature_holds,
        signed_at: signed.signed_at,
        signed_at_text: signed.signed_at_text.to_string(),
        expires: signed.expires,
        expires_text: signed.expires_text.to_string(),
        listed,
    });
    verification
}
