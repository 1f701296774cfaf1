//! `metainfo`: the signed list of files that Seattle's software updater compares with its update
//! site. Seattle's dist signs it when it makes base installers; `cib pack-base-installers` does
//! the same, and `cib verify-base-installer` checks one received from elsewhere.

// Signing and checking signatures need the rsa crate's modular powers; the listing and the
// paths do not, and the page reads installers with them.
#[cfg(feature = "rsa")]
mod signeddata;
mod updater_key;
#[cfg(feature = "rsa")]
mod verify;

#[cfg(feature = "rsa")]
pub use signeddata::{python_float, SignedData};
pub use updater_key::{check_updater_key, updater_key, UPDATER_PATH};
#[cfg(feature = "rsa")]
pub use verify::{verify, Found, Verification};

use crate::base_installer::{TreeEntry, REPY_FOLDER};
#[cfg(feature = "rsa")]
use crate::key_pair::KeyPair;
use crate::problem::ProblemKind;
use sha1::{Digest, Sha1};

/// Where metainfo lives in every base installer, beside the files it lists.
pub const ARCHIVE_PATH: &str = "seattle/seattle_repy/metainfo";

/// Seattle's dist lets a signature expire 30 days after signing.
pub const VALIDITY_SECONDS: f64 = 2_592_000.0;

/// One line of metainfo: a file of `seattle_repy/`, its SHA-1 and its size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Relative to `seattle_repy/`, with `/`.
    pub path: String,
    /// Lowercase hex.
    pub sha1: String,
    pub size: u64,
}

impl Listed {
    pub fn of(path: &str, contents: &[u8]) -> Listed {
        Listed {
            path: path.to_string(),
            sha1: format!("{:x}", Sha1::digest(contents)),
            size: contents.len() as u64,
        }
    }
}

/// Whether metainfo lists the file at `path` (relative to `seattle_repy/`), by Seattle's
/// writemetainfo.py: never compiled or editor files, preprocessed repy, metainfo itself, nor
/// the files that the dist and the builder add after signing.
pub fn is_listed(path: &str) -> bool {
    const SKIPPED_ENDINGS: [&str; 4] = [".pyc", ".swp", "_repy.py", "metainfo"];
    const ADDED_AFTER_SIGNING: [&str; 11] = [
        "nodeman.cfg",
        "resources.offcut",
        "install.sh",
        "start_seattle.sh",
        "stop_seattle.sh",
        "uninstall.sh",
        "install.bat",
        "start_seattle.bat",
        "stop_seattle.bat",
        "uninstall.bat",
        "vesselinfo",
    ];
    !SKIPPED_ENDINGS.iter().any(|end| path.ends_with(end)) && !ADDED_AFTER_SIGNING.contains(&path)
}

/// The metainfo lines for an installer's files (archive paths), in their order. A name the
/// updater would misread (it splits lines at whitespace and skips `#` and `!` lines) is refused.
pub fn listing(files: &[TreeEntry]) -> Result<Vec<Listed>, String> {
    let mut listed = Vec::new();
    let mut unreadable = Vec::new();
    for file in files.iter().filter(|f| !f.is_folder()) {
        let Some(path) = file.path.strip_prefix(REPY_FOLDER) else {
            continue;
        };
        if !is_listed(path) {
            continue;
        }
        if path.contains(char::is_whitespace) || path.starts_with(['#', '!']) {
            unreadable.push(format!("{:?}", file.path));
            continue;
        }
        listed.push(Listed::of(path, &file.contents));
    }
    if !unreadable.is_empty() {
        return Err(format!(
            "Seattle's software updater cannot read metainfo lines for {} (a name with whitespace, \
             or starting with # or !); rename them",
            unreadable.join(", ")
        ));
    }
    Ok(listed)
}

/// `PATH SHA1 SIZE\n` per file, as writemetainfo.py writes them.
pub fn lines(listed: &[Listed]) -> String {
    listed
        .iter()
        .map(|l| format!("{} {} {}\n", l.path, l.sha1, l.size))
        .collect()
}

/// Reads the lines back as the software updater does: blank lines and lines starting with `#`
/// or `!` are skipped, every other line is three words.
pub fn read_lines(data: &str) -> Result<Vec<Listed>, ProblemKind> {
    let mut listed = Vec::new();
    for (number, line) in data.split('\n').enumerate() {
        if line.trim().is_empty() || line.starts_with(['#', '!']) {
            continue;
        }
        let (line_number, text) = (number + 1, line.to_string());
        let [path, sha1, size] = line.split_whitespace().collect::<Vec<_>>()[..] else {
            return Err(ProblemKind::MetainfoLineNotThreeWords {
                line: line_number,
                text,
            });
        };
        let size = size
            .parse()
            .map_err(|_| ProblemKind::MetainfoLineSizeNotNumber {
                line: line_number,
                text,
            })?;
        listed.push(Listed {
            path: path.to_string(),
            sha1: sha1.to_string(),
            size,
        });
    }
    Ok(listed)
}

#[cfg(feature = "rsa")]
/// Past this (in the year 5138), Python 2.6 and 2.7 write whole seconds differently
/// (`123456789012.0` against `1.23456789012e+11`), so no one form would be Seattle's.
#[cfg(feature = "rsa")]
const LAST_SIGNING_TIME: f64 = 99_999_999_999.0;

/// The signed metainfo of an installer's files, as Seattle's dist writes it. A signing key that
/// the installer's own softwareupdater.py does not trust is refused.
#[cfg(feature = "rsa")]
pub fn sign(files: &[TreeEntry], signer: &KeyPair, signed_at: f64) -> Result<Vec<u8>, String> {
    if !(0.0..=LAST_SIGNING_TIME).contains(&signed_at) {
        return Err(format!(
            "the signing time {signed_at} is not a time between 1970 and the year 5138"
        ));
    }
    check_updater_key(files, &signer.public).map_err(String::from)?;
    let data = lines(&listing(files)?);
    Ok(signeddata::sign(&data, signer, signed_at).into_bytes())
}

/// Signs the tree's files and puts the metainfo among them (replacing one already there, such
/// as an unsigned stand-in), at its place in name order so packing stays reproducible.
#[cfg(feature = "rsa")]
pub fn sign_tree(
    tree: &mut Vec<TreeEntry>,
    signer: &KeyPair,
    signed_at: f64,
) -> Result<(), String> {
    let metainfo = sign(tree, signer, signed_at)?;
    tree.retain(|entry| entry.path != ARCHIVE_PATH);
    let order = |path: &str| path.split('/').map(str::to_string).collect::<Vec<_>>();
    let at = tree
        .iter()
        .position(|entry| order(&entry.path) > order(ARCHIVE_PATH))
        .unwrap_or(tree.len());
    tree.insert(at, TreeEntry::file(ARCHIVE_PATH, 0o644, metainfo));
    Ok(())
}

#[cfg(all(test, feature = "rsa"))]
mod tests;
