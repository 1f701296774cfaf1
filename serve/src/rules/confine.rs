//! Keeps every file the host opens inside its folder, whatever the links on disk point at.
//!
//! `ServeDir` already refuses `..` in a request, but it follows symbolic links, so a link in the
//! folder could expose any file the process can read. Every file the host reads is first
//! resolved here, and refused when its real path lies outside the folder or below a hidden name.

use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Confined {
    root: Arc<Path>,
}

impl Confined {
    /// Fails when `folder` does not exist or is not a directory.
    pub fn new(folder: &Path) -> io::Result<Self> {
        let root = std::fs::canonicalize(folder)?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                "not a directory",
            ));
        }
        Ok(Confined { root: root.into() })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The real path of `path`, if it lies in the folder and nothing below the folder is hidden.
    /// A refusal reads as "not found", so a probe cannot tell a refused file from a missing one.
    pub fn resolve(&self, path: &Path) -> io::Result<PathBuf> {
        let real = std::fs::canonicalize(path)?;
        let inside = real.strip_prefix(&self.root).map_err(|_| refused())?;
        if inside.components().any(is_hidden) {
            return Err(refused());
        }
        Ok(real)
    }
}

fn is_hidden(component: Component<'_>) -> bool {
    component.as_os_str().as_encoded_bytes().starts_with(b".")
}

fn refused() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "outside the served folder")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_out_and_hidden_names() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "x").unwrap();
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path();
        std::fs::write(root.join("page.html"), "x").unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join("out")).unwrap();
        std::os::unix::fs::symlink("page.html", root.join("alias.html")).unwrap();

        let confined = Confined::new(root).unwrap();
        assert!(confined.resolve(&root.join("page.html")).is_ok());
        assert!(confined.resolve(&root.join("alias.html")).is_ok());
        assert!(confined.resolve(root).is_ok());
        for refused in ["out", ".git/config", ".git", "../"] {
            let err = confined.resolve(&root.join(refused)).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::NotFound, "{refused}");
        }
    }
}
