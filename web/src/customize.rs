//! Customizing a base installer held as a Blob. A zip is read from its tail only, here; a tar.gz
//! is handed whole to the worker's module (its gzip stream must be decompressed, which takes
//! long enough to freeze the page, and that code is not in the page's module). The result is a
//! Blob of slices of the base plus the few new bytes, so the archive itself is never copied.

use crate::places::Places;
use crate::words::Said;
use cib_core::base_installer::{
    customize_zip_tail, zip_tail_start, Customized, Piece, Pieces, TailOutcome, TailRead,
};
use cib_core::ArchiveKind;
use js_sys::{Array, Uint8Array};
use std::future::Future;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

/// The bytes `start..end` of a Blob.
pub async fn read(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, Said> {
    let part = blob
        .slice_with_f64_and_f64(start, end)
        .map_err(|_| unreadable())?;
    let buffer = JsFuture::from(part.array_buffer())
        .await
        .map_err(|_| unreadable())?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

fn unreadable() -> Said {
    Said::id("ui-base-unreadable")
}

/// An answer of the worker that is not what it was asked for.
fn no_answer() -> Said {
    Said::id("ui-worker-no-answer")
}

pub fn is_gzip(head: &[u8]) -> bool {
    head == [0x1f, 0x8b]
}

/// What `read` gives from a zip's bytes from `start` on, going back as far as it asks, never
/// forward: the core asks for earlier bytes at most once per distance, so a request that does
/// not go back would go round for ever.
pub async fn back_from_tail<T, Reading>(
    mut start: u64,
    mut read: impl FnMut(u64) -> Reading,
) -> Result<T, Said>
where
    Reading: Future<Output = Result<TailRead<T>, Said>>,
{
    loop {
        match read(start).await? {
            TailRead::Read(found) => return Ok(found),
            TailRead::NeedsBytesFrom(earlier) if earlier < start => start = earlier,
            TailRead::NeedsBytesFrom(_) => return Err(Said::id("ui-zip-no-directory")),
        }
    }
}

/// The customized pieces of a zip `base`, with vesselinfo added, read from its tail.
pub async fn zip_pieces(base: &Blob, vesselinfo: &[u8]) -> Result<Customized, Said> {
    let size = base.size();
    back_from_tail(zip_tail_start(size as u64), |start| async move {
        let tail = read(base, start as f64, size).await?;
        Ok(
            match customize_zip_tail(&tail, start, vesselinfo).map_err(|e| Said::of(&e))? {
                TailOutcome::Customized(customized) => TailRead::Read(customized),
                TailOutcome::NeedsBytesFrom(earlier) => TailRead::NeedsBytesFrom(earlier),
            },
        )
    })
    .await
}

/// The Blob a person downloads: slices of `base` and the new bytes, in order.
pub fn assemble(base: &Blob, pieces: &Pieces, media_type: &str) -> Result<Blob, Said> {
    let parts = Array::new();
    for piece in pieces.as_slice() {
        let part: JsValue = match piece {
            Piece::New(bytes) => Uint8Array::from(bytes.as_slice()).into(),
            Piece::Base(range) => base
                .slice_with_f64_and_f64(range.start as f64, range.end as f64)
                .map_err(|_| unreadable())?
                .into(),
        };
        parts.push(&part);
    }
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    Blob::new_with_blob_sequence_and_options(&parts, &options)
        .map_err(|_| Said::id("ui-assemble-failed"))
}

/// Pieces as the worker's module sends them: `[start, end]` for a range of the base, a
/// `Uint8Array` for new bytes.
fn pieces_from_js(sent: &JsValue) -> Result<Pieces, Said> {
    let sent: &Array = sent.dyn_ref().ok_or_else(no_answer)?;
    let mut pieces = Pieces::default();
    for piece in sent.iter() {
        match piece.dyn_ref::<Uint8Array>() {
            Some(bytes) => pieces.add(bytes.to_vec()),
            None => {
                let range: Array = piece.dyn_into().map_err(|_| no_answer())?;
                let (Some(start), Some(end)) = (range.get(0).as_f64(), range.get(1).as_f64())
                else {
                    return Err(no_answer());
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
) -> Result<Blob, Said> {
    if !is_gzip(&read(base, 0.0, 2.0).await?) {
        let customized = zip_pieces(base, vesselinfo.as_bytes()).await?;
        return assemble(base, &customized.pieces, customized.kind.media_type());
    }
    let buffer = JsFuture::from(base.array_buffer())
        .await
        .map_err(|_| unreadable())?;
    let fields = [("bytes", buffer.clone()), ("vesselinfo", vesselinfo.into())];
    let answer = crate::worker::call(places, "customize", &fields, &Array::of1(&buffer)).await?;
    let pieces = js_sys::Reflect::get(&answer, &"pieces".into()).map_err(|_| no_answer())?;
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
