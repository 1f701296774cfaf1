//! `cib serve --xmlrpc` started for a test on a loopback port, over the repository's base
//! installers; `stop` ends it with SIGTERM as a service manager does, and a drop kills it.

// Each test file uses a part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

pub fn bases() -> PathBuf {
    Path::new(ROOT).join("base_installers")
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Host {
    child: Child,
    pub port: u16,
    pub url: String,
    log: PathBuf,
}

impl Host {
    /// Serves with `--xmlrpc STATE`, an empty site under `work`, and `extra` arguments; its
    /// stderr (the access log) goes to `work/NAME.log`.
    pub fn start(work: &Path, name: &str, state: &Path, extra: &[&str]) -> Host {
        Host::start_on(work, name, state, free_port(), extra)
    }

    pub fn start_on(work: &Path, name: &str, state: &Path, port: u16, extra: &[&str]) -> Host {
        let site = work.join("site");
        std::fs::create_dir_all(&site).unwrap();
        let log = work.join(format!("{name}.log"));
        let mut child = Command::new(env!("CARGO_BIN_EXE_cib"))
            .arg("serve")
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .arg("--site")
            .arg(&site)
            .arg("--base-installers")
            .arg(bases())
            .arg("--xmlrpc")
            .arg(state)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("cib serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        assert!(
            line.starts_with("Serving http://"),
            "{line:?}: {}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        Host {
            child,
            port,
            url: format!("http://127.0.0.1:{port}/"),
            log,
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, as a service manager stops it, and its exit.
    pub fn stop(&mut self) {
        if self.child.try_wait().unwrap().is_none() {
            let pid = self.child.id().to_string();
            let _ = Command::new("kill").args(["-TERM", &pid]).status();
            let status = self.child.wait().unwrap();
            assert!(status.success(), "cib serve exited with {status}");
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
