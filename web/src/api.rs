//! The JavaScript-facing API: what the page, the key worker, an embedding page and the browser
//! tests call. Each function is a thin wrapper over the core or a browser module.

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
    KeyBits::from_bits(bits as usize).map_err(|e| JsError::new(&e))
}

/// Why a user name is refused, or `undefined` when it is fine (uniqueness is the caller's).
#[wasm_bindgen]
pub fn check_user_name(name: &str) -> Option<String> {
    cib_core::user::check_name(name).err()
}

/// Why a public key text is refused, or `undefined` when it is a usable key.
#[wasm_bindgen]
pub fn check_public_key(text: &str) -> Option<String> {
    PublicKey::parse(text).err()
}

/// The vesselinfo file for a build description whose users all have public keys.
#[wasm_bindgen]
pub fn vesselinfo_from_description(json: &str) -> Result<String, JsError> {
    let description =
        BuildDescription::parse(json).map_err(|problems| JsError::new(&problems.to_string()))?;
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
        .map_err(|e| JsError::new(&e))
}

/// A key pair by the `rsa` crate. It blocks for a while (about 80 ms at 1024 bits): the page
/// calls it in a worker only.
#[wasm_bindgen]
pub fn generate_key_pair(key_bits: u32) -> Result<KeyPairText, JsError> {
    KeyPair::generate(&mut rand_core::OsRng, bits(key_bits)?)
        .map(Into::into)
        .map_err(|e| JsError::new(&e))
}

/// A key pair by WebCrypto (without freezing the page).
#[wasm_bindgen]
pub async fn webcrypto_key_pair(key_bits: u32) -> Result<KeyPairText, JsError> {
    keygen::webcrypto(bits(key_bits)?)
        .await
        .map(Into::into)
        .map_err(|e| JsError::new(&e))
}

/// A key pair by the `rsa` crate in a Web Worker (needs the page trunk builds).
#[wasm_bindgen]
pub async fn worker_key_pair(key_bits: u32) -> Result<KeyPairText, JsError> {
    keygen::in_worker(bits(key_bits)?)
        .await
        .map(Into::into)
        .map_err(|e| JsError::new(&e))
}

/// A base installer (zip or tar.gz) customized with this vesselinfo, as a Blob made of slices of
/// `base` and the new bytes.
#[wasm_bindgen]
pub async fn customize_installer(base: Blob, vesselinfo: String) -> Result<Blob, JsError> {
    customize::installer(&base, vesselinfo.as_bytes())
        .await
        .map_err(|e| JsError::new(&e))
}

/// The pieces of a customized base installer (whole bytes): a list of `[start, end]` ranges of
/// the base and `Uint8Array`s of new bytes. The worker calls it for tar.gz files.
#[wasm_bindgen]
pub fn customize_pieces(base: &[u8], vesselinfo: &str) -> Result<js_sys::Array, JsError> {
    let customized = cib_core::base_installer::customize(base, vesselinfo.as_bytes())
        .map_err(|e| JsError::new(&e.to_string()))?;
    Ok(customize::pieces_to_js(&customized))
}
