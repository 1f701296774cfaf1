//! Generating Seattle key pairs without freezing the page: WebCrypto (native code, async) by
//! default, the `rsa` crate in a Web Worker when WebCrypto is missing or refuses.

use crate::places::Places;
use crate::words::{text, Said};
use crate::worker::{self, js_error};
use cib_core::{KeyBits, KeyPair, PrivateKey, PublicKey};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

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
pub async fn generate(
    places: &Places,
    bits: KeyBits,
    preferred: Method,
) -> Result<(KeyPair, Method), Said> {
    let first = by(places, preferred, bits).await;
    let Err(first_error) = first else {
        return first.map(|pair| (pair, preferred));
    };
    let other = match preferred {
        Method::WebCrypto => Method::Worker,
        Method::Worker => Method::WebCrypto,
    };
    by(places, other, bits)
        .await
        .map(|pair| (pair, other))
        .map_err(|second| {
            Said::new(
                "ui-keygen-both",
                vec![("first", first_error.into()), ("second", second.into())],
            )
        })
}

pub async fn by(places: &Places, method: Method, bits: KeyBits) -> Result<KeyPair, Said> {
    match method {
        Method::WebCrypto => webcrypto(bits).await,
        Method::Worker => in_worker(places, bits).await,
    }
}

fn subtle() -> Result<web_sys::SubtleCrypto, Said> {
    let global = js_sys::global();
    let crypto = Reflect::get(&global, &"crypto".into())
        .ok()
        .filter(|c| !c.is_undefined())
        .ok_or_else(|| Said::id("ui-no-webcrypto"))?;
    let subtle = Reflect::get(&crypto, &"subtle".into())
        .ok()
        .filter(|s| !s.is_undefined())
        .ok_or_else(|| Said::id("ui-webcrypto-insecure"))?;
    Ok(subtle.unchecked_into())
}

/// WebCrypto's refusal at one of its steps (`id` says which), in the browser's words.
fn refused(id: &'static str) -> impl Fn(JsValue) -> Said {
    move |e| Said::new(id, vec![("problem", js_error(&e))])
}

/// WebCrypto generates, exports the private key as a JWK, and the core turns its big-endian
/// numbers into Seattle text, checking that they belong together.
pub async fn webcrypto(bits: KeyBits) -> Result<KeyPair, Said> {
    let generating = refused("ui-webcrypto-generate-failed");
    let exporting = refused("ui-webcrypto-export-failed");
    let subtle = subtle()?;
    let algorithm = Object::new();
    let set = |k: &str, v: JsValue| Reflect::set(&algorithm, &k.into(), &v).map(drop);
    let exponent = Uint8Array::from(&[1u8, 0, 1][..]);
    set("name", "RSASSA-PKCS1-v1_5".into())
        .and(set("modulusLength", (bits.bits() as u32).into()))
        .and(set("publicExponent", exponent.into()))
        .and(set("hash", "SHA-256".into()))
        .map_err(&generating)?;
    let usages = Array::of2(&"sign".into(), &"verify".into());
    let promise = subtle
        .generate_key_with_object(&algorithm, true, &usages)
        .map_err(&generating)?;
    let pair = JsFuture::from(promise).await.map_err(&generating)?;
    let private = Reflect::get(&pair, &"privateKey".into()).map_err(&exporting)?;
    let promise = subtle
        .export_key("jwk", private.unchecked_ref())
        .map_err(&exporting)?;
    let jwk = JsFuture::from(promise).await.map_err(&exporting)?;
    key_pair_from_jwk(&jwk)
}

/// A WebCrypto RSA private key in JWK form (`e`, `n`, `d`, `p`, `q`, base64url) as a Seattle pair.
pub fn key_pair_from_jwk(jwk: &JsValue) -> Result<KeyPair, Said> {
    let field = |name: &str| -> Result<Vec<u8>, Said> {
        Reflect::get(jwk, &name.into())
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|t| base64url_decode(&t))
            .ok_or_else(|| Said::new("ui-jwk-bad", vec![("name", text(name))]))
    };
    KeyPair::from_be_bytes(
        &field("e")?,
        &field("n")?,
        &field("d")?,
        &field("p")?,
        &field("q")?,
    )
    .map_err(|why| Said::of(&why))
}

/// The `rsa` crate in a worker of its own.
pub async fn in_worker(places: &Places, bits: KeyBits) -> Result<KeyPair, Said> {
    let answer = worker::call_alone(
        &places.worker,
        "keygen",
        &[("bits", (bits.bits() as u32).into())],
        &Array::new(),
    )
    .await?;
    let field = |name: &str| {
        Reflect::get(&answer, &name.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let said = |p: cib_core::ProblemKind| Said::of(&p);
    let public = PublicKey::parse_typed(&field("public_key").unwrap_or_default()).map_err(said)?;
    let private = PrivateKey::parse_typed(&field("private_key").unwrap_or_default()).map_err(said)?;
    KeyPair::matched(public, private)
        .map_err(|why| Said::new("ui-worker-pair-bad", vec![("problem", Said::of(&why).into())]))
}

/// JWK numbers are base64url; the browser's own `atob` decodes them (a base64 crate would only
/// add weight to the module).
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut standard: String = text
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !standard.len().is_multiple_of(4) {
        standard.push('=');
    }
    let binary = web_sys::window()?.atob(&standard).ok()?;
    // atob gives one character per byte, each below 256.
    binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}
