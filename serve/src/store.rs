//! The files of a folder, served from memory and checked against the disk on every request.
//!
//! Through tokio's file API every open, stat and read is a hand-off to the blocking thread pool;
//! for the page's small files those hand-offs, not the disk, held the host to a tenth of what
//! nginx serves. Here a request costs one `stat` on the async thread (of an inode the kernel has
//! cached since the first request), and the bytes come from memory. A file whose size, times or
//! inode changed is read again, off the async threads, so a replaced file is served at once.

mod file;
mod variant;

pub use file::{Meta, StoreFile};

use crate::rules::confine::Confined;
use crate::rules::manifest;
use crate::speed::sendfile::Mapping;
use crate::stamp::Stamp;
use bytes::Bytes;
use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::io::{self, Cursor};
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use tower_http::services::fs::{Backend, TokioBackend};

/// Larger files of the page are streamed from disk, as are all files once this much is held
/// (installers' copies included, whatever their size).
const MAX_FILE: u64 = 64 << 20;
const BUDGET: u64 = 512 << 20;

/// What a folder holds, and so how its files are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The page: small text files, read into memory, with compressed copies.
    Page,
    /// Installers: archives, which gain nothing from compression, copied into sealed memory
    /// and sent by `sendfile`; other files there are kept as the page's are.
    Installers,
}

#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    folder: Confined,
    kind: Kind,
    cache: RwLock<Cache>,
    loading: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct Cache {
    /// By the path `ServeDir` asks for, before links are resolved.
    entries: HashMap<PathBuf, Arc<Entry>>,
    held: u64,
}

struct Entry {
    /// Of the file itself, or of the file a compressed copy was made from.
    stamp: Stamp,
    meta: Meta,
    content: Content,
    /// The path (as asked for) of the file this is a compressed copy of.
    made_from: Option<PathBuf>,
}

enum Content {
    Directory,
    Memory(Bytes),
    /// An installer's sealed copy, sent by `sendfile`.
    Mapped(Bytes),
    Disk(PathBuf),
}

impl Content {
    fn held(&self) -> u64 {
        match self {
            Content::Memory(bytes) | Content::Mapped(bytes) => bytes.len() as u64,
            _ => 0,
        }
    }
}

impl Store {
    pub fn new(folder: Confined, kind: Kind) -> Store {
        Store {
            inner: Arc::new(Inner {
                folder,
                kind,
                cache: RwLock::new(Cache::default()),
                loading: tokio::sync::Mutex::new(()),
            }),
        }
    }

    pub fn root(&self) -> &Path {
        self.inner.folder.root()
    }

    /// Whether the store serves compressed copies of its files.
    pub fn compresses(&self) -> bool {
        self.inner.kind == Kind::Page
    }

    /// The bytes `path` is served with now, the stamp of that version and its metadata.
    pub async fn current(&self, path: PathBuf) -> io::Result<(Bytes, Stamp, Meta)> {
        let entry = self.find(path).await?;
        let bytes = match &entry.content {
            Content::Memory(bytes) | Content::Mapped(bytes) => bytes.clone(),
            // Too large to hold and not mappable: read for this once.
            Content::Disk(real) => {
                let real = real.clone();
                tokio::task::spawn_blocking(move || std::fs::read(real))
                    .await
                    .map_err(io::Error::other)??
                    .into()
            }
            Content::Directory => {
                return Err(io::Error::new(io::ErrorKind::NotFound, "a directory"))
            }
        };
        Ok((bytes, entry.stamp, entry.meta))
    }

    async fn lookup(&self, path: PathBuf) -> io::Result<Arc<Entry>> {
        if let Some(entry) = Served::seen(&path) {
            return Ok(entry);
        }
        let entry = self.find(path.clone()).await?;
        Served::note(path, &entry);
        Ok(entry)
    }

    async fn find(&self, path: PathBuf) -> io::Result<Arc<Entry>> {
        if let Some(entry) = self.fresh(&path)? {
            return Ok(entry);
        }
        // One load at a time: when a file changes under load, the hundreds of requests that
        // notice it would otherwise each read their own copy.
        let _loading = self.inner.loading.lock().await;
        if let Some(entry) = self.fresh(&path)? {
            return Ok(entry);
        }
        let store = self.clone();
        tokio::task::spawn_blocking(move || store.load(path))
            .await
            .map_err(io::Error::other)?
    }

    /// The cached entry, if the file has not changed since it was read. A path that cannot be
    /// looked at, whatever the reason (missing, a name too long, a file used as a directory),
    /// is not found, unless a compressed copy can be made for it.
    fn fresh(&self, path: &Path) -> io::Result<Option<Arc<Entry>>> {
        let cached = self.cached(path);
        let checked = match &cached {
            Some(entry) => entry.made_from.as_deref().unwrap_or(path),
            None => path,
        };
        match Stamp::read(checked) {
            Ok(stamp) => Ok(cached.filter(|entry| entry.stamp == stamp)),
            Err(_) if cached.is_none() && self.can_make(path) => Ok(None),
            Err(err) => {
                self.forget(path);
                Err(io::Error::new(io::ErrorKind::NotFound, err))
            }
        }
    }

