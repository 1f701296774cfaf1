//! Customized installers, served from the base installer's bytes and the core's few new bytes,
//! never written to disk.
//!
//! A customized installer is made once per build, platform and version of its base installer (its
//! stamp) and kept in memory as the parts it is sent as: slices of the base installer's sealed
//! copy (sent by `sendfile`, as the base installer itself is) and the new bytes. tower-http's `ServeDir`
//! answers for it as for any file (length, ETag and Last-Modified, preconditions, ranges, HEAD),
//! through a backend whose one file is the installer this request asked for.

use super::build_id::BuildId;
use crate::rules::confine::Confined;
use crate::served::{declared_length, single_range};
use crate::stamp::Stamp;
use crate::store::{Kind, Meta, Store};
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::header::{CONTENT_DISPOSITION, RANGE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use cib_core::base_installer::{customize, Piece};
use cib_core::Platform;
use http_body::{Frame, SizeHint};
use std::collections::{HashMap, VecDeque};
use std::convert::Infallible;
use std::io::{self, SeekFrom};
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};
use tokio::sync::{OnceCell, Semaphore};
use tower::ServiceExt;
use tower_http::services::fs::{Backend, File};
use tower_http::services::ServeDir;

/// New bytes held for customized installers; past this the least recently used are dropped
/// (and made again when asked for).
const BUDGET: u64 = 256 << 20;

pub struct Installers {
    folder: Confined,
    store: Store,
    slots: Mutex<HashMap<(BuildId, Platform), Arc<Slot>>>,
    held: AtomicU64,
    budget: u64,
    uses: AtomicU64,
}

/// One build's installer for one platform, made (once) from one version of its base installer.
struct Slot {
    stamp: Stamp,
    made: OnceCell<Arc<Made>>,
    last_used: AtomicU64,
    /// The new bytes counted in `Installers::held` for this slot.
    counted: AtomicU64,
}

pub struct Made {
    /// The whole installer, in order: slices of the base installer and new bytes.
    parts: Vec<Bytes>,
    meta: Meta,
    new_bytes: u64,
}

impl Installers {
    pub fn new(folder: Confined) -> Installers {
        Installers {
            store: Store::new(folder.clone(), Kind::Installers),
            folder,
            slots: Mutex::new(HashMap::new()),
            held: AtomicU64::new(0),
            budget: BUDGET,
            uses: AtomicU64::new(0),
        }
    }

    #[cfg(test)]
    pub fn with_budget(folder: Confined, budget: u64) -> Installers {
        Installers {
            budget,
            ..Installers::new(folder)
        }
    }

    /// Whether the host has the base installer of `platform` now (one that is being written
    /// still counts: its download waits for it, or says why it cannot).
    pub async fn has(&self, platform: Platform) -> bool {
        // Its metadata, not its bytes: a file past the store's budget would be read whole.
        match Backend::metadata(&self.store, self.base_path(platform)).await {
            Ok(meta) => !tower_http::services::fs::Metadata::is_dir(&meta),
            Err(err) => err.kind() != io::ErrorKind::NotFound,
        }
    }

    fn base_path(&self, platform: Platform) -> PathBuf {
        self.folder.root().join(platform.file_name())
    }

    /// The customized installer for the current version of the base installer, made if needed
    /// (at most `work` at once). `None` when the host has no such base installer.
    pub async fn made(
        &self,
        id: BuildId,
        platform: Platform,
        vesselinfo: Arc<str>,
        work: &Semaphore,
    ) -> Result<Option<Arc<Made>>, String> {
        let (base, stamp, meta) = match self.store.current(self.base_path(platform)).await {
            Ok(current) => current,
            Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(err) => {
                let name = platform.file_name();
                return Err(format!("cannot read the base installer {name}: {err}"));
            }
        };
        let slot = self.slot(id, platform, stamp);
        let made = slot
            .made
            .get_or_try_init(|| async {
                let _turn = work.acquire().await.map_err(|e| e.to_string())?;
                let name = platform.file_name();
                let made = tokio::task::spawn_blocking(move || make(name, base, meta, &vesselinfo))
                    .await
                    .map_err(|e| e.to_string())??;
                self.count(id, platform, &slot, made.new_bytes);
                Ok::<_, String>(Arc::new(made))
            })
            .await?
            .clone();
        self.keep_within_budget();
        Ok(Some(made))
    }

