//! Keeps every file the host opens inside its folder, whatever the links on disk point at.
//!
//! `ServeDir` already refuses `..` in a request, but it follows symbolic links, so a link in the
//! folder could expose any file the process can read. Every open goes through [`Confined`], which
//! resolves the real path and refuses what lies outside the folder or below a hidden name.

use std::future::Future;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use tower_http::services::fs::{Backend, DefaultServeDirFallback, TokioBackend, TokioFile};
use tower_http::services::ServeDir;

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

    /// A file service for the folder whose every open is confined.
    pub fn serve_dir(self) -> ServeDir<DefaultServeDirFallback, Confined> {
        let root = Arc::clone(&self.root);
        ServeDir::with_backend(root, self)
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

    async fn resolve_async(&self, path: PathBuf) -> io::Result<PathBuf> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.resolve(&path))
            .await
            .map_err(io::Error::other)?
    }
}

fn is_hidden(component: Component<'_>) -> bool {
    component.as_os_str().as_encoded_bytes().starts_with(b".")
}

fn refused() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "outside the served folder")
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl Backend for Confined {
    type File = TokioFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = BoxFuture<TokioFile>;
    type MetadataFuture = BoxFuture<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let this = self.clone();
        Box::pin(async move { TokioBackend.open(this.resolve_async(path).await?).await })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let this = self.clone();
        Box::pin(async move { TokioBackend.metadata(this.resolve_async(path).await?).await })
    }
}

#[cfg(test)]
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
