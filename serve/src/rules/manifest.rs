//! `/base_installers/manifest.json`: the installers the folder holds, with size and SHA-256, so
//! the page knows what it can build and can check what it downloads.
//!
//! The folder may change while the host runs (an installer replaced by a newer one). Each request
//! asks `changes` whether anything behind the last listing changed: the kernel's word on Linux,
//! else a comparison of the stamps (size, times, inode) of the folder and of every listed file.
//! Only then is the folder listed again, and only a file whose stamp changed is hashed again.

use super::confine::Confined;
use crate::speed::changes::{Changes, Look};
use crate::stamp::Stamp;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, ETAG};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use cib_core::platform::Platform;
use sha2::{Digest, Sha256};
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

pub struct Manifest {
    folder: Option<Confined>,
    current: RwLock<Arc<Snapshot>>,
    changes: Changes,
    /// Held while hashing, so that concurrent requests do not hash the same change twice.
    rebuilding: Mutex<()>,
}

/// A file the manifest lists, as found by the last look at the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    name: String,
    path: PathBuf,
    stamp: Stamp,
}

#[derive(Debug, Clone)]
struct Hashed {
    listed: Listed,
    size: u64,
    sha256: String,
}

#[derive(Debug, Default)]
pub struct Snapshot {
    folder: Option<Stamp>,
    files: Vec<Hashed>,
    body: Bytes,
    etag: Option<HeaderValue>,
}

impl Manifest {
    /// Hashes the folder's installers once, so the first request is quick.
    pub fn new(folder: Option<Confined>) -> io::Result<Manifest> {
        Manifest::with_changes(folder, Changes::new())
    }

    fn with_changes(folder: Option<Confined>, changes: Changes) -> io::Result<Manifest> {
        let first =
            changes.look(|look| Snapshot::build(folder.as_ref(), &Snapshot::default(), look))?;
        Ok(Manifest {
            folder,
            current: RwLock::new(Arc::new(first)),
            changes,
            rebuilding: Mutex::new(()),
        })
    }

    /// The last snapshot if the folder has not changed since. Cheap enough for the async
    /// threads: one `read` of the kernel's queue, or a `stat` of the folder and of each listed
    /// file, all in the kernel's cache.
    fn fresh_snapshot(&self) -> Option<Arc<Snapshot>> {
        let snapshot = self.snapshot();
        let changed = self
            .changes
            .pending(|| !snapshot.is_current(self.folder.as_ref()));
        (!changed).then_some(snapshot)
    }

