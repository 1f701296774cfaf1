//! `cib serve --xmlrpc` as the legacy builder's own suites call it, through Python 3's
//! `xmlrpc.client` and Python 2.7's `xmlrpclib` (Jython): `build_installers` with one argument,
//! names found only in vessels given generated pairs, invalid inputs as faults
//! (`xmlrpc_legacy/legacy_client.py`). Also: `--xmlrpc-key-bits` sets the size of those pairs.

mod host;

use host::{Host, ROOT};
use std::path::Path;
use std::process::Command;

const JYTHON_JARS: &str = "/usr/share/java/jython.jar:/usr/share/java/xercesImpl.jar";

/// A folder with alex's and darren's public keys, and a state folder.
fn work() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["alex", "darren"] {
        let made = Command::new(env!("CARGO_BIN_EXE_cib"))
            .args(["keygen", name, "--bits", "1024", "--out", "keys"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(made.status.success());
    }
    dir
}

/// Runs the legacy client with `interpreter` (its words before the script) against `host`.
fn legacy_client(interpreter: &[&str], host: &Host, work: &Path, bits: &str) {
    let downloads = tempfile::tempdir_in(work).unwrap();
    let script = Path::new(ROOT).join("cli/tests/xmlrpc_legacy/legacy_client.py");
    let reserved = Path::new(ROOT).join("src/reserved.publickey");
    let output = Command::new(interpreter[0])
        .args(&interpreter[1..])
        .arg(script)
        .arg(&host.url)
        .arg(work.join("keys"))
        .arg(reserved)
        .arg(bits)
        .arg(downloads.path())
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

#[test]
fn python3_xmlrpc_client_as_the_legacy_suites() {
    let dir = work();
    let host = Host::start(dir.path(), "host", &dir.path().join("state"), &[]);
    legacy_client(&["python3"], &host, dir.path(), "1024");
}

#[test]
fn python2_xmlrpclib_in_jython_as_the_legacy_suites() {
    assert!(
        Path::new("/usr/share/java/jython.jar").is_file(),
        "jython is missing: run scripts/setup.sh --test"
    );
    let dir = work();
    let host = Host::start(dir.path(), "host", &dir.path().join("state"), &[]);
    let jython = [
        "java",
        "-cp",
        JYTHON_JARS,
        "-Dpython.home=/usr/share/jython",
        "org.python.util.jython",
    ];
    legacy_client(&jython, &host, dir.path(), "1024");
}

#[test]
fn xmlrpc_key_bits_sets_the_size_of_generated_pairs() {
    let dir = work();
    let host = Host::start(
        dir.path(),
        "host",
        &dir.path().join("state"),
        &["--xmlrpc-key-bits", "2048"],
    );
    legacy_client(&["python3"], &host, dir.path(), "2048");
    drop(host);

    for (args, expected) in [
        (vec!["--xmlrpc-key-bits", "2048"], "--xmlrpc"),
        (
            vec!["--xmlrpc", "s", "--xmlrpc-key-bits", "1000"],
            "1024, 2048",
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_cib"))
            .arg("serve")
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
