//! Base installers: the manifest that names and fingerprints them, and fetching each one with
//! progress. A file is used only once its sha256 matches the manifest; verified files are kept
//! (in memory, and in the Cache API when there is one) so a second build fetches nothing.

use crate::places::Places;
use crate::words::{number, text, Said};
use crate::worker::js_error;
use cib_core::problem::Arg;
use cib_core::Platform;
pub use cib_core::{Manifest, ManifestEntry};
use js_sys::{Array, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Cache, ReadableStreamDefaultReader, Response};

const CACHE_NAME: &str = "cib-base-installers";

fn window() -> web_sys::Window {
    web_sys::window().expect("the page has a window")
}

async fn get(url: &str) -> Result<Response, Said> {
    let response = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(|e| {
            Said::new(
                "ui-fetch-failed",
                vec![("url", text(url)), ("problem", js_error(&e))],
            )
        })?;
    let response: Response = response.unchecked_into();
    if !response.ok() {
        return Err(Said::new(
            "ui-server-answered",
            vec![
                ("status", number(response.status())),
                ("text", text(&response.status_text())),
                ("url", text(url)),
            ],
        ));
    }
    Ok(response)
}

/// The host's folder of base installers; the saved page has none (they are chosen from disk
/// and verified as they are chosen, see `chosen`).
fn folder(places: &Places) -> Result<&str, Said> {
    places
        .installers
        .as_deref()
        .ok_or_else(|| Said::id("ui-no-site"))
}

/// The host's manifest. A new one replaces the base installers kept for the old one.
pub async fn host_manifest(places: &Places) -> Result<Manifest, Said> {
    let folder = folder(places)?;
    let response = get(&format!("{folder}manifest.json")).await?;
    let unreadable =
        |e: wasm_bindgen::JsValue| Said::new("ui-manifest-unreadable", vec![("problem", js_error(&e))]);
    let text = JsFuture::from(response.text().map_err(unreadable)?)
        .await
        .map_err(unreadable)?;
    let manifest =
        Manifest::parse_typed(&text.as_string().unwrap_or_default()).map_err(|p| Said::of(&p))?;
    forget_replaced(folder, &manifest).await;
    Ok(manifest)
}

