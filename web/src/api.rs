//! The JavaScript-facing API: what the page, the key worker, an embedding page and the browser
//! tests call. Each function is a thin wrapper over the core or a browser module.

use crate::catalog::message;
use crate::places::Places;
use crate::{customize, keygen};
use cib_core::{BuildDescription, KeyBits, KeyPair, PublicKey};
use wasm_bindgen::prelude::*;
use web_sys::Blob;

/// A key pair in Seattle text: `public_key` is `e n`, `private_key` is `d p q`.
#[wasm_bindgen]
pub struct KeyPairText {
    public_key: String,
    private_key: String,
}

#[wasm_bindgen]
impl KeyPairText {
    #[wasm_bindgen(getter)]
    pub fn public_key(&self) -> String {
        self.public_key.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn private_key(&self) -> String {
        self.private_key.clone()
    }
}

impl From<KeyPair> for KeyPairText {
    fn from(pair: KeyPair) -> Self {
        KeyPairText {
            public_key: pair.public.to_string(),
            private_key: pair.private.to_string(),
        }
    }
}

fn bits(bits: u32) -> Result<KeyBits, JsError> {
    KeyBits::offered(bits as usize).ok_or_else(|| JsError::new(&format!("{bits} bits is not offered")))
}

/// Why a user name is refused, or `undefined` when it is fine (uniqueness is the caller's).
#[wasm_bindgen]
pub fn check_user_name(name: &str) -> Option<String> {
    cib_core::user::check_name_typed(name)
        .err()
        .map(|problem| message(&problem))
}

/// Why a public key text is refused, or `undefined` when it is a usable key.
#[wasm_bindgen]
pub fn check_public_key(text: &str) -> Option<String> {
    // Said through the English catalog, which a core test keeps equal to the core's English:
    // the core's own English would be a second copy of every message in the module.
    PublicKey::parse_typed(text).err().map(|problem| message(&problem))
}

/// The vesselinfo file for a build description whose users all have public keys.
#[wasm_bindgen]
pub fn vesselinfo_from_description(json: &str) -> Result<String, JsError> {
    let description =
        BuildDescription::parse(json).map_err(|problems| {
            let said: Vec<String> = problems.iter().map(message).collect();
            JsError::new(&said.join("\n"))
        })?;
    cib_core::vesselinfo::write(&description).map_err(|missing| {
        JsError::new(&format!(
            "these users have no public key yet: {}",
            missing.join(", ")
        ))
    })
}

/// A Seattle key pair from a WebCrypto RSA private key exported as a JWK.
#[wasm_bindgen]
pub fn key_pair_from_jwk(jwk: &JsValue) -> Result<KeyPairText, JsError> {
    keygen::key_pair_from_jwk(jwk)
        .map(Into::into)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A key pair by WebCrypto (without freezing the page).
#[wasm_bindgen]
pub async fn webcrypto_key_pair(key_bits: u32) -> Result<KeyPairText, JsError> {
    keygen::webcrypto(bits(key_bits)?)
        .await
        .map(Into::into)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A key pair by the `rsa` crate in a Web Worker (needs the worker module trunk builds).
#[wasm_bindgen]
pub async fn worker_key_pair(key_bits: u32) -> Result<KeyPairText, JsError> {
    keygen::in_worker(&Places::of_page(), bits(key_bits)?)
        .await
        .map(Into::into)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A base installer customized with this vesselinfo, as a Blob made of slices of `base` and
/// the new bytes, customized in a worker started for the call (which needs the worker module
/// trunk builds).
#[wasm_bindgen]
pub async fn customize_installer(base: Blob, vesselinfo: String) -> Result<Blob, JsError> {
    customize::installer_off_thread(&Places::of_page(), &base, &vesselinfo)
        .await
        .map_err(|e| JsError::new(&e.to_string()))
}

/// How many bytes a tar.gz unpacks to, inflated in the worker exactly as `customize_installer`
/// has it customized there: the benchmark's floor for customizing a tar.gz.
#[wasm_bindgen]
pub async fn worker_inflated_size(base: Blob) -> Result<f64, JsError> {
    let buffer = wasm_bindgen_futures::JsFuture::from(base.array_buffer())
        .await
        .map_err(|_| JsError::new("could not read the base installer"))?;
    let fields = [("bytes", buffer.clone())];
    let transfer = js_sys::Array::of1(&buffer);
    let answer = crate::worker::call(&Places::of_page().worker, "inflate", &fields, &transfer)
        .await
        .map_err(|e| JsError::new(&crate::words::Said::from(e).to_string()))?;
    js_sys::Reflect::get(&answer, &"size".into())
        .ok()
        .and_then(|s| s.as_f64())
        .ok_or_else(|| JsError::new("the worker sent no size"))
}
