//! `cib keygen`: a Seattle key pair in NAME.publickey and NAME.privatekey.

use crate::failure::{Failure, Outcome};
use crate::files::{refuse_existing, Existing, Outputs, Readers};
use cib_core::{KeyBits, KeyPair};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The key's name (a user name: 3 to 40 of letters, digits and _).
    name: String,
    /// The modulus size: 2048, 3072, 4096, or 1024 (the legacy builder's size, which NIST has
    /// disallowed since 2013).
    #[arg(long, default_value_t = 2048)]
    bits: usize,
    /// The folder to write the two files into.
    #[arg(long, default_value = ".")]
    out: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    cib_core::user::check_name(&args.name).map_err(Failure::Invalid)?;
    let bits = KeyBits::from_bits(args.bits).map_err(Failure::Invalid)?;
    let public_path = args.out.join(format!("{}.publickey", args.name));
    let private_path = args.out.join(format!("{}.privatekey", args.name));
    refuse_existing(&[public_path.clone(), private_path.clone()], "")?;
    let mut outputs = Outputs::in_folder(&args.out)?;
    let pair = KeyPair::generate(&mut rand::rngs::OsRng, bits).map_err(Failure::Other)?;
    outputs.write_bytes(
        &private_path,
        Existing::Keep,
        Readers::Owner,
        pair.private.to_string().as_bytes(),
    )?;
    outputs.write_bytes(
        &public_path,
        Existing::Keep,
        Readers::All,
        pair.public.to_string().as_bytes(),
    )?;
    outputs.keep();
    eprintln!(
        "wrote {} and {}",
        public_path.display(),
        private_path.display()
    );
    Ok(())
}