/// The sha256 of a Blob, in lower-case hex, by WebCrypto (native speed, off the wasm heap).
pub async fn sha256_hex(blob: &Blob) -> Result<String, Said> {
    let failed = |e: wasm_bindgen::JsValue| Said::new("ui-sha256-failed", vec![("problem", js_error(&e))]);
    let buffer = JsFuture::from(blob.array_buffer()).await.map_err(failed)?;
    let subtle = window().crypto().map_err(failed)?.subtle();
    let promise = subtle
        .digest_with_str_and_buffer_source("SHA-256", &buffer.unchecked_into())
        .map_err(failed)?;
    let digest = JsFuture::from(promise).await.map_err(failed)?;
    Ok(Uint8Array::new(&digest)
        .to_vec()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

thread_local! {
    /// Verified base installers by sha256: content-addressed like the Cache API below, so every
    /// builder on the page may share them (two elements need one download of the same file).
    static VERIFIED: RefCell<HashMap<String, Blob>> = RefCell::new(HashMap::new());
}

/// The Cache API key: the file's URL with its sha256, so a new base installer is a new entry.
fn cache_key(folder: &str, entry: &ManifestEntry) -> String {
    format!("{folder}{}?sha256={}", entry.file, entry.sha256)
}

async fn cache() -> Option<Cache> {
    let caches = window().caches().ok()?;
    JsFuture::from(caches.open(CACHE_NAME))
        .await
        .ok()
        .map(|c| c.unchecked_into())
}

async fn from_cache(folder: &str, entry: &ManifestEntry) -> Option<Blob> {
    let found = JsFuture::from(cache().await?.match_with_str(&cache_key(folder, entry)))
        .await
        .ok()?;
    let response: Response = found.dyn_into().ok()?;
    let blob = JsFuture::from(response.blob().ok()?).await.ok()?;
    Some(blob.unchecked_into())
}

async fn into_cache(folder: &str, entry: &ManifestEntry, blob: &Blob) {
    // The Cache API is a convenience: when it is missing or full, the build goes on without it.
    if let (Some(cache), Ok(response)) = (cache().await, Response::new_with_opt_blob(Some(blob))) {
        let _ = JsFuture::from(cache.put_with_str(&cache_key(folder, entry), &response)).await;
    }
}

/// Deletes the kept base installers of `folder` that `manifest` no longer names (the host
/// replaced them), so that what is kept offline is what the newest manifest vouches for.
async fn forget_replaced(folder: &str, manifest: &Manifest) {
    let Some(cache) = cache().await else { return };
    let Ok(requests) = JsFuture::from(cache.keys()).await else {
        return;
    };
    let named: Vec<String> = manifest
        .installers
        .values()
        .map(|entry| cache_key(folder, entry))
        .collect();
    for request in Array::from(&requests).iter() {
        let url = request.unchecked_into::<web_sys::Request>().url();
        if url.starts_with(folder) && !named.contains(&url) {
            let _ = JsFuture::from(cache.delete_with_str(&url)).await;
        }
    }
}

/// The verified base installer for `platform`: from memory, the Cache API, or the network
/// (calling `progress(received, total)` as bytes arrive).
pub async fn base_installer(
    places: &Places,
    platform: Platform,
    entry: &ManifestEntry,
    mut progress: impl FnMut(u64, u64),
) -> Result<Blob, Said> {
    if let Some(blob) = VERIFIED.with(|v| v.borrow().get(&entry.sha256).cloned()) {
        return Ok(blob);
    }
    let folder = folder(places)?;
    if let Some(blob) = from_cache(folder, entry).await {
        if sha256_hex(&blob).await.ok().as_deref() == Some(entry.sha256.as_str()) {
            verified(&entry.sha256, &blob);
            return Ok(blob);
        }
    }
    let blob = download(folder, platform, entry, &mut progress).await?;
    let actual = sha256_hex(&blob).await?;
    if actual != entry.sha256 {
        return Err(Said::new(
            "ui-base-differs",
            vec![
                ("platform", text(platform.label())),
                ("actual", text(&actual)),
                ("expected", text(&entry.sha256)),
            ],
        ));
    }
    into_cache(folder, entry, &blob).await;
    verified(&entry.sha256, &blob);
    Ok(blob)
}

/// Keeps a base installer whose sha256 was checked, for every builder of the page.
pub fn verified(sha256: &str, blob: &Blob) {
    VERIFIED.with(|v| v.borrow_mut().insert(sha256.to_string(), blob.clone()));
}

/// Reads the response body chunk by chunk, for the progress bar; the chunks become one Blob.
async fn download(
    folder: &str,
    platform: Platform,
    entry: &ManifestEntry,
    progress: &mut impl FnMut(u64, u64),
) -> Result<Blob, Said> {
    let label = || ("platform", text(platform.label()));
    let interrupted = |problem: Arg| {
        Said::new("ui-download-interrupted", vec![label(), ("problem", problem)])
    };
    let url = format!("{folder}{}", entry.file);
    let response = get(&url).await.map_err(|problem| {
        Said::new("ui-download-failed", vec![label(), ("problem", problem.into())])
    })?;
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|l| l.parse().ok())
        .unwrap_or(entry.size);
    let body = response
        .body()
        .ok_or_else(|| Said::new("ui-download-empty", vec![label()]))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let chunks = Array::new();
    let mut received = 0u64;
    progress(0, total);
    loop {
        let step = JsFuture::from(reader.read())
            .await
            .map_err(|e| interrupted(js_error(&e)))?;
        if Reflect::get(&step, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let chunk: Uint8Array = Reflect::get(&step, &"value".into())
            .map_err(|e| interrupted(js_error(&e)))?
            .unchecked_into();
        received += u64::from(chunk.length());
        chunks.push(&chunk);
        progress(received, total.max(received));
    }
    if received < total {
        return Err(Said::new(
            "ui-download-stopped",
            vec![label(), ("received", number(received)), ("total", number(total))],
        ));
    }
    Blob::new_with_u8_array_sequence(&chunks).map_err(|e| interrupted(js_error(&e)))
}
