//! Two `cib serve --xmlrpc` hosts sharing one STATE_DIR behind a real nginx (Debian's
//! nginx-light) as a round-robin upstream, with the block of docs/deploy.md taken from that file:
//! a clearinghouse's calls alternate between the hosts, every build id answered by one host is
//! good on the other, and when one host stops nginx passes the calls on and no build is lost.

mod support;

use dxr::{FaultResponse, MethodCall, MethodResponse, Value};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::fixture::{BASES, ROOT};
use support::http::free_port;
use support::server::Server;

const NGINX: &str = "/usr/sbin/nginx";

struct Nginx {
    child: Child,
    url: String,
    access_log: PathBuf,
}

impl Nginx {
    /// docs/deploy.md's load-balancer block in front of `upstreams`, in an nginx.conf whose
    /// every file lies in `work/nginx`, listening on `port` of the loopback address.
    fn start_on(work: &Path, upstreams: [u16; 2], port: u16) -> Nginx {
        let docs = fs::read_to_string(Path::new(ROOT).join("docs/deploy.md")).unwrap();
        let (_, rest) = docs
            .split_once("```nginx load-balancer\n")
            .expect("docs/deploy.md has the load-balancer block");
        let (block, _) = rest.split_once("```").unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let mut block = block.replace("listen 80;", &format!("listen 127.0.0.1:{port};"));
        for (name, upstream) in ["cib-a.internal:8080", "cib-b.internal:8080"]
            .iter()
            .zip(upstreams)
        {
            assert!(block.contains(name), "{block}");
            block = block.replace(name, &format!("127.0.0.1:{upstream}"));
        }
        let prefix = work.join("nginx");
        fs::create_dir_all(&prefix).unwrap();
        let file = |name: &str| prefix.join(name).display().to_string();
        let temps: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .iter()
            .map(|t| format!("    {t}_temp_path {};\n", file(t)))
            .collect();
        let access_log = prefix.join("access.log");
        // One worker: round robin is then exact, call by call.
        let conf = format!(
            "daemon off;\nmaster_process on;\nworker_processes 1;\npid {pid};\n\
             error_log {error} warn;\nevents {{ worker_connections 64; }}\nhttp {{\n\
             log_format upstream '$request_method $uri $status $upstream_addr';\n\
             access_log {access} upstream;\n{temps}{block}}}\n",
            pid = file("nginx.pid"),
            error = file("error.log"),
            access = access_log.display(),
        );
        fs::write(prefix.join("nginx.conf"), conf).unwrap();
        let child = Command::new(NGINX)
            .arg("-p")
            .arg(&prefix)
            .arg("-e")
            .arg(file("error.log"))
            .arg("-c")
            .arg(file("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("nginx starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "nginx did not listen: {}",
                fs::read_to_string(prefix.join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx {
            child,
            url,
            access_log,
        }
    }

    /// The upstream address of each proxied request so far, in order (`A, B` when A failed).
    fn upstreams(&self) -> Vec<String> {
        let log = fs::read_to_string(&self.access_log).unwrap_or_default();
        log.lines()
            .map(|line| line.splitn(4, ' ').nth(3).unwrap_or_default().to_owned())
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap()
}

/// An XML-RPC call to `origin`: the answer, or the fault's string.
fn call(origin: &str, method: &str, params: Vec<Value>) -> Result<Value, String> {
    let body = MethodCall {
        name: method.into(),
        params,
    }
    .to_xml()
    .unwrap();
    let answer = client()
        .post(format!("{origin}/custom_install/xmlrpc/"))
        .body(body)
        .send()
        .unwrap();
    assert_eq!(answer.status(), 200);
    let text = answer.text().unwrap();
    match MethodResponse::from_xml(&text) {
        Ok(response) => Ok(response.value),
        Err(_) => Err(FaultResponse::from_xml(&text)
            .unwrap_or_else(|_| panic!("{text}"))
            .fault
            .string()
            .to_owned()),
    }
}

fn s(text: &str) -> Value {
    Value::String(text.into())
}

fn members(pairs: &[(&str, Value)]) -> Value {
    Value::Struct(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    )
}

fn field<'a>(value: &'a Value, name: &str) -> &'a Value {
    match value {
        Value::Struct(fields) => &fields[name],
        other => panic!("not a struct: {other:?}"),
    }
}

fn text(value: &Value) -> &str {
    match value {
        Value::String(text) => text,
        other => panic!("not a string: {other:?}"),
    }
}

/// platform -> installer URL
fn installers(value: &Value) -> BTreeMap<String, String> {
    match value {
        Value::Struct(fields) => fields
            .iter()
            .map(|(k, v)| (k.clone(), text(v).to_owned()))
            .collect(),
        other => panic!("not a struct: {other:?}"),
    }
}

struct Build {
    id: String,
    installers: BTreeMap<String, String>,
    /// The owner's public key, as the vesselinfo must name it.
    owner_key: String,
}

fn build(origin: &str, params: Vec<Value>) -> Build {
    let answer = call(origin, "build_installers", params).unwrap();
    Build {
        id: text(field(&answer, "build_id")).to_owned(),
        installers: installers(field(&answer, "installers")),
        owner_key: text(field(field(field(&answer, "users"), "owner"), "public_key")).to_owned(),
    }
}

/// The installers of `build` as one host offers them at `origin`: each installer URL answers a
/// 302 to the balancer's URL of the file, and the file there is a download. Their bytes.
fn downloads(origin: &str, balancer: &str, build: &Build) -> BTreeMap<String, Vec<u8>> {
    let mut got = BTreeMap::new();
    for (platform, url) in &build.installers {
        let path = url
            .strip_prefix(balancer)
            .unwrap_or_else(|| panic!("{url} does not lead to the balancer {balancer}"));
        let hop = client().get(format!("{origin}{path}")).send().unwrap();
        assert_eq!(hop.status(), 302, "{origin}{path}");
        let location = hop.headers()["location"].to_str().unwrap().to_owned();
        let (base, _) = url.split_once("/installers/").unwrap();
        assert!(
            location.starts_with(&format!("{base}/seattle_")),
            "{location}"
        );
        let file = location.strip_prefix(balancer).unwrap();
        let answer = client().get(format!("{origin}{file}")).send().unwrap();
        assert_eq!(answer.status(), 200, "{origin}{file}");
        got.insert(platform.clone(), answer.bytes().unwrap().to_vec());
    }
    got
}

/// The vesselinfo in a linux installer, read with GNU tar.
fn linux_vesselinfo(work: &Path, installer: &[u8]) -> String {
    let archive = work.join("linux.tgz");
    fs::write(&archive, installer).unwrap();
    let output = Command::new("tar")
        .arg("-xzOf")
        .arg(&archive)
        .arg("seattle/seattle_repy/vesselinfo")
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

fn public_key(work: &Path, name: &str) -> String {
    let made = Command::new(env!("CARGO_BIN_EXE_cib"))
        .args(["keygen", name, "--bits", "1024", "--out", "keys"])
        .current_dir(work)
        .output()
        .unwrap();
    assert!(made.status.success());
    fs::read_to_string(work.join(format!("keys/{name}.publickey")))
        .unwrap()
        .trim()
        .to_owned()
}

/// `cib serve --xmlrpc STATE` on `port` over an empty site and the repository's base
/// installers, told the balancer's URL; its log in `work/NAME.log`.
fn host(work: &Path, name: &str, state: &Path, port: u16, balancer: &str) -> Server {
    let site = work.join("site");
    fs::create_dir_all(&site).unwrap();
    let addr = format!("127.0.0.1:{port}");
    let args: [&OsStr; 10] = [
        "--addr".as_ref(),
        addr.as_ref(),
        "--site".as_ref(),
        site.as_os_str(),
        "--base-installers".as_ref(),
        BASES.as_ref(),
        "--xmlrpc".as_ref(),
        state.as_os_str(),
        "--public-url".as_ref(),
        balancer.as_ref(),
    ];
    Server::start(&args, &work.join(format!("{name}.log")))
}

/// Each request went to one of the two hosts, never twice in a row to the same one.
fn is_alternating(upstreams: &[String], a: &str, b: &str) -> bool {
    upstreams.len() >= 2
        && upstreams.iter().all(|u| u == a || u == b)
        && upstreams.windows(2).all(|w| w[0] != w[1])
}

#[test]
fn two_hosts_behind_nginx_share_builds_and_take_over_from_each_other() {
    assert!(
        Path::new(NGINX).is_file(),
        "nginx is missing: run scripts/setup.sh --test"
    );
    let work = tempfile::tempdir().unwrap();
    let work = work.path();
    let state = work.join("state");
    let (port_a, port_b) = (free_port(), free_port());
    // The balancer's port is known only once nginx has it; the hosts are told it first.
    let balancer_port = free_port();
    let balancer = format!("http://127.0.0.1:{balancer_port}");
    let mut a = host(work, "a", &state, port_a, &balancer);
    let b = host(work, "b", &state, port_b, &balancer);
    let nginx = Nginx::start_on(work, [port_a, port_b], balancer_port);
    assert_eq!(nginx.url, balancer);
    let (addr_a, addr_b) = (format!("127.0.0.1:{port_a}"), format!("127.0.0.1:{port_b}"));

    let owner = public_key(work, "owner");
    let user = public_key(work, "user");
    let clearinghouse = || {
        vec![
            Value::Array(vec![members(&[
                ("percentage", Value::Integer(80)),
                ("owner", s("owner")),
                ("users", Value::Array(vec![s("user")])),
            ])]),
            members(&[
                ("owner", members(&[("public_key", s(&owner))])),
                ("user", members(&[("public_key", s(&user))])),
            ]),
        ]
    };
    let keyless = || {
        vec![Value::Array(vec![members(&[
            ("percentage", Value::Integer(80)),
            ("owner", s("owner")),
        ])])]
    };

    // Four calls through nginx: the same clearinghouse call on both hosts, and a keyless one on each.
    let builds = [
        build(&nginx.url, clearinghouse()),
        build(&nginx.url, keyless()),
        build(&nginx.url, clearinghouse()),
        build(&nginx.url, keyless()),
    ];
    let calls = nginx.upstreams();
    assert!(is_alternating(&calls, &addr_a, &addr_b), "{calls:?}");
    assert_eq!(
        builds[0].id, builds[2].id,
        "the same call on either host, the same build"
    );
    assert_eq!(builds[0].installers, builds[2].installers);
    assert_ne!(builds[1].id, builds[3].id, "new keys, new builds");
    assert_eq!(builds[0].owner_key, owner);

    // Each host answers for every build, whichever host made it.
    let mut downloaded = Vec::new();
    for build in &builds {
        for origin in [&a.url, &b.url] {
            let origin = origin.trim_end_matches('/');
            let urls = call(origin, "get_urls", vec![s(&build.id)]).unwrap();
            assert_eq!(installers(&urls), build.installers, "{origin}");
        }
        let from_a = downloads(a.url.trim_end_matches('/'), &balancer, build);
        let from_b = downloads(b.url.trim_end_matches('/'), &balancer, build);
        assert_eq!(from_a, from_b, "both hosts make the same installers");
        assert_eq!(from_a.len(), 4);
        let vesselinfo = linux_vesselinfo(work, &from_a["linux"]);
        assert!(
            vesselinfo.starts_with(&format!("Percent 80\nOwner {}\n", build.owner_key)),
            "{vesselinfo}"
        );
        downloaded.push(from_a);
    }
    assert!(a.log().contains("POST /custom_install/xmlrpc/ 200 "));
    assert!(b.log().contains("POST /custom_install/xmlrpc/ 200 "));

    // Through nginx too, the installer URLs and their targets alternate between the hosts.
    let before = nginx.upstreams().len();
    for (build, bytes) in builds.iter().zip(&downloaded) {
        assert_eq!(&downloads(&balancer, &balancer, build), bytes);
    }
    let hops = nginx.upstreams()[before..].to_vec();
    assert!(is_alternating(&hops, &addr_a, &addr_b), "{hops:?}");

    // One host stops; nginx passes the next calls to the other, and every build is still there.
    a.stop();
    let before = nginx.upstreams().len();
    let after_stop = [
        build(&nginx.url, keyless()),
        build(&nginx.url, clearinghouse()),
    ];
    assert_eq!(after_stop[1].id, builds[0].id);
    for (build, bytes) in builds.iter().zip(&downloaded) {
        let urls = call(&nginx.url, "get_urls", vec![s(&build.id)]).unwrap();
        assert_eq!(installers(&urls), build.installers);
        assert_eq!(&downloads(&balancer, &balancer, build), bytes);
    }
    let fresh = downloads(&balancer, &balancer, &after_stop[0]);
    assert!(linux_vesselinfo(work, &fresh["linux"]).contains(&after_stop[0].owner_key));
    let after = nginx.upstreams()[before..].to_vec();
    assert!(!after.is_empty());
    assert!(
        after.iter().all(|u| u.ends_with(&addr_b)),
        "every answer from the host still up: {after:?}"
    );
    assert!(
        after.iter().any(|u| u == &format!("{addr_a}, {addr_b}")),
        "a call tried on the stopped host was passed on: {after:?}"
    );
    drop(b);
}
