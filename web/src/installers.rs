//! Base installers: the manifest that names and fingerprints them, and fetching each one with
//! progress. A file is used only once its sha256 matches the manifest; verified files are kept
//! (in memory, and in the Cache API when there is one) so a second build fetches nothing.

use crate::places::Places;
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

fn js_text(e: &wasm_bindgen::JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the network request failed".into())
}

async fn get(url: &str) -> Result<Response, String> {
    let response = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(|e| format!("could not fetch {url}: {}", js_text(&e)))?;
    let response: Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!(
            "the server answered {} {} for {url}",
            response.status(),
            response.status_text()
        ));
    }
    Ok(response)
}

/// The host's folder of base installers; the saved page has none (they are chosen from disk
/// and verified as they are chosen, see `chosen`).
fn folder(places: &Places) -> Result<&str, String> {
    places
        .installers
        .as_deref()
        .ok_or_else(|| "this page has no site to download base installers from".to_string())
}

/// The host's manifest. A new one replaces the base installers kept for the old one.
pub async fn manifest(places: &Places) -> Result<Manifest, String> {
    let folder = folder(places)?;
    let response = get(&format!("{folder}manifest.json")).await?;
    let promise = response.text().map_err(|e| js_text(&e))?;
    let text = JsFuture::from(promise)
        .await
        .map_err(|e| format!("the manifest could not be read: {}", js_text(&e)))?;
    let manifest = Manifest::parse(&text.as_string().unwrap_or_default())?;
    forget_replaced(folder, &manifest).await;
    Ok(manifest)
}

/// The sha256 of a Blob, in lower-case hex, by WebCrypto (native speed, off the wasm heap).
pub async fn sha256_hex(blob: &Blob) -> Result<String, String> {
    let buffer = JsFuture::from(blob.array_buffer())
        .await
        .map_err(|e| js_text(&e))?;
    let subtle = window().crypto().map_err(|e| js_text(&e))?.subtle();
    let promise = subtle
        .digest_with_str_and_buffer_source("SHA-256", &buffer.unchecked_into())
        .map_err(|e| js_text(&e))?;
    let digest = JsFuture::from(promise)
        .await
        .map_err(|e| format!("could not compute a sha256: {}", js_text(&e)))?;
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
) -> Result<Blob, String> {
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
        return Err(format!(
            "The {} base installer does not match the manifest (sha256 {actual}, expected {}); it was not used.",
            platform.label(),
            entry.sha256
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
) -> Result<Blob, String> {
    let label = platform.label();
    let url = format!("{folder}{}", entry.file);
    let response = get(&url)
        .await
        .map_err(|e| format!("The {label} base installer could not be downloaded: {e}."))?;
    let total = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|l| l.parse().ok())
        .unwrap_or(entry.size);
    let body = response
        .body()
        .ok_or(format!("The {label} base installer arrived empty."))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let chunks = Array::new();
    let mut received = 0u64;
    progress(0, total);
    loop {
        let step = JsFuture::from(reader.read()).await.map_err(|e| {
            format!(
                "The download of the {label} base installer was interrupted ({}).",
                js_text(&e)
            )
        })?;
        if Reflect::get(&step, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true)
        {
            break;
        }
        let chunk: Uint8Array = Reflect::get(&step, &"value".into())
            .map_err(|e| js_text(&e))?
            .unchecked_into();
        received += u64::from(chunk.length());
        chunks.push(&chunk);
        progress(received, total.max(received));
    }
    if received < total {
        return Err(format!(
            "The download of the {label} base installer stopped after {received} of {total} bytes."
        ));
    }
    Blob::new_with_u8_array_sequence(&chunks).map_err(|e| js_text(&e))
}
