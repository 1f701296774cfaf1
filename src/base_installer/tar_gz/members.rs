//! A gzip file read as the tar it holds, member after member, one deflate block at a time, so
//! that the places where the compressed bytes could be cut (block and member boundaries) are
//! known with what a compressor needs to continue there. Every byte is checked: zlib reads the
//! headers and the deflate data, the CRC-32 and length of each member are checked here.

use super::zlib::{Inflate, Outcome};
use crate::base_installer::{BaseInstallerError, MAX_UNPACKED_BYTES};
use crc32fast::Hasher;
use std::io::{self, Read};

/// A place in the gzip file where the compressed bytes before it can be kept as they are.
#[derive(Clone)]
pub(super) struct Boundary {
    /// How much of the tar the kept bytes hold.
    pub unpacked: u64,
    /// The bit of the gzip file where what follows starts (bits count from each byte's lowest).
    pub bit: u64,
    pub within: Within,
}

#[derive(Clone)]
pub(super) enum Within {
    /// After a whole member: what follows is a new member.
    Members,
    /// Between two deflate blocks of a member: what follows continues that member.
    Member {
        start: usize,
        /// The member's data so far: its CRC-32, its length, and its last 32 KB, which the
        /// blocks after this place may refer back to.
        crc: Hasher,
        len: u64,
        window: Vec<u8>,
    },
}

impl Boundary {
    /// The whole bytes kept, and the bits of the next byte that belong before the boundary.
    pub fn split(&self, base: &[u8]) -> (usize, u32, u8) {
        let kept = (self.bit / 8) as usize;
        let bits = (self.bit % 8) as u32;
        let value = if bits == 0 { 0 } else { base[kept] };
        (kept, bits, value)
    }
}

/// Which boundary is the last before the tar's first change, learned while the tar is walked.
/// A boundary after the last entry known to be unchanged stays pending until the next entry's
/// header says whether it changes.
#[derive(Default)]
pub(super) struct Cut {
    unchanged_before: u64,
    found_change: bool,
    best: Option<Boundary>,
    pending: Option<Boundary>,
}

impl Cut {
    fn wants_boundaries(&self) -> bool {
        !self.found_change
    }

    fn offer(&mut self, boundary: Boundary) {
        if boundary.unpacked <= self.unchanged_before {
            Self::replace_if_later(&mut self.best, boundary);
        } else {
            Self::replace_if_later(&mut self.pending, boundary);
        }
    }

    /// A boundary at the same place as the one held adds nothing: the first is kept, so a
    /// member's end wins over the start of the next one's first block.
    fn replace_if_later(slot: &mut Option<Boundary>, boundary: Boundary) {
        if slot.as_ref().is_none_or(|b| boundary.unpacked > b.unpacked) {
            *slot = Some(boundary);
        }
    }

    /// The tar's bytes before `offset` stay as they are.
    pub fn unchanged_before(&mut self, offset: u64) {
        if self.found_change {
            return;
        }
        self.unchanged_before = self.unchanged_before.max(offset);
        if let Some(pending) = self.pending.take() {
            if pending.unpacked <= offset {
                Self::replace_if_later(&mut self.best, pending);
            } else {
                self.pending = Some(pending);
            }
        }
    }

    /// The tar's first change is at `offset` (an old vesselinfo, or the end-of-archive blocks).
    pub fn change_at(&mut self, offset: u64) {
        self.unchanged_before(offset);
        self.found_change = true;
        self.pending = None;
    }

    pub fn into_best(self) -> Option<Boundary> {
        self.best
    }
}

pub(super) struct Members<'a> {
    base: &'a [u8],
    /// The next byte of `base` to inflate.
    pos: usize,
    inflate: Inflate,
    in_header: bool,
    done: bool,
    member_start: usize,
    crc: Hasher,
    member_len: u64,
    unpacked: u64,
    /// While the tar is walked, where its boundaries are collected.
    pub cut: Option<Cut>,
    /// How far the tar may be unpacked for now (an entry's headers are never large).
    pub limit: Option<u64>,
    /// What went wrong, kept so the caller reports it rather than the tar reader's view of it.
    pub error: Option<BaseInstallerError>,
}

