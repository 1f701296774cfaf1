//! Seattle private keys: the text `d p q`.

use crate::decimal;
use crate::problem::{KeyText, ProblemKind};
use crate::public_key::PublicKey;
use rsa::BigUint;
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    d: BigUint,
    p: BigUint,
    q: BigUint,
}

impl PrivateKey {
    /// [`PrivateKey::parse_typed`], in English.
    pub fn parse(text: &str) -> Result<PrivateKey, String> {
        PrivateKey::parse_typed(text).map_err(String::from)
    }

    pub fn parse_typed(text: &str) -> Result<PrivateKey, ProblemKind> {
        let mut numbers = decimal::words(text, KeyText::Private)?;
        let q = numbers.pop().expect("three numbers");
        let p = numbers.pop().expect("three numbers");
        let d = numbers.pop().expect("three numbers");
        Ok(PrivateKey { d, p, q })
    }

    pub fn from_parts(d: BigUint, p: BigUint, q: BigUint) -> PrivateKey {
        PrivateKey { d, p, q }
    }

    /// True when this private key decrypts what `public` encrypts (see `check_matches`).
    pub fn matches(&self, public: &PublicKey) -> bool {
        self.check_matches(public).is_ok()
    }

    /// Whether this private key decrypts what `public` encrypts, or which part does not fit:
    /// `p q = n`, and `d` inverts `e` modulo lcm(p-1, q-1) (which also holds when `d` was made
    /// modulo (p-1)(q-1), as Seattle's keys were).
    pub fn check_matches(&self, public: &PublicKey) -> Result<(), ProblemKind> {
        let one = BigUint::from(1u32);
        if self.p <= one || self.q <= one || &self.p * &self.q != *public.n() {
            return Err(ProblemKind::PrivateModulusMismatch);
        }
        let p1 = &self.p - &one;
        let q1 = &self.q - &one;
        let lambda = (&p1 * &q1) / gcd(p1, q1);
        if (&self.d * public.e()) % lambda != one {
            return Err(ProblemKind::PrivateExponentMismatch);
        }
        Ok(())
    }

    /// The modulus, `p q`.
    fn n(&self) -> BigUint {
        &self.p * &self.q
    }

    /// `m^d mod n`: Seattle's raw RSA signing, which pads nothing.
    pub(crate) fn raw_sign(&self, m: &BigUint) -> BigUint {
        m.modpow(&self.d, &self.n())
    }
}

fn gcd(mut a: BigUint, mut b: BigUint) -> BigUint {
    let zero = BigUint::from(0u32);
    while b != zero {
        let r = &a % &b;
        a = b;
        b = r;
    }
    a
}

/// The Seattle text form, `d p q`.
impl fmt::Display for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.d, self.p, self.q)
    }
}

/// Never print a private key by accident (in a panic message, a log line).
impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKey(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_three_numbers() {
        let key = PrivateKey::parse("7 11 13\n").unwrap();
        assert_eq!(key.to_string(), "7 11 13");
        assert!(PrivateKey::parse("7 11").is_err());
        assert_eq!(format!("{key:?}"), "PrivateKey(..)");
    }
}
