//! `cib customize`: one base installer of any name, customized for a build description.

use crate::commands::vesselinfo::vesselinfo_of;
use crate::failure::Outcome;
use crate::files::{customize_file, read_description, write_atomically, Existing, Readers};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The build description; every user needs a public key.
    build: PathBuf,
    /// The base installer (a zip or a gzip'd tar; the type is read from its bytes).
    base: PathBuf,
    /// Where to write the customized installer (replaced if it exists).
    out: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    let description = read_description(&args.build)?;
    let vesselinfo = vesselinfo_of(&description)?;
    let installer = customize_file(&args.base, &vesselinfo)?;
    write_atomically(&args.out, Existing::Replace, Readers::All, |out| {
        installer.customized.pieces.write_to(&installer.base, out)
    })
}
