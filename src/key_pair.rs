//! Generating Seattle key pairs, and turning keys made elsewhere (WebCrypto) into Seattle form.

use crate::natural::Natural;
use crate::private_key::PrivateKey;
use crate::problem::ProblemKind;
use crate::public_key::PublicKey;
use std::fmt;

/// The legacy CIB's exponent.
pub const PUBLIC_EXPONENT: u32 = 65537;

/// The sizes offered. 1024 is the legacy CIB's size and what the Seattle node software was
/// built around, which the legacy XML-RPC API keeps; NIST has disallowed it since 2013, so
/// `cib build` and `cib keygen` choose 2048 unless asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyBits {
    #[default]
    B1024,
    B2048,
    B3072,
    B4096,
}

impl KeyBits {
    pub fn bits(self) -> usize {
        match self {
            KeyBits::B1024 => 1024,
            KeyBits::B2048 => 2048,
            KeyBits::B3072 => 3072,
            KeyBits::B4096 => 4096,
        }
    }

    /// The size of `bits` bits, if it is offered.
    pub fn offered(bits: usize) -> Option<KeyBits> {
        match bits {
            1024 => Some(KeyBits::B1024),
            2048 => Some(KeyBits::B2048),
            3072 => Some(KeyBits::B3072),
            4096 => Some(KeyBits::B4096),
            _ => None,
        }
    }

    /// [`KeyBits::offered`], refused in English.
    pub fn from_bits(bits: usize) -> Result<KeyBits, String> {
        KeyBits::offered(bits)
            .ok_or_else(|| format!("{bits} bits is not offered; choose 1024, 2048, 3072 or 4096"))
    }
}

impl fmt::Display for KeyBits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.bits())
    }
}

#[derive(Debug, Clone)]
pub struct KeyPair {
    pub public: PublicKey,
    pub private: PrivateKey,
}

impl KeyPair {
    /// A new pair with e = 65537. The randomness comes from the caller, so the core stays
    /// free of I/O: the operating system's natively, `crypto.getRandomValues` in a browser.
    #[cfg(feature = "rsa")]
    pub fn generate(
        rng: &mut impl rand_core::CryptoRngCore,
        bits: KeyBits,
    ) -> Result<KeyPair, String> {
        use rsa::traits::{PrivateKeyParts, PublicKeyParts};
        let exponent = rsa::BigUint::from(PUBLIC_EXPONENT);
        let key = rsa::RsaPrivateKey::new_with_exp(rng, bits.bits(), &exponent)
            // Not the rsa error's text: printing it drags every PKCS message into the page.
            .map_err(|_| format!("could not generate a {bits}-bit key"))?;
        let [p, q] = key.primes() else {
            return Err("the generated key does not have two primes".into());
        };
        let [e, n, d, p, q] = [key.e(), key.n(), key.d(), p, q].map(Natural::from);
        KeyPair::from_parts(&e, &n, &d, &p, &q)
    }

    /// A pair from its big-endian parts, as a JWK export from WebCrypto gives them, checked to
    /// belong together: refused as the public key's problem, or as the part that does not fit.
    pub fn from_be_bytes(
        e: &[u8],
        n: &[u8],
        d: &[u8],
        p: &[u8],
        q: &[u8],
    ) -> Result<KeyPair, ProblemKind> {
        let [e, n, d, p, q] = [e, n, d, p, q].map(Natural::from_bytes_be);
        KeyPair::matched(
            PublicKey::from_parts(e, n)?,
            PrivateKey::from_parts(d, p, q),
        )
    }

    #[cfg(feature = "rsa")]
    fn from_parts(
        e: &Natural,
        n: &Natural,
        d: &Natural,
        p: &Natural,
        q: &Natural,
    ) -> Result<KeyPair, String> {
        let public = PublicKey::from_parts(e.clone(), n.clone())?;
        let private = PrivateKey::from_parts(d.clone(), p.clone(), q.clone());
        KeyPair::new(public, private)
    }

    /// A pair from keys read separately (key files), refused with the part that does not fit
    /// when they do not belong together.
    pub fn matched(public: PublicKey, private: PrivateKey) -> Result<KeyPair, ProblemKind> {
        private.check_matches(&public)?;
        Ok(KeyPair { public, private })
    }

    /// [`KeyPair::matched`], refused in English.
    pub fn new(public: PublicKey, private: PrivateKey) -> Result<KeyPair, String> {
        KeyPair::matched(public, private)
            .map_err(|why| format!("the private key does not match the public key: {why}"))
    }
}

#[cfg(all(test, feature = "rsa"))]
mod tests {
    use super::*;
    use rand::rngs::OsRng;
    use rsa::BigUint;

    #[test]
    fn generated_pairs_match_and_round_trip_through_text() {
        let pair = KeyPair::generate(&mut OsRng, KeyBits::B1024).unwrap();
        assert_eq!(pair.public.modulus_bits(), 1024);
        assert_eq!(pair.public.e(), &Natural::from(65537u32));
        let public = PublicKey::parse(&pair.public.to_string()).unwrap();
        let private = PrivateKey::parse(&pair.private.to_string()).unwrap();
        assert!(private.matches(&public));

        let other = KeyPair::generate(&mut OsRng, KeyBits::B1024).unwrap();
        assert!(!other.private.matches(&public));
        assert!(!private.matches(&other.public));
    }

    #[test]
    fn parts_that_do_not_belong_together_are_refused() {
        let a = KeyPair::generate(&mut OsRng, KeyBits::B1024).unwrap();
        let b = KeyPair::generate(&mut OsRng, KeyBits::B1024).unwrap();
        let parts = |k: &KeyPair| {
            let text = k.private.to_string();
            let v: Vec<BigUint> = text
                .split(' ')
                .map(|w| BigUint::parse_bytes(w.as_bytes(), 10).unwrap())
                .collect();
            v
        };
        let (pa, pb) = (parts(&a), parts(&b));
        let be = |x: &BigUint| x.to_bytes_be();
        let ok = KeyPair::from_be_bytes(
            &a.public.e().to_bytes_be(),
            &a.public.n().to_bytes_be(),
            &be(&pa[0]),
            &be(&pa[1]),
            &be(&pa[2]),
        );
        assert!(ok.is_ok());
        let mixed = KeyPair::from_be_bytes(
            &a.public.e().to_bytes_be(),
            &a.public.n().to_bytes_be(),
            &be(&pb[0]),
            &be(&pa[1]),
            &be(&pa[2]),
        );
        // d from another pair: the modulus fits, the exponent does not.
        assert_eq!(mixed.unwrap_err(), ProblemKind::PrivateExponentMismatch);
        let short = KeyPair::from_be_bytes(&[1, 0, 1], &[0xff; 32], &[1], &[3], &[5]);
        assert_eq!(
            short.unwrap_err(),
            ProblemKind::ModulusTooShort { bits: 256 }
        );
    }

    #[test]
    fn only_offered_sizes() {
        assert_eq!(KeyBits::from_bits(2048), Ok(KeyBits::B2048));
        assert!(KeyBits::from_bits(1000).unwrap_err().contains("1024, 2048"));
        assert_eq!(KeyBits::offered(3072), Some(KeyBits::B3072));
        assert_eq!(KeyBits::offered(1000), None);
    }
}
