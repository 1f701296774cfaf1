//! `cib relayout-base-installer`: rewrite a foreign tar.gz base installer as cib lays out its own,
//! the end-of-archive blocks in a tiny last gzip member, so that customizing it compresses only
//! vesselinfo and that member again (a foreign one costs a deflate block more).

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
