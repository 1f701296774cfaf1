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

/// Customizing as a builder does it, with the worker a builder keeps (which needs the worker
/// module trunk builds): for the benchmark, which times customizing, not starting workers.
#[wasm_bindgen]
pub struct Customizer {
    places: Places,
}

#[wasm_bindgen]
impl Customizer {
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Customizer {
        Customizer {
            places: Places::of_page(),
        }
    }

    /// A base installer customized with this vesselinfo: a Blob made of slices of `base` and
    /// the new bytes.
    pub fn customize_installer(&self, base: Blob, vesselinfo: String) -> js_sys::Promise {
        let places = self.places.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            customize::installer_off_thread(&places, &base, &vesselinfo)
                .await
                .map(JsValue::from)
                .map_err(|e| JsError::new(&e.to_string()).into())
        })
    }

    /// How many bytes a tar.gz unpacks to, inflated in the same kind of worker that
    /// `customize_installer` has it customized in: the floor of customizing a tar.gz.
    pub fn inflated_size(&self, base: Blob) -> js_sys::Promise {
        let places = self.places.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let answer = crate::worker::over_bytes(&places.worker, "inflate", &base, &[])
                .await
                .map_err(|e| JsError::new(&e.to_string()))?;
            js_sys::Reflect::get(&answer, &"size".into())
                .ok()
                .filter(|s| s.as_f64().is_some())
                .ok_or_else(|| JsError::new("the worker sent no size").into())
        })
    }
}
