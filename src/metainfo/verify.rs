//! Checking a base installer's metainfo the way the software updater relies on it: signed
//! correctly, by the key the nodes trust, and true of the files beside it.

use super::{check_updater_key, Listed, SignedData, ARCHIVE_PATH};
use crate::base_installer::{TreeEntry, REPY_FOLDER};
use crate::problem::ProblemKind;
use crate::public_key::PublicKey;
use std::collections::HashMap;

/// What an installer's metainfo says, and every way in which it does not hold.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// The metainfo as read, when it could be.
    pub found: Option<Found>,
    /// Empty when the metainfo holds.
    pub problems: Vec<ProblemKind>,
    /// Files the listing rule would list that this metainfo does not: the updater never
    /// replaces them. Worth knowing, not wrong (the installer's maker chose what to list).
    pub unlisted: Vec<String>,
    /// Listed files that are missing from the installer or differ from their line.
    pub differing: Vec<String>,
}

impl Verification {
    /// The problems in English, as the CLI and its JSON say them.
    pub fn problems_english(&self) -> Vec<String> {
        self.problems.iter().map(ToString::to_string).collect()
    }
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
        problems.push(ProblemKind::MetainfoMissing { path: ARCHIVE_PATH });
        return verification;
    };
    let Ok(text) = std::str::from_utf8(&metainfo.contents) else {
        problems.push(ProblemKind::MetainfoNotText { path: ARCHIVE_PATH });
        return verification;
    };
    let signed = match SignedData::read(text) {
        Ok(signed) => signed,
        Err(why) => {
            problems.push(ProblemKind::MetainfoUnreadable {
                path: ARCHIVE_PATH,
                problem: Box::new(why),
            });
            return verification;
        }
    };
    if !signed.signature_holds {
        problems.push(ProblemKind::SignatureDoesNotHold {
            signer: signed.signer.abbreviated(),
        });
    }
    if let Some(expected) = expected.filter(|key| **key != signed.signer) {
        problems.push(ProblemKind::SignedWithOtherKey {
            signer: signed.signer.abbreviated(),
            expected: expected.abbreviated(),
        });
    }
    if let Err(why) = check_updater_key(files, &signed.signer) {
        problems.push(why);
    }
    if signed.signed_at > now {
        problems.push(ProblemKind::SignedInFuture {
            at: signed.signed_at_text.to_string(),
        });
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
                problems.push(ProblemKind::ListedFileMissing {
                    path: line.path.clone(),
                });
                verification.differing.push(line.path.clone());
            }
            Some(file) => {
                let actual = Listed::of(&line.path, &file.contents);
                if actual != *line {
                    verification.differing.push(line.path.clone());
                    problems.push(ProblemKind::ListedFileDiffers {
                        path: line.path.clone(),
                        sha1: actual.sha1,
                        size: actual.size,
                        listed_sha1: line.sha1.clone(),
                        listed_size: line.size,
                    });
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
