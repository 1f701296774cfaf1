//! Start-up, stopping, and the limits that protect the host from slow or many clients.

use crate::support::server::*;
use std::fs;
use std::io::{Read, Write};
use std::time::Duration;

#[test]
fn a_missing_site_folder_is_a_clear_error() {
    let fixture = Fixture::new();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_cib"))
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
    while !fixture.log().contains("GET /.env 404 ") {
        assert!(
            idle.elapsed() < Duration::from_secs(5),
            "no line while idle: {}",
            fixture.log()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    server.terminate();
    assert!(server.wait().success());

    let log = fixture.log();
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
fn slow_or_silent_clients_are_cut_off() {
    let fixture = Fixture::new();
    let server = fixture.serve(&["--header-timeout", "1"]);
    // Silent after connecting, and stuck halfway through the headers.
    let silent = connect(&server.addr);
    let mut partial = connect(&server.addr);
    partial.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    for mut stream in [silent, partial] {
        let mut buffer = Vec::new();
        // The server hangs up (maybe after a 408); the read ends either way well before PATIENCE.
        let started = std::time::Instant::now();
        let _ = stream.read_to_end(&mut buffer);
        assert!(started.elapsed() < PATIENCE);
        let text = String::from_utf8_lossy(&buffer);
        assert!(
            text.is_empty() || text.starts_with("HTTP/1.1 408"),
            "{text}"
        );
    }
    // A kept-alive connection left idle after its answer is closed too.
    let mut idle = connect(&server.addr);
    idle.write_all(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buffer = Vec::new();
    let _ = idle.read_to_end(&mut buffer);
    assert!(buffer.starts_with(b"HTTP/1.1 200"));
    // And the server still serves.
    assert_eq!(raw_get(&server.addr, "/").status, 200);
}

#[test]
fn connections_beyond_the_limit_wait_for_a_free_slot() {
    let fixture = Fixture::new();
    let server = fixture.serve(&["--max-connections", "2"]);
    let first = connect(&server.addr);
    let mut second = connect(&server.addr);
    // A served request proves both slots are taken (accept order is connection order).
    second
        .write_all(format!("GET / HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes())
        .unwrap();
    let mut answer = [0u8; 12];
    second.read_exact(&mut answer).unwrap();
    assert_eq!(&answer, b"HTTP/1.1 200");

    let mut third = connect(&server.addr);
    third
        .write_all(
            format!(
                "GET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
                server.addr
            )
            .as_bytes(),
        )
        .unwrap();
    third
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut byte = [0u8; 1];
    assert!(third.read(&mut byte).is_err(), "served beyond the limit");

    drop(first);
    third.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut rest = Vec::new();
    third.read_to_end(&mut rest).unwrap();
    assert!(rest.starts_with(b"HTTP/1.1 200"));
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
    while !fixture
        .log()
        .contains("GET /base_installers/manifest.json 408 ")
    {
        assert!(logged.elapsed() < PATIENCE, "{}", fixture.log());
        std::thread::sleep(Duration::from_millis(10));
    }
}
