//! What the host's tests share: the folders they serve (`fixture`), requests over loopback
//! (`http`), the Python clients of the XML-RPC API (`clients`), a tmpfs for a full or read-only disk (`tmpfs`), and the host started in this
//! process by `cib_serve::start`, as `cib serve` starts it. The `cib serve` command's tests in
//! cli/tests use the same fixture, requests and tmpfs with the real binary.

// Each test root uses a part of it.
#![allow(dead_code)]

pub mod clients;
pub mod fixture;
pub mod http;
pub mod tmpfs;

pub use fixture::*;
pub use http::*;

use cib_core::{KeyBits, KeyPair};
use cib_serve::{Options, Running};
use std::path::Path;

/// A host serving in this process; stopped when dropped, so a failing test leaves none behind.
pub struct Host {
    running: Option<Running>,
    origin: Origin,
}

impl Host {
    pub fn start(options: Options) -> Host {
        let running = cib_serve::start(options).unwrap_or_else(|err| panic!("{err}"));
        let origin = Origin::new(running.addr());
        Host {
            running: Some(running),
            origin,
        }
    }

    /// Stops accepting and waits for the requests in flight, as `cib serve` does on SIGTERM.
    pub fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop();
        }
    }
}

impl std::ops::Deref for Host {
    type Target = Origin;

    fn deref(&self) -> &Origin {
        &self.origin
    }
}

impl Fixture {
    /// What `cib serve --site SITE --base-installers INSTALLERS --addr 127.0.0.1:0` asks.
    pub fn options(&self) -> Options {
        Options {
            addr: "127.0.0.1:0".parse().unwrap(),
            site: self.site(),
            base_installers: self.installers(),
            max_connections: 1024,
            header_timeout: 10,
            request_timeout: 30,
            shutdown_grace: 30,
            threads: None,
            xmlrpc: None,
            public_url: None,
            xmlrpc_key_bits: None,
        }
    }

    pub fn serve(&self) -> Host {
        Host::start(self.options())
    }

    /// The host with the XML-RPC API, its records in `state`.
    pub fn serve_xmlrpc(&self, state: &Path) -> Host {
        Host::start(Options {
            xmlrpc: Some(state.to_path_buf()),
            ..self.options()
        })
    }
}

/// `NAME.publickey` in `folder`, as `cib keygen NAME --bits BITS --out FOLDER` writes it.
pub fn keygen(folder: &Path, name: &str, bits: usize) {
    let bits = KeyBits::from_bits(bits).unwrap();
    let pair = KeyPair::generate(&mut rand::rngs::OsRng, bits).unwrap();
    std::fs::create_dir_all(folder).unwrap();
    std::fs::write(
        folder.join(format!("{name}.publickey")),
        pair.public.to_string(),
    )
    .unwrap();
}
