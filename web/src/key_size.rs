//! The size of the key pairs the page generates, and how a user's key reads in step 1: the
//! choice (2048 bits unless the person picks another) lives in the builder's `State`; this
//! module words it (`key_size_choice` draws it where a person decides to generate).

use crate::words::{count, text, Said};
use cib_core::{KeyBits, PublicKey};

/// The sizes offered, smallest first.
pub const OFFERED: [KeyBits; 4] = [
    KeyBits::B1024,
    KeyBits::B2048,
    KeyBits::B3072,
    KeyBits::B4096,
];

/// The size a builder starts with: 1024-bit RSA is disallowed by NIST since 2013.
pub const DEFAULT: KeyBits = KeyBits::B2048;

/// Below this a key is weak by current standards (though Seattle reads it).
const STRONG_BITS: usize = 2048;

/// Sizes from which generating in the page may take seconds.
const SLOW_BITS: usize = 3072;

fn with_bits(id: &'static str, bits: usize) -> Said {
    Said::new(id, vec![("bits", count(bits))])
}

/// An option of the choice.
pub fn option_label(bits: KeyBits) -> Said {
    match bits {
        KeyBits::B1024 => Said::id("ui-key-size-legacy"),
        KeyBits::B2048 => Said::id("ui-key-size-default"),
        other => with_bits("ui-bits", other.bits()),
    }
}

/// The note for a key below 2048 bits, `None` for a strong one.
pub fn weak_note(bits: usize) -> Option<Said> {
    (bits < STRONG_BITS).then(|| Said::id("ui-key-weak"))
}

/// Where a user's key comes from.
pub enum KeyOrigin {
    Own,
    Generated,
}

/// How a user's key reads in the list of step 1: where it comes from, its size and its
/// fingerprint; a user still to be generated (`None`) gets the size chosen now.
pub fn user_key(key: Option<(KeyOrigin, &PublicKey)>, chosen: KeyBits) -> Said {
    let Some((origin, public)) = key else {
        return with_bits("ui-key-to-generate", chosen.bits());
    };
    let id = match origin {
        KeyOrigin::Own => "ui-key-own",
        KeyOrigin::Generated => "ui-key-generated",
    };
    let bits = public.modulus_bits();
    let mut key = with_bits(id, bits);
    if bits < STRONG_BITS {
        key = Said::new("ui-key-weak-short", vec![("key", key.into())]);
    }
    Said::new(
        "ui-key-fingerprint",
        vec![
            ("key", key.into()),
            ("fingerprint", text(&public.fingerprint())),
        ],
    )
}

/// The build's progress while it generates, saying so when it may take seconds.
pub fn generating(bits: KeyBits, done: usize, total: usize) -> Said {
    let progress = Said::new(
        "ui-generating-keys",
        vec![
            ("bits", count(bits.bits())),
            ("done", count(done)),
            ("total", count(total)),
        ],
    );
    match bits.bits() >= SLOW_BITS {
        true => Said::new(
            "ui-then",
            vec![
                ("first", progress.into()),
                (
                    "second",
                    with_bits("ui-generating-slow", bits.bits()).into(),
                ),
            ],
        ),
        false => progress,
    }
}

/// The choice as a person picks it: the value of an option, back as a size.
pub fn parse(value: &str) -> Option<KeyBits> {
    KeyBits::offered(value.parse().ok()?)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::words::english;
    use cib_core::KeyPair;

    #[test]
    fn a_user_s_key_reads_with_its_size_and_fingerprint() {
        assert_eq!(
            english(&user_key(None, KeyBits::B3072)),
            "key pair made when you build, 3072 bits"
        );
        let pair = KeyPair::generate(&mut rand::thread_rng(), KeyBits::B1024).expect("a pair");
        let fingerprint = pair.public.fingerprint();
        let own = PublicKey::parse_typed(&pair.public.to_string()).expect("a key");
        assert_eq!(
            english(&user_key(Some((KeyOrigin::Own, &own)), DEFAULT)),
            format!("own key, 1024 bits (weak by current standards), fingerprint {fingerprint}")
        );
        let generated = user_key(Some((KeyOrigin::Generated, &pair.public)), DEFAULT);
        assert!(english(&generated).starts_with("generated, 1024 bits"));
        assert_eq!(english(&option_label(KeyBits::B3072)), "3072 bits");
    }

    #[test]
    fn weak_keys_are_noted_and_slow_sizes_said_to_take_seconds() {
        assert_eq!(
            weak_note(1024).map(|n| english(&n)).as_deref(),
            Some("Keys under 2048 bits are weak by current standards; Seattle accepts it.")
        );
        assert!(weak_note(2048).is_none());
        assert!(weak_note(4096).is_none());
        assert!(!english(&generating(KeyBits::B2048, 0, 1)).contains("seconds"));
        let slow = english(&generating(KeyBits::B4096, 1, 2));
        assert!(slow.starts_with("Generating 4096-bit key pairs: 1 of 2 done…"));
        assert!(slow.contains("several seconds"));
        assert_eq!(parse("3072"), Some(KeyBits::B3072));
        assert_eq!(parse("1000"), None);
        assert_eq!(parse(""), None);
    }
}
