//! `cib link`: the share link of a build description, which the page opens and
//! `cib build --link` builds from.

use crate::commands::vesselinfo::no_key;
use crate::failure::{Failure, Outcome};
use crate::files::{print, read_description};
use cib_core::share_link::{encode, Shared};
use cib_core::Platform;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The build description; every user needs a "public_key" (`cib build` writes build.json
    /// with every key filled in).
    build: PathBuf,
    /// The builder page's URL: print the whole link, URL#fragment, not the fragment alone.
    #[arg(long, value_name = "URL")]
    page: Option<String>,
    /// A platform the link chooses (linux, mac, windows, android); repeat for several.
    /// Default: all four.
    #[arg(long = "platform", value_name = "PLATFORM")]
    platforms: Vec<Platform>,
}

pub fn run(args: Args) -> Outcome {
    let description = read_description(&args.build)?;
    let missing: Vec<&str> = description
        .users_without_key()
        .map(|u| u.name.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Failure::Invalid(format!(
            "{}, and a link carries public keys only: build first (`cib build` writes build.json with every key filled in) or give each a \"public_key\"",
            no_key(&missing)
        )));
    }
    let platforms = match args.platforms.is_empty() {
        true => Platform::ALL.to_vec(),
        false => args.platforms,
    };
    let shared = Shared {
        description,
        platforms,
    };
    let fragment =
        encode(&shared).map_err(|e| Failure::Invalid(format!("{}: {e}", args.build.display())))?;
    let link = match &args.page {
        // A page URL copied with a fragment of its own keeps only what comes before it.
        Some(page) => format!("{}#{fragment}", page.split('#').next().unwrap_or_default()),
        None => fragment,
    };
    print(&format!("{link}\n"))
}
