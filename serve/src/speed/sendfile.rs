//! Installers go from the kernel to the socket without passing through the host.
//!
//! hyper writes a body from memory, so each download costs a copy into the kernel that nginx's
//! `sendfile` avoids: on loopback that copy was 60% of the host's time for a 4 MiB installer,
//! and held it to three quarters of nginx's throughput. So each version of an installer is
//! copied once into sealed memory ([`Mapping`]), and the connection's writer ([`ZeroCopy`])
//! recognises a slice of such a copy among the buffers hyper hands it and has the kernel send
//! that part of it instead.
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

/// A private copy of one version of a file, mapped into memory and registered while it lives so
/// that writers can find its file.
pub struct Mapping {
    map: memmap2::Mmap,
}

impl Mapping {
    /// The first `len` bytes of `file`, copied once into sealed memory that [`ZeroCopy`] sends
    /// from. `sendfile` queues pages, not bytes: sent from the installer itself, a truncation in
    /// place zeroed pages still waiting on the socket, and a download arrived whole but wrong.
    /// Nothing can change the copy, so every download is the version it started with and the
    /// bytes are safe to read. Fails when the file did not hold exactly `len` bytes.
    #[cfg(target_os = "linux")]
    pub fn snapshot(file: &File, len: u64) -> io::Result<Bytes> {
        use rustix::fs::{fcntl_add_seals, memfd_create, MemfdFlags, SealFlags};
        if len == 0 {
            // An empty mapping is refused by the system; nothing to send anyway.
            return Ok(Bytes::new());
        }
        let copy = File::from(memfd_create(
            "cib-installer",
            MemfdFlags::CLOEXEC | MemfdFlags::ALLOW_SEALING,
        )?);
        // One past `len`, so that a file that grew is noticed. The kernel copies (splice).
        let copied = io::copy(&mut io::Read::take(file, len + 1), &mut &copy)?;
        if copied != len {
            return Err(io::Error::other("the file changed while it was copied"));
        }
        let seals = SealFlags::SHRINK | SealFlags::GROW | SealFlags::WRITE | SealFlags::SEAL;
        fcntl_add_seals(&copy, seals)?;
        // SAFETY: the sealed copy can no longer be written or resized, by anyone.
        let map = unsafe { memmap2::Mmap::map(&copy)? };
        write_mappings().insert(map.as_ptr() as usize, (map.len(), Arc::new(copy)));
        Ok(Bytes::from_owner(Mapping { map }))
    }

    /// Without sealed memory the file is read into the host's memory instead.
    #[cfg(not(target_os = "linux"))]
    pub fn snapshot(_file: &File, _len: u64) -> io::Result<Bytes> {
        Err(io::ErrorKind::Unsupported.into())
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
                // 0 (the copy ended early, which its seals rule out) would make hyper end the connection.
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

    fn file_of(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let named = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(named.path(), bytes).unwrap();
        let file = File::open(named.path()).unwrap();
        (named, file)
    }

    #[test]
    fn finds_the_file_and_offset_of_a_slice_of_a_mapping() {
        let (_named, file) = file_of(&[7u8; 100_000]);
        let bytes = Mapping::snapshot(&file, 100_000).unwrap();
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

    #[test]
    fn a_snapshot_keeps_its_version_whatever_happens_to_the_file() {
        use std::io::{Seek, Write};
        let original: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let (named, file) = file_of(&original);
        let bytes = Mapping::snapshot(&file, original.len() as u64).unwrap();

        // Cut short and written over in place, as `cp` and `truncate` do.
        let mut writer = std::fs::OpenOptions::new()
            .write(true)
            .open(named.path())
            .unwrap();
        writer.set_len(1000).unwrap();
        writer.seek(io::SeekFrom::Start(0)).unwrap();
        writer.write_all(&[0xAA; 5000]).unwrap();
        assert!(bytes[..] == original[..], "the copy changed with the file");

        // Nobody can change the copy: it is sealed.
        let (copy, offset) = mapped(&bytes[..]).unwrap();
        assert_eq!(offset, 0);
        assert!(copy.set_len(10).is_err(), "shrunk");
        assert!(copy.set_len(400_000).is_err(), "grown");
        let written = std::os::unix::fs::FileExt::write_at(&*copy, b"x", 0);
        assert!(written.is_err(), "written");
    }

    #[test]
    fn a_file_that_is_not_the_length_it_was_said_to_be_is_refused() {
        let (_named, file) = file_of(&[1u8; 50_000]);
        assert!(Mapping::snapshot(&file, 60_000).is_err(), "shorter");
        let (_named, file) = file_of(&[1u8; 50_000]);
        assert!(Mapping::snapshot(&file, 40_000).is_err(), "longer");
        let (_named, file) = file_of(&[]);
        assert!(Mapping::snapshot(&file, 0).unwrap().is_empty());
    }
}
