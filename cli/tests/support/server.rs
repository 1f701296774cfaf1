//! Fixtures for the `cib serve` tests: a site and a base installers folder in a temporary
//! directory, the real binary serving them, and raw HTTP for requests a client would tidy up.

use reqwest::blocking::Response;
use reqwest::header::HeaderMap;
use sha2::{Digest, Sha256};
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Generous: the machine may be busy with other builds.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// Planted outside the served folders; no response may ever contain it.
pub const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-FOLDERS";

/// Trunk's way of starting the wasm: an inline module script.
pub const BOOT: &str = "\nimport init from '/cib-web-0123456789abcdef.js';\nawait init();\n";
pub const INDEX: &str = "<!doctype html><html><head><title>Builder</title>\
    <script type=\"module\">\nimport init from '/cib-web-0123456789abcdef.js';\nawait init();\n\
    </script></head>\
    <body><h1>Seattle custom installer builder</h1>\
    <p>Define vessels, name their owners and users, and download installers.</p>\
    <p>The installers are built in this browser; nothing is sent anywhere.</p>\
    <noscript>The builder needs JavaScript and WebAssembly.</noscript></body></html>\n";
/// Trunk's output names, with the content hash.
pub const JS: &str = "/cib-web-0123456789abcdef.js";
pub const WASM: &str = "/cib-web-0123456789abcdef_bg.wasm";

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let fixture = Fixture { dir };
        let site = fixture.site();
        let installers = fixture.installers();
        let outside = fixture.root().join("outside");
        for folder in [&site, &installers, &outside] {
            fs::create_dir_all(folder).unwrap();
        }
        fs::write(outside.join("secret.txt"), SECRET).unwrap();
        fs::write(fixture.root().join("secret.txt"), SECRET).unwrap();

        fs::write(site.join("index.html"), INDEX).unwrap();
        fs::write(
            site.join(&JS[1..]),
            "export default function init() {}\n".repeat(200),
        )
        .unwrap();
        // Compressible like real wasm: repetitive, with some noise.
        let wasm: Vec<u8> = (0..40_000u32)
            .map(|i| ((i % 251) ^ (i / 977)) as u8)
            .collect();
        fs::write(site.join(&WASM[1..]), wasm).unwrap();
        fs::write(site.join("style.css"), "body { margin: 0 }\n".repeat(40)).unwrap();
        fs::write(
            site.join("logo.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        )
        .unwrap();
        fs::write(site.join("data.json"), "{\"a\": 1}").unwrap();
        fs::write(site.join(".env"), SECRET).unwrap();
        fs::create_dir(site.join(".git")).unwrap();
        fs::write(site.join(".git/config"), SECRET).unwrap();
        fs::create_dir(site.join("empty")).unwrap();
        fs::write(site.join("empty/notes.txt"), "no index here").unwrap();
        fs::create_dir(site.join("docs")).unwrap();
        fs::write(site.join("docs/index.html"), "<p>docs</p>").unwrap();
        symlink(&outside.join("secret.txt"), &site.join("leak.txt"));
        symlink(&outside, &site.join("leakdir"));
        symlink(&site.join("index.html"), &site.join("alias.html"));

        for (name, size) in [
            ("seattle_linux.tgz", 61_400),
            ("seattle_mac.tgz", 52_000),
            ("seattle_win.zip", 70_001),
            ("seattle_android.zip", 33_333),
            ("extra.tar.gz", 1_000),
        ] {
            fs::write(installers.join(name), noise(size, name.len() as u32)).unwrap();
        }
        fs::write(installers.join("README.txt"), "not an archive").unwrap();
        fs::write(installers.join(".hidden.zip"), SECRET).unwrap();
        symlink(&outside.join("secret.txt"), &installers.join("leak.zip"));
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn site(&self) -> PathBuf {
        self.root().join("site")
    }

    pub fn installers(&self) -> PathBuf {
        self.root().join("base_installers")
    }

    pub fn serve(&self, extra: &[&str]) -> Server {
        let mut args = vec![
            "--site".to_owned(),
            self.site().display().to_string(),
            "--base-installers".to_owned(),
            self.installers().display().to_string(),
        ];
        args.extend(extra.iter().map(|a| a.to_string()));
        Server::start(&args, &self.root().join("stderr.log"))
    }

    pub fn log(&self) -> String {
        fs::read_to_string(self.root().join("stderr.log")).unwrap_or_default()
    }
}

fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// Incompressible bytes (as archives are), different for each seed.
pub fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state as u8
        })
        .collect()
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The running binary; killed when dropped, so a failing test leaves no server behind.
pub struct Server {
    child: Child,
    pub url: String,
    pub addr: String,
}

impl Server {
    pub fn start(args: &[String], stderr: &Path) -> Server {
        let addr = match args.iter().any(|a| a == "--addr") {
            true => &[][..],
            false => &["--addr", "127.0.0.1:0"][..],
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_cib"))
            .arg("serve")
            .args(addr)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(fs::File::create(stderr).unwrap())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(PATIENCE).unwrap_or_default();
        let mut server = Server {
            child,
            url: String::new(),
            addr: String::new(),
        };
        let Some(url) = line.trim().strip_prefix("Serving ") else {
            panic!(
                "no URL printed: {line:?}; stderr: {}",
                fs::read_to_string(stderr).unwrap_or_default()
            );
        };
        server.url = url.to_owned();
        server.addr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_owned();
        server
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
pub fn start_download(server: &Server, path: &str) -> TcpStream {
    let mut stream = connect(&server.addr);
    let request = format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr);
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

pub fn get(server: &Server, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut request = client().get(format!("{}{}", server.url, path.trim_start_matches('/')));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().unwrap()
}
