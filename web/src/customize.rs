//! Customizing a base installer held as a Blob, in the worker's module (reading archives is not
//! in the page's module, and a tar.gz's gzip stream must be decompressed, which takes long
//! enough to freeze the page). Of a zip only its tail goes to the worker. The result is a Blob
//! of slices of the base plus the few new bytes, so the archive itself is never copied.

use crate::places::Places;
use crate::words::Said;
use crate::worker;
use cib_core::base_installer;
use cib_core::ArchiveKind;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag};

/// The bytes `start..end` of a Blob.
async fn read(blob: &Blob, start: f64, end: f64) -> Result<Vec<u8>, Said> {
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

/// The worker's answer to `op` over `blob`'s bytes from `start` on and `more`, going back as
/// far as it asks (`{needs: offset}`, when a zip's entries or directory start earlier), never
/// forward: the core asks for earlier bytes at most once per distance, so a request that does
/// not go back would go round for ever.
pub async fn from_tail(
    places: &Places,
    op: &str,
    blob: &Blob,
    mut start: u64,
    more: &[(&str, JsValue)],
) -> Result<JsValue, Said> {
    loop {
        let part = blob
            .slice_with_f64(start as f64)
            .map_err(|_| unreadable())?;
        let mut fields = vec![("start", (start as f64).into())];
        fields.extend(more.iter().cloned());
        let answer = worker::over_bytes(&places.worker, op, &part, &fields).await?;
        let needs = Reflect::get(&answer, &"needs".into()).ok();
        match needs.and_then(|n| n.as_f64()).map(|n| n as u64) {
            None => return Ok(answer),
            Some(earlier) if earlier < start => start = earlier,
            Some(_) => return Err(Said::id("ui-zip-no-directory")),
        }
    }
}

/// Where the worker starts reading an installer, and what kind of archive it is
/// (`base_installer::reading_start`, from its first two bytes).
pub async fn reading_start(installer: &Blob) -> Result<(ArchiveKind, u64), Said> {
    let head = read(installer, 0.0, installer.size().min(2.0)).await?;
    Ok(base_installer::reading_start(&head, installer.size() as u64))
}

/// The Blob a person downloads, from the pieces the worker's module sends: `[start, end]` for a
/// slice of `base`, a `Uint8Array` for new bytes, in order.
fn assemble(base: &Blob, sent: &JsValue, media_type: &str) -> Result<Blob, Said> {
    let sent: &Array = sent.dyn_ref().ok_or_else(no_answer)?;
    let parts = Array::new();
    for piece in sent.iter() {
        let part: JsValue = match piece.dyn_ref::<Uint8Array>() {
            Some(_) => piece,
            None => {
                let range: Array = piece.dyn_into().map_err(|_| no_answer())?;
                let (Some(start), Some(end)) = (range.get(0).as_f64(), range.get(1).as_f64())
                else {
                    return Err(no_answer());
                };
                base.slice_with_f64_and_f64(start, end)
                    .map_err(|_| unreadable())?
                    .into()
            }
        };
        parts.push(&part);
    }
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    Blob::new_with_blob_sequence_and_options(&parts, &options)
        .map_err(|_| Said::id("ui-assemble-failed"))
}

/// A base installer Blob customized with vesselinfo in the worker, as a new Blob. Of a zip only
/// the tail goes (the worker reads its central directory); a tar.gz goes whole.
pub async fn installer_off_thread(
    places: &Places,
    base: &Blob,
    vesselinfo: &str,
) -> Result<Blob, Said> {
    let (kind, start) = reading_start(base).await?;
    let op = match kind {
        ArchiveKind::Zip => "zip",
        ArchiveKind::TarGz => "customize",
    };
    let answer = from_tail(places, op, base, start, &[("vesselinfo", vesselinfo.into())]).await?;
    let pieces = Reflect::get(&answer, &"pieces".into()).map_err(|_| no_answer())?;
    assemble(base, &pieces, kind.media_type())
}

/// Bytes as a Blob of the given media type (the key zips).
pub fn blob_of(bytes: &Uint8Array, media_type: &str) -> Blob {
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    Blob::new_with_u8_array_sequence_and_options(&Array::of1(bytes), &options)
        .expect("a Blob of bytes")
}
