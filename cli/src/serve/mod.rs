//! `cib serve`: the tiny static host for the builder page and the base installers.
//!
//! The page (trunk's output) is served at `/`, the base installers at `/base_installers/` with a
//! manifest of their sizes and SHA-256 sums. Nothing else on disk is reachable.

mod access_log;
mod app;
mod changes;
pub(crate) mod confine;
pub(crate) mod csp;
mod custom_install;
pub(crate) mod headers;
pub(crate) mod manifest;
mod paths;
mod sendfile;
mod served;
mod server;
mod stamp;
mod store;
mod wrap;

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port (the printed URL names it).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The built page (trunk's output folder), served at `/`.
    #[arg(long, default_value = "web/dist")]
    site: PathBuf,
    /// The base installers, served at `/base_installers/` with `manifest.json`.
    #[arg(long, default_value = "base_installers")]
    base_installers: PathBuf,
    /// Connections served at once; more wait in the kernel's accept queue.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    max_connections: u32,
    /// Seconds a client gets to send a request's headers; an idle kept-alive connection is
    /// closed after the same time.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout: u64,
    /// Seconds a request may take before its response starts (408 after that).
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    request_timeout: u64,
    /// Seconds that requests in flight get to finish after Ctrl-C or SIGTERM.
    #[arg(long, default_value_t = 30)]
    shutdown_grace: u64,
    /// Event loops (threads) serving requests; by default one per CPU.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Also answer the legacy builder's XML-RPC API at /custom_install/xmlrpc/ and its installer
    /// URLs, keeping one small record per build in this folder (created if missing).
    #[arg(long, value_name = "STATE_DIR")]
    xmlrpc: Option<PathBuf>,
    /// The origin written into the installer URLs the API returns (what donors' browsers
    /// follow; behind a TLS proxy, the public address). Default: http://ADDR.
    #[arg(long, value_name = "URL", requires = "xmlrpc", value_parser = public_url)]
    public_url: Option<String>,
    /// The size of the key pairs generated for users without a key: 1024 (what the legacy API
    /// made and clearinghouses expect), 2048, 3072 or 4096.
    #[arg(long, value_name = "N", requires = "xmlrpc", value_parser = key_bits)]
    xmlrpc_key_bits: Option<cib_core::KeyBits>,
}

fn key_bits(text: &str) -> Result<cib_core::KeyBits, String> {
    let bits = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of bits"))?;
    cib_core::KeyBits::from_bits(bits)
}

/// An http or https URL with a host, and neither query nor fragment; a path is kept as a prefix.
fn public_url(text: &str) -> Result<String, String> {
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

pub fn run(args: ServeArgs) -> ExitCode {
    match start(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cib serve: {message}");
            ExitCode::from(1)
        }
    }
}

fn start(args: ServeArgs) -> Result<(), String> {
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| format!("cannot start the async runtime: {err}"))?;
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
    let limits = server::Limits {
        max_connections: args.max_connections as usize,
        header_timeout: secs(args.header_timeout),
        shutdown_grace: secs(args.shutdown_grace),
    };
    let loops = server::Loops::start(threads, app, limits)
        .map_err(|err| format!("cannot start the serving threads: {err}"))?;

    // This thread accepts the connections and waits for the stop signal.
    runtime.block_on(async {
        let stop = server::stop_signal()
            .map_err(|err| format!("cannot watch for Ctrl-C and SIGTERM: {err}"))?;
        // Tests and scripts read this line to learn the port, so it goes out before any request.
        println!("Serving http://{bound}/");
        let _ = std::io::stdout().flush();
        loops.accept(listener, limits, stop).await;
        Ok(())
    })
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
