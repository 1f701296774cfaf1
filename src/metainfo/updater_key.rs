//! The key that Seattle's software updater trusts, hard-coded in `softwareupdater.py` as
//! `softwareupdatepublickey = {'e': E, 'n': N}`. Metainfo signed with any other key can never
//! update a node, so Seattle's build scripts refuse to build with one.

use crate::base_installer::TreeEntry;
use crate::problem::ProblemKind;
use crate::public_key::PublicKey;

/// Where the updater sits in a base installer.
pub const UPDATER_PATH: &str = "seattle/seattle_repy/softwareupdater.py";

/// The key in the text of softwareupdater.py; `None` when it has no `softwareupdatepublickey`
/// assignment.
pub fn updater_key(script: &str) -> Option<Result<PublicKey, ProblemKind>> {
    let value = script.lines().find_map(|line| {
        line.trim_start()
            .strip_prefix("softwareupdatepublickey")?
            .trim_start()
            .strip_prefix('=')
    })?;
    let value = value.split('#').next().unwrap_or_default().trim();
    Some(key_of_dict(value))
}

/// `{'e': E, 'n': N}` in either order, the numbers possibly written as Python 2 longs (`123L`).
fn key_of_dict(value: &str) -> Result<PublicKey, ProblemKind> {
    let shown: String = value.chars().take(40).collect();
    let bad = || ProblemKind::UpdaterKeyNotDict {
        shown: shown.clone(),
    };
    let body = value
        .strip_prefix('{')
        .and_then(|v| v.strip_suffix('}'))
        .ok_or_else(bad)?;
    let (mut e, mut n) = (None, None);
    for item in body.split(',') {
        let (name, number) = item.split_once(':').ok_or_else(bad)?;
        let number = number.trim().trim_end_matches(['L', 'l']);
        match name.trim().trim_matches(['\'', '"']) {
            "e" if e.is_none() => e = Some(number),
            "n" if n.is_none() => n = Some(number),
            _ => return Err(bad()),
        }
    }
    let (Some(e), Some(n)) = (e, n) else {
        return Err(bad());
    };
    PublicKey::parse_typed(&format!("{e} {n}")).map_err(|why| ProblemKind::UpdaterKeyBad {
        problem: Box::new(why),
    })
}

/// Refuses a signing key that the installer's own softwareupdater.py does not trust, saying
/// which keys differ. An installer without softwareupdater.py has nothing to disagree with.
pub fn check_updater_key(files: &[TreeEntry], signer: &PublicKey) -> Result<(), ProblemKind> {
    let Some(updater) = files.iter().rev().find(|f| f.path == UPDATER_PATH) else {
        return Ok(());
    };
    match updater_key(&String::from_utf8_lossy(&updater.contents)) {
        None => Err(ProblemKind::UpdaterKeyMissing { path: UPDATER_PATH }),
        Some(Err(why)) => Err(ProblemKind::InFile {
            path: UPDATER_PATH,
            problem: Box::new(why),
        }),
        Some(Ok(trusted)) if trusted == *signer => Ok(()),
        Some(Ok(trusted)) => Err(ProblemKind::UpdaterKeyDiffers {
            path: UPDATER_PATH,
            trusted: trusted.abbreviated(),
            signer: signer.abbreviated(),
        }),
    }
}
