//! `cib serve` run as a process, for the tests of the command and of what needs processes
//! (signals, exit codes, two hosts behind a balancer). The host's own tests start it in-process
//! (serve/tests).

use super::fixture::Fixture;
use super::http::{Origin, PATIENCE};
use std::ffi::OsStr;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The running binary; killed when dropped, so a failing test leaves no server behind.
pub struct Server {
    child: Child,
    origin: Origin,
    log: PathBuf,
}

impl Server {
    /// `cib serve ARGS`, on a free loopback port unless ARGS give `--addr`; its stderr (the
    /// access log) goes to `log`. Returns once it has printed the URL it serves.
    pub fn start<A: AsRef<OsStr>>(args: &[A], log: &Path) -> Server {
        let addr = match args.iter().any(|a| a.as_ref() == "--addr") {
            true => &[][..],
            false => &["--addr", "127.0.0.1:0"][..],
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_cib"))
            .arg("serve")
            .args(addr)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(fs::File::create(log).unwrap())
            .spawn()
            .expect("cib serve starts");
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = sender.send(line);
        });
        let line = receiver.recv_timeout(PATIENCE).unwrap_or_default();
        let served = line
            .trim()
            .strip_prefix("Serving http://")
            .and_then(|rest| rest.strip_suffix('/'));
        let Some(addr) = served else {
            let _ = child.kill();
            panic!(
                "no URL printed: {line:?}; stderr: {}",
                fs::read_to_string(log).unwrap_or_default()
            );
        };
        Server {
            origin: Origin::new(addr),
            child,
            log: log.to_path_buf(),
        }
    }

    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGTERM, as a service manager stops it.
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

    /// SIGTERM and a clean exit.
    pub fn stop(&mut self) {
        if self.child.try_wait().unwrap().is_none() {
            self.terminate();
            let status = self.wait();
            assert!(status.success(), "cib serve exited with {status}");
        }
    }
}

impl std::ops::Deref for Server {
    type Target = Origin;

    fn deref(&self) -> &Origin {
        &self.origin
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Fixture {
    /// `cib serve` over the fixture's folders with `extra` arguments; its log in `stderr.log`.
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
}