impl<'a> Members<'a> {
    pub fn new(base: &'a [u8], cut: Option<Cut>) -> Members<'a> {
        Members {
            base,
            pos: 0,
            inflate: Inflate::gzip_header(),
            in_header: true,
            done: base.is_empty(),
            member_start: 0,
            crc: Hasher::new(),
            member_len: 0,
            unpacked: 0,
            cut,
            limit: None,
            error: None,
        }
    }

    /// Reads on from a boundary found earlier, as if from the start.
    pub fn resume(base: &'a [u8], at: &Boundary) -> Members<'a> {
        let (kept, bits, value) = at.split(base);
        let mut members = Self::new(base, None);
        members.unpacked = at.unpacked;
        match &at.within {
            Within::Members => {
                members.pos = kept;
                members.member_start = kept;
                members.done = kept == base.len();
            }
            Within::Member {
                start,
                crc,
                len,
                window,
            } => {
                // The inflater takes the byte's bits after the boundary, the rest from `pos`.
                members.inflate = Inflate::resume(window, (8 - bits) % 8, value >> bits);
                members.pos = kept + usize::from(bits > 0);
                members.in_header = false;
                members.member_start = *start;
                members.crc = crc.clone();
                members.member_len = *len;
            }
        }
        members
    }

    pub fn unpacked(&self) -> u64 {
        self.unpacked
    }

    fn fail(&mut self, error: BaseInstallerError) -> io::Error {
        let message = error.to_string();
        self.error = Some(error);
        io::Error::other(message)
    }

    fn corrupt(&mut self, why: String) -> io::Error {
        self.fail(BaseInstallerError::Corrupt(why))
    }

    fn offer(&mut self, bit: u64, within: impl FnOnce(&Self) -> Within) {
        if self.cut.as_ref().is_some_and(Cut::wants_boundaries) {
            let boundary = Boundary {
                unpacked: self.unpacked,
                bit,
                within: within(self),
            };
            self.cut.as_mut().expect("checked").offer(boundary);
        }
    }

    fn in_member(&self) -> Within {
        Within::Member {
            start: self.member_start,
            crc: self.crc.clone(),
            len: self.member_len,
            window: self.inflate.window(),
        }
    }

    fn read_header(&mut self) -> io::Result<()> {
        let step = self.inflate.step(&self.base[self.pos..], &mut []);
        self.pos += step.consumed;
        match step.outcome {
            Outcome::Going {
                at_block_start: true,
                ..
            } => {
                self.in_header = false;
                self.inflate.restart_raw();
                self.crc = Hasher::new();
                self.member_len = 0;
                self.offer(self.pos as u64 * 8, Self::in_member);
                Ok(())
            }
            Outcome::Going { .. } if step.consumed > 0 => Ok(()),
            Outcome::Going { .. } | Outcome::NeedsInput | Outcome::End => {
                let at = self.member_start;
                Err(self.corrupt(format!("the gzip header at byte {at} is cut off")))
            }
            Outcome::Broken(why) => {
                let at = self.member_start;
                Err(self.corrupt(format!("the gzip header at byte {at}: {why}")))
            }
        }
    }

    /// Checks the member's trailer and moves to the next member, if any.
    fn end_member(&mut self) -> io::Result<()> {
        let at = self.member_start;
        let Some(trailer) = self.base.get(self.pos..self.pos + 8) else {
            return Err(self.corrupt(format!("the gzip member at byte {at} is cut off")));
        };
        let crc = u32::from_le_bytes(trailer[..4].try_into().expect("4 bytes"));
        let len = u32::from_le_bytes(trailer[4..].try_into().expect("4 bytes"));
        if crc != self.crc.clone().finalize() {
            return Err(self.corrupt(format!(
                "the gzip member at byte {at} fails its CRC-32 check"
            )));
        }
        if len != self.member_len as u32 {
            return Err(self.corrupt(format!(
                "the gzip member at byte {at} fails its length check"
            )));
        }
        self.pos += 8;
        self.offer(self.pos as u64 * 8, |_| Within::Members);
        let rest = &self.base[self.pos..];
        if rest.is_empty() {
            self.done = true;
        } else if super::is_gzip(rest) {
            self.member_start = self.pos;
            self.in_header = true;
            self.inflate = Inflate::gzip_header();
        } else {
            let at = self.pos;
            return Err(self.corrupt(format!(
                "unexpected data after the gzip stream at byte {at}"
            )));
        }
        Ok(())
    }

    /// How many bytes may be unpacked now: one more than allowed, to notice a larger file.
    fn room(&mut self) -> io::Result<u64> {
        let room = MAX_UNPACKED_BYTES + 1 - self.unpacked;
        match self.limit {
            Some(limit) if limit <= self.unpacked => Err(self.corrupt(format!(
                "a tar entry's headers go on past byte {limit} of the tar"
            ))),
            Some(limit) => Ok(room.min(limit - self.unpacked)),
            None => Ok(room),
        }
    }
}

impl Read for Members<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if let Some(error) = &self.error {
            return Err(io::Error::other(error.to_string()));
        }
        while !self.done && !out.is_empty() {
            if self.in_header {
                self.read_header()?;
                continue;
            }
            let room = self.room()?;
            let len = (out.len() as u64).min(room) as usize;
            let out = &mut out[..len];
            let step = self.inflate.step(&self.base[self.pos..], out);
            self.pos += step.consumed;
            let produced = &out[..step.produced];
            self.crc.update(produced);
            self.member_len += produced.len() as u64;
            self.unpacked += produced.len() as u64;
            if self.unpacked > MAX_UNPACKED_BYTES {
                return Err(self.fail(BaseInstallerError::TooLarge(format!(
                    "it unpacks to more than {MAX_UNPACKED_BYTES} bytes"
                ))));
            }
            match step.outcome {
                Outcome::Going {
                    at_block_start: true,
                    in_last_block: false,
                    unused_bits,
                } => self.offer(
                    self.pos as u64 * 8 - u64::from(unused_bits),
                    Self::in_member,
                ),
                Outcome::Going { .. } => {}
                Outcome::End => self.end_member()?,
                Outcome::NeedsInput => {
                    let at = self.member_start;
                    return Err(self.corrupt(format!("the gzip member at byte {at} is cut off")));
                }
                Outcome::Broken(why) => {
                    let at = self.member_start;
                    return Err(self.corrupt(format!("gzip data at byte {at}: {why}")));
                }
            }
            if step.produced > 0 {
                return Ok(step.produced);
            }
        }
        Ok(0)
    }
}
