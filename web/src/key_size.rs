//! The size of the key pairs the page generates, and how a user's key reads in step 1: the
//! choice (2048 bits unless the person picks another) lives in the builder's `State`; this
//! module words it and, in a browser, draws the choice where a person decides to generate.

use crate::state::{UserEntry, UserKey};
use crate::words::{count, text, Said};
use cib_core::KeyBits;

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

/// How a user's key reads in the list of step 1: where it comes from, its size and its
/// fingerprint; a user still to be generated gets the size chosen now.
pub fn user_key(user: &UserEntry, chosen: KeyBits) -> Said {
    let (id, bits) = match &user.key {
        UserKey::Own(key) => ("ui-key-own", key.modulus_bits()),
        UserKey::Generated(pair) => ("ui-key-generated", pair.public.modulus_bits()),
        UserKey::Missing => return with_bits("ui-key-to-generate", chosen.bits()),
    };
    let mut key = with_bits(id, bits);
    if bits < STRONG_BITS {
        key = Said::new("ui-key-weak-short", vec![("key", key.into())]);
    }
    let fingerprint = user
        .public_key()
        .map(|k| k.fingerprint())
        .unwrap_or_default();
    Said::new(
        "ui-key-fingerprint",
        vec![("key", key.into()), ("fingerprint", text(&fingerprint))],
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
    KeyBits::from_bits(value.parse().ok()?).ok()
}

#[cfg(target_arch = "wasm32")]
pub mod view {
    use super::{option_label, OFFERED};
    use crate::action::Action;
    use crate::catalog::{message, t};
    use crate::dom::{El, Root};
    use crate::state::State;
    use web_sys::HtmlSelectElement;

    /// The choice for the users of step 1.
    pub const USERS: &str = "cib-key-bits";
    /// The same choice beside the quick installer.
    pub const QUICK: &str = "cib-quick-key-bits";

    /// A labelled choice of size, wired to `Action::SetKeyBits`.
    pub fn choice(id: &str) -> El {
        let hint = format!("{id}-hint");
        let options = OFFERED.map(|bits| {
            El::new("option")
                .attr("value", &bits.bits().to_string())
                .flag("selected", bits == super::DEFAULT)
                .text(&message(&option_label(bits)))
        });
        El::new("div").class("field").children([
            El::new("label")
                .attr("for", id)
                .text(&t("ui-key-size-label")),
            El::new("select")
                .attr("id", id)
                .attr("aria-describedby", &hint)
                .action(&Action::SetKeyBits(super::DEFAULT))
                .children(options),
            El::new("p")
                .attr("id", &hint)
                .class("hint")
                .text(&t("ui-key-size-hint")),
        ])
    }

    /// Both choices show the builder's size.
    pub fn render(root: &Root, state: &State) {
        let value = state.key_bits.bits().to_string();
        for id in [USERS, QUICK] {
            if let Some(select) = root.by_id::<HtmlSelectElement>(id) {
                if select.value() != value {
                    select.set_value(&value);
                }
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::words::english;
    use cib_core::{KeyPair, PublicKey};

    #[test]
    fn a_user_s_key_reads_with_its_size_and_fingerprint() {
        let missing = UserEntry {
            name: "alice".into(),
            key: UserKey::Missing,
        };
        assert_eq!(
            english(&user_key(&missing, KeyBits::B3072)),
            "key pair made when you build, 3072 bits"
        );
        let pair = KeyPair::generate(&mut rand::thread_rng(), KeyBits::B1024).expect("a pair");
        let fingerprint = pair.public.fingerprint();
        let own = UserEntry {
            name: "bob".into(),
            key: UserKey::Own(PublicKey::parse(&pair.public.to_string()).expect("a key")),
        };
        assert_eq!(
            english(&user_key(&own, DEFAULT)),
            format!("own key, 1024 bits (weak by current standards), fingerprint {fingerprint}")
        );
        let generated = UserEntry {
            name: "bob".into(),
            key: UserKey::Generated(pair),
        };
        assert!(english(&user_key(&generated, DEFAULT)).starts_with("generated, 1024 bits"));
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
