//! What `ServeDir` gets from the store: a file's metadata, and the open file itself.

use bytes::Bytes;
use std::io::{self, Cursor};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::SystemTime;
use tokio::io::{AsyncRead, AsyncSeek, ReadBuf};
use tower_http::services::fs::{File, Metadata, TokioFile};

#[derive(Debug, Clone, Copy)]
pub struct Meta {
    pub(super) directory: bool,
    pub(super) len: u64,
    pub(super) modified: Option<SystemTime>,
}

impl Meta {
    /// A file of `len` bytes, last changed at `modified`.
    pub fn file(len: u64, modified: Option<SystemTime>) -> Meta {
        Meta {
            directory: false,
            len,
            modified,
        }
    }
}

impl Metadata for Meta {
    fn is_dir(&self) -> bool {
        self.directory
    }

    fn modified(&self) -> io::Result<SystemTime> {
        self.modified
            .ok_or_else(|| io::Error::new(io::ErrorKind::Unsupported, "no modification time"))
    }

    fn len(&self) -> u64 {
        self.len
    }
}

/// An open file: a view of the bytes in memory, or the file on disk when it is too large.
pub enum StoreFile {
    Memory(Cursor<Bytes>, Meta),
    Disk(TokioFile, Meta),
}

impl AsyncRead for StoreFile {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            StoreFile::Memory(bytes, _) => Pin::new(bytes).poll_read(cx, buf),
            StoreFile::Disk(file, _) => Pin::new(file).poll_read(cx, buf),
        }
    }
}

impl AsyncSeek for StoreFile {
    fn start_seek(self: Pin<&mut Self>, position: io::SeekFrom) -> io::Result<()> {
        match self.get_mut() {
            StoreFile::Memory(bytes, _) => Pin::new(bytes).start_seek(position),
            StoreFile::Disk(file, _) => Pin::new(file).start_seek(position),
        }
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        match self.get_mut() {
            StoreFile::Memory(bytes, _) => Pin::new(bytes).poll_complete(cx),
            StoreFile::Disk(file, _) => Pin::new(file).poll_complete(cx),
        }
    }
}

impl File for StoreFile {
    type Metadata = Meta;
    type MetadataFuture<'a> = std::future::Ready<io::Result<Meta>>;

    fn metadata(&self) -> Self::MetadataFuture<'_> {
        let (StoreFile::Memory(_, meta) | StoreFile::Disk(_, meta)) = self;
        std::future::ready(Ok(*meta))
    }
}
