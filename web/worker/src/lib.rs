//! The builder's worker module. The page's own module stays small enough to be interactive
//! quickly; what the first interaction never needs (the `rsa` crate's key generation, the
//! fallback when WebCrypto is missing; rewriting a tar.gz, which must inflate it; the share
//! link's QR encoder; customizing a zip and writing the key zips, which only a build needs)
//! lives here and is fetched by the worker the first time it is asked for.
//!
//! Both functions answer in plain JavaScript values, which is all that crosses to the page.

use cib_core::base_installer::{self, Piece, Pieces, TailOutcome};
use cib_core::{key_files, PrivateKey, PublicKey};
use cib_core::{KeyBits, KeyPair, Localized};
use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A key pair by the `rsa` crate as `{public_key: "e n", private_key: "d p q"}`. It blocks for
/// about 80 ms at 1024 bits, which is why only the worker calls it.
#[wasm_bindgen]
pub fn generate_key_pair(key_bits: u32) -> Result<Object, JsError> {
    let bits = KeyBits::from_bits(key_bits as usize).map_err(|e| JsError::new(&e))?;
    let pair = KeyPair::generate(&mut rand_core::OsRng, bits).map_err(|e| JsError::new(&e))?;
    let reply = Object::new();
    for (name, value) in [
        ("public_key", pair.public.to_string()),
        ("private_key", pair.private.to_string()),
    ] {
        Reflect::set(&reply, &name.into(), &value.into()).map_err(|_| JsError::new(name))?;
    }
    Ok(reply)
}

/// The pieces of a customized base installer (whole bytes), as `pieces_js` sends them.
#[wasm_bindgen]
pub fn customize_pieces(base: &[u8], vesselinfo: &str) -> Result<Array, JsValue> {
    let customized = base_installer::customize(base, vesselinfo.as_bytes()).map_err(refusal)?;
    Ok(pieces_js(&customized.pieces))
}

/// A zip customized from `tail`, its bytes from `start` on: `{pieces}` as `pieces_js` sends
/// them, or `{needs: offset}` when its central directory starts before the tail.
#[wasm_bindgen]
pub fn customize_zip_tail(tail: &[u8], start: f64, vesselinfo: &str) -> Result<Object, JsValue> {
    let outcome = base_installer::customize_zip_tail(tail, start as u64, vesselinfo.as_bytes())
        .map_err(refusal)?;
    let (name, value): (&str, JsValue) = match outcome {
        TailOutcome::Customized(customized) => ("pieces", pieces_js(&customized.pieces).into()),
        TailOutcome::NeedsBytesFrom(offset) => ("needs", (offset as f64).into()),
    };
    let reply = Object::new();
    Reflect::set(&reply, &name.into(), &value)?;
    Ok(reply)
}

/// Pieces for the page to assemble into a Blob of slices: `[start, end]` for a range of the
/// base, a `Uint8Array` for new bytes.
fn pieces_js(pieces: &Pieces) -> Array {
    pieces
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

/// `public_keys.zip` of every user, from their names and public keys (`e n`) in the same order.
#[wasm_bindgen]
pub fn public_keys_zip(names: Vec<String>, keys: Vec<String>) -> Result<Vec<u8>, JsError> {
    let keys = parsed(&keys, PublicKey::parse)?;
    Ok(key_files::public_keys_zip(
        names.iter().map(String::as_str).zip(&keys),
    ))
}

/// `private_keys.zip` of the users whose pairs were generated, from their names and private
/// keys (`d p q`) in the same order.
#[wasm_bindgen]
pub fn private_keys_zip(names: Vec<String>, keys: Vec<String>) -> Result<Vec<u8>, JsError> {
    let keys = parsed(&keys, PrivateKey::parse)?;
    Ok(key_files::private_keys_zip(
        names.iter().map(String::as_str).zip(&keys),
    ))
}

fn parsed<K>(keys: &[String], parse: fn(&str) -> Result<K, String>) -> Result<Vec<K>, JsError> {
    keys.iter()
        .map(|key| parse(key).map_err(|e| JsError::new(&e)))
        .collect()
}

/// How many bytes a tar.gz unpacks to: the page's benchmark times it beside `customize_pieces`,
/// in the same worker, as the floor of customizing a tar.gz.
#[wasm_bindgen]
pub fn inflated_size(base: &[u8]) -> Result<f64, JsValue> {
    base_installer::inflated_size(base)
        .map(|size| size as f64)
        .map_err(refusal)
}

/// Why a base installer was refused, as an `Error` whose message is the core's English and
/// whose `said` is the same as a catalog message (JSON), for the page to say in its language.
fn refusal(e: base_installer::BaseInstallerError) -> JsValue {
    let error = js_sys::Error::new(&e.to_string());
    if let Ok(said) = serde_json::to_string(&e.message()) {
        let _ = Reflect::set(&error, &"said".into(), &said.into());
    }
    error.into()
}

/// The QR code of `text` as an SVG image, four pixels a module at least so that a phone reads it
/// from a screen; a `RangeError` when the text is too long for any QR code (the page tells that
/// apart from other failures by this kind).
#[wasm_bindgen]
pub fn qr_svg(text: &str) -> Result<String, JsValue> {
    use qrcode::render::svg;
    use qrcode::types::QrError;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L)
        .map_err(|e| match e {
            QrError::DataTooLong => js_sys::RangeError::new(&e.to_string()).into(),
            e => JsValue::from(JsError::new(&e.to_string())),
        })?;
    let side = (code.width() as u32 + 8) * 4;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(side, side)
        .build())
}

mod check;

/// What an installer grants and whether its metainfo holds, as JSON text (see `check`), from
/// its bytes from `start` on: a zip's tail, or the whole file; `{"needs": offset}` when a zip's
/// entries start before that tail.
#[wasm_bindgen]
pub fn check_installer(installer: &[u8], start: f64, now: f64) -> Result<String, JsValue> {
    check::findings(installer, start as u64, now)
        .map(|v| v.to_string())
        .map_err(refusal)
}

/// The named public keys of a public_keys.zip, as JSON text `[[name, key], …]`.
#[wasm_bindgen]
pub fn keys_in_zip(zip: &[u8]) -> Result<String, JsError> {
    check::named_keys(zip)
        .map(|v| v.to_string())
        .map_err(|e| JsError::new(&e))
}
