//! Requests to a host under test on loopback: through reqwest, and raw for requests a client
//! library would tidy up first. Shared by the host's tests (serve/tests) and the `cib serve`
//! command's (cli/tests).

use reqwest::blocking::Response;
use reqwest::header::HeaderMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Generous: the machine may be busy with other builds.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Where a host under test listens: `http://ADDR/` and `ADDR`.
pub struct Origin {
    pub url: String,
    pub addr: String,
}

impl Origin {
    pub fn new(addr: impl std::fmt::Display) -> Origin {
        Origin {
            url: format!("http://{addr}/"),
            addr: addr.to_string(),
        }
    }
}

/// A port free now, for a host that must come back on the same one.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(PATIENCE)
        .build()
        .unwrap()
}

/// A response read off the wire, for requests a client library would normalize first.
pub struct Raw {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Raw {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name).then(|| value.trim())
        })
    }
}

pub fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Sends `request` as is on a fresh connection and reads until the server closes it.
pub fn raw(addr: &str, request: &[u8]) -> Raw {
    let mut stream = connect(addr);
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    parse(&response)
}

/// A GET whose answer has started (200) and whose body is left to read.
pub fn start_download(origin: &Origin, path: &str) -> TcpStream {
    let mut stream = connect(&origin.addr);
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", origin.addr);
    stream.write_all(request.as_bytes()).unwrap();
    let mut status = [0u8; 12];
    stream.read_exact(&mut status).unwrap();
    assert_eq!(&status, b"HTTP/1.1 200", "{path}");
    stream
}

pub fn raw_get(addr: &str, target: &str) -> Raw {
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    raw(addr, request.as_bytes())
}

fn parse(response: &[u8]) -> Raw {
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(response.len(), |at| at + 4);
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    Raw {
        status,
        head,
        body: response[split..].to_vec(),
    }
}

pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap())
        .unwrap_or_else(|| panic!("no {name} header in {headers:?}"))
}

pub fn get(origin: &Origin, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = client().get(format!("{}{}", origin.url, path.trim_start_matches('/')));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().unwrap()
}

/// An XML-RPC body posted to the API's endpoint: the answer's text (status 200).
pub fn post_xmlrpc(origin: &Origin, body: &str) -> String {
    let answer = client()
        .post(format!("{}custom_install/xmlrpc/", origin.url))
        .body(body.to_owned())
        .send()
        .unwrap();
    assert_eq!(answer.status(), 200);
    answer.text().unwrap()
}

/// A call whose owner has no key: a new key pair, so a new build and a new record, every time.
pub const KEYLESS: &str =
    "<?xml version='1.0'?><methodCall><methodName>build_installers</methodName>\
    <params><param><value><array><data><value><struct>\
    <member><name>percentage</name><value><int>80</int></value></member>\
    <member><name>owner</name><value><string>owner</string></value></member>\
    </struct></value></data></array></value></param>\
    <param><value><struct><member><name>owner</name><value><struct></struct></value></member>\
    </struct></value></param></params></methodCall>";

pub fn build_id(answer: &str) -> Option<String> {
    let (_, rest) = answer.split_once("<name>build_id</name><value><string>")?;
    Some(rest[..40].to_owned())
}
