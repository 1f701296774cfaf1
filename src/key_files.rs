//! The key downloads of the legacy CIB: `public_keys.zip` and `private_keys.zip`.

use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use crate::stored_zip::zip_of;

pub const PUBLIC_KEYS_ZIP: &str = "public_keys.zip";
pub const PRIVATE_KEYS_ZIP: &str = "private_keys.zip";

/// `public_keys/NAME.publickey` for every user.
pub fn public_keys_zip<'a>(keys: impl IntoIterator<Item = (&'a str, &'a PublicKey)>) -> Vec<u8> {
    let files = keys
        .into_iter()
        .map(|(name, key)| (format!("public_keys/{name}.publickey"), key.to_string()));
    zip_of(files, 0o644)
}

/// `private_keys/NAME.privatekey` for the users whose pairs were generated; readable by its
/// owner only once extracted.
pub fn private_keys_zip<'a>(keys: impl IntoIterator<Item = (&'a str, &'a PrivateKey)>) -> Vec<u8> {
    let files = keys
        .into_iter()
        .map(|(name, key)| (format!("private_keys/{name}.privatekey"), key.to_string()));
    zip_of(files, 0o600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Read};

    #[test]
    fn holds_one_key_file_per_user_with_the_key_text() {
        let key = PublicKey::parse(crate::vessel::RESERVED_OWNER_KEY).unwrap();
        let bytes = public_keys_zip([("alice", &key), ("bob", &key)]);
        assert_eq!(bytes, public_keys_zip([("alice", &key), ("bob", &key)]));
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        assert_eq!(archive.len(), 2);
        let mut text = String::new();
        archive
            .by_name("public_keys/bob.publickey")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, key.to_string());
    }
}
