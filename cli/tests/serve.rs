//! `cib serve`, the command: what only the process shows. Its start-up errors, the URL it
//! prints, its log on stderr, its clean exit on SIGTERM with downloads in flight, and its
//! options reaching the host. The host's answers over HTTP and its XML-RPC API are tested
//! in-process, beside it (serve/tests); the same fixture and requests serve both.

mod support;

use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::process::Command;
use std::time::Duration;
use support::clients::legacy_client;
use support::fixture::{noise, Fixture};
use support::http::*;
use support::server::Server;
use support::tmpfs::Mounted;

#[test]
fn a_missing_site_folder_is_a_clear_error() {
    let fixture = Fixture::new();
    let output = Command::new(env!("CARGO_BIN_EXE_cib"))
        .args(["serve", "--addr", "127.0.0.1:0", "--site"])
        .arg(fixture.root().join("no-such-dist"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no-such-dist"), "{stderr}");
    assert!(stderr.contains("trunk build --release"), "{stderr}");
    assert!(stderr.contains("scripts/run.sh"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[test]
fn sigterm_stops_cleanly_and_every_request_was_logged() {
    let fixture = Fixture::new();
    let mut server = fixture.serve(&[]);
    get(&server, "/index.html", &[]).bytes().unwrap();
    get(&server, "/base_installers/seattle_mac.tgz", &[])
        .bytes()
        .unwrap();
    client().post(&server.url).send().unwrap();
    raw_get(&server.addr, "/%2e%2e/secret.txt");
    raw_get(&server.addr, "/.env");
    // Lines are held while the host is busy, not once it is idle.
    let idle = std::time::Instant::now();
    while !server.log().contains("GET /.env 404 ") {
        assert!(
            idle.elapsed() < Duration::from_secs(5),
            "no line while idle: {}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    server.terminate();
    assert!(server.wait().success());

    let log = server.log();
    for expected in [
        "GET /index.html 200 ",
        "GET /base_installers/seattle_mac.tgz 200 52000B ",
        "POST / 405 ",
        "GET /%2e%2e/secret.txt 400 ",
        "GET /.env 404 ",
    ] {
        assert!(log.contains(expected), "{expected:?} not in {log}");
    }
    let line = log.lines().find(|l| l.contains("seattle_mac")).unwrap();
    assert!(line.ends_with("ms"), "{line}");
}

#[test]
fn a_download_in_flight_finishes_after_sigterm() {
    let fixture = Fixture::new();
    // Larger than what the kernel buffers on loopback, so the server is mid-response when the
    // signal comes, until this test reads.
    let big = noise(72 << 20, 7);
    fs::write(fixture.installers().join("big.zip"), &big).unwrap();
    let mut server = fixture.serve(&[]);

    let mut stream = start_download(&server, "/base_installers/big.zip");

    server.terminate();
    // Once new connections are refused, the server is shutting down.
    let deadline = std::time::Instant::now() + PATIENCE;
    while std::net::TcpStream::connect(&server.addr).is_ok() {
        assert!(std::time::Instant::now() < deadline, "still accepting");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    let split = rest.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    assert_eq!(rest.len() - split, big.len());
    assert!(rest[split..] == big[..]);
    assert!(server.wait().success());
}

#[test]
fn a_request_that_outlasts_the_request_timeout_gets_408_and_the_host_goes_on() {
    let fixture = Fixture::new();
    let server = fixture.serve(&["--request-timeout", "1"]);
    // Hashing 8 GiB (of a sparse file, which costs no disk) takes the manifest several seconds.
    fs::File::create(fixture.installers().join("huge.zip"))
        .unwrap()
        .set_len(8 << 30)
        .unwrap();

    let started = std::time::Instant::now();
    let slow = get(&server, "/base_installers/manifest.json", &[]);
    assert_eq!(slow.status(), 408);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(started.elapsed() < PATIENCE);
    // Other requests are served meanwhile.
    assert_eq!(get(&server, "/index.html", &[]).status(), 200);
    let logged = std::time::Instant::now();
    while !server
        .log()
        .contains("GET /base_installers/manifest.json 408 ")
    {
        assert!(logged.elapsed() < PATIENCE, "{}", server.log());
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The URL the answer gives for `platform`'s installer.
fn installer_url(answer: &str, platform: &str) -> String {
    let member = format!("<name>{platform}</name><value><string>");
    let (_, rest) = answer.split_once(&member).expect(answer);
    rest.split_once('<').unwrap().0.to_owned()
}

#[test]
fn the_apis_calls_and_downloads_are_logged_and_sigterm_ends_it_cleanly() {
    let fixture = Fixture::with_real_installers();
    let state = fixture.root().join("state");
    let mut server = fixture.serve(&["--xmlrpc", state.to_str().unwrap()]);
    let built = post_xmlrpc(&server, KEYLESS);
    assert!(build_id(&built).is_some(), "{built}");
    let oversized = format!(
        "POST /custom_install/xmlrpc/ HTTP/1.1\r\nHost: {}\r\nContent-Type: text/xml\r\n\
         Content-Length: 2000000\r\nConnection: close\r\n\r\n",
        server.addr
    );
    assert_eq!(raw(&server.addr, oversized.as_bytes()).status, 413);
    let hop = client().get(installer_url(&built, "linux")).send().unwrap();
    assert_eq!(hop.status(), 302);
    let file = hop.headers()["location"].to_str().unwrap().to_owned();
    let download = client().get(file).send().unwrap();
    assert_eq!(download.status(), 200);
    assert!(!download.bytes().unwrap().is_empty());

    server.terminate();
    assert!(server.wait().success());
    let log = server.log();
    for line in [
        "POST /custom_install/xmlrpc/ 200 ",
        "POST /custom_install/xmlrpc/ 413 ",
        "/installers/linux/ 302 0B ",
        "/seattle_linux.tgz 200 ",
    ] {
        assert!(log.contains(line), "{line:?} not in {log}");
    }
}

#[test]
fn a_build_that_cannot_be_recorded_is_logged() {
    let fixture = Fixture::with_real_installers();
    let state = fixture.root().join("state");
    let Some(mounted) = Mounted::tmpfs(&state, "16k") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    mounted.read_only();
    let server = fixture.serve(&["--xmlrpc", state.to_str().unwrap()]);
    let refused = post_xmlrpc(&server, KEYLESS);
    assert!(refused.contains("Read-only file system"), "{refused}");
    // Written before the fault is answered.
    let log = server.log();
    assert!(log.contains("cib serve: cannot record build "), "{log}");
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
    assert!(post_xmlrpc(&server, body).contains("Given build ID does not exist."));
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
        refused(&args, fixture.root(), expected);
    }
}

/// `cib serve ARGS` exits 2 (invalid input) with `expected` in its message.
fn refused(args: &[&str], cwd: &std::path::Path, expected: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_cib"))
        .arg("serve")
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{args:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
}

#[test]
fn xmlrpc_key_bits_sets_the_size_of_generated_pairs() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["alex", "darren"] {
        let made = Command::new(env!("CARGO_BIN_EXE_cib"))
            .args(["keygen", name, "--bits", "1024", "--out", "keys"])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(made.status.success());
    }
    let site = dir.path().join("site");
    fs::create_dir(&site).unwrap();
    let state = dir.path().join("state");
    let args: [&OsStr; 8] = [
        "--site".as_ref(),
        site.as_os_str(),
        "--base-installers".as_ref(),
        support::BASES.as_ref(),
        "--xmlrpc".as_ref(),
        state.as_os_str(),
        "--xmlrpc-key-bits".as_ref(),
        "2048".as_ref(),
    ];
    let server = Server::start(&args, &dir.path().join("host.log"));
    legacy_client(&["python3"], &server, dir.path(), "2048");
    drop(server);

    refused(&["--xmlrpc-key-bits", "2048"], dir.path(), "--xmlrpc");
    refused(
        &["--xmlrpc", "s", "--xmlrpc-key-bits", "1000"],
        dir.path(),
        "1024, 2048",
    );
}
