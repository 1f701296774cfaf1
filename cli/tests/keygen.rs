//! `cib keygen`: key pairs that match, at the sizes asked for, never written over.

mod support;

use cib_core::{PrivateKey, PublicKey};
use std::fs;
use support::{cib, stderr};

#[test]
fn keygen_writes_a_matching_pair_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    assert!(cib(&["keygen", "carol", "--bits", "2048"], dir.path())
        .status
        .success());
    let public =
        PublicKey::parse(&fs::read_to_string(dir.path().join("carol.publickey")).unwrap()).unwrap();
    let private =
        PrivateKey::parse(&fs::read_to_string(dir.path().join("carol.privatekey")).unwrap())
            .unwrap();
    assert_eq!(public.modulus_bits(), 2048);
    assert!(private.matches(&public));
    let mode = fs::metadata(dir.path().join("carol.privatekey")).unwrap();
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777,
        0o600
    );

    let again = cib(&["keygen", "carol"], dir.path());
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("exist already"));
    assert_eq!(
        fs::read_to_string(dir.path().join("carol.publickey")).unwrap(),
        public.to_string()
    );

    let bad = cib(&["keygen", "no way"], dir.path());
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("contains ' '"));
    assert_eq!(
        cib(&["keygen", "dave", "--bits", "1000"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert!(!dir.path().join("dave.publickey").exists());
}