    /// Whether `path` names a compressed copy the store would make (and keep). Checked before
    /// taking the loading lock, so that asking for copies that cannot be had stays cheap.
    fn can_make(&self, path: &Path) -> bool {
        self.compresses()
            && variant::made_from(path).is_some_and(|(original, _)| {
                std::fs::metadata(original).is_ok_and(|original| {
                    original.is_file()
                        && original.len() <= MAX_FILE
                        && self.held() + original.len() <= BUDGET
                })
            })
    }

    fn cached(&self, path: &Path) -> Option<Arc<Entry>> {
        let cache = self.inner.cache.read().unwrap_or_else(|e| e.into_inner());
        cache.entries.get(path).cloned()
    }

    fn held(&self) -> u64 {
        self.inner
            .cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .held
    }

    /// What is held for files other than `path`, whose version in memory a new one replaces.
    fn held_besides(&self, path: &Path) -> u64 {
        let cache = self.inner.cache.read().unwrap_or_else(|e| e.into_inner());
        let own = cache
            .entries
            .get(path)
            .map_or(0, |entry| entry.content.held());
        cache.held - own
    }

    fn forget(&self, path: &Path) {
        let mut cache = self.inner.cache.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = cache.entries.remove(path) {
            cache.held -= old.content.held();
        }
    }

    /// Blocking: resolves, confines and reads the file, or makes its compressed copy.
    fn load(&self, path: PathBuf) -> io::Result<Arc<Entry>> {
        let result = match self.read_confined(&path) {
            Err(err) if err.kind() == io::ErrorKind::NotFound && self.can_make(&path) => {
                self.make_variant(&path)
            }
            result => result,
        };
        let mut cache = self.inner.cache.write().unwrap_or_else(|e| e.into_inner());
        if let Some(old) = cache.entries.remove(&path) {
            cache.held -= old.content.held();
        }
        let (real, mut entry) = result?;
        if cache.held + entry.content.held() > BUDGET {
            if entry.made_from.is_some() {
                // Not worth memory now; the file goes out as it is.
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    "no room for a copy",
                ));
            }
            entry.content = Content::Disk(real);
        }
        cache.held += entry.content.held();
        let entry = Arc::new(entry);
        cache.entries.insert(path, Arc::clone(&entry));
        Ok(entry)
    }

    fn read_confined(&self, path: &Path) -> io::Result<(PathBuf, Entry)> {
        let real = self.inner.folder.resolve(path)?;
        // A file being written while it is read is read again, so that the bytes kept are the
        // ones the stamp describes. A page's file that never settles is streamed from disk
        // instead; an installer is waited for a little longer (`cp` writes 4 MiB in a few
        // milliseconds), then refused, since a download streamed from a changing file could be
        // none of its versions.
        let installer = self.inner.kind == Kind::Installers && is_archive(path);
        for attempt in 0..if installer { 10 } else { 3 } {
            if attempt > 0 && installer {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            let mut entry = Entry::unread(&real)?;
            if entry.meta.directory {
                return Ok((real, entry));
            }
            let len = entry.meta.len;
            if self.held_besides(path) + len > BUDGET {
                return Ok((real, entry));
            }
            let copied = if installer {
                snapshot(&real, len)
            } else {
                None
            };
            let content = match copied {
                Some(Ok(bytes)) => Content::Mapped(bytes),
                // The stamp tells a file that changed while it was copied from one that cannot
                // be copied at all, as it does below for a file read whole.
                Some(Err(err)) if Stamp::read(&real)? == entry.stamp => return Err(err),
                Some(Err(_)) => continue,
                None if len > MAX_FILE => return Ok((real, entry)),
                None => Content::Memory(std::fs::read(&real)?.into()),
            };
            if Stamp::read(&real)? == entry.stamp {
                entry.content = content;
                return Ok((real, entry));
            }
        }
        if installer {
            return Err(io::Error::other(
                "the installer kept changing while it was copied",
            ));
        }
        Ok((real.clone(), Entry::unread(&real)?))
    }

    fn make_variant(&self, path: &Path) -> io::Result<(PathBuf, Entry)> {
        let not_made = || io::Error::new(io::ErrorKind::NotFound, "no compressed copy");
        let (original, encoding) = variant::made_from(path).ok_or_else(not_made)?;
        let (real, entry) = self.read_confined(&original)?;
        let Content::Memory(bytes) = &entry.content else {
            return Err(not_made());
        };
        let compressed = variant::compress(bytes, encoding)?;
        let entry = Entry {
            stamp: entry.stamp,
            meta: Meta {
                len: compressed.len() as u64,
                ..entry.meta
            },
            content: Content::Memory(compressed.into()),
            made_from: Some(original),
        };
        Ok((real, entry))
    }
}