    fn slot(&self, id: BuildId, platform: Platform, stamp: Stamp) -> Arc<Slot> {
        let now = self.uses.fetch_add(1, Ordering::Relaxed);
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots
            .get(&(id, platform))
            .is_some_and(|slot| slot.stamp != stamp)
        {
            // The base installer changed: what was made from the old one is of no more use, and
            // its slices would keep the old version's copy alive.
            slots.retain(|&(_, made_for), slot| {
                let stale = made_for == platform && slot.stamp != stamp;
                if stale {
                    self.release(slot);
                }
                !stale
            });
        }
        let slot = slots
            .entry((id, platform))
            .or_insert_with(|| Arc::new(Slot::new(stamp)));
        slot.last_used.store(now, Ordering::Relaxed);
        Arc::clone(slot)
    }

    /// Counts what a slot holds, unless it was dropped while it was being made. Counting and
    /// releasing both happen under the slots' lock, so each byte is counted out once.
    fn count(&self, id: BuildId, platform: Platform, slot: &Arc<Slot>, bytes: u64) {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        if slots
            .get(&(id, platform))
            .is_some_and(|kept| Arc::ptr_eq(kept, slot))
        {
            slot.counted.store(bytes, Ordering::Relaxed);
            self.held.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    /// Call with the slots' lock held.
    fn release(&self, slot: &Slot) {
        let counted = slot.counted.swap(0, Ordering::Relaxed);
        self.held.fetch_sub(counted, Ordering::Relaxed);
    }

    fn keep_within_budget(&self) {
        if self.held.load(Ordering::Relaxed) <= self.budget {
            return;
        }
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        while self.held.load(Ordering::Relaxed) > self.budget {
            let Some(oldest) = slots
                .iter()
                .filter(|(_, slot)| slot.counted.load(Ordering::Relaxed) > 0)
                .min_by_key(|(_, slot)| slot.last_used.load(Ordering::Relaxed))
                .map(|(key, _)| *key)
            else {
                break;
            };
            if let Some(slot) = slots.remove(&oldest) {
                self.release(&slot);
            }
        }
    }

    /// How many customized installers are held (for tests).
    #[cfg(test)]
    pub fn held_count(&self) -> usize {
        let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.values().filter(|s| s.made.initialized()).count()
    }
}

impl Slot {
    fn new(stamp: Stamp) -> Slot {
        Slot {
            stamp,
            made: OnceCell::new(),
            last_used: AtomicU64::new(0),
            counted: AtomicU64::new(0),
        }
    }
}

/// Blocking: customizing reads the whole base installer.
fn make(name: &str, base: Bytes, meta: Meta, vesselinfo: &str) -> Result<Made, String> {
    let customized = customize(&base, vesselinfo.as_bytes())
        .map_err(|e| format!("the base installer {name} cannot be customized: {e}"))?;
    let mut parts = Vec::new();
    let mut new_bytes = 0;
    for piece in customized.pieces.as_slice() {
        parts.push(match piece {
            Piece::Base(range) => base.slice(range.start as usize..range.end as usize),
            Piece::New(new) => {
                new_bytes += new.len() as u64;
                Bytes::copy_from_slice(new)
            }
        });
    }
    Ok(Made {
        meta: Meta::file(customized.pieces.len(), modified(&meta)),
        parts,
        new_bytes,
    })
}

fn modified(meta: &Meta) -> Option<std::time::SystemTime> {
    use tower_http::services::fs::Metadata;
    meta.modified().ok()
}

impl Made {
    /// The parts that make up `range` of the installer.
    fn slices(&self, range: std::ops::RangeInclusive<u64>) -> VecDeque<Bytes> {
        let (start, end) = (*range.start(), *range.end() + 1);
        let mut at = 0u64;
        let mut out = VecDeque::new();
        for part in &self.parts {
            let (from, to) = (at, at + part.len() as u64);
            at = to;
            if to <= start || from >= end {
                continue;
            }
            let a = start.max(from) - from;
            let b = end.min(to) - from;
            out.push_back(part.slice(a as usize..b as usize));
        }
        out
    }

    pub fn len(&self) -> u64 {
        use tower_http::services::fs::Metadata;
        self.meta.len()
    }
}

tokio::task_local! {
    /// The installer the current request asked for: the one file of [`OneFile`].
    static ASKED: Arc<Made>;
}

/// The answer to a GET or HEAD of a customized installer, as `ServeDir` gives it for any file,
/// under its usual name as a download.
pub async fn serve(made: Arc<Made>, file_name: &'static str, request: Request) -> Response {
    let get = request.method() == Method::GET;
    let range = request.headers().get(RANGE).cloned();
    let dir = ServeDir::with_backend("/", OneFile);
    let answer = ASKED.scope(Arc::clone(&made), dir.oneshot(request)).await;
    let mut response = match answer {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status().is_success() {
        let disposition = format!("attachment; filename=\"{file_name}\"");
        if let Ok(value) = HeaderValue::from_str(&disposition) {
            response.headers_mut().insert(CONTENT_DISPOSITION, value);
        }
    }
    let body = match response.status() {
        _ if !get => return response,
        StatusCode::OK => made.slices(0..=made.len().saturating_sub(1)),
        StatusCode::PARTIAL_CONTENT => match single_range(range.as_ref(), made.len()) {
            Some(range) => made.slices(range),
            None => return response,
        },
        _ => return response,
    };
    let len: u64 = body.iter().map(|b| b.len() as u64).sum();
    if declared_length(&response) != Some(len) {
        return response;
    }
    response.map(|_| Body::new(Parts(body)))
}

/// Not found, for a build or platform the host does not know.
pub fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("{what}\n")).into_response()
}

/// A body of the installer's parts, handed to hyper as they are: slices of the base installer's
/// sealed copy reach the socket by `sendfile`.
struct Parts(VecDeque<Bytes>);

impl http_body::Body for Parts {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(self.0.pop_front().map(|part| Ok(Frame::data(part))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.0.iter().map(|b| b.len() as u64).sum())
    }
}

/// `ServeDir`'s backend: whatever the path, the installer this request asked for.
#[derive(Clone)]
struct OneFile;

type Ready<T> = std::future::Ready<io::Result<T>>;

fn asked() -> io::Result<Arc<Made>> {
    ASKED
        .try_with(Arc::clone)
        .map_err(|_| io::Error::new(io::ErrorKind::NotFound, "no installer asked for"))
}

impl Backend for OneFile {
    type File = Reader;
    type Metadata = Meta;
    type OpenFuture = Ready<Reader>;
    type MetadataFuture = Ready<Meta>;

