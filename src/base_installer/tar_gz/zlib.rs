//! The few zlib calls that editing a gzip stream in place needs and no safe wrapper offers:
//! inflating one deflate block at a time (`Z_BLOCK`, which reports where each block starts, to
//! the bit), and starting an inflater or a deflater in the middle of a stream (a preset window
//! and the leftover bits of a byte). zlib-rs implements them in Rust behind zlib's C API, so the
//! same code runs natively and in the page's wasm worker.

use libz_rs_sys as z;
use std::ffi::{c_int, c_uint, CStr};

/// A raw deflate stream (no zlib or gzip wrapper) with zlib's largest window.
const RAW: c_int = -15;
/// A gzip member: zlib reads its header (and would check its trailer).
const GZIP: c_int = 15 + 16;
pub(super) const WINDOW: usize = 1 << 15;

fn stream_size() -> c_int {
    std::mem::size_of::<z::z_stream>() as c_int
}

/// What one call to `Inflate::step` did.
pub(super) struct Step {
    pub consumed: usize,
    pub produced: usize,
    pub outcome: Outcome,
}

pub(super) enum Outcome {
    /// More to come; `at_block_start` when the inflater stopped just before a block header.
    Going {
        at_block_start: bool,
        in_last_block: bool,
        unused_bits: u32,
    },
    /// The deflate stream (or, reading a header, the gzip header) is complete.
    End,
    /// The input ran out in the middle of the stream.
    NeedsInput,
    Broken(String),
}

pub(super) struct Inflate {
    // Boxed: zlib's state may point back at its stream, so the stream must not move.
    strm: Box<z::z_stream>,
}

impl Inflate {
    /// An inflater that reads a gzip member's header and stops before its first block.
    pub fn gzip_header() -> Inflate {
        Self::new(GZIP)
    }

    pub fn raw() -> Inflate {
        Self::new(RAW)
    }

    fn new(window_bits: c_int) -> Inflate {
        let mut strm = Box::<z::z_stream>::default();
        // SAFETY: a default stream carries the Rust allocator; the version is zlib-rs's own.
        let code =
            unsafe { z::inflateInit2_(&mut *strm, window_bits, z::zlibVersion(), stream_size()) };
        assert_eq!(code, z::Z_OK, "inflateInit2 with valid arguments");
        Inflate { strm }
    }

    /// Switches to raw deflate data, as after a gzip header.
    pub fn restart_raw(&mut self) {
        // SAFETY: the stream was initialised by `new`.
        let code = unsafe { z::inflateReset2(&mut *self.strm, RAW) };
        assert_eq!(code, z::Z_OK, "inflateReset2 on an initialised stream");
    }

    /// Starts a raw inflater in the middle of a stream: the data before it, then the first
    /// `bits` bits of `value` before any input.
    pub fn resume(window: &[u8], bits: u32, value: u8) -> Inflate {
        let mut inflate = Self::raw();
        // SAFETY: the stream is initialised and raw; the window is at most 32 KB of readable bytes.
        unsafe {
            if !window.is_empty() {
                let code = z::inflateSetDictionary(
                    &mut *inflate.strm,
                    window.as_ptr(),
                    window.len() as c_uint,
                );
                assert_eq!(code, z::Z_OK, "inflateSetDictionary on a fresh raw stream");
            }
            if bits > 0 {
                let code = z::inflatePrime(&mut *inflate.strm, bits as c_int, value.into());
                assert_eq!(code, z::Z_OK, "inflatePrime of fewer than 8 bits");
            }
        }
        inflate
    }

    /// Inflates from `input` into `output`, stopping at the next block boundary.
    pub fn step(&mut self, input: &[u8], output: &mut [u8]) -> Step {
        let input = &input[..input.len().min(c_uint::MAX as usize)];
        let output_len = output.len().min(c_uint::MAX as usize);
        let strm = &mut *self.strm;
        strm.next_in = input.as_ptr();
        strm.avail_in = input.len() as c_uint;
        strm.next_out = output.as_mut_ptr();
        strm.avail_out = output_len as c_uint;
        // SAFETY: the pointers and lengths above describe live slices for the whole call.
        let code = unsafe { z::inflate(strm, z::Z_BLOCK) };
        let consumed = input.len() - strm.avail_in as usize;
        let produced = output_len - strm.avail_out as usize;
        let data_type = strm.data_type;
        let outcome = match code {
            z::Z_OK => Outcome::Going {
                at_block_start: data_type & 128 != 0,
                in_last_block: data_type & 64 != 0,
                unused_bits: (data_type & 63) as u32,
            },
            z::Z_STREAM_END => Outcome::End,
            z::Z_BUF_ERROR if strm.avail_in == 0 => Outcome::NeedsInput,
            _ => Outcome::Broken(self.message(code)),
        };
        Step {
            consumed,
            produced,
            outcome,
        }
    }