/// An installer's sealed copy, or `None` where there is no sealed memory: it is then kept as
/// the page's files are.
fn snapshot(real: &Path, len: u64) -> Option<io::Result<Bytes>> {
    let copied = std::fs::File::open(real).and_then(|file| Mapping::snapshot(&file, len));
    match copied {
        Err(err) if err.kind() == io::ErrorKind::Unsupported => None,
        copied => Some(copied),
    }
}

/// Only archives go out by `sendfile`: they are neither compressed nor scanned for scripts, which
/// files of other types in the folder may be (by their name, as asked).
fn is_archive(path: &Path) -> bool {
    path.file_name()
        .and_then(|name| name.to_str())
        .is_some_and(manifest::is_archive_name)
}

impl Entry {
    fn unread(real: &Path) -> io::Result<Entry> {
        let found = std::fs::metadata(real)?;
        // A pipe or a device would block the read forever, or never end.
        if !found.is_file() && !found.is_dir() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "not a file"));
        }
        let directory = found.is_dir();
        Ok(Entry {
            stamp: Stamp::of(&found),
            meta: Meta {
                directory,
                len: found.len(),
                modified: found.modified().ok(),
            },
            content: if directory {
                Content::Directory
            } else {
                Content::Disk(real.to_path_buf())
            },
            made_from: None,
        })
    }
}

tokio::task_local! {
    static SERVED: RefCell<Option<(PathBuf, Arc<Entry>)>>;
}

/// Which file `ServeDir` settled on while answering one request: the last entry it looked up.
/// A failed lookup (a compressed copy that cannot be had) changes nothing.
pub struct Served;

impl Served {
    /// `answer` with the bytes of the file it served, if that file is held in memory.
    pub async fn record<F: Future>(answer: F) -> (F::Output, Option<Bytes>) {
        SERVED
            .scope(RefCell::new(None), async move {
                let output = answer.await;
                let served = SERVED.with(|served| served.borrow_mut().take());
                let bytes = served.and_then(|(_, entry)| match &entry.content {
                    Content::Memory(bytes) | Content::Mapped(bytes) => Some(bytes.clone()),
                    Content::Directory | Content::Disk(_) => None,
                });
                (output, bytes)
            })
            .await
    }

    fn note(path: PathBuf, entry: &Arc<Entry>) {
        let _ = SERVED.try_with(|served| *served.borrow_mut() = Some((path, Arc::clone(entry))));
    }

