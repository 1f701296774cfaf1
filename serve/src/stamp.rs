//! What tells one version of a file from another without reading it.

use std::io;
use std::path::Path;
use std::time::SystemTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    /// A file replaced by renaming another over it gets a new inode even when its size and
    /// mtime were copied along, and no program can set the change time back.
    #[cfg(unix)]
    inode: (u64, u64, i64, i64),
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Stamp {
        #[cfg(unix)]
        use std::os::unix::fs::MetadataExt;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            #[cfg(unix)]
            inode: (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()),
        }
    }

    /// Follows links, as opening the file would.
    pub fn read(path: &Path) -> io::Result<Stamp> {
        std::fs::metadata(path).map(|meta| Stamp::of(&meta))
    }
}
