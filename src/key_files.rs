//! The key downloads of the legacy CIB: `public_keys.zip` and `private_keys.zip`.

use crate::private_key::PrivateKey;
use crate::public_key::PublicKey;
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

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

/// Fixed timestamps and order: the same keys give the same bytes.
fn zip_of(files: impl Iterator<Item = (String, String)>, mode: u32) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(mode);
    for (path, text) in files {
        // Writing to memory cannot fail; the names are user names, checked already.
        zip.start_file(path, options).expect("in-memory zip");
        zip.write_all(text.as_bytes()).expect("in-memory zip");
    }
    zip.finish().expect("in-memory zip").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

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
