//! `cib serve`: the command line of the host in `cib-serve`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

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
    #[arg(long, value_name = "URL", requires = "xmlrpc", value_parser = cib_serve::public_url)]
    public_url: Option<String>,
    /// The size of the key pairs generated for users without a key: 1024 (what the legacy API
    /// made and clearinghouses expect), 2048, 3072 or 4096.
    #[arg(long, value_name = "N", requires = "xmlrpc", value_parser = key_bits)]
    xmlrpc_key_bits: Option<cib_core::KeyBits>,
}

pub fn run(args: ServeArgs) -> ExitCode {
    let options = cib_serve::Options {
        addr: args.addr,
        site: args.site,
        base_installers: args.base_installers,
        max_connections: args.max_connections,
        header_timeout: args.header_timeout,
        request_timeout: args.request_timeout,
        shutdown_grace: args.shutdown_grace,
        threads: args.threads,
        xmlrpc: args.xmlrpc,
        public_url: args.public_url,
        xmlrpc_key_bits: args.xmlrpc_key_bits,
    };
    match cib_serve::run(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("cib serve: {message}");
            ExitCode::from(1)
        }
    }
}

fn key_bits(text: &str) -> Result<cib_core::KeyBits, String> {
    let bits = text
        .parse()
        .map_err(|_| format!("{text:?} is not a number of bits"))?;
    cib_core::KeyBits::from_bits(bits)
}
