//! `cib serve`: the tiny static host. (Being written.)

use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub fn run(_args: ServeArgs) -> ExitCode {
    eprintln!("cib serve: not built yet");
    ExitCode::from(1)
}
