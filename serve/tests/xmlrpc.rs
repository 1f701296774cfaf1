//! The legacy XML-RPC API over real HTTP, the host started in this process with its records in
//! a temporary STATE_DIR, driven by the Python clients in serve/tests/xmlrpc:
//!
//! - `clearinghouse.py`, with Python's standard `xmlrpc.client` as a Seattle clearinghouse
//!   calls it: every URL followed, every download extracted with tar or unzip and compared with
//!   its base installer, every bad input, and a restart that keeps the builds;
//! - `legacy_client.py`, what the legacy builder's own suites ask, through Python 3's
//!   `xmlrpc.client` and Python 2.7's `xmlrpclib` (Jython): `build_installers` with one
//!   argument, names found only in vessels given generated pairs, invalid inputs as faults.
//!
//! The options that set the API up (`--xmlrpc`, `--public-url`, `--xmlrpc-key-bits`) and what
//! it writes to the log are tested with the binary, in cli/tests/serve.rs.

mod support;

use cib_serve::Options;
use std::ffi::OsStr;
use std::path::Path;
use support::clients::{legacy_client, python_client, reserved_key};
use support::tmpfs::Mounted;
use support::*;

const JYTHON_JARS: &str = "/usr/share/java/jython.jar:/usr/share/java/xercesImpl.jar";

#[test]
fn a_clearinghouse_builds_follows_and_downloads_and_a_restart_keeps_the_builds() {
    let fixture = Fixture::with_real_installers();
    let keys = fixture.root().join("keys");
    // `cib keygen`'s size.
    for name in ["owner", "user"] {
        keygen(&keys, name, 2048);
    }
    let options = Options {
        addr: format!("127.0.0.1:{}", free_port()).parse().unwrap(),
        xmlrpc: Some(fixture.root().join("state")),
        ..fixture.options()
    };
    let record = fixture.root().join("builds.json");
    let bases = fixture.installers();

    let mut host = Host::start(options.clone());
    python_client(
        &["python3"],
        "clearinghouse.py",
        &[
            OsStr::new("first"),
            OsStr::new(&host.url),
            bases.as_os_str(),
            keys.as_os_str(),
            reserved_key().as_os_str(),
            record.as_os_str(),
        ],
    );
    host.stop();

    let host = Host::start(options);
    python_client(
        &["python3"],
        "clearinghouse.py",
        &[
            OsStr::new("again"),
            OsStr::new(&host.url),
            record.as_os_str(),
        ],
    );
}

#[test]
fn a_full_or_read_only_state_folder_gives_faults_and_the_host_keeps_serving() {
    let fixture = Fixture::with_real_installers();
    let state = fixture.root().join("state");
    let Some(mounted) = Mounted::tmpfs(&state, "16k") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let server = fixture.serve_xmlrpc(&state);

    let mut ids = Vec::new();
    let full = loop {
        let answer = post_xmlrpc(&server, KEYLESS);
        match build_id(&answer) {
            Some(id) => ids.push(id),
            None => break answer,
        }
        assert!(ids.len() < 50, "16 KiB never filled up");
    };
    assert!(
        full.contains("StateError:the build cannot be recorded"),
        "{full}"
    );
    assert!(full.contains("No space left on device"), "{full}");
    assert!(!ids.is_empty());

    mounted.read_only();
    let read_only = post_xmlrpc(&server, KEYLESS);
    assert!(read_only.contains("Read-only file system"), "{read_only}");

    // Everything else goes on: the API, earlier builds and their downloads, the page's files.
    assert!(post_xmlrpc(
        &server,
        "<methodCall><methodName>api_version</methodName></methodCall>"
    )
    .contains("<string>2.0</string>"));
    let urls = format!(
        "<methodCall><methodName>get_urls</methodName><params><param><value><string>{}\
         </string></value></param></params></methodCall>",
        ids[0]
    );
    assert!(post_xmlrpc(&server, &urls).contains("/installers/linux/"));
    let download = client()
        .get(format!(
            "{}custom_install/{}/seattle_win.zip",
            server.url, ids[0]
        ))
        .send()
        .unwrap();
    assert_eq!(download.status(), 200);
    assert!(!download.bytes().unwrap().is_empty());
    assert_eq!(get(&server, "/index.html", &[]).status(), 200);
}

/// A folder with alex's and darren's public keys, and the host with a state folder beside them.
fn legacy_host() -> (Fixture, Host) {
    let fixture = Fixture::with_real_installers();
    for name in ["alex", "darren"] {
        keygen(&fixture.root().join("keys"), name, 1024);
    }
    let host = fixture.serve_xmlrpc(&fixture.root().join("state"));
    (fixture, host)
}

#[test]
fn python3_xmlrpc_client_as_the_legacy_suites() {
    let (fixture, host) = legacy_host();
    legacy_client(&["python3"], &host, fixture.root(), "1024");
}

#[test]
fn python2_xmlrpclib_in_jython_as_the_legacy_suites() {
    assert!(
        Path::new("/usr/share/java/jython.jar").is_file(),
        "jython is missing: run scripts/setup.sh --test"
    );
    let (fixture, host) = legacy_host();
    let jython = [
        "java",
        "-cp",
        JYTHON_JARS,
        "-Dpython.home=/usr/share/jython",
        "org.python.util.jython",
    ];
    legacy_client(&jython, &host, fixture.root(), "1024");
}
