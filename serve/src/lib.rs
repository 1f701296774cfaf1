//! `cib serve`: the tiny static host for the builder page and the base installers.
//!
//! The page (trunk's output) is served at `/`, the base installers at `/base_installers/` with a
//! manifest of their sizes and SHA-256 sums. Nothing else on disk is reachable.
//!
//! [`run`] is `cib serve`: [`start`], then the wait for Ctrl-C or SIGTERM. A library caller,
//! such as the tests in serve/tests, calls [`start`] and stops the host it gets back.
//!
//! `rules` holds what every deployment shares (`cib export` writes the same headers),
//! `custom_install` the legacy XML-RPC API, `speed` the parts that exist only for speed; the
//! rest is the host itself (docs/serve.md, "Layout").

mod access_log;
mod app;
pub mod custom_install;
pub mod durable;
pub mod rules;
mod served;
mod server;
mod speed;
mod stamp;
mod store;

use rules::{confine, manifest};
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What `cib serve` is asked to do; the command line's help says what each option means.
#[derive(Debug, Clone)]
pub struct Options {
    pub addr: SocketAddr,
    pub site: PathBuf,
    pub base_installers: PathBuf,
    pub max_connections: u32,
    pub header_timeout: u64,
    pub request_timeout: u64,
    pub shutdown_grace: u64,
    pub threads: Option<u32>,
    pub xmlrpc: Option<PathBuf>,
    pub public_url: Option<String>,
    /// The size of generated key pairs; `None` for the legacy API's 1024 bits.
    pub xmlrpc_key_bits: Option<cib_core::KeyBits>,
}

/// An http or https URL with a host, and neither query nor fragment; a path is kept as a prefix.
pub fn public_url(text: &str) -> Result<String, String> {
    let uri: axum::http::Uri = text.parse().map_err(|err| format!("not a URL: {err}"))?;
    let scheme = uri.scheme_str().unwrap_or_default();
    if !matches!(scheme, "http" | "https") || uri.host().is_none_or(str::is_empty) {
        return Err(
            "expected http://HOST[:PORT] or https://HOST[:PORT], optionally with a path".into(),
        );
    }
    if uri.query().is_some() || text.contains('#') {
        return Err("a query or fragment cannot be part of the installer URLs".into());
    }
    Ok(text.trim_end_matches('/').to_owned())
}

/// Serves until Ctrl-C or SIGTERM; the error says why the host could not start.
pub fn run(args: Options) -> Result<(), String> {
    let running = start(args)?;
    let runtime = runtime()?;
    runtime.block_on(async {
        let stop = server::stop_signal()
            .map_err(|err| format!("cannot watch for Ctrl-C and SIGTERM: {err}"))?;
        // Tests and scripts read this line to learn the port, so it goes out before any request.
        println!("Serving http://{}/", running.addr());
        let _ = std::io::stdout().flush();
        stop.await;
        Ok::<_, String>(())
    })?;
    running.stop();
    Ok(())
}

/// A host serving on its own threads, as [`start`] left it.
pub struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    acceptor: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// Where it listens: the port the system chose when asked for port 0.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting and returns once the requests in flight are done, or the shutdown grace
    /// is over.
    pub fn stop(mut self) {
        self.stop.take();
        if let Some(acceptor) = self.acceptor.take() {
            let _ = acceptor.join();
        }
    }
}

/// Dropped, it stops accepting too, but does not wait for the requests in flight.
impl Drop for Running {
    fn drop(&mut self) {
        self.stop.take();
    }
}

/// Starts serving on threads of its own and returns once the socket listens; the error says
/// why the host could not start. [`run`] is this and a wait for the signal.
pub fn start(args: Options) -> Result<Running, String> {
    let site = confine::Confined::new(&args.site).map_err(|err| missing_site(&args.site, err))?;
    if !args.site.join("index.html").is_file() {
        eprintln!(
            "cib serve: warning: {} has no index.html; `/` will answer 404",
            args.site.display()
        );
    }
    // A host without installers still shows the page, so a missing folder is only a warning;
    // the manifest then lists nothing.
    let installers = confine::Confined::new(&args.base_installers)
        .inspect_err(|err| {
            eprintln!(
                "cib serve: warning: base installers folder {}: {err}; the manifest is empty",
                args.base_installers.display()
            )
        })
        .ok();

    let manifest = manifest::Manifest::new(installers.clone())
        .map_err(|err| format!("cannot read the base installers: {err}"))?;

    // The listener comes first: the default public URL names the port it got.
    let runtime = runtime()?;
    let (listener, bound) = runtime.block_on(async {
        let listener = server::listen(args.addr)
            .map_err(|err| format!("cannot listen on {}: {err}", args.addr))?;
        let bound = listener
            .local_addr()
            .map_err(|err| format!("cannot read the bound address: {err}"))?;
        Ok::<_, String>((listener, bound))
    })?;
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n as usize,
    );
    let custom = match &args.xmlrpc {
        Some(state_dir) => {
            let public_url = args.public_url.clone().unwrap_or_else(|| {
                if bound.ip().is_unspecified() {
                    eprintln!(
                        "cib serve: warning: the installer URLs will name http://{bound}, which \
                         no browser can reach; give --public-url"
                    );
                }
                format!("http://{bound}")
            });
            let custom = custom_install::CustomInstall::new(
                state_dir,
                &public_url,
                installers.clone(),
                threads,
            )
            .map_err(|err| {
                format!(
                    "cannot use {} as the state folder: {err}",
                    state_dir.display()
                )
            })?
            .with_key_bits(
                args.xmlrpc_key_bits
                    .unwrap_or(custom_install::LEGACY_KEY_BITS),
            );
            Some(Arc::new(custom))
        }
        None => None,
    };
    let folders = app::Folders {
        site,
        installers,
        manifest: Arc::new(manifest),
    };

    let app = app::build(folders, custom, secs(args.request_timeout));
    let limits = speed::loops::Limits {
        max_connections: args.max_connections as usize,
        header_timeout: secs(args.header_timeout),
        shutdown_grace: secs(args.shutdown_grace),
    };
    let loops = speed::loops::Loops::start(threads, app, limits)
        .map_err(|err| format!("cannot start the serving threads: {err}"))?;

    // This thread accepts the connections until told to stop; the listener stays with the
    // runtime it was made in.
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let acceptor = std::thread::Builder::new()
        .name("cib-serve-accept".into())
        .spawn(move || {
            // A dropped sender stops the host as a sent stop does.
            let stopped = async {
                let _ = stopped.await;
            };
            runtime.block_on(loops.accept(listener, limits, stopped));
        })
        .map_err(|err| format!("cannot start the serving threads: {err}"))?;
    Ok(Running {
        addr: bound,
        stop: Some(stop),
        acceptor: Some(acceptor),
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the async runtime: {err}"))
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn missing_site(site: &Path, err: std::io::Error) -> String {
    format!(
        "no site folder at {} ({err}).\n\
         Build the page first: `trunk build --release` in web/ (it writes web/dist), \
         or run `scripts/run.sh`, which builds the page and serves it; \
         or point --site at a built page.",
        site.display()
    )
}
