//! Files written whole or not at all: through a temporary file in the same folder, synced, then
//! renamed into place. STATE_DIR's records are written so, and so are the command line's outputs.

use std::fs;
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Whether an existing file at the output path may be replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    Replace,
    Keep,
}

/// Who may read a written file: everyone, or only its owner (private keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    All,
    Owner,
}

/// Writes through a temporary file in the same folder, renamed into place only when complete.
pub fn write_atomically(
    path: &Path,
    existing: Existing,
    readers: Readers,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".cib-")
        .suffix(".tmp")
        .tempfile_in(&folder)?;
    {
        let mut out = BufWriter::new(temporary.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    // A temporary file is created 0600; an installer should be readable like any download.
    let mode = match readers {
        Readers::All => 0o644,
        Readers::Owner => 0o600,
    };
    fs::set_permissions(temporary.path(), fs::Permissions::from_mode(mode))?;
    temporary.as_file().sync_all()?;
    match existing {
        Existing::Replace => temporary.persist(path).map(drop),
        Existing::Keep => temporary.persist_noclobber(path).map(drop),
    }
    .map_err(|e| e.error)
}
