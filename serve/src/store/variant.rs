//! Compressed copies of the page's files, made once per version of a file rather than on every
//! request: compressing the page's 1 MB wasm with brotli took about 150 ms of a loop's time,
//! for each visitor, and anyone could ask for it again and again.
//!
//! `ServeDir` asks for `NAME.br` or `NAME.gz` when the client accepts that encoding (its
//! support for precompressed files, with its negotiation and headers). Where no such file
//! exists, the store makes it from NAME, keeps it in memory, and makes it again when NAME
//! changes.

use crate::rules::headers;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

/// The file that `path` would be a compressed copy of, if it is one worth making (by the media
/// type its name gives). Never of a page: a page is always served as it is, since its policy is
/// computed from its bytes.
pub fn made_from(path: &Path) -> Option<(PathBuf, Encoding)> {
    let name = path.file_name()?.to_str()?;
    let (original, encoding) = match name.rsplit_once('.')? {
        (original, "br") => (original, Encoding::Brotli),
        (original, "gz") => (original, Encoding::Gzip),
        _ => return None,
    };
    let worth =
        !headers::is_page(original) && headers::media_type(original).is_some_and(headers::shrinks);
    worth.then(|| (path.with_file_name(original), encoding))
}

/// Blocking, and slow for a large file: high settings, since it is done once.
pub fn compress(bytes: &[u8], encoding: Encoding) -> io::Result<Vec<u8>> {
    match encoding {
        Encoding::Brotli => {
            let mut writer = brotli::CompressorWriter::new(Vec::new(), 1 << 16, 9, 22);
            writer.write_all(bytes)?;
            writer.flush()?;
            Ok(writer.into_inner())
        }
        Encoding::Gzip => {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            encoder.write_all(bytes)?;
            encoder.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn names_and_round_trips() {
        let wasm = Path::new("/site/cib-web-0123456789abcdef_bg.wasm");
        assert_eq!(
            made_from(Path::new("/site/cib-web-0123456789abcdef_bg.wasm.br")),
            Some((wasm.to_path_buf(), Encoding::Brotli))
        );
        assert_eq!(
            made_from(Path::new("/site/a.JS.gz")),
            Some((PathBuf::from("/site/a.JS"), Encoding::Gzip))
        );
        for not in [
            "/site/a.zip.gz",
            "/site/a.tgz",
            "/site/a.png.br",
            "/site/br",
            "/site/.br",
        ] {
            assert_eq!(made_from(Path::new(not)), None, "{not}");
        }

        let text = b"export function f() { return 1; }\n".repeat(100);
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&compress(&text, Encoding::Gzip).unwrap()[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, text);
        let brotli = compress(&text, Encoding::Brotli).unwrap();
        assert!(brotli.len() < text.len() / 10);
        out.clear();
        brotli::Decompressor::new(&brotli[..], 4096)
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, text);
    }
}
