//! Customizing a base installer held as a Blob. A zip is read from its tail only; a tar.gz is
//! read whole (its gzip stream must be decompressed). The result is a Blob of slices of the base
//! plus the few new bytes, so the archive itself is never copied.

use cib_core::base_installer::{
    self, customize_zip_tail, zip_tail_start, Customized, Piece, TailOutcome,
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

/// The customized pieces of `base`, with vesselinfo added.
pub async fn pieces(base: &Blob, vesselinfo: &[u8]) -> Result<Customized, String> {
    let size = base.size();
    let head = read(base, 0.0, 2.0).await?;
    if head == [0x1f, 0x8b] {
        let whole = read(base, 0.0, size).await?;
        return base_installer::customize(&whole, vesselinfo).map_err(|e| e.to_string());
    }
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
pub fn assemble(base: &Blob, customized: &Customized) -> Result<Blob, String> {
    assemble_js(
        base,
        &pieces_to_js(customized),
        customized.kind.media_type(),
    )
}

/// The same from pieces in their JavaScript form (see `pieces_to_js`).
pub fn assemble_js(base: &Blob, pieces: &Array, media_type: &str) -> Result<Blob, String> {
    let parts = Array::new();
    for piece in pieces.iter() {
        let part: JsValue = match piece.dyn_ref::<Uint8Array>() {
            Some(bytes) => bytes.into(),
            None => {
                let range: Array = piece.unchecked_into();
                let (start, end) = (range.get(0).as_f64(), range.get(1).as_f64());
                let (Some(start), Some(end)) = (start, end) else {
                    return Err("a piece is not a range".into());
                };
                base.slice_with_f64_and_f64(start, end)
                    .map_err(|_| "could not slice the base installer")?
                    .into()
            }
        };
        parts.push(&part);
    }
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    Blob::new_with_blob_sequence_and_options(&parts, &options)
        .map_err(|_| "could not assemble the installer".into())
}

/// A base installer Blob customized with vesselinfo, as a new Blob.
pub async fn installer(base: &Blob, vesselinfo: &[u8]) -> Result<Blob, String> {
    let customized = pieces(base, vesselinfo).await?;
    assemble(base, &customized)
}

/// The same, with a tar.gz rewritten in the page's worker: decompressing a large gzip stream
/// takes long enough to freeze the page. Where there is no worker (an embedding page without
/// trunk's links, the tests), it is done here.
pub async fn installer_off_thread(base: &Blob, vesselinfo: &str) -> Result<Blob, String> {
    if read(base, 0.0, 2.0).await? != [0x1f, 0x8b] {
        return installer(base, vesselinfo.as_bytes()).await;
    }
    let buffer = JsFuture::from(base.array_buffer())
        .await
        .map_err(|_| "could not read the base installer")?;
    let fields = [("bytes", buffer.clone()), ("vesselinfo", vesselinfo.into())];
    match crate::worker::call("customize", &fields, &Array::of1(&buffer)).await {
        Ok(answer) => {
            let pieces = js_sys::Reflect::get(&answer, &"pieces".into())
                .map_err(|_| "the worker sent no pieces")?;
            assemble_js(base, &pieces.into(), ArchiveKind::TarGz.media_type())
        }
        Err(_) => installer(base, vesselinfo.as_bytes()).await,
    }
}

/// Pieces as JavaScript values, to cross from the worker: `[start, end]` for a range of the
/// base, a `Uint8Array` for new bytes.
pub fn pieces_to_js(customized: &Customized) -> Array {
    customized
        .pieces
        .as_slice()
        .iter()
        .map(|piece| -> JsValue {
            match piece {
                Piece::Base(range) => {
                    Array::of2(&(range.start as f64).into(), &(range.end as f64).into()).into()
                }
                Piece::New(bytes) => Uint8Array::from(bytes.as_slice()).into(),
            }
        })
        .collect()
}

/// Any bytes as a Blob of the given media type (the key zips).
pub fn blob_of(bytes: &[u8], media_type: &str) -> Blob {
    let parts = Array::of1(&Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    Blob::new_with_u8_array_sequence_and_options(&parts, &options).expect("a Blob of bytes")
}
