//! Reading inputs and writing outputs so that a failure leaves nothing half-written.

use crate::failure::Failure;
use cib_core::base_installer::{customize, Customized, MAX_BASE_BYTES};
use cib_core::BuildDescription;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A text input: a file that cannot be read is a failure of its own (exit 1), while bytes that
/// are not UTF-8 are invalid input (exit 2), said with where the text stops.
fn read_text(path: &Path, what: &str) -> Result<String, Failure> {
    let bytes = fs::read(path)
        .map_err(|e| Failure::Other(format!("cannot read the {what} {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        Failure::Invalid(format!(
            "the {what} {} is not UTF-8 text: it stops being text after {} bytes",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

pub fn read_description(path: &Path) -> Result<BuildDescription, Failure> {
    read_description_noting_unlisted(path).map(|(description, _)| description)
}

/// The description, and the names found only in its vessels (users without a key).
pub fn read_description_noting_unlisted(
    path: &Path,
) -> Result<(BuildDescription, Vec<String>), Failure> {
    let text = read_text(path, "build description")?;
    BuildDescription::parse_noting_unlisted(&text)
        .map_err(|problems| Failure::Invalid(problems.listed(&path.display().to_string())))
}

/// A base installer and its customized form, checked before anything is written.
pub struct CustomizedInstaller {
    pub base: Vec<u8>,
    pub customized: Customized,
}

pub fn customize_file(base_path: &Path, vesselinfo: &str) -> Result<CustomizedInstaller, Failure> {
    let base = read_base(base_path)?;
    let customized = customize(&base, vesselinfo.as_bytes())
        .map_err(|e| Failure::Invalid(format!("{}: {e}", base_path.display())))?;
    Ok(CustomizedInstaller { base, customized })
}

/// A base installer's bytes; one too large to be one is refused before it is read.
pub fn read_base(base_path: &Path) -> Result<Vec<u8>, Failure> {
    let size = fs::metadata(base_path)
        .map_err(|e| {
            Failure::Other(format!(
                "cannot read the base installer {}: {e}",
                base_path.display()
            ))
        })?
        .len();
    if size > MAX_BASE_BYTES {
        return Err(Failure::Invalid(format!(
            "{}: the base installer is too large: {size} bytes; at most {MAX_BASE_BYTES} are accepted",
            base_path.display()
        )));
    }
    fs::read(base_path).map_err(|e| {
        Failure::Other(format!(
            "cannot read the base installer {}: {e}",
            base_path.display()
        ))
    })
}

/// Writes a command's result to standard output; a closed pipe or a full disk is a failure
/// (exit 1) with its message, never a panic.
pub fn print(text: &str) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        .map_err(|e| Failure::Other(format!("cannot write to standard output: {e}")))
}

pub use cib_serve::durable::{Existing, Readers};

/// Writes through a temporary file in the same folder, renamed into place only when complete.
pub fn write_atomically(
    path: &Path,
    existing: Existing,
    readers: Readers,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    cib_serve::durable::write_atomically(path, existing, readers, write)
        .map_err(|e| Failure::Other(format!("cannot write {}: {e}", path.display())))
}

pub fn write_bytes(
    path: &Path,
    existing: Existing,
    readers: Readers,
    bytes: &[u8],
) -> Result<(), Failure> {
    write_atomically(path, existing, readers, |out| out.write_all(bytes))
}

/// The files a command writes as one result. Dropped before `keep()` (a later write failed),
/// it removes the files it wrote and the folder it created, so a failed command leaves nothing
/// half-done (an installer without its keys, keys without their installers).
pub struct Outputs {
    created: Option<PathBuf>,
    written: Vec<PathBuf>,
}

impl Outputs {
    /// Outputs into `folder`, which is created if missing.
    pub fn in_folder(folder: &Path) -> Result<Outputs, Failure> {
        let created = (!folder.exists()).then(|| folder.to_path_buf());
        create_folder(folder)?;
        Ok(Outputs {
            created,
            written: Vec::new(),
        })
    }

    pub fn write(
        &mut self,
        path: &Path,
        existing: Existing,
        readers: Readers,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), Failure> {
        write_atomically(path, existing, readers, write)?;
        self.written.push(path.to_path_buf());
        Ok(())
    }

    pub fn write_bytes(
        &mut self,
        path: &Path,
        existing: Existing,
        readers: Readers,
        bytes: &[u8],
    ) -> Result<(), Failure> {
        self.write(path, existing, readers, |out| out.write_all(bytes))
    }

    /// Every output was written: they stay.
    pub fn keep(mut self) {
        self.written.clear();
        self.created = None;
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        for path in &self.written {
            let _ = fs::remove_file(path);
        }
        if let Some(folder) = &self.created {
            let _ = fs::remove_dir(folder);
        }
    }
}

pub fn create_folder(path: &Path) -> Result<(), Failure> {
    fs::create_dir_all(path)
        .map_err(|e| Failure::Other(format!("cannot create {}: {e}", path.display())))
}

/// The files among `paths` that exist already, for commands that never overwrite.
pub fn refuse_existing(paths: &[PathBuf], hint: &str) -> Result<(), Failure> {
    let existing: Vec<String> = paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| format!("  {}", p.display()))
        .collect();
    if existing.is_empty() {
        Ok(())
    } else {
        Err(Failure::Other(format!(
            "these files exist already and are not overwritten{hint}:\n{}",
            existing.join("\n")
        )))
    }
}

/// A key file (`.publickey`, `.privatekey`) read and parsed. A file that cannot be read fails at
/// once; a key that does not parse is added to `problems`, named by its file, so that every
/// problem of the input is reported together.
pub fn read_key<K>(
    path: &Path,
    parse: fn(&str) -> Result<K, String>,
    problems: &mut Vec<String>,
) -> Result<Option<K>, Failure> {
    let text = read_text(path, "key file")?;
    Ok(parse(&text)
        .map_err(|why| problems.push(format!("{}: {why}", path.display())))
        .ok())
}