    /// The data inflated last, up to 32 KB: what a block after this point may refer back to.
    pub fn window(&self) -> Vec<u8> {
        let mut window = Vec::with_capacity(WINDOW);
        let mut len: c_uint = 0;
        // SAFETY: the vector has room for the largest window zlib keeps, and zlib writes the
        // `len` bytes it reports.
        unsafe {
            let code = z::inflateGetDictionary(&*self.strm, window.as_mut_ptr(), &mut len);
            assert_eq!(
                code,
                z::Z_OK,
                "inflateGetDictionary on an initialised stream"
            );
            window.set_len(len as usize);
        }
        window
    }

    fn message(&self, code: c_int) -> String {
        if self.strm.msg.is_null() {
            return format!("zlib error {code}");
        }
        // SAFETY: zlib sets msg to a static NUL-terminated string.
        unsafe { CStr::from_ptr(self.strm.msg) }
            .to_string_lossy()
            .into_owned()
    }
}

impl Drop for Inflate {
    fn drop(&mut self) {
        // SAFETY: the stream was initialised by `new` and is ended once.
        unsafe { z::inflateEnd(&mut *self.strm) };
    }
}

/// A raw deflater whose output is appended to a vector.
pub(super) struct Deflate {
    strm: Box<z::z_stream>,
    pub out: Vec<u8>,
}

impl Deflate {
    /// A deflater that continues a stream: `window` is the data before it, and its output starts
    /// with the `bits` low bits of `value` (the part of a byte that the stream before it used).
    pub fn resume(level: u32, window: &[u8], bits: u32, value: u8, out: Vec<u8>) -> Deflate {
        let mut strm = Box::<z::z_stream>::default();
        // SAFETY: as in `Inflate::new`; the window is at most 32 KB of readable bytes.
        unsafe {
            let code = z::deflateInit2_(
                &mut *strm,
                level as c_int,
                z::Z_DEFLATED,
                RAW,
                8,
                z::Z_DEFAULT_STRATEGY,
                z::zlibVersion(),
                stream_size(),
            );
            assert_eq!(code, z::Z_OK, "deflateInit2 with valid arguments");
            if !window.is_empty() {
                let code =
                    z::deflateSetDictionary(&mut *strm, window.as_ptr(), window.len() as c_uint);
                assert_eq!(code, z::Z_OK, "deflateSetDictionary on a fresh raw stream");
            }
            if bits > 0 {
                let code = z::deflatePrime(&mut *strm, bits as c_int, value.into());
                assert_eq!(code, z::Z_OK, "deflatePrime of fewer than 8 bits");
            }
        }
        Deflate { strm, out }
    }

    pub fn write(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            let chunk = &input[..input.len().min(1 << 30)];
            self.run(chunk, z::Z_NO_FLUSH);
            input = &input[chunk.len()..];
        }
    }

    /// Ends the deflate stream (its last block) and gives back everything written.
    pub fn finish(mut self) -> Vec<u8> {
        self.run(&[], z::Z_FINISH);
        std::mem::take(&mut self.out)
    }

    fn run(&mut self, input: &[u8], flush: c_int) {
        let strm = &mut *self.strm;
        strm.next_in = input.as_ptr();
        strm.avail_in = input.len() as c_uint;
        loop {
            self.out.reserve(input.len() / 2 + 4096);
            let spare = self.out.spare_capacity_mut();
            let spare_len = spare.len().min(c_uint::MAX as usize);
            strm.next_out = spare.as_mut_ptr().cast();
            strm.avail_out = spare_len as c_uint;
            // SAFETY: next_in/avail_in describe `input`, next_out/avail_out the vector's spare
            // capacity; deflate initialises every byte it reports as written.
            let code = unsafe { z::deflate(strm, flush) };
            let written = spare_len - strm.avail_out as usize;
            unsafe { self.out.set_len(self.out.len() + written) };
            match code {
                z::Z_STREAM_END => return,
                z::Z_OK | z::Z_BUF_ERROR if flush != z::Z_FINISH && strm.avail_in == 0 => {
                    if strm.avail_out != 0 {
                        return;
                    }
                }
                z::Z_OK | z::Z_BUF_ERROR => {}
                _ => panic!("deflate failed with {code} on a valid stream"),
            }
        }
    }
}

impl Drop for Deflate {
    fn drop(&mut self) {
        // SAFETY: the stream was initialised by `resume` and is ended once.
        unsafe { z::deflateEnd(&mut *self.strm) };
    }
}
