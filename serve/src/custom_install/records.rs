//! STATE_DIR: one small file per build id, holding the vesselinfo its installers need.
//!
//! A record is named by its id and holds exactly the vesselinfo the id was derived from, so a
//! record can be checked against its name, is never rewritten with anything else, and two hosts
//! (or two calls at once) writing the same id write the same bytes. Records are written to a
//! temporary name and renamed into place. Nothing else is kept: no keys, no installers.

use super::build_id::BuildId;
use crate::durable::{write_atomically, Existing, Readers};
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Records kept in memory; past this the memory is emptied and records are read again as asked
/// for (each is a few KB, read from the page cache).
const REMEMBERED: usize = 4096;

pub struct Records {
    folder: PathBuf,
    remembered: RwLock<HashMap<BuildId, Arc<str>>>,
}

impl Records {
    /// Creates the folder if needed.
    pub fn open(folder: &Path) -> io::Result<Records> {
        std::fs::create_dir_all(folder)?;
        Ok(Records {
            folder: folder.to_path_buf(),
            remembered: RwLock::new(HashMap::new()),
        })
    }

    #[cfg(test)]
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The record's vesselinfo if it is in memory: no disk access.
    pub fn remembered(&self, id: &BuildId) -> Option<Arc<str>> {
        let remembered = self.remembered.read().unwrap_or_else(|e| e.into_inner());
        remembered.get(id).cloned()
    }

    /// Writes the record unless it exists. Blocking.
    pub fn keep(&self, id: &BuildId, vesselinfo: &str) -> Result<Arc<str>, String> {
        if let Some(known) = self.remembered(id) {
            return Ok(known);
        }
        let path = self.path(id);
        if !path.is_file() {
            // Replacing is harmless: a record with this name can only hold these bytes.
            write_atomically(&path, Existing::Replace, Readers::All, |out| {
                out.write_all(vesselinfo.as_bytes())
            })
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
        Ok(self.remember(*id, vesselinfo.into()))
    }

    /// The vesselinfo of a build, if it was recorded (by this host or another sharing the
    /// folder). A record that does not match its name is reported and treated as missing.
    /// Blocking.
    pub fn find(&self, id: &BuildId) -> Option<Arc<str>> {
        if let Some(known) = self.remembered(id) {
            return Some(known);
        }
        let path = self.path(id);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return None,
            Err(err) => {
                eprintln!("cib serve: cannot read {}: {err}", path.display());
                return None;
            }
        };
        if BuildId::of(&text) != *id {
            eprintln!(
                "cib serve: {} does not hold the build it is named after; ignored",
                path.display()
            );
            return None;
        }
        Some(self.remember(*id, text.into()))
    }

    fn remember(&self, id: BuildId, vesselinfo: Arc<str>) -> Arc<str> {
        let mut remembered = self.remembered.write().unwrap_or_else(|e| e.into_inner());
        if remembered.len() >= REMEMBERED {
            remembered.clear();
        }
        remembered.insert(id, Arc::clone(&vesselinfo));
        vesselinfo
    }

    fn path(&self, id: &BuildId) -> PathBuf {
        self.folder.join(id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_finds_again_after_a_restart_and_refuses_tampered_records() {
        let folder = tempfile::tempdir().unwrap();
        let records = Records::open(&folder.path().join("state")).unwrap();
        let id = BuildId::of("Percent 80");
        assert_eq!(records.find(&id), None);
        records.keep(&id, "Percent 80").unwrap();
        let path = folder.path().join("state").join(id.as_str());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "Percent 80");
        // Nothing but the record: the temporary file was renamed into place.
        assert_eq!(std::fs::read_dir(records.folder()).unwrap().count(), 1);

        let again = Records::open(records.folder()).unwrap();
        assert_eq!(again.find(&id).as_deref(), Some("Percent 80"));

        let other = BuildId::of("Percent 40");
        std::fs::write(again.folder().join(other.as_str()), "Percent 80").unwrap();
        assert_eq!(again.find(&other), None);
    }

    #[test]
    fn a_folder_that_cannot_be_written_is_an_error_not_a_panic() {
        let folder = tempfile::tempdir().unwrap();
        let records = Records::open(&folder.path().join("state")).unwrap();
        std::fs::remove_dir(records.folder()).unwrap();
        std::fs::write(records.folder(), "a file where the folder was").unwrap();
        let id = BuildId::of("Percent 80");
        let err = records.keep(&id, "Percent 80").unwrap_err();
        assert!(err.contains("cannot write"), "{err}");
        assert_eq!(records.find(&id), None);
    }
}
