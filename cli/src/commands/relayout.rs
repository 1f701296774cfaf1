//! `cib relayout-base-installer`: rewrite a foreign tar.gz base installer so that customizing it
//! (in the page or here) costs one decompression instead of a decompression and a recompression.

use crate::failure::{Failure, Outcome};
use crate::files::{write_bytes, Existing, Readers};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A gzip'd tar base installer (seattle_linux.tgz, seattle_mac.tgz).
    base: PathBuf,
    /// Where to write the same installer in the fast layout (may be the same path).
    out: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    let base = std::fs::read(&args.base).map_err(|e| {
        Failure::Other(format!(
            "cannot read the base installer {}: {e}",
            args.base.display()
        ))
    })?;
    let relaid = cib_core::base_installer::relayout(&base)
        .map_err(|e| Failure::Invalid(format!("{}: {e}", args.base.display())))?;
    write_bytes(&args.out, Existing::Replace, Readers::All, &relaid)?;
    eprintln!(
        "{}: {} bytes, same entries, laid out for fast customizing",
        args.out.display(),
        relaid.len()
    );
    Ok(())
}