    /// Lists the folder again and hashes what changed. Blocking.
    fn refresh(&self) -> io::Result<Arc<Snapshot>> {
        let _rebuilding = self.rebuilding.lock().unwrap_or_else(|e| e.into_inner());
        // Another request may have refreshed it while this one waited.
        if let Some(snapshot) = self.fresh_snapshot() {
            return Ok(snapshot);
        }
        let previous = self.snapshot();
        let fresh = self
            .changes
            .look(|look| Snapshot::build(self.folder.as_ref(), &previous, look))?;
        let fresh = Arc::new(fresh);
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// The document as listed when the manifest was made or last refreshed: what `serve` answers.
    pub fn json(&self) -> Bytes {
        self.snapshot().body.clone()
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl Snapshot {
    fn is_current(&self, folder: Option<&Confined>) -> bool {
        let Some(folder) = folder else {
            return true;
        };
        self.folder == Stamp::read(folder.root()).ok()
            && self
                .files
                .iter()
                .all(|f| Stamp::read(&f.listed.path).ok() == Some(f.listed.stamp))
    }

    /// The folder's stamp is taken before listing, so that a change during the listing shows
    /// at the next request.
    fn build(
        folder: Option<&Confined>,
        previous: &Snapshot,
        look: &mut Look,
    ) -> io::Result<Snapshot> {
        if let Some(folder) = folder {
            look.watch(folder.root());
        }
        let folder_stamp = folder.and_then(|f| Stamp::read(f.root()).ok());
        let listing = list(folder, look)?;
        let mut files = Vec::with_capacity(listing.len());
        for listed in listing {
            let known = previous.files.iter().find(|f| f.listed == listed);
            let hashed = match known {
                Some(known) => known.clone(),
                None => match hash_file(&listed.path) {
                    Ok((size, sha256)) => Hashed {
                        listed,
                        size,
                        sha256,
                    },
                    // Deleted between listing and hashing: the next request lists it no more.
                    Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                    Err(err) => return Err(err),
                },
            };
            files.push(hashed);
        }
        let mut document = cib_core::Manifest::default();
        for f in &files {
            document.insert(cib_core::ManifestEntry {
                file: f.listed.name.clone(),
                size: f.size,
                sha256: f.sha256.clone(),
            });
        }
        let body = document.to_json().into_bytes();
        let etag = format!("\"{}\"", &hex(&Sha256::digest(&body))[..32]);
        Ok(Snapshot {
            folder: folder_stamp,
            files,
            body: body.into(),
            etag: HeaderValue::from_str(&etag).ok(),
        })
    }
}

/// The archives directly in the folder, by name. Hidden files, links leading out and anything
/// that is not an archive are left out, as the file service would refuse or not offer them.
/// Each file is watched before its stamp is read, so no change falls between the two.
fn list(folder: Option<&Confined>, look: &mut Look) -> io::Result<Vec<Listed>> {
    let mut listing = Vec::new();
    let Some(folder) = folder else {
        return Ok(listing);
    };
    let entries = match std::fs::read_dir(folder.root()) {
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(listing),
        entries => entries?,
    };
    for entry in entries {
        let entry = entry?;
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        if !is_archive_name(&name) {
            continue;
        }
        let Ok(path) = folder.resolve(&entry.path()) else {
            continue;
        };
        look.watch(&path);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() => listing.push(Listed {
                name,
                path,
                stamp: Stamp::of(&meta),
            }),
            _ => continue,
        }
    }
    listing.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(listing)
}

/// The archives the manifest lists; also the files the host sends by `sendfile`.
pub fn is_archive_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.starts_with('.')
        && (Platform::from_file_name(name).is_some()
            || [".zip", ".tgz", ".tar.gz"]
                .iter()
                .any(|ext| lower.ends_with(ext)))
}

/// The size is what was read, so that size and hash agree even if the file grew meanwhile.
fn hash_file(path: &Path) -> io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 1 << 16];
    let mut size = 0;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            return Ok((size, hex(&hasher.finalize())));
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub async fn serve(State(manifest): State<Arc<Manifest>>, request: Request) -> Response {
    let snapshot = match manifest.fresh_snapshot() {
        Some(snapshot) => snapshot,
        None => match tokio::task::spawn_blocking(move || manifest.refresh()).await {
            Ok(Ok(snapshot)) => snapshot,
            Ok(Err(err)) => return failed(err.to_string()),
            Err(err) => return failed(err.to_string()),
        },
    };
    let etag = snapshot.etag.as_ref();
    let unchanged = etag.is_some_and(|etag| matches_etag(request.headers(), etag));
    let mut response = if unchanged {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::NOT_MODIFIED;
        response
    } else {
        Response::new(Body::from(snapshot.body.clone()))
    };
    let headers = response.headers_mut();
    // Room for what the layers and hyper add, reserved while the map is empty: growing it was
    // 8% of a request's work. (Reserving later, in a layer, rehashes and cost more.)
    headers.reserve(16);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Some(etag) = etag {
        headers.insert(ETAG, etag.clone());
    }
    response
}

fn matches_etag(request: &HeaderMap, etag: &HeaderValue) -> bool {
    use headers::HeaderMapExt;
    let Some(if_none_match) = request.typed_get::<headers::IfNoneMatch>() else {
        return false;
    };
    let Ok(etag) = etag.to_str().unwrap_or_default().parse::<headers::ETag>() else {
        return false;
    };
    !if_none_match.precondition_passes(&etag)
}

