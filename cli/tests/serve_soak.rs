//! The host under faults, briefly: the same driver as `scripts/soak.sh` (scripts/soak.py), for a
//! few seconds, without wrk. `cib serve --xmlrpc` on loopback under keep-alive load on the page,
//! the manifest and an installer, slow and quitting clients, ranges past the end, a base
//! installer replaced, written over and truncated while downloaded, and concurrent `build_installers` calls:
//! the host stays up without a panic, every completed download is a version its file really
//! had, the manifest equals the files once writes settle, and SIGTERM ends it cleanly.
//! It runs the binary: the driver starts `cib serve` itself and ends it with SIGTERM.

use std::path::Path;
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

#[test]
fn the_host_stays_correct_under_faults_for_a_few_seconds() {
    let output = Command::new("python3")
        .arg(Path::new(ROOT).join("scripts/soak.py"))
        .args(["--cib", env!("CARGO_BIN_EXE_cib"), "--repo", ROOT])
        .args(["--seconds", "4", "--header-timeout", "2", "--clients", "8"])
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
