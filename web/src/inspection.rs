//! The "Check an installer" section's model: the installer a person chose, what the worker
//! found in it (the same findings as `cib inspect`), and the named keys of a public_keys.zip
//! given beside it, which name the keys they match.

use crate::state::UserEntry;
use crate::words::Said;
use cib_core::PublicKey;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub text: String,
    pub fingerprint: String,
    pub bits: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vessel {
    pub percent: Option<i64>,
    pub owner: Option<Key>,
    pub users: Vec<Key>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    pub line: usize,
    pub fingerprint: String,
    pub why: Said,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metainfo {
    pub signer: Option<String>,
    pub signer_bits: Option<usize>,
    pub signature_valid: bool,
    pub signed_at: Option<String>,
    pub expires: Option<String>,
    pub expired: bool,
    /// Listed files that are missing or differ from their line.
    pub differing: Vec<String>,
    /// Empty when the metainfo holds.
    pub problems: Vec<Said>,
}

/// What an installer grants, as the worker read it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Whether the installer has a vesselinfo at all.
    pub vesselinfo: bool,
    pub vessels: Vec<Vessel>,
    pub reserved: bool,
    pub accepts: bool,
    /// Every reason Seattle's installer refuses the vesselinfo.
    pub problems: Vec<Said>,
    pub unusable: Vec<Unusable>,
    /// `None` when the installer has no metainfo.
    pub metainfo: Option<Metainfo>,
}

/// A public_keys.zip's keys with the names their files give them.
pub type NamedKeys = Vec<(String, PublicKey)>;

#[derive(Debug, Default)]
pub struct Check {
    /// The installer's file name, once one is chosen.
    pub installer: Option<String>,
    /// What was found in it; `None` while it is read.
    pub report: Option<Result<Report, Said>>,
    /// The public_keys.zip's file name and its keys by name, or why it gave none.
    pub keys_file: Option<(String, Result<NamedKeys, Said>)>,
}

impl Check {
    pub fn chosen(&mut self, name: String) {
        self.installer = Some(name);
        self.report = None;
    }

    /// The findings for `name`, unless another installer was chosen since.
    pub fn read(&mut self, name: &str, report: Result<Report, Said>) {
        if self.installer.as_deref() == Some(name) {
            self.report = Some(report);
        }
    }

    /// A public_keys.zip's entries (`[(name, "e n")]`); keys that do not parse name nothing.
    pub fn keys_read(&mut self, name: String, keys: Result<Vec<(String, String)>, Said>) {
        let keys = keys.map(|keys| {
            keys.into_iter()
                .filter_map(|(n, text)| Some((n, PublicKey::parse_typed(&text).ok()?)))
                .collect()
        });
        self.keys_file = Some((name, keys));
    }

    /// The name of the builder's user, or else of the public_keys.zip's key, that `key` is.
    pub fn name_of(&self, key: &Key, users: &[UserEntry]) -> Option<String> {
        let key = PublicKey::parse_typed(&key.text).ok()?;
        let user = users.iter().find(|u| u.public_key() == Some(&key));
        let zipped = || match &self.keys_file {
            Some((_, Ok(keys))) => keys.iter().find(|(_, k)| *k == key).map(|(n, _)| n),
            _ => None,
        };
        user.map(|u| &u.name).or_else(zipped).cloned()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::state::UserKey;

    const KEY: &str = "65537 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007";
    const OTHER: &str = "3 10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000007";

    fn key(text: &str) -> Key {
        Key {
            text: text.into(),
            fingerprint: String::new(),
            bits: None,
        }
    }

    #[test]
    fn a_report_for_an_installer_chosen_before_is_dropped() {
        let mut check = Check::default();
        check.chosen("a.tgz".into());
        check.chosen("b.zip".into());
        check.read("a.tgz", Err(Said::text("late")));
        assert!(check.report.is_none());
        check.read("b.zip", Ok(Report::default()));
        assert_eq!(check.report, Some(Ok(Report::default())));
    }

    #[test]
    fn a_key_is_named_by_a_builder_user_first_then_by_the_keys_zip() {
        let mut check = Check::default();
        assert_eq!(check.name_of(&key(KEY), &[]), None);
        check.keys_read(
            "public_keys.zip".into(),
            Ok(vec![("bob".into(), KEY.into()), ("bad".into(), "x".into())]),
        );
        assert_eq!(check.name_of(&key(KEY), &[]).as_deref(), Some("bob"));
        assert_eq!(check.name_of(&key(OTHER), &[]), None);
        let alice = UserEntry {
            name: "alice".into(),
            key: UserKey::Own(PublicKey::parse(KEY).unwrap()),
        };
        assert_eq!(check.name_of(&key(KEY), &[alice]).as_deref(), Some("alice"));
        check.keys_read("x.zip".into(), Err(Said::text("it is not a zip")));
        assert_eq!(check.name_of(&key(KEY), &[]), None);
    }
}
