//! Walking the tar as it is inflated, entry header after entry header, to learn what
//! customizing needs (where the entries end, where old vesselinfo entries are) and where the
//! gzip file can be cut, without ever holding the unpacked tar.

use super::members::{Boundary, Cut, Members};
use super::BLOCK;
use crate::base_installer::{
    check_claimed_size, entry_role, hold_repy_file, BaseInstallerError, EntryRole, TreeEntry,
    MAX_ENTRIES,
};
use std::cell::RefCell;
use std::io::{self, Read};
use std::ops::Range;

/// Room for one entry's headers (GNU long names, pax records): far more than any real tar
/// needs, little enough that a hostile one cannot make the tar reader hold gigabytes.
const HEADERS_ROOM: u64 = 1 << 20;

/// What customizing needs of the tar: where its entries end (the end-of-archive blocks start
/// there), where any vesselinfo entries are, and the Seattle folder's date.
pub(super) struct TarLayout {
    pub end: u64,
    pub vesselinfo: Vec<Range<u64>>,
    pub repy_mtime: u64,
}

pub(super) struct Scan {
    pub layout: TarLayout,
    /// The last place before the tar's first change where the gzip file can be cut.
    pub cut: Boundary,
}

/// Which of the Seattle folder's regular files a walk keeps, with their bytes, and where.
pub(super) struct Collect<'v> {
    pub files: &'v mut Vec<TreeEntry>,
    pub wanted: fn(&str) -> bool,
}

/// Inflates the whole base once, checking every byte, while walking its tar; `collect`, if
/// given, receives the Seattle folder's regular files it wants.
pub(super) fn scan(base: &[u8], collect: Option<Collect>) -> Result<Scan, BaseInstallerError> {
    let members = RefCell::new(Members::new(base, Some(Cut::default())));
    let walked = walk(&members, collect);
    // Refused from a header: nothing more to inflate.
    if let Err(e @ (BaseInstallerError::TooLarge(_) | BaseInstallerError::Unsupported(_))) = walked
    {
        return Err(e);
    }
    let mut members = members.into_inner();
    members.limit = None;
    // What follows the entries is checked like the rest; the gzip's own errors come first.
    let _ = io::copy(&mut members, &mut io::sink());
    if let Some(error) = members.error.take() {
        return Err(error);
    }
    let walked = walked?;
    if let Some((name, data_end)) = walked.last {
        if data_end > members.unpacked() {
            return Err(BaseInstallerError::Corrupt(format!(
                "the tar is cut off inside {name:?}"
            )));
        }
    }
    if let Some(error) = walked.error {
        return Err(error);
    }
    if !walked.has_repy_folder {
        return Err(if members.unpacked() == 0 {
            BaseInstallerError::NotATar
        } else {
            BaseInstallerError::NoRepyFolder
        });
    }
    let cut = members.cut.take().and_then(Cut::into_best);
    let cut = cut.ok_or_else(|| BaseInstallerError::Corrupt("no deflate data".into()))?;
    Ok(Scan {
        layout: walked.layout,
        cut,
    })
}

struct Walked {
    layout: TarLayout,
    has_repy_folder: bool,
    /// The last entry's name and where its data ends, to tell a cut-off tar.
    last: Option<(String, u64)>,
    /// A bad entry, reported once the gzip stream is known to be sound.
    error: Option<BaseInstallerError>,
}

/// The tar reader pulls from the members while this walk tells them, between entries, what it
/// has learned.
struct Shared<'r, 'a>(&'r RefCell<Members<'a>>);

impl Read for Shared<'_, '_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.0.borrow_mut().read(out)
    }
}

fn walk(
    members: &RefCell<Members>,
    mut collect: Option<Collect>,
) -> Result<Walked, BaseInstallerError> {
    let mut held = 0;
    let mut walked = Walked {
        layout: TarLayout {
            end: 0,
            vesselinfo: Vec::new(),
            repy_mtime: 0,
        },
        has_repy_folder: false,
        last: None,
        error: None,
    };
    members.borrow_mut().limit = Some(HEADERS_ROOM);
    let mut archive = tar::Archive::new(Shared(members));
    let entries = archive.entries().map_err(|_| BaseInstallerError::NotATar)?;
    for (count, entry) in entries.enumerate() {
        let mut entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                walked.error = Some(match count {
                    0 => BaseInstallerError::NotATar,
                    _ => BaseInstallerError::Corrupt(format!("tar entry {}: {e}", count + 1)),
                });
                return Ok(walked);
            }
        };
        if count >= MAX_ENTRIES {
            return Err(BaseInstallerError::TooLarge(format!(
                "more than {MAX_ENTRIES} entries"
            )));
        }
        let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        if entry.header().entry_type().is_gnu_sparse() {
            return Err(BaseInstallerError::Unsupported(format!(
                "entry {name:?} is a GNU sparse file, which no Seattle installer holds"
            )));
        }
        check_claimed_size(&format!("entry {name:?}"), entry.size())?;
        let Some((data_end, padded_end)) = entry
            .raw_file_position()
            .checked_add(entry.size())
            .and_then(|end| Some((end, end.checked_next_multiple_of(BLOCK)?)))
        else {
            return Err(BaseInstallerError::Corrupt(format!(
                "tar entry {name:?} is impossibly large"
            )));
        };
        walked.last = Some((name, data_end));
        let data_end = padded_end;
        let start = walked.layout.end;
        walked.layout.end = data_end;
        if entry.header().entry_type().is_hard_link() {
            if let Some(target) = entry.link_name_bytes() {
                entry_role(&target)?;
            }
        }
        let (role, path) = entry_role(&entry.path_bytes())?;
        {
            let mut members = members.borrow_mut();
            let cut = members.cut.as_mut().expect("walking with a cut");
            match role {
                EntryRole::Vesselinfo => {
                    walked.layout.vesselinfo.push(start..data_end);
                    cut.change_at(start);
                }
                EntryRole::InRepyFolder => {
                    walked.has_repy_folder = true;
                    if entry.header().entry_type().is_dir() {
                        walked.layout.repy_mtime = entry.header().mtime().unwrap_or(0);
                    }
                    cut.unchanged_before(data_end);
                }
                EntryRole::Other => cut.unchanged_before(data_end),
            }
            members.limit = Some(data_end.saturating_add(HEADERS_ROOM));
        }
        let wanted = !matches!(role, EntryRole::Other) && entry.header().entry_type().is_file();
        if let Some(Collect { files, .. }) =
            collect.as_mut().filter(|c| wanted && (c.wanted)(&path))
        {
            let name = path;
            let mode = entry.header().mode().unwrap_or(0o644) & 0o7777;
            hold_repy_file(&mut held, entry.size())?;
            let mut data = Vec::new();
            // A short read shows as a tar cut off inside this entry, once the walk is over.
            if let Err(e) = entry.read_to_end(&mut data) {
                walked.error = Some(BaseInstallerError::Corrupt(format!("{name:?}: {e}")));
                return Ok(walked);
            }
            files.push(TreeEntry::file(&name, mode, data));
        }
    }
    let mut members = members.borrow_mut();
    members.limit = None;
    let end = walked.layout.end;
    members
        .cut
        .as_mut()
        .expect("walking with a cut")
        .change_at(end);
    Ok(walked)
}
