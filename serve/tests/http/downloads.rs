//! Installers as the page downloads them: whole or in ranges, sent by `sendfile`, and what
//! happens when one is changed on disk mid-download.

use crate::support::*;
use std::fs;
use std::io::{Read, Write};

#[test]
fn large_installers_arrive_whole_and_in_ranges() {
    let fixture = Fixture::new();
    let large = noise(6 << 20, 11);
    fs::write(fixture.installers().join("large.zip"), &large).unwrap();
    let server = fixture.serve();
    let path = "/base_installers/large.zip";

    for _ in 0..2 {
        let whole = get(&server, path, &[]);
        assert_eq!(whole.status(), 200);
        assert!(whole.bytes().unwrap() == large[..]);
    }
    for (range, expected) in [
        ("bytes=1000000-2999999", &large[1_000_000..3_000_000]),
        ("bytes=-100000", &large[large.len() - 100_000..]),
        ("bytes=4194300-", &large[4_194_300..]),
        // Below what is worth a `sendfile`: written from memory instead, the same bytes.
        ("bytes=5-104", &large[5..105]),
    ] {
        let part = get(&server, path, &[("range", range)]);
        assert_eq!(part.status(), 206, "{range}");
        let body = part.bytes().unwrap();
        assert_eq!(body.len(), expected.len(), "{range}");
        assert!(body == expected, "{range}: other bytes");
    }
    // Two requests on one kept-alive connection: the second answer starts where it should.
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: x\r\nRange: bytes=0-99999\r\n\r\n\
         GET {path} HTTP/1.1\r\nHost: x\r\nRange: bytes=200000-299999\r\nConnection: close\r\n\r\n"
    );
    let mut stream = connect(&server.addr);
    stream.write_all(request.as_bytes()).unwrap();
    let mut both = Vec::new();
    stream.read_to_end(&mut both).unwrap();
    let body_after_head =
        |bytes: &[u8]| bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let first = body_after_head(&both);
    let rest = &both[first + 100_000..];
    let second = body_after_head(rest);
    let bodies = [&both[first..first + 100_000], &rest[second..]];
    assert!(bodies[0] == &large[..100_000]);
    assert!(bodies[1] == &large[200_000..300_000]);
}

#[test]
fn a_download_under_way_keeps_the_version_it_started_with() {
    let fixture = Fixture::new();
    // Far more than loopback buffers, so the download is still going when the file changes.
    let large = noise(40 << 20, 5);
    let file = fixture.installers().join("large.zip");
    fs::write(&file, &large).unwrap();
    let server = fixture.serve();

    let mut stream = start_download(&server, "/base_installers/large.zip");
    // Cut short in place, as `cp new.zip large.zip` does before it writes, then written over.
    let other = noise(1 << 20, 6);
    let mut writer = fs::OpenOptions::new().write(true).open(&file).unwrap();
    writer.set_len(0).unwrap();
    writer.write_all(&other).unwrap();
    drop(writer);

    let body = rest_of_body(&mut stream);
    assert_eq!(body.len(), large.len(), "cut off");
    assert!(
        body == large,
        "a whole download that is not the version it started with"
    );

    // The host goes on, and serves the file as it is now.
    let now = get(&server, "/base_installers/large.zip", &[]);
    assert_eq!(now.status(), 200);
    assert!(now.bytes().unwrap() == other[..]);
    let manifest: serde_json::Value = get(&server, "/base_installers/manifest.json", &[])
        .json()
        .unwrap();
    assert_eq!(manifest["installers"]["large.zip"]["size"], 1 << 20);
}

/// The body of an answer whose status line [`start_download`] has read, by its length.
fn rest_of_body(stream: &mut std::net::TcpStream) -> Vec<u8> {
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(60)))
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap().to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length: "))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let mut body = Vec::with_capacity(length);
    let mut buffer = vec![0; 1 << 16];
    while body.len() < length {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buffer[..n]),
        }
    }
    body
}
