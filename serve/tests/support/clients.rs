//! The Python clients in serve/tests/xmlrpc, which call the XML-RPC API as clearinghouses and
//! the legacy builder's suites do. Shared by the host's tests and the `cib serve` command's.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::fixture::ROOT;
use super::http::Origin;

/// The reserved owner's public key, which the clients compare vesselinfo with.
pub fn reserved_key() -> PathBuf {
    Path::new(ROOT).join("src/reserved.publickey")
}

/// Runs one of the Python clients in serve/tests/xmlrpc with `interpreter` (its words before the
/// script); it prints a line per check and `N passed, N failed`.
pub fn python_client(interpreter: &[&str], script: &str, args: &[&OsStr]) {
    let output = Command::new(interpreter[0])
        .args(&interpreter[1..])
        .arg(Path::new(ROOT).join("serve/tests/xmlrpc").join(script))
        .args(args)
        // Jython starts in half the time with the JIT's first tier and the serial collector.
        .env(
            "JDK_JAVA_OPTIONS",
            "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
        )
        .output()
        .unwrap_or_else(|e| panic!("{}: {e}", interpreter[0]));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{interpreter:?}\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

/// Runs the legacy client with `interpreter` against `host`, which generates pairs of `bits`.
pub fn legacy_client(interpreter: &[&str], host: &Origin, work: &Path, bits: &str) {
    let downloads = tempfile::tempdir_in(work).unwrap();
    python_client(
        interpreter,
        "legacy_client.py",
        &[
            OsStr::new(&host.url),
            work.join("keys").as_os_str(),
            reserved_key().as_os_str(),
            OsStr::new(bits),
            downloads.path().as_os_str(),
        ],
    );
}
