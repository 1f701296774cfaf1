//! Generating Seattle key pairs without freezing the page: WebCrypto (native code, async) by
//! default, the `rsa` crate in a Web Worker when WebCrypto is missing or refuses.

use crate::assets;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cib_core::{KeyBits, KeyPair, PrivateKey, PublicKey};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    WebCrypto,
    Worker,
}

impl Method {
    /// `?keygen=worker` forces the fallback, to measure or test it; anything else is the default.
    pub fn from_query(value: Option<&str>) -> Method {
        match value {
            Some("worker") => Method::Worker,
            _ => Method::WebCrypto,
        }
    }
}

/// A key pair by `preferred`, falling back to the other way when it fails.
pub async fn generate(bits: KeyBits, preferred: Method) -> Result<(KeyPair, Method), String> {
    let first = by(preferred, bits).await;
    let Err(first_error) = first else {
        return first.map(|pair| (pair, preferred));
    };
    let other = match preferred {
        Method::WebCrypto => Method::Worker,
        Method::Worker => Method::WebCrypto,
    };
    by(other, bits)
        .await
        .map(|pair| (pair, other))
        .map_err(|second| format!("{first_error}; and then: {second}"))
}

pub async fn by(method: Method, bits: KeyBits) -> Result<KeyPair, String> {
    match method {
        Method::WebCrypto => webcrypto(bits).await,
        Method::Worker => in_worker(bits).await,
    }
}

fn js_error(context: &str, e: JsValue) -> String {
    let text = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"));
    format!("{context}: {text}")
}

fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    let global = js_sys::global();
    let crypto = Reflect::get(&global, &"crypto".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or("this browser has no WebCrypto")?;
    let subtle = Reflect::get(&crypto, &"subtle".into())
        .ok()
        .filter(|s| !s.is_undefined())
        .ok_or("WebCrypto is only offered on secure (https or localhost) pages")?;
    Ok(subtle.unchecked_into())
}

/// WebCrypto generates, exports the private key as a JWK, and the core turns its big-endian
/// numbers into Seattle text, checking that they belong together.
pub async fn webcrypto(bits: KeyBits) -> Result<KeyPair, String> {
    let subtle = subtle()?;
    let algorithm = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&algorithm, &k.into(), &v).map(drop);
    let exponent = Uint8Array::from(&[1u8, 0, 1][..]);
    set("name", "RSASSA-PKCS1-v1_5".into())
        .and(set("modulusLength", (bits.bits() as u32).into()))
        .and(set("publicExponent", exponent.into()))
        .and(set("hash", "SHA-256".into()))
        .map_err(|e| js_error("WebCrypto", e))?;
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let promise = subtle
        .generate_key_with_object(&algorithm, true, &usages)
        .map_err(|e| js_error("WebCrypto refused to generate a key", e))?;
    let pair = JsFuture::from(promise)
        .await
        .map_err(|e| js_error("WebCrypto could not generate a key", e))?;
    let private =
        Reflect::get(&pair, &"privateKey".into()).map_err(|e| js_error("WebCrypto", e))?;
    let promise = subtle
        .export_key("jwk", private.unchecked_ref())
        .map_err(|e| js_error("WebCrypto refused to export the key", e))?;
    let jwk = JsFuture::from(promise)
        .await
        .map_err(|e| js_error("WebCrypto could not export the key", e))?;
    key_pair_from_jwk(&jwk)
}

/// A WebCrypto RSA private key in JWK form (`e`, `n`, `d`, `p`, `q`, base64url) as a Seattle pair.
pub fn key_pair_from_jwk(jwk: &JsValue) -> Result<KeyPair, String> {
    let field = |name: &str| -> Result<Vec<u8>, String> {
        let text = Reflect::get(jwk, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| format!("the exported key has no {name:?}"))?;
        URL_SAFE_NO_PAD
            .decode(text.trim_end_matches('='))
            .map_err(|e| format!("the exported key's {name:?} is not base64url: {e}"))
    };
    KeyPair::from_be_bytes(
        &field("e")?,
        &field("n")?,
        &field("d")?,
        &field("p")?,
        &field("q")?,
    )
}

/// The `rsa` crate in a module worker (static/keygen-worker.js), which loads this same wasm:
/// the compiled module is passed along, so the worker neither fetches nor compiles it again.
pub async fn in_worker(bits: KeyBits) -> Result<KeyPair, String> {
    let glue =
        assets::glue_url().ok_or("the page's script could not be found for the key worker")?;
    let options = WorkerOptions::new();
    options.set_type(WorkerType::Module);
    let worker = Worker::new_with_options(&assets::url("static/keygen-worker.js"), &options)
        .map_err(|e| js_error("could not start the key worker", e))?;
    let reply = js_sys::Promise::new(&mut |resolve, reject| {
        let on_message = Closure::once_into_js(move |event: MessageEvent| {
            let _ = resolve.call1(&JsValue::NULL, &event.data());
        });
        let on_error = Closure::once_into_js(move |event: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &event);
        });
        worker.set_onmessage(Some(on_message.unchecked_ref()));
        worker.set_onerror(Some(on_error.unchecked_ref()));
    });
    let request = Object::new();
    let _ = Reflect::set(&request, &"glue".into(), &glue.into());
    let _ = Reflect::set(&request, &"module".into(), &wasm_bindgen::module());
    let _ = Reflect::set(&request, &"bits".into(), &(bits.bits() as u32).into());
    worker
        .post_message(&request)
        .map_err(|e| js_error("could not reach the key worker", e))?;
    let answer = JsFuture::from(reply).await;
    worker.terminate();
    let answer = answer.map_err(|_| "the key worker failed to start".to_string())?;
    let text = |name: &str| {
        Reflect::get(&answer, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    if let Some(error) = text("error") {
        return Err(format!("the key worker failed: {error}"));
    }
    let public = PublicKey::parse(&text("public_key").unwrap_or_default())?;
    let private = PrivateKey::parse(&text("private_key").unwrap_or_default())?;
    if !private.matches(&public) {
        return Err("the key worker's private key does not match its public key".into());
    }
    Ok(KeyPair { public, private })
}
