//! Seattle public keys: the text `e n`, and the checks that tell whether it can be an RSA key.

use crate::decimal;
use crate::natural::Natural;
use crate::problem::{KeyText, ProblemKind};
use sha2::{Digest, Sha256};
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
    pub fn parse_typed(text: &str) -> Result<PublicKey, ProblemKind> {
        let mut numbers = decimal::words(text, KeyText::Public)?;
        let n = numbers.pop().expect("two numbers");
        let e = numbers.pop().expect("two numbers");
        PublicKey::from_parts(e, n)
    }

    /// [`PublicKey::parse_typed`], in English.
    pub fn parse(text: &str) -> Result<PublicKey, String> {
        PublicKey::parse_typed(text).map_err(String::from)
    }

    pub fn from_parts(e: Natural, n: Natural) -> Result<PublicKey, ProblemKind> {
        let bits = n.bits();
        if bits < MIN_MODULUS_BITS {
            return Err(ProblemKind::ModulusTooShort { bits });
        }
        if bits > MAX_MODULUS_BITS {
            return Err(ProblemKind::ModulusTooLong { bits });
        }
        if n.is_even() {
            return Err(ProblemKind::ModulusEven);
        }
        if e < Natural::from(3u32) {
            return Err(ProblemKind::ExponentTooSmall);
        }
        if e.is_even() {
            return Err(ProblemKind::ExponentEven);
        }
        if e >= n {
            return Err(ProblemKind::ExponentNotBelowModulus);
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

    pub fn fingerprint(&self) -> String {
        fingerprint(&self.to_string())
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

/// A key's fingerprint, for telling keys apart at a glance: the SHA-256 of its text `e n`
/// (ASCII, one space, no newline), its first 8 bytes in lower-case hex, in 4 groups of 4
/// (`3f2a 9c1d 0b7e 44aa`). It takes the text, not a `PublicKey`, so that keys the installer
/// accepts but no RSA key could be get one too.
pub fn fingerprint(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let groups: Vec<String> = digest[..8]
        .chunks(2)
        .map(|pair| format!("{:02x}{:02x}", pair[0], pair[1]))
        .collect();
    groups.join(" ")
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
    fn a_fingerprint_is_the_start_of_the_sha256_of_the_text() {
        // As `printf '3 5' | sha256sum` and `printf '' | sha256sum` begin.
        assert_eq!(fingerprint("3 5"), "38f9 8a48 5331 6a88");
        assert_eq!(fingerprint(""), "e3b0 c442 98fc 1c14");
        let key = PublicKey::parse(RESERVED_OWNER_KEY).unwrap();
        assert_eq!(key.fingerprint(), "dcba 53ce b70d 0f2b");
        assert_eq!(key.fingerprint(), fingerprint(RESERVED_OWNER_KEY.trim()));
        let shape = key.fingerprint();
        assert_eq!(shape.len(), 19);
        assert!(shape.split(' ').all(|g| g.len() == 4
            && g.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))));
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