    fn open(&self, _: PathBuf) -> Self::OpenFuture {
        std::future::ready(asked().map(|made| Reader { made, at: 0 }))
    }

    fn metadata(&self, _: PathBuf) -> Self::MetadataFuture {
        std::future::ready(asked().map(|made| made.meta))
    }
}

/// The installer read in order; `ServeDir` reads through this only if its body were kept.
pub struct Reader {
    made: Arc<Made>,
    at: u64,
}

impl AsyncRead for Reader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let len = self.made.len();
        if self.at < len && buf.remaining() > 0 {
            let end = (self.at + buf.remaining() as u64).min(len) - 1;
            for slice in self.made.slices(self.at..=end) {
                buf.put_slice(&slice);
                self.at += slice.len() as u64;
            }
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncSeek for Reader {
    fn start_seek(mut self: Pin<&mut Self>, position: SeekFrom) -> io::Result<()> {
        let len = self.made.len() as i128;
        let at = match position {
            SeekFrom::Start(n) => n as i128,
            SeekFrom::End(n) => len + n as i128,
            SeekFrom::Current(n) => self.at as i128 + n as i128,
        };
        self.at = u64::try_from(at)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "before the start"))?;
        Ok(())
    }

    fn poll_complete(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<u64>> {
        Poll::Ready(Ok(self.at))
    }
}

impl File for Reader {
    type Metadata = Meta;
    type MetadataFuture<'a> = Ready<Meta>;

    fn metadata(&self) -> Self::MetadataFuture<'_> {
        std::future::ready(Ok(self.made.meta))
    }
}
