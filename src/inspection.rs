//! What an installer grants, read back from its own files: the vesselinfo by the rules of
//! Seattle's installer, and what its signed metainfo says. `cib inspect` reports it, and so
//! does the page's "Check an installer" through its worker; [`Inspection::json`] is the one
//! JSON of it, `cib inspect --json`'s (docs/cli.md).

use crate::base_installer::{
    installer_files, installer_files_from_zip_tail, repy_files, repy_files_from_zip_tail,
    BaseInstallerError, InstallerFiles, TailRead, TreeEntry,
};
use crate::metainfo::{self, Verification};
use crate::public_key::{fingerprint, PublicKey};
use crate::vesselinfo::{VesselKey, Vesselinfo, ARCHIVE_PATH};
use serde_json::{json, Value};

#[derive(Debug, Clone)]
pub struct Inspection {
    /// `None` when the installer has no vesselinfo.
    pub vesselinfo: Option<Vesselinfo>,
    /// `None` when it has no metainfo.
    pub verification: Option<Verification>,
    /// The update site's key the metainfo must be signed with, when one is given.
    pub expected: Option<PublicKey>,
    /// When it was read (seconds since 1970), which tells whether the signature has expired.
    pub now: f64,
}

impl Inspection {
    /// Reads `installer` (zip or tar.gz, told by its bytes) after the checks customizing makes
    /// of an archive; the error is why it is no installer that can be read.
    pub fn read(
        installer: &[u8],
        expected: Option<PublicKey>,
        now: f64,
    ) -> Result<Inspection, BaseInstallerError> {
        let files = installer_files(installer)?;
        let tree = match files.metainfo {
            None => None,
            Some(_) => Some(repy_files(installer)?),
        };
        Ok(Inspection::of(&files, tree.as_deref(), expected, now))
    }

    /// As `read`, from a zip's tail (its bytes from `tail_start` on): the inspection, or the
    /// offset of the earlier bytes that the entries it reads need. A browser hands over no more
    /// of a large zip than that.
    pub fn read_zip_tail(
        tail: &[u8],
        tail_start: u64,
        expected: Option<PublicKey>,
        now: f64,
    ) -> Result<TailRead<Inspection>, BaseInstallerError> {
        let files = match installer_files_from_zip_tail(tail, tail_start)? {
            TailRead::Read(files) => files,
            TailRead::NeedsBytesFrom(offset) => return Ok(TailRead::NeedsBytesFrom(offset)),
        };
        let tree = match files.metainfo {
            None => None,
            Some(_) => match repy_files_from_zip_tail(tail, tail_start)? {
                TailRead::Read(tree) => Some(tree),
                TailRead::NeedsBytesFrom(offset) => return Ok(TailRead::NeedsBytesFrom(offset)),
            },
        };
        let inspection = Inspection::of(&files, tree.as_deref(), expected, now);
        Ok(TailRead::Read(inspection))
    }

    /// The inspection of an installer's vesselinfo and metainfo, the metainfo verified against
    /// the Seattle folder's files (`tree`, read when there is a metainfo).
    fn of(
        files: &InstallerFiles,
        tree: Option<&[TreeEntry]>,
        expected: Option<PublicKey>,
        now: f64,
    ) -> Inspection {
        let verification = match (&files.metainfo, tree) {
            (Some(_), Some(tree)) => Some(metainfo::verify(tree, expected.as_ref(), now)),
            _ => None,
        };
        Inspection {
            vesselinfo: files.vesselinfo.as_deref().map(Vesselinfo::parse),
            verification,
            expected,
            now,
        }
    }

    pub fn seattle_accepts(&self) -> bool {
        self.vesselinfo
            .as_ref()
            .is_some_and(Vesselinfo::seattle_accepts)
    }

    /// `cib inspect --json`'s object.
    pub fn json(&self) -> Value {
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
                    "fingerprint": fingerprint(&k.key),
                    "why": k.why.to_string(),
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
            "problems": verification.problems_english(),
        })
    }
}

/// Why an installer without a vesselinfo grants nothing.
pub fn no_vesselinfo() -> String {
    format!("the installer has no {ARCHIVE_PATH}, so Seattle's installer has no vessels to set up")
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

#[cfg(test)]
mod tests;
