//! Seattle private keys: the text `d p q`.

use crate::decimal;
use crate::natural::Natural;
use crate::problem::{KeyText, ProblemKind};
use crate::public_key::PublicKey;
use std::fmt;

#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    d: Natural,
    p: Natural,
    q: Natural,
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

    pub fn from_parts(d: Natural, p: Natural, q: Natural) -> PrivateKey {
        PrivateKey { d, p, q }
    }

    /// True when this private key decrypts what `public` encrypts (see `check_matches`).
    pub fn matches(&self, public: &PublicKey) -> bool {
        self.check_matches(public).is_ok()
    }

    /// Whether this private key decrypts what `public` encrypts, or which part does not fit:
    /// `p q = n`, and `d` inverts `e` modulo lcm(p-1, q-1) (which also holds when `d` was made
    /// modulo (p-1)(q-1), as Seattle's keys were). A number is 1 modulo the lcm exactly when it
    /// is 1 modulo p-1 and modulo q-1 (both at least 2, as n is odd), which needs no gcd.
    pub fn check_matches(&self, public: &PublicKey) -> Result<(), ProblemKind> {
        let one = Natural::from(1u32);
        if self.p <= one || self.q <= one || self.p.mul(&self.q) != *public.n() {
            return Err(ProblemKind::PrivateModulusMismatch);
        }
        let de = self.d.mul(public.e());
        let inverts_modulo = |prime: &Natural| de.rem(&prime.minus_one()) == one;
        if !(inverts_modulo(&self.p) && inverts_modulo(&self.q)) {
            return Err(ProblemKind::PrivateExponentMismatch);
        }
        Ok(())
    }

    /// `m^d mod n`: Seattle's raw RSA signing, which pads nothing.
    #[cfg(feature = "rsa")]
    pub(crate) fn raw_sign(&self, m: &rsa::BigUint) -> rsa::BigUint {
        let n = rsa::BigUint::from(&self.p.mul(&self.q));
        m.modpow(&(&self.d).into(), &n)
    }
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

    /// The check without a gcd, against the lcm formula it replaced, computed by the `rsa`
    /// crate's numbers: on pairs made to match (d e = k lcm + 1) and on random d.
    #[cfg(feature = "rsa")]
    mod against_the_lcm_formula {
        use super::*;
        use proptest::prelude::*;
        use rsa::BigUint;

        fn gcd(mut a: BigUint, mut b: BigUint) -> BigUint {
            while b != BigUint::from(0u32) {
                let r = &a % &b;
                a = b;
                b = r;
            }
            a
        }

        fn odd(mut bytes: Vec<u8>) -> BigUint {
            bytes[0] |= 0x80;
            *bytes.last_mut().unwrap() |= 1;
            BigUint::from_bytes_be(&bytes)
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]
            #[test]
            fn agrees(
                p in prop::collection::vec(any::<u8>(), 33..40),
                q in prop::collection::vec(any::<u8>(), 33..40),
                e in prop::sample::select(vec![3u32, 5, 17, 257]),
                extra in 0u32..3,
                random_d in prop::collection::vec(any::<u8>(), 1..80),
                made_to_match in any::<bool>(),
            ) {
                let (p, q, e) = (odd(p), odd(q), BigUint::from(e));
                let one = BigUint::from(1u32);
                let (p1, q1) = (&p - &one, &q - &one);
                let lambda = (&p1 * &q1) / gcd(p1, q1);
                let zero = BigUint::from(0u32);
                let inverse = (1..257u32)
                    .map(|k| &lambda * BigUint::from(k) + &one)
                    .find(|x| x % &e == zero)
                    .map(|x| x / &e);
                let d = match inverse {
                    Some(d) if made_to_match => d + &lambda * BigUint::from(extra),
                    _ => BigUint::from_bytes_be(&random_d) + &one,
                };
                let expected = (&d * &e) % &lambda == one;
                let n = &p * &q;
                let public = PublicKey::from_parts((&e).into(), (&n).into()).unwrap();
                let private = PrivateKey::from_parts((&d).into(), (&p).into(), (&q).into());
                prop_assert_eq!(private.matches(&public), expected);
                let swapped = PrivateKey::from_parts((&d).into(), (&q).into(), (&p).into());
                prop_assert_eq!(swapped.matches(&public), expected);
            }
        }
    }
}
