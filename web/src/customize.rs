//! Customizing a base installer held as a Blob. A zip is read from its tail only, here; a tar.gz
//! is handed whole to the worker's module (its gzip stream must be decompressed, which takes
//! long enough to freeze the page, and that code is not in the page's module). The result is a
//! Blob of slices of the base plus the few new bytes, so the archive itself is never copied.

use crate::places::Places;
use cib_core::base_installer::{
    customize_zip_tail, zip_tail_start, Customized, Piece, Pieces, TailOutcome,
};
use cib_core::ArchiveKind;
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

/// The bytes `start..end` of a Blob.
pub async fn read(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, String> {
    let part = blob
        .slice_with_f64_and_f64(start, end)
        .map_err(|_| "could not slice the base installer")?;
    let buffer = JsFuture::from(part.array_buffer())
        .await
        .map_err(|_| "could not read the base installer")?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

pub fn is_gzip(head: &[u8]) -> bool {
    head == [0x1f, 0x8b]
}

/// The customized pieces of a zip `base`, with vesselinfo added, read from its tail.
pub async fn zip_pieces(base: &Blob, vesselinfo: &[u8]) -> Result<Customized, String> {
    let size = base.size();
    let mut start = zip_tail_start(size as u64);
    loop {
        let tail = read(base, start as f64, size).await?;
        match customize_zip_tail(&tail, start, vesselinfo).map_err(|e| e.to_string())? {
            TailOutcome::Customized(customized) => return Ok(customized),
            // The core asks for earlier bytes at most once per distance; refuse to go round.
            TailOutcome::NeedsBytesFrom(earlier) if earlier < start => start = earlier,
            TailOutcome::NeedsBytesFrom(_) => {
                return Err("the zip's central directory could not be found".into())
            }
        }
    }
}

/// The Blob a person downloads: slices of `base` and the new bytes, in order.
pub fn assemble(base: &Blob, pieces: &Pieces, media_type: &str) -> Result<Blob, String> {
    let parts = Array::new();
    for piece in pieces.as_slice() {
        let part: JsValue = match piece {
            Piece::New(bytes) => Uint8Array::from(bytes.as_slice()).into(),
            Piece::Base(range) => base
                .slice_with_f64_and_f64(range.start as f64, range.end as f64)
                .map_err(|_| "could not slice the base installer")?
                .into(),
        };
        parts.push(&part);
    }
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    Blob::new_with_blob_sequence_and_options(&parts, &options)
        .map_err(|_| "could not assemble the installer".into())
}

/// Pieces as the worker's module sends them: `[start, end]` for a range of the base, a
/// `Uint8Array` for new bytes.
fn pieces_from_js(sent: &JsValue) -> Result<Pieces, String> {
    let sent: &Array = sent.dyn_ref().ok_or("the worker sent no pieces")?;
    let mut pieces = Pieces::default();
    for piece in sent.iter() {
        match piece.dyn_ref::<Uint8Array>() {
            Some(bytes) => pieces.add(bytes.to_vec()),
            None => {
                let range: Array = piece.dyn_into().map_err(|_| "a piece is not a range")?;
                let (Some(start), Some(end)) = (range.get(0).as_f64(), range.get(1).as_f64())
                else {
                    return Err("a piece is not a range".into());
                };
                pieces.keep(start as u64..end as u64);
            }
        }
    }
    Ok(pieces)
}

/// A base installer Blob customized with vesselinfo, as a new Blob: a zip here, a tar.gz in the
/// worker.
pub async fn installer_off_thread(
    places: &Places,
    base: &Blob,
    vesselinfo: &str,
) -> Result<Blob, String> {
    if !is_gzip(&read(base, 0.0, 2.0).await?) {
        let customized = zip_pieces(base, vesselinfo.as_bytes()).await?;
        return assemble(base, &customized.pieces, customized.kind.media_type());
    }
    let buffer = JsFuture::from(base.array_buffer())
        .await
        .map_err(|_| "could not read the base installer")?;
    let fields = [("bytes", buffer.clone()), ("vesselinfo", vesselinfo.into())];
    let answer = crate::worker::call(places, "customize", &fields, &Array::of1(&buffer)).await?;
    let pieces =
        js_sys::Reflect::get(&answer, &"pieces".into()).map_err(|_| "the worker sent no pieces")?;
    assemble(
        base,
        &pieces_from_js(&pieces)?,
        ArchiveKind::TarGz.media_type(),
    )
}

/// Any bytes as a Blob of the given media type (the key zips).
pub fn blob_of(bytes: &[u8], media_type: &str) -> Blob {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).expect("a Blob of bytes")
}
