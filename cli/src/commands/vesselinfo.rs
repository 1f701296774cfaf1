//! `cib vesselinfo`: print the vesselinfo of a build description.

use crate::failure::{Failure, Outcome};
use crate::files::{print, read_description};
use cib_core::BuildDescription;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The build description (JSON: {"vessels": [...], "user_data": {...}}).
    build: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    let description = read_description(&args.build)?;
    let text = vesselinfo_of(&description)?;
    print(&text)
}

/// The vesselinfo, or the users who still need a key and where to get one.
pub fn vesselinfo_of(description: &BuildDescription) -> Result<String, Failure> {
    cib_core::vesselinfo::write(description).map_err(|missing| {
        Failure::Invalid(format!(
            "{}; `cib build` generates the missing keys (or give each a \"public_key\")",
            no_key(&missing)
        ))
    })
}

/// "alice, bob have no public key"
pub fn no_key(names: &[impl AsRef<str>]) -> String {
    let names: Vec<&str> = names.iter().map(|n| n.as_ref()).collect();
    format!(
        "{} ha{} no public key",
        names.join(", "),
        if names.len() == 1 { "s" } else { "ve" }
    )
}
