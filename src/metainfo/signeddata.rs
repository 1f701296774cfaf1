//! Seattle's signeddata, as its dist signs metainfo: the data, `\n!`, the signer's key, the
//! signing time and the expiry, no sequence number and no destination, then `!` and the
//! signature: raw RSA over `\x01` and the SHA-1 of everything before it.

use super::VALIDITY_SECONDS;
use crate::decimal;
use crate::key_pair::KeyPair;
use crate::problem::ProblemKind;
use crate::public_key::PublicKey;
use rsa::BigUint;
use sha1::{Digest, Sha1};

pub(super) fn sign(data: &str, signer: &KeyPair, signed_at: f64) -> String {
    let mut text = format!(
        "{data}\n!{}!{}!{}!None!None",
        signer.public,
        python_float(signed_at),
        python_float(signed_at + VALIDITY_SECONDS)
    );
    let signature = signer.private.raw_sign(&signed_number(text.as_bytes()));
    // rsa_sign writes each chunk of the message after a space; a SHA-1 is one chunk for any key
    // of 512 bits or more.
    text.push_str("! ");
    text.push_str(&signature.to_string());
    text
}

/// What rsa_sign signs: `\x01` (so that leading zero bytes of the hash count) and the SHA-1.
fn signed_number(signed: &[u8]) -> BigUint {
    let mut bytes = vec![1u8];
    bytes.extend_from_slice(&Sha1::digest(signed));
    BigUint::from_bytes_be(&bytes)
}

/// Signed data read back: its parts, and whether the signature holds for the key it names.
#[derive(Debug, Clone)]
pub struct SignedData<'a> {
    pub data: &'a str,
    pub signer: PublicKey,
    pub signed_at: f64,
    /// The time and the expiry as written.
    pub signed_at_text: &'a str,
    pub expires_text: &'a str,
    pub expires: Option<f64>,
    pub signature_holds: bool,
}

impl<'a> SignedData<'a> {
    /// Splits as signeddata_issignedcorrectly does: at the last `!`, then the five parts before.
    pub fn read(text: &'a str) -> Result<SignedData<'a>, ProblemKind> {
        let (signed, signature) = text.rsplit_once('!').ok_or(ProblemKind::SignedNoBang)?;
        let mut parts = signed.rsplitn(6, '!');
        let mut next = || parts.next();
        let (Some(_destination), Some(_sequence), Some(expires), Some(time), Some(key), Some(data)) =
            (next(), next(), next(), next(), next(), next())
        else {
            return Err(ProblemKind::SignedPartsMissing);
        };
        let data = data
            .strip_suffix('\n')
            .ok_or(ProblemKind::SignedDataNoNewline)?;
        let signer = PublicKey::parse_typed(key).map_err(|e| ProblemKind::SignedBadSigner {
            problem: Box::new(e),
        })?;
        let signed_at = read_time(time).ok_or_else(|| ProblemKind::SignedTimeNotSeconds {
            text: time.to_string(),
        })?;
        let expires_text = expires;
        let expires = match expires {
            "None" => None,
            text => Some(
                read_time(text).ok_or_else(|| ProblemKind::SignedExpiryNotSeconds {
                    text: text.to_string(),
                })?,
            ),
        };
        let signature = match signature.split_whitespace().collect::<Vec<_>>()[..] {
            [number] => decimal::parse(number).map_err(|e| ProblemKind::SignedBadSignature {
                problem: Box::new(e),
            })?,
            _ => return Err(ProblemKind::SignatureNotOneNumber),
        };
        let signature_holds = BigUint::from(&signature)
            .modpow(&signer.e().into(), &signer.n().into())
            == signed_number(signed.as_bytes());
        Ok(SignedData {
            data,
            signer,
            signed_at,
            signed_at_text: time,
            expires_text,
            expires,
            signature_holds,
        })
    }
}

fn read_time(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|t| t.is_finite())
}

/// Python 2's `str(float)`, as signeddata writes times: `%.12g`, then `.0` when that shows a
/// whole number without an exponent. (Python 2.7 writes a whole number of exactly 12 digits
/// with an exponent instead; signing refuses times that late.)
pub fn python_float(x: f64) -> String {
    let scientific = format!("{x:.11e}");
    let (mantissa, exponent) = scientific.split_once('e').expect("Rust writes an exponent");
    let exponent: i32 = exponent.parse().expect("a whole exponent");
    let text = if (-4..12).contains(&exponent) {
        let decimals = (11 - exponent) as usize;
        trim_zeros(&format!("{x:.decimals$}")).to_string()
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{}e{sign}{:02}", trim_zeros(mantissa), exponent.abs())
    };
    if text.contains(['.', 'e']) || !x.is_finite() {
        text
    } else {
        text + ".0"
    }
}

/// `%g` drops trailing zeros after the decimal point, and the point when nothing follows it.
fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}
