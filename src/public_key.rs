//! Seattle public keys: the text `e n`, and the checks that tell whether it can be an RSA key.

use crate::decimal;
use crate::natural::Natural;
use std::fmt;

/// Shorter moduli have been factored in public; a key that short protects nothing.
pub const MIN_MODULUS_BITS: usize = 512;
/// Longer than any key a Seattle node would carry, and cheap to refuse.
pub const MAX_MODULUS_BITS: usize = 16384;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    e: Natural,
    n: Natural,
}

impl PublicKey {
    /// Reads `e n` (surrounding whitespace, as in a `.publickey` file, is ignored) and refuses
    /// what cannot be an RSA public key, saying which check failed. A very large `e` is fine:
    /// old Seattle keys have one, the reserved vessel's key among them.
    pub fn parse(text: &str) -> Result<PublicKey, String> {
        let mut numbers = decimal::words(text, 2, "public key")?;
        let n = numbers.pop().expect("two numbers");
        let e = numbers.pop().expect("two numbers");
        PublicKey::from_parts(e, n)
    }

    pub fn from_parts(e: Natural, n: Natural) -> Result<PublicKey, String> {
        let bits = n.bits();
        if bits < MIN_MODULUS_BITS {
            return Err(format!(
                "the modulus has {bits} bits; at least {MIN_MODULUS_BITS} are needed"
            ));
        }
        if bits > MAX_MODULUS_BITS {
            return Err(format!(
                "the modulus has {bits} bits; at most {MAX_MODULUS_BITS} are allowed"
            ));
        }
        if n.is_even() {
            return Err("the modulus is even, so it is not a product of two odd primes".into());
        }
        if e < Natural::from(3u32) {
            return Err("the exponent is smaller than 3".into());
        }
        if e.is_even() {
            return Err("the exponent is even, so no private key can match it".into());
        }
        if e >= n {
            return Err("the exponent is not smaller than the modulus".into());
        }
        Ok(PublicKey { e, n })
    }

    pub fn e(&self) -> &Natural {
        &self.e
    }

    pub fn n(&self) -> &Natural {
        &self.n
    }

    pub fn modulus_bits(&self) -> usize {
        self.n.bits()
    }

    /// A short form for messages that tell keys apart: long numbers by their first and last
    /// digits, and the modulus size.
    pub fn abbreviated(&self) -> String {
        let short = |x: &Natural| {
            let digits = x.to_string();
            if digits.len() <= 20 {
                digits
            } else {
                format!("{}...{}", &digits[..8], &digits[digits.len() - 8..])
            }
        };
        format!(
            "{} {} ({} bits)",
            short(&self.e),
            short(&self.n),
            self.modulus_bits()
        )
    }
}

/// The Seattle text form, `e n`, exactly as it goes into vesselinfo and `.publickey` files.
impl fmt::Display for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.e, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vessel::RESERVED_OWNER_KEY;
    use rsa::BigUint;

    // 2^511 + 1 region: an odd 512-bit modulus (not a real key; the checks are about shape).
    fn odd_modulus(bits: usize) -> BigUint {
        (BigUint::from(1u32) << (bits - 1)) + BigUint::from(1u32)
    }

    #[test]
    fn round_trips_text_and_trims_file_whitespace() {
        let n = odd_modulus(512);
        let text = format!("65537 {n}");
        let key = PublicKey::parse(&format!("  {text}\n")).unwrap();
        assert_eq!(key.to_string(), text);
        assert_eq!(key.modulus_bits(), 512);
    }

    #[test]
    fn the_reserved_key_with_its_huge_exponent_is_valid() {
        let key = PublicKey::parse(RESERVED_OWNER_KEY).unwrap();
        assert_eq!(key.e().to_string().len(), 308);
        assert_eq!(key.n().to_string().len(), 1232);
        assert_eq!(key.to_string(), RESERVED_OWNER_KEY.trim());
    }

    #[test]
    fn says_which_check_failed() {
        let n = odd_modulus(512);
        let cases = [
            (format!("65537 {}", odd_modulus(511)), "at least 512"),
            (format!("65537 {}", odd_modulus(16385)), "at most 16384"),
            (
                format!("65537 {}", &n + BigUint::from(1u32)),
                "modulus is even",
            ),
            (format!("1 {n}"), "smaller than 3"),
            (format!("65536 {n}"), "exponent is even"),
            (
                format!("{} {n}", &n + BigUint::from(2u32)),
                "not smaller than the modulus",
            ),
            (format!("{n} {n}"), "not smaller than the modulus"),
            ("65537".to_string(), "2 numbers separated by one space"),
            (format!("65537  {n}"), "2 numbers separated by one space"),
            (format!("65537 {n}x"), "'x' is not a decimal digit"),
            ("".to_string(), "empty"),
        ];
        for (text, expected) in cases {
            let err = PublicKey::parse(&text).unwrap_err();
            assert!(err.contains(expected), "{text:.40}: {err}");
        }
    }
}
