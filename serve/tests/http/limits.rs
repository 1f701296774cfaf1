//! The limits that protect the host from slow or many clients.

use crate::support::*;
use cib_serve::Options;
use std::io::{Read, Write};
use std::time::Duration;

#[test]
fn slow_or_silent_clients_are_cut_off() {
    let fixture = Fixture::new();
    let server = Host::start(Options {
        header_timeout: 1,
        ..fixture.options()
    });
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
    let server = Host::start(Options {
        max_connections: 2,
        ..fixture.options()
    });
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
