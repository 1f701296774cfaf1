//! The `cib` command line: the core library's work from a shell, and the static host of
//! `cib-serve`.

mod commands;
mod failure;
mod files;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "cib",
    version,
    about = "Seattle custom installers: build them, or serve the in-browser builder",
    after_help = "Exit status: 0 on success, 2 when the input is invalid, 1 on any other failure."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the vesselinfo file of a build description.
    Vesselinfo(commands::vesselinfo::Args),
    /// Customize one base installer for a build description (every user needs a key).
    Customize(commands::customize::Args),
    /// Generate missing keys, then write installers, vesselinfo, key zips and build.json.
    Build(commands::build::Args),
    /// Print the share link of a build description whose users all have keys: the page opens it,
    /// `cib build --link` builds from it.
    Link(commands::link::Args),
    /// Generate a Seattle key pair: NAME.publickey and NAME.privatekey.
    Keygen(commands::keygen::Args),
    /// Make the four base installers from a folder with the Seattle layout; with the updater keys,
    /// metainfo signed as Seattle's dist does.
    PackBaseInstallers(commands::pack::Args),
    /// Show what an installer grants: each vessel's owner and users by key fingerprint, whether
    /// Seattle's installer accepts its vesselinfo, and what its signed metainfo says.
    Inspect(commands::inspect::Args),
    /// Check a base installer's signed metainfo against its files and the updater key.
    VerifyBaseInstaller(commands::verify::Args),
    /// Rewrite a tar.gz base installer (same entries) so customizing it needs no recompression.
    RelayoutBaseInstaller(commands::relayout::Args),
    /// Write the page, the base installers, their manifest and the headers to send into one
    /// folder any static host serves.
    Export(commands::export::Args),
    /// Serve the builder page and the base installers over HTTP.
    Serve(commands::serve::ServeArgs),
}

fn main() -> ExitCode {
    let outcome = match Cli::parse().command {
        Command::Vesselinfo(args) => commands::vesselinfo::run(args),
        Command::Customize(args) => commands::customize::run(args),
        Command::Build(args) => commands::build::run(args),
        Command::Keygen(args) => commands::keygen::run(args),
        Command::Link(args) => commands::link::run(args),
        Command::PackBaseInstallers(args) => commands::pack::run(args),
        Command::RelayoutBaseInstaller(args) => commands::relayout::run(args),
        Command::VerifyBaseInstaller(args) => commands::verify::run(args),
        Command::Inspect(args) => commands::inspect::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Serve(args) => return commands::serve::run(args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("cib: {failure}");
            failure.exit_code()
        }
    }
}