fn failed(err: String) -> Response {
    eprintln!("cib serve: cannot list the base installers: {err}");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "cannot list the base installers\n",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current(manifest: &Manifest) -> Arc<Snapshot> {
        manifest
            .fresh_snapshot()
            .unwrap_or_else(|| manifest.refresh().unwrap())
    }

    fn installers(snapshot: &Snapshot) -> serde_json::Map<String, serde_json::Value> {
        let json: serde_json::Value = serde_json::from_slice(&snapshot.body).unwrap();
        json["installers"].as_object().unwrap().clone()
    }

    /// Both ways of noticing changes, the kernel's where there is one.
    fn both_ways() -> Vec<fn() -> Changes> {
        let ways: Vec<fn() -> Changes> = vec![Changes::new, Changes::by_stamps];
        #[cfg(target_os = "linux")]
        assert!(Changes::new().notified(), "inotify unavailable here");
        ways
    }

    #[test]
    fn lists_archives_by_platform_and_rehashes_a_replaced_file() {
        for changes in both_ways() {
            let folder = tempfile::tempdir().unwrap();
            let root = folder.path();
            std::fs::write(root.join("seattle_linux.tgz"), b"linux").unwrap();
            std::fs::write(root.join("extra.tar.gz"), b"extra").unwrap();
            std::fs::write(root.join("notes.txt"), b"not an archive").unwrap();
            std::fs::write(root.join(".hidden.zip"), b"hidden").unwrap();
            let folder = Some(Confined::new(root).unwrap());
            let manifest = Manifest::with_changes(folder, changes()).unwrap();

            let first = current(&manifest);
            let listed = installers(&first);
            assert_eq!(listed.len(), 2, "{listed:?}");
            assert_eq!(listed["linux"]["file"], "seattle_linux.tgz");
            assert_eq!(listed["linux"]["size"], 5);
            assert_eq!(listed["linux"]["sha256"], hex(&Sha256::digest(b"linux")));
            assert_eq!(listed["extra.tar.gz"]["file"], "extra.tar.gz");
            assert!(Arc::ptr_eq(&first, &current(&manifest)));

            let staged = root.join("staged");
            std::fs::write(&staged, b"linux, newer").unwrap();
            std::fs::rename(&staged, root.join("seattle_linux.tgz")).unwrap();
            let second = current(&manifest);
            assert_eq!(
                installers(&second)["linux"]["sha256"],
                hex(&Sha256::digest(b"linux, newer"))
            );
            assert_ne!(first.etag, second.etag);
            assert!(Arc::ptr_eq(&second, &current(&manifest)), "listed again");
        }
    }

    /// Changes the kernel reports on other inodes than the folder's entries: a file written in
    /// place, and the target of a link replaced in a subfolder.
    #[test]
    fn follows_files_written_in_place_and_link_targets() {
        for changes in both_ways() {
            let folder = tempfile::tempdir().unwrap();
            let root = folder.path();
            std::fs::create_dir(root.join("releases")).unwrap();
            std::fs::write(root.join("releases/win-1.zip"), b"windows 1").unwrap();
            std::os::unix::fs::symlink("releases/win-1.zip", root.join("seattle_win.zip")).unwrap();
            std::fs::write(root.join("seattle_mac.tgz"), b"mac").unwrap();
            let folder = Some(Confined::new(root).unwrap());
            let manifest = Manifest::with_changes(folder, changes()).unwrap();
            assert_eq!(installers(&current(&manifest))["windows"]["size"], 9);

            // Same size as before: only the content (and the times) differ.
            std::fs::write(root.join("seattle_mac.tgz"), b"MAC").unwrap();
            let listed = installers(&current(&manifest));
            assert_eq!(listed["mac"]["sha256"], hex(&Sha256::digest(b"MAC")));

            std::fs::write(root.join("releases/new"), b"windows 2!").unwrap();
            std::fs::rename(root.join("releases/new"), root.join("releases/win-1.zip")).unwrap();
            let listed = installers(&current(&manifest));
            assert_eq!(listed["windows"]["size"], 10);
            assert_eq!(
                listed["windows"]["sha256"],
                hex(&Sha256::digest(b"windows 2!"))
            );

            std::fs::remove_file(root.join("seattle_mac.tgz")).unwrap();
            std::fs::write(root.join("seattle_android.zip"), b"android").unwrap();
            let listed = installers(&current(&manifest));
            assert_eq!(
                listed.keys().collect::<Vec<_>>(),
                ["android", "windows"],
                "{listed:?}"
            );
        }
    }
}
