//! `cib build`: generate the missing keys, then every requested installer and the key files.

use crate::commands::vesselinfo::vesselinfo_of;
use crate::failure::{Failure, Outcome};
use crate::files::{
    customize_file, read_description_noting_unlisted, refuse_existing, Existing, Outputs, Readers,
};
use cib_core::key_files::{private_keys_zip, public_keys_zip, PRIVATE_KEYS_ZIP, PUBLIC_KEYS_ZIP};
use cib_core::{share_link, KeyBits, KeyPair, Platform, PrivateKey};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The build description; users without a "public_key", and names found only in vessels
    /// ("user_data" may be left out), get a generated key pair.
    #[arg(required_unless_present = "link", conflicts_with = "link")]
    build: Option<PathBuf>,
    /// Build from a share link (`cib link`'s or the page's: the fragment or the whole URL)
    /// instead of BUILD.json. --platform then defaults to the link's platforms.
    #[arg(long, value_name = "LINK")]
    link: Option<String>,
    /// The folder holding the base installers, under their usual names (seattle_linux.tgz, ...).
    #[arg(long, default_value = "base_installers")]
    base_installers: PathBuf,
    /// A platform to build for (linux, mac, windows, android); repeat for several. Default: all
    /// four (with --link, the link's).
    #[arg(long = "platform", value_name = "PLATFORM")]
    platforms: Vec<Platform>,
    /// The folder to write into; created if missing.
    #[arg(long)]
    out: PathBuf,
    /// The size of generated keys: 2048, 3072, 4096, or 1024 (the legacy builder's size, which
    /// NIST has disallowed since 2013).
    #[arg(long, default_value_t = 2048)]
    bits: usize,
    /// Replace files that exist already in the output folder.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Outcome {
    let (mut description, unlisted, chosen) = match (&args.build, &args.link) {
        (Some(path), _) => {
            let (description, unlisted) = read_description_noting_unlisted(path)?;
            (description, unlisted, Platform::ALL.to_vec())
        }
        (None, Some(link)) => {
            let shared = share_link::decode(link).map_err(Failure::Invalid)?;
            (shared.description, Vec::new(), shared.platforms)
        }
        (None, None) => return Err(Failure::Invalid("give BUILD.json or --link LINK".into())),
    };
    let bits = KeyBits::from_bits(args.bits).map_err(Failure::Invalid)?;
    let mut platforms = match args.platforms.is_empty() {
        true => chosen,
        false => args.platforms.clone(),
    };
    if platforms.is_empty() {
        return Err(Failure::Invalid(
            "the link chooses no platform; name them with --platform".into(),
        ));
    }
    platforms.sort();
    platforms.dedup();

    let outputs: Vec<PathBuf> = platforms
        .iter()
        .map(|p| p.file_name())
        .chain([
            "vesselinfo",
            "build.json",
            PUBLIC_KEYS_ZIP,
            PRIVATE_KEYS_ZIP,
        ])
        .map(|name| args.out.join(name))
        .collect();
    if !args.force {
        refuse_existing(&outputs, " (use --force to replace them)")?;
    }

    // Everything that can fail on the input is checked before a key is made or a file written.
    let bases: Vec<(Platform, PathBuf)> = platforms
        .iter()
        .map(|&p| (p, args.base_installers.join(p.file_name())))
        .collect();
    let missing: Vec<String> = bases
        .iter()
        .filter(|(_, path)| !path.is_file())
        .map(|(_, path)| format!("  {}", path.display()))
        .collect();
    if !missing.is_empty() {
        return Err(Failure::Other(format!(
            "base installers not found (use --base-installers DIR or --platform):\n{}",
            missing.join("\n")
        )));
    }

    let mut generated: Vec<(String, PrivateKey)> = Vec::new();
    let names: Vec<String> = description
        .users_without_key()
        .map(|u| u.name.clone())
        .collect();
    for name in names {
        let pair = KeyPair::generate(&mut rand::rngs::OsRng, bits).map_err(Failure::Other)?;
        description
            .set_public_key(&name, pair.public)
            .map_err(Failure::Other)?;
        generated.push((name, pair.private));
    }
    let vesselinfo = vesselinfo_of(&description)?;
    let installers = bases
        .iter()
        .map(|(platform, path)| Ok((*platform, customize_file(path, &vesselinfo)?)))
        .collect::<Result<Vec<_>, Failure>>()?;

    let mut written = Outputs::in_folder(&args.out)?;
    let existing = if args.force {
        Existing::Replace
    } else {
        Existing::Keep
    };
    // The private keys first: they are the one thing that cannot be made again.
    if !generated.is_empty() {
        let keys = generated.iter().map(|(name, key)| (name.as_str(), key));
        written.write_bytes(
            &args.out.join(PRIVATE_KEYS_ZIP),
            existing,
            Readers::Owner,
            &private_keys_zip(keys),
        )?;
    }
    let public = description
        .users
        .iter()
        .filter_map(|u| u.public_key.as_ref().map(|k| (u.name.as_str(), k)));
    written.write_bytes(
        &args.out.join(PUBLIC_KEYS_ZIP),
        existing,
        Readers::All,
        &public_keys_zip(public),
    )?;
    written.write_bytes(
        &args.out.join("build.json"),
        existing,
        Readers::All,
        description.to_json().as_bytes(),
    )?;
    written.write_bytes(
        &args.out.join("vesselinfo"),
        existing,
        Readers::All,
        vesselinfo.as_bytes(),
    )?;
    for (platform, installer) in &installers {
        let path = args.out.join(platform.file_name());
        written.write(&path, existing, Readers::All, |out| {
            installer.customized.pieces.write_to(&installer.base, out)
        })?;
    }
    written.keep();
    // A misspelt name gets a key of its own instead of an error, so each is said.
    for name in &unlisted {
        eprintln!("{name} is in no user_data entry: generated a key pair");
    }
    eprintln!(
        "built {} installer{} in {}{}",
        installers.len(),
        if installers.len() == 1 { "" } else { "s" },
        args.out.display(),
        if generated.is_empty() {
            String::new()
        } else {
            format!(
                "; generated keys for {}: keep {PRIVATE_KEYS_ZIP} safe, it cannot be made again",
                generated
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    );
    Ok(())
}
