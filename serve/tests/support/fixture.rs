//! The folders a host under test serves: a site and a base installers folder in a temporary
//! directory, with secrets planted where no request may reach. The host's tests (serve/tests)
//! and the `cib serve` command's (cli/tests) start from it.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

/// Planted outside the served folders; no response may ever contain it.
pub const SECRET: &str = "TOP-SECRET-OUTSIDE-THE-FOLDERS";

/// The repository, and its base installers.
pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
pub const BASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../base_installers");

/// Trunk's way of starting the wasm: an inline module script.
pub const BOOT: &str = "\nimport init from '/cib-web-0123456789abcdef.js';\nawait init();\n";
/// The page's inline stylesheet.
pub const STYLE: &str = "\nh1 { font-size: 1.7rem }\n";
pub const INDEX: &str = "<!doctype html><html><head><title>Builder</title>\
    <script type=\"module\">\nimport init from '/cib-web-0123456789abcdef.js';\nawait init();\n\
    </script><style>\nh1 { font-size: 1.7rem }\n</style></head>\
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

    /// The same with the repository's base installers in place of the stand-ins, for the
    /// XML-RPC API, which customizes them.
    pub fn with_real_installers() -> Fixture {
        let fixture = Fixture::new();
        for platform in cib_core::Platform::ALL {
            let name = platform.file_name();
            fs::copy(Path::new(BASES).join(name), fixture.installers().join(name)).unwrap();
        }
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
