//! What the tests of the `cib` binary share: running it, and the folders they start from.
//! Each test root uses some of it. The fixture, the requests, the XML-RPC clients and the tmpfs
//! are the host's tests' own (serve/tests/support), used here with `cib serve` as a process.

#![allow(dead_code)]

#[path = "../../../serve/tests/support/clients.rs"]
pub mod clients;
#[path = "../../../serve/tests/support/fixture.rs"]
pub mod fixture;
#[path = "../../../serve/tests/support/http.rs"]
pub mod http;
pub mod server;
#[path = "../../../serve/tests/support/tmpfs.rs"]
pub mod tmpfs;

pub const BASES: &str = fixture::BASES;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../demo");
/// 2026-01-01 00:00 UTC, the date of every entry of the demo base installers.
pub const DEMO_SIGNED_AT: &str = "1767225600";

/// The demo updater key pair's files.
pub fn demo_key(ending: &str) -> String {
    format!("{DEMO}/updater_demo.{ending}")
}

pub fn cib(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cib"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("cib runs")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn run(program: &str, args: &[&str], cwd: &Path) -> Output {
    let output = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A folder with alice's key pair from `cib keygen` and a 50/30 description in which bob has no key.
pub fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = cib(&["keygen", "alice", "--out", "keys"], dir.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let alice = fs::read_to_string(dir.path().join("keys/alice.publickey")).unwrap();
    let build = dir.path().join("build.json");
    fs::write(
        &build,
        format!(
            r#"{{"vessels": [{{"percentage": 50, "owner": "alice", "users": ["bob"]}}, {{"percentage": 30, "owner": "bob"}}],
                "user_data": {{"alice": {{"public_key": "{}"}}, "bob": {{}}}}}}"#,
            alice.trim()
        ),
    )
    .unwrap();
    (dir, build)
}

/// `keyed.json` in `dir`: one 80% vessel owned by alice, whose public key is `key`.
pub fn keyed_build(dir: &Path, key: &str) -> PathBuf {
    let path = dir.join("keyed.json");
    fs::write(
        &path,
        format!(
            r#"{{"vessels": [{{"percentage": 80, "owner": "alice"}}], "user_data": {{"alice": {{"public_key": "{}"}}}}}}"#,
            key.trim()
        ),
    )
    .unwrap();
    path
}
