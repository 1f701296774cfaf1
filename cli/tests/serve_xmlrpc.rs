//! `cib serve --xmlrpc` over real HTTP, driven by Python's standard `xmlrpc.client` as a Seattle
//! clearinghouse drives it (`cli/tests/serve_xmlrpc/clearinghouse.py`): every URL followed,
//! every download extracted with tar or unzip and compared with its base installer, every bad
//! input, and a restart that keeps the builds. Why these run the binary: `serve_http.rs`.

mod support;

use std::path::Path;
use std::process::Command;
use support::server::{Fixture, Server};
use support::tmpfs::Mounted;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn python(args: &[&str]) {
    let output = Command::new("python3")
        .arg(Path::new(ROOT).join("cli/tests/serve_xmlrpc/clearinghouse.py"))
        .args(args)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The serve tests' fixture with the repository's base installers in place of its stand-ins.
fn with_real_installers() -> Fixture {
    let fixture = Fixture::new();
    for platform in cib_core::Platform::ALL {
        let name = platform.file_name();
        let base = Path::new(ROOT).join("base_installers").join(name);
        std::fs::copy(base, fixture.installers().join(name)).unwrap();
    }
    fixture
}

#[test]
fn a_clearinghouse_builds_follows_and_downloads_and_a_restart_keeps_the_builds() {
    let fixture = with_real_installers();
    let keys = fixture.root().join("keys");
    for name in ["owner", "user"] {
        let made = Command::new(env!("CARGO_BIN_EXE_cib"))
            .args(["keygen", name, "--out"])
            .arg(&keys)
            .output()
            .unwrap();
        assert!(made.status.success());
    }
    let state = fixture.root().join("state");
    let addr = format!("127.0.0.1:{}", free_port());
    let serve =
        |fixture: &Fixture| fixture.serve(&["--addr", &addr, "--xmlrpc", state.to_str().unwrap()]);
    let record = fixture.root().join("builds.json");
    let record = record.to_str().unwrap();

    let server = serve(&fixture);
    let bases = fixture.installers();
    let reserved = Path::new(ROOT).join("src/reserved.publickey");
    python(&[
        "first",
        &server.url,
        bases.to_str().unwrap(),
        keys.to_str().unwrap(),
        reserved.to_str().unwrap(),
        record,
    ]);
    let mut server = server;
    server.terminate();
    assert!(server.wait().success());
    let log = fixture.log();
    for line in [
        "POST /custom_install/xmlrpc/ 200 ",
        "POST /custom_install/xmlrpc/ 413 ",
        "/installers/linux/ 302 0B ",
        "/seattle_linux.tgz 200 ",
    ] {
        assert!(log.contains(line), "{line:?} not in {log}");
    }
    drop(server);

    let server = serve(&fixture);
    python(&["again", &server.url, record]);
}

#[test]
fn public_url_names_the_origin_and_needs_xmlrpc() {
    let fixture = Fixture::new();
    let state = fixture.root().join("state");
    let server: Server = fixture.serve(&[
        "--xmlrpc",
        state.to_str().unwrap(),
        "--public-url",
        "https://builder.example.org/",
    ]);
    let body = "<?xml version='1.0'?><methodCall><methodName>get_urls</methodName><params>\
                <param><value><string>0000000000000000000000000000000000000000</string></value>\
                </param></params></methodCall>";
    let answer = support::server::client()
        .post(format!("{}custom_install/xmlrpc/", server.url))
        .body(body)
        .send()
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer
        .text()
        .unwrap()
        .contains("Given build ID does not exist."));
    drop(server);

    for (args, expected) in [
        (vec!["--public-url", "https://x.example"], "--xmlrpc"),
        (
            vec!["--xmlrpc", "s", "--public-url", "ftp://x.example"],
            "expected http://HOST",
        ),
        (
            vec!["--xmlrpc", "s", "--public-url", "https://x.example/?a=1"],
            "query",
        ),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_cib"))
            .arg("serve")
            .args(&args)
            .current_dir(fixture.root())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

fn post(server: &Server, body: &str) -> String {
    let answer = support::server::client()
        .post(format!("{}custom_install/xmlrpc/", server.url))
        .body(body.to_owned())
        .send()
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.text().unwrap()
}

/// A call whose owner has no key: a new key pair, so a new build and a new record, every time.
const KEYLESS: &str = "<?xml version='1.0'?><methodCall><methodName>build_installers</methodName>\
    <params><param><value><array><data><value><struct>\
    <member><name>percentage</name><value><int>80</int></value></member>\
    <member><name>owner</name><value><string>owner</string></value></member>\
    </struct></value></data></array></value></param>\
    <param><value><struct><member><name>owner</name><value><struct></struct></value></member>\
    </struct></value></param></params></methodCall>";

fn build_id(answer: &str) -> Option<String> {
    let (_, rest) = answer.split_once("<name>build_id</name><value><string>")?;
    Some(rest[..40].to_owned())
}

#[test]
fn a_full_or_read_only_state_folder_gives_faults_and_the_host_keeps_serving() {
    let fixture = with_real_installers();
    let state = fixture.root().join("state");
    let Some(mounted) = Mounted::tmpfs(&state, "16k") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    let server = fixture.serve(&["--xmlrpc", state.to_str().unwrap()]);

    let mut ids = Vec::new();
    let full = loop {
        let answer = post(&server, KEYLESS);
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
    let read_only = post(&server, KEYLESS);
    assert!(read_only.contains("Read-only file system"), "{read_only}");

    // Everything else goes on: the API, earlier builds and their downloads, the page's files.
    assert!(post(
        &server,
        "<methodCall><methodName>api_version</methodName></methodCall>"
    )
    .contains("<string>2.0</string>"));
    let urls = format!(
        "<methodCall><methodName>get_urls</methodName><params><param><value><string>{}\
         </string></value></param></params></methodCall>",
        ids[0]
    );
    assert!(post(&server, &urls).contains("/installers/linux/"));
    let download = support::server::client()
        .get(format!(
            "{}custom_install/{}/seattle_win.zip",
            server.url, ids[0]
        ))
        .send()
        .unwrap();
    assert_eq!(download.status(), 200);
    assert!(!download.bytes().unwrap().is_empty());
    assert_eq!(
        support::server::get(&server, "/index.html", &[]).status(),
        200
    );
    assert!(fixture.log().contains("cannot record build"));
}
