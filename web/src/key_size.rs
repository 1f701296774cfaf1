//! The size of the key pairs the page generates, and how a user's key reads in step 1: the
//! choice (2048 bits unless the person picks another) lives in the builder's `State`; this
//! module words it and, in a browser, draws the choice where a person decides to generate.

use crate::state::{UserEntry, UserKey};
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

/// The page's words about key sizes, in one place for the catalog.
mod english {
    pub const LABEL: &str = "Size of generated key pairs";
    pub const HINT: &str =
        "For users without a public key. 2048 bits is the default; 1024 is Seattle's legacy size.";
    pub const LEGACY: &str = "1024 bits (Seattle's legacy size)";
    pub const DEFAULT: &str = "2048 bits (default)";
    pub const BITS: &str = "{bits} bits";
    pub const OWN: &str = "own key, {bits} bits";
    pub const GENERATED: &str = "generated, {bits} bits";
    pub const TO_GENERATE: &str = "key pair made when you build, {bits} bits";
    pub const FINGERPRINT: &str = "fingerprint {fingerprint}";
    pub const WEAK: &str =
        "Keys under 2048 bits are weak by current standards; Seattle accepts it.";
    pub const WEAK_SHORT: &str = "weak by current standards";
    pub const SLOW: &str =
        "Keys of {bits} bits may take several seconds each; the page stays usable.";
    pub const GENERATING: &str = "Generating {bits}-bit key pairs: {done} of {total} done…";
}

fn with_bits(pattern: &str, bits: usize) -> String {
    pattern.replace("{bits}", &bits.to_string())
}

/// An option of the choice.
pub fn option_label(bits: KeyBits) -> String {
    match bits {
        KeyBits::B1024 => english::LEGACY.to_string(),
        KeyBits::B2048 => english::DEFAULT.to_string(),
        other => with_bits(english::BITS, other.bits()),
    }
}

/// The note for a key below 2048 bits, `None` for a strong one.
pub fn weak_note(bits: usize) -> Option<&'static str> {
    (bits < STRONG_BITS).then_some(english::WEAK)
}

/// How a user's key reads in the list of step 1: where it comes from, its size and its
/// fingerprint; a user still to be generated gets the size chosen now.
pub fn user_key(user: &UserEntry, chosen: KeyBits) -> String {
    let (pattern, bits) = match &user.key {
        UserKey::Own(key) => (english::OWN, key.modulus_bits()),
        UserKey::Generated(pair) => (english::GENERATED, pair.public.modulus_bits()),
        UserKey::Missing => return with_bits(english::TO_GENERATE, chosen.bits()),
    };
    let mut text = with_bits(pattern, bits);
    if bits < STRONG_BITS {
        text = format!("{text} ({})", english::WEAK_SHORT);
    }
    let fingerprint = user
        .public_key()
        .map(|k| k.fingerprint())
        .unwrap_or_default();
    format!(
        "{text}, {}",
        english::FINGERPRINT.replace("{fingerprint}", &fingerprint)
    )
}

/// The build's progress while it generates, saying so when it may take seconds.
pub fn generating(bits: KeyBits, done: usize, total: usize) -> String {
    let text = with_bits(english::GENERATING, bits.bits())
        .replace("{done}", &done.to_string())
        .replace("{total}", &total.to_string());
    match bits.bits() >= SLOW_BITS {
        true => format!("{text} {}", with_bits(english::SLOW, bits.bits())),
        false => text,
    }
}

/// The choice as a person picks it: the value of an option, back as a size.
pub fn parse(value: &str) -> Option<KeyBits> {
    KeyBits::from_bits(value.parse().ok()?).ok()
}

#[cfg(target_arch = "wasm32")]
pub mod view {
    use super::{english, option_label, OFFERED};
    use crate::action::Action;
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
                .text(&option_label(bits))
        });
        El::new("div").class("field").children([
            El::new("label").attr("for", id).text(english::LABEL),
            El::new("select")
                .attr("id", id)
                .attr("aria-describedby", &hint)
                .action(&Action::SetKeyBits(super::DEFAULT))
                .children(options),
            El::new("p")
                .attr("id", &hint)
                .class("hint")
                .text(english::HINT),
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
    use cib_core::{KeyPair, PublicKey};

    #[test]
    fn a_user_s_key_reads_with_its_size_and_fingerprint() {
        let missing = UserEntry {
            name: "alice".into(),
            key: UserKey::Missing,
        };
        assert_eq!(
            user_key(&missing, KeyBits::B3072),
            "key pair made when you build, 3072 bits"
        );
        let pair = KeyPair::generate(&mut rand::thread_rng(), KeyBits::B1024).expect("a pair");
        let fingerprint = pair.public.fingerprint();
        let own = UserEntry {
            name: "bob".into(),
            key: UserKey::Own(PublicKey::parse(&pair.public.to_string()).expect("a key")),
        };
        assert_eq!(
            user_key(&own, DEFAULT),
            format!("own key, 1024 bits (weak by current standards), fingerprint {fingerprint}")
        );
        let generated = UserEntry {
            name: "bob".into(),
            key: UserKey::Generated(pair),
        };
        assert!(user_key(&generated, DEFAULT).starts_with("generated, 1024 bits"));
    }

    #[test]
    fn weak_keys_are_noted_and_slow_sizes_said_to_take_seconds() {
        assert!(weak_note(1024).is_some());
        assert!(weak_note(2048).is_none());
        assert!(weak_note(4096).is_none());
        assert!(!generating(KeyBits::B2048, 0, 1).contains("seconds"));
        let slow = generating(KeyBits::B4096, 1, 2);
        assert!(slow.starts_with("Generating 4096-bit key pairs: 1 of 2 done…"));
        assert!(slow.contains("several seconds"));
        assert_eq!(parse("3072"), Some(KeyBits::B3072));
        assert_eq!(parse("1000"), None);
        assert_eq!(parse(""), None);
    }
}
