//! A customized installer described as pieces of its base installer plus a few new bytes, so
//! that a browser can assemble it as a Blob of slices and the CLI can write it in order, without
//! either copying the archive.

use std::io::{self, Write};
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// These bytes of the base installer, kept as they are.
    Base(Range<u64>),
    /// Bytes that are new in the customized installer.
    New(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pieces(Vec<Piece>);

impl Pieces {
    /// Adds a range of the base, merged with the previous one when they touch.
    pub fn keep(&mut self, range: Range<u64>) {
        if range.is_empty() {
            return;
        }
        if let Some(Piece::Base(last)) = self.0.last_mut() {
            if last.end == range.start {
                last.end = range.end;
                return;
            }
        }
        self.0.push(Piece::Base(range));
    }

    pub fn add(&mut self, bytes: Vec<u8>) {
        if !bytes.is_empty() {
            self.0.push(Piece::New(bytes));
        }
    }

    pub fn as_slice(&self) -> &[Piece] {
        &self.0
    }

    /// The customized installer's size in bytes.
    pub fn len(&self) -> u64 {
        self.0
            .iter()
            .map(|p| match p {
                Piece::Base(r) => r.end - r.start,
                Piece::New(b) => b.len() as u64,
            })
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes the customized installer; `base` is the whole base installer.
    pub fn write_to(&self, base: &[u8], out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        for piece in &self.0 {
            match piece {
                Piece::Base(r) => {
                    let slice = usize::try_from(r.start)
                        .ok()
                        .zip(usize::try_from(r.end).ok())
                        .and_then(|(s, e)| base.get(s..e))
                        .ok_or_else(|| {
                            io::Error::new(
                                io::ErrorKind::InvalidInput,
                                "the base installer is shorter than the pieces say",
                            )
                        })?;
                    out.write_all(slice)?
                }
                Piece::New(bytes) => out.write_all(bytes)?,
            }
        }
        Ok(())
    }

    pub fn to_vec(&self, base: &[u8]) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(self.len() as usize);
        self.write_to(base, &mut out)?;
        Ok(out)
    }
}
