//! `cib relayout-base-installer`: a foreign tar.gz keeps its entries.

mod support;

use std::fs;
use support::{cib, run, stderr, BASES};

#[test]
fn relayout_keeps_the_entries_of_a_foreign_tar_gz() {
    let dir = tempfile::tempdir().unwrap();
    let extracted = dir.path().join("tree");
    fs::create_dir(&extracted).unwrap();
    run(
        "tar",
        &[
            "-xzf",
            &format!("{BASES}/seattle_linux.tgz"),
            "-C",
            extracted.to_str().unwrap(),
        ],
        dir.path(),
    );
    run(
        "sh",
        &["-c", "tar -cf - -C tree seattle | gzip -9 > foreign.tgz"],
        dir.path(),
    );
    let out = cib(
        &["relayout-base-installer", "foreign.tgz", "relaid.tgz"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let list =
        |file: &str| String::from_utf8(run("tar", &["-tvzf", file], dir.path()).stdout).unwrap();
    assert_eq!(list("relaid.tgz"), list("foreign.tgz"));
    let zip = cib(
        &[
            "relayout-base-installer",
            &format!("{BASES}/seattle_win.zip"),
            "x.zip",
        ],
        dir.path(),
    );
    assert_eq!(zip.status.code(), Some(2));
    assert!(!dir.path().join("x.zip").exists());
}