    /// `ServeDir` asks for a file's metadata and then opens it; the second look within the
    /// same request needs no second `stat`.
    fn seen(path: &Path) -> Option<Arc<Entry>> {
        SERVED
            .try_with(|served| match &*served.borrow() {
                Some((seen, entry)) if seen == path => Some(Arc::clone(entry)),
                _ => None,
            })
            .ok()
            .flatten()
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

impl Backend for Store {
    type File = StoreFile;
    type Metadata = Meta;
    type OpenFuture = BoxFuture<StoreFile>;
    type MetadataFuture = BoxFuture<Meta>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let store = self.clone();
        Box::pin(async move {
            let entry = store.lookup(path).await?;
            let meta = entry.meta;
            match &entry.content {
                Content::Memory(bytes) | Content::Mapped(bytes) => {
                    Ok(StoreFile::Memory(Cursor::new(bytes.clone()), meta))
                }
                Content::Disk(real) => Ok(StoreFile::Disk(
                    TokioBackend.open(real.clone()).await?,
                    meta,
                )),
                Content::Directory => {
                    Err(io::Error::new(io::ErrorKind::IsADirectory, "a directory"))
                }
            }
        })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let store = self.clone();
        Box::pin(async move { Ok(store.lookup(path).await?.meta) })
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn store_with(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Store) {
        let folder = tempfile::tempdir().unwrap();
        for (name, bytes) in files {
            std::fs::write(folder.path().join(name), bytes).unwrap();
        }
        let store = Store::new(Confined::new(folder.path()).unwrap(), Kind::Page);
        (folder, store)
    }

    #[tokio::test]
    async fn records_the_bytes_of_the_file_served_from_memory() {
        let (folder, store) = store_with(&[("a.txt", b"alpha")]);
        let path = folder.path().join("a.txt");
        let (opened, served) = Served::record(async {
            let missing = store.open(folder.path().join("a.png.br")).await;
            assert_eq!(missing.err().unwrap().kind(), io::ErrorKind::NotFound);
            store.metadata(path.clone()).await.unwrap();
            store.open(path.clone()).await
        })
        .await;
        assert!(matches!(opened.unwrap(), StoreFile::Memory(..)));
        assert_eq!(served.as_deref(), Some(&b"alpha"[..]));

        let fifo = folder.path().join("pipe.txt");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let refused = store.open(fifo).await;
        assert_eq!(refused.err().unwrap().kind(), io::ErrorKind::NotFound);

        let outside = tempfile::NamedTempFile::new().unwrap();
        std::os::unix::fs::symlink(outside.path(), folder.path().join("out")).unwrap();
        let refused = store.open(folder.path().join("out")).await;
        assert_eq!(refused.err().unwrap().kind(), io::ErrorKind::NotFound);
    }

    #[tokio::test]
    async fn maps_the_archives_of_the_installers_and_reads_other_files() {
        let archive = vec![1u8; 100_000];
        let files: [(&str, &[u8]); 2] = [("a.zip", &archive), ("notes.txt", &[2u8; 100_000])];
        let (folder, _) = store_with(&files);
        for (kind, name, mapped) in [
            (Kind::Installers, "a.zip", true),
            (Kind::Installers, "notes.txt", false),
            (Kind::Page, "a.zip", false),
        ] {
            let store = Store::new(Confined::new(folder.path()).unwrap(), kind);
            let (_, served) = Served::record(store.open(folder.path().join(name))).await;
            let served = served.unwrap();
            assert_eq!(served.len(), 100_000);
            assert_eq!(
                crate::speed::sendfile::is_mapped(&served),
                mapped,
                "{kind:?} {name}"
            );
        }
    }

    #[tokio::test]
    async fn an_installer_that_keeps_changing_is_one_of_its_versions_or_refused() {
        let (folder, _) = store_with(&[("a.zip", &[0u8; 100_000])]);
        let file = folder.path().join("a.zip");
        let store = Store::new(Confined::new(folder.path()).unwrap(), Kind::Installers);
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (file, stop) = (file.clone(), Arc::clone(&stop));
            std::thread::spawn(move || {
                let open = std::fs::OpenOptions::new().write(true).open(file).unwrap();
                let mut long = false;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    long = !long;
                    open.set_len(if long { 100_000 } else { 50_000 }).unwrap();
                }
            })
        };
        let (mut served, mut refused) = (0, 0);
        for _ in 0..20 {
            let (opened, bytes) = Served::record(store.open(file.clone())).await;
            match opened {
                Ok(_) => {
                    let bytes = bytes.unwrap();
                    assert!([50_000, 100_000].contains(&bytes.len()), "{}", bytes.len());
                    assert!(
                        crate::speed::sendfile::is_mapped(&bytes),
                        "not a sealed copy"
                    );
                    served += 1;
                }
                Err(err) => {
                    assert!(err.to_string().contains("kept changing"), "{err}");
                    refused += 1;
                }
            }
            store.forget(&file);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        writer.join().unwrap();
        assert_eq!(served + refused, 20);
    }

    #[tokio::test]
    async fn reads_a_changed_file_again() {
        let (folder, store) = store_with(&[("a.txt", b"alpha")]);
        let path = folder.path().join("a.txt");
        let first = store.metadata(path.clone()).await.unwrap();
        std::fs::write(&path, b"alphabet").unwrap();
        let second = store.metadata(path.clone()).await.unwrap();
        assert_eq!((first.len, second.len), (5, 8));
        let (_, served) = Served::record(store.open(path)).await;
        assert_eq!(served.as_deref(), Some(&b"alphabet"[..]));
    }

    #[tokio::test]
    async fn makes_compressed_copies_once_per_version() {
        let text = b"body { margin: 0 }\n".repeat(50);
        let (folder, store) = store_with(&[("a.css", &text)]);
        let copy = folder.path().join("a.css.gz");
        let unpack = |bytes: Bytes| {
            let mut out = Vec::new();
            std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut out)
                .unwrap();
            out
        };
        let (_, first) = Served::record(store.open(copy.clone())).await;
        let first = first.unwrap();
        assert_eq!(unpack(first.clone()), text);
        let (_, again) = Served::record(store.open(copy.clone())).await;
        assert_eq!(again.unwrap().as_ptr(), first.as_ptr(), "made again");

        std::fs::write(folder.path().join("a.css"), b"p { margin: 1 }").unwrap();
        let (_, changed) = Served::record(store.open(copy.clone())).await;
        assert_eq!(unpack(changed.unwrap()), b"p { margin: 1 }");

        let plain = Store::new(Confined::new(folder.path()).unwrap(), Kind::Installers);
        let refused = plain.open(copy).await;
        assert_eq!(refused.err().unwrap().kind(), io::ErrorKind::NotFound);
    }
}
