//! Installers go from the kernel's page cache to the socket without passing through the host.
//!
//! hyper writes a body from memory, so each download costs a copy into the kernel that nginx's
//! `sendfile` avoids: on loopback that copy was 60% of the host's time for a 4 MiB installer,
//! and held it to three quarters of nginx's throughput. So an installer is mapped, not read
//! ([`Mapping`]), and the connection's writer ([`ZeroCopy`]) recognises a slice of a mapping
//! among the buffers hyper hands it and has the kernel send that part of the file instead.
//! hyper and `ServeDir` still decide every byte of the answer (status, headers, ranges, length);
//! only the way the body's bytes reach the socket changes.

use bytes::Bytes;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Smaller slices are written as they are: a system call per slice would cost more than the
/// copy it saves.
const WORTH_SENDING: usize = 16 * 1024;

/// The live mappings by start address, with their length and file.
static MAPPINGS: RwLock<BTreeMap<usize, (usize, Arc<File>)>> = RwLock::new(BTreeMap::new());

/// A file mapped into memory, registered while it lives so that writers can find its file.
pub struct Mapping {
    map: memmap2::Mmap,
}

impl Mapping {
    /// The content of `file` as bytes that [`ZeroCopy`] sends from the file. The host never
    /// reads them itself; if it did, the file's current content is what it would see.
    pub fn bytes(file: File) -> io::Result<Bytes> {
        if file.metadata()?.len() == 0 {
            // An empty mapping is refused by the system; nothing to send anyway.
            return Ok(Bytes::new());
        }
        // SAFETY: the mapping is only read, and only through `Bytes`. A file truncated while
        // mapped would fault on reading the lost part, which is why the host never reads these
        // bytes (they reach the socket through `sendfile`, which returns short instead).
        let map = unsafe { memmap2::Mmap::map(&file)? };
        write_mappings().insert(map.as_ptr() as usize, (map.len(), Arc::new(file)));
        Ok(Bytes::from_owner(Mapping { map }))
    }
}

impl AsRef<[u8]> for Mapping {
    fn as_ref(&self) -> &[u8] {
        &self.map
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        write_mappings().remove(&(self.map.as_ptr() as usize));
    }
}

fn write_mappings() -> std::sync::RwLockWriteGuard<'static, BTreeMap<usize, (usize, Arc<File>)>> {
    MAPPINGS.write().unwrap_or_else(|e| e.into_inner())
}

/// The file and offset that `slice` shows, if it lies inside a live mapping.
fn mapped(slice: &[u8]) -> Option<(Arc<File>, u64)> {
    let start = slice.as_ptr() as usize;
    let mappings = MAPPINGS.read().unwrap_or_else(|e| e.into_inner());
    let (&base, (len, file)) = mappings.range(..=start).next_back()?;
    (start + slice.len() <= base + len).then(|| (Arc::clone(file), (start - base) as u64))
}

/// Whether `bytes` would go out by `sendfile`.
#[cfg(test)]
pub fn is_mapped(bytes: &[u8]) -> bool {
    mapped(bytes).is_some()
}

/// A connection that sends slices of mapped files with `sendfile` and writes everything else.
pub struct ZeroCopy {
    stream: TcpStream,
}

impl ZeroCopy {
    pub fn new(stream: TcpStream) -> ZeroCopy {
        ZeroCopy { stream }
    }

    #[cfg(target_os = "linux")]
    fn poll_send_file(
        &self,
        cx: &mut Context<'_>,
        file: &File,
        offset: u64,
        len: usize,
    ) -> Poll<io::Result<usize>> {
        loop {
            std::task::ready!(self.stream.poll_write_ready(cx))?;
            let sent = self.stream.try_io(tokio::io::Interest::WRITABLE, || {
                let mut offset = offset;
                rustix::fs::sendfile(&self.stream, file, Some(&mut offset), len)
                    .map_err(io::Error::from)
            });
            match sent {
                // 0 when the file was cut short since: hyper then ends the connection.
                Ok(n) => return Poll::Ready(Ok(n)),
                Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
                Err(err) => return Poll::Ready(Err(err)),
            }
        }
    }
}

impl AsyncRead for ZeroCopy {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ZeroCopy {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_vectored(cx, &[IoSlice::new(buf)])
    }

    /// Writes the buffers before the first slice of a mapping, or sends that slice when it
    /// comes first; hyper calls again for the rest.
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        #[cfg(target_os = "linux")]
        {
            let first = bufs.iter().enumerate().find_map(|(i, buf)| {
                let found = (buf.len() >= WORTH_SENDING).then(|| mapped(buf))??;
                Some((i, found))
            });
            match first {
                Some((0, (file, offset))) => {
                    return this.poll_send_file(cx, &file, offset, bufs[0].len())
                }
                Some((i, _)) => {
                    return Pin::new(&mut this.stream).poll_write_vectored(cx, &bufs[..i])
                }
                None => {}
            }
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        // hyper then queues body buffers as they are instead of copying them into one.
        true
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_file_and_offset_of_a_slice_of_a_mapping() {
        let mut file = tempfile::tempfile().unwrap();
        std::io::Write::write_all(&mut file, &[7u8; 100_000]).unwrap();
        let bytes = Mapping::bytes(file).unwrap();
        assert_eq!(bytes.len(), 100_000);
        assert!(bytes.iter().all(|&b| b == 7));

        let (_, offset) = mapped(&bytes[1000..50_000]).unwrap();
        assert_eq!(offset, 1000);
        assert!(mapped(&bytes[..]).is_some());
        let other = vec![7u8; 100_000];
        assert!(mapped(&other).is_none());

        let slice = bytes.slice(4096..);
        drop(bytes);
        assert_eq!(mapped(&slice).unwrap().1, 4096, "kept alive by the slice");
        let start = slice.as_ptr() as usize;
        drop(slice);
        assert!(!MAPPINGS.read().unwrap().contains_key(&(start - 4096)));
    }
}
