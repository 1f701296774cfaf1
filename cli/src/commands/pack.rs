//! `cib pack-base-installers`: make base installers from a folder with the Seattle layout, with
//! `metainfo` signed for Seattle's software updater as Seattle's dist does. The repository's
//! demo base installers are made this way, reproducibly.

use crate::failure::{Failure, Outcome};
use crate::files::{create_folder, read_key, write_bytes, Existing, Readers};
use cib_core::base_installer::{pack, TreeEntry};
use cib_core::metainfo::{self, python_float};
use cib_core::{KeyPair, Platform, PrivateKey, PublicKey};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder that holds `seattle/` (with `seattle/seattle_repy/` inside).
    tree: PathBuf,
    /// Where to write seattle_linux.tgz, seattle_mac.tgz, seattle_win.zip and seattle_android.zip.
    #[arg(long, default_value = "base_installers")]
    out: PathBuf,
    /// The update site's public key (`e n`); the tree's softwareupdater.py, if any, must carry it.
    #[arg(long, value_name = "FILE")]
    updater_public_key: Option<PathBuf>,
    /// Its private key (`d p q`), which signs seattle/seattle_repy/metainfo.
    #[arg(long, value_name = "FILE")]
    updater_private_key: Option<PathBuf>,
    /// The signing time in seconds since 1970 (default: now), for reproducible installers; never
    /// in the future.
    #[arg(long, value_name = "SECONDS")]
    signed_at: Option<u64>,
}

pub fn run(args: Args) -> Outcome {
    let mut problems = Vec::new();
    if !args.tree.join("seattle/seattle_repy").is_dir() {
        problems.push(format!(
            "{} has no seattle/seattle_repy/ folder; a base installer needs the Seattle layout",
            args.tree.display()
        ));
    }
    let signing = signing(&args, &mut problems)?;
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    let mut tree = Vec::new();
    collect(&args.tree, &args.tree.join("seattle"), &mut tree)?;
    if let Some((signer, signed_at)) = &signing {
        metainfo::sign_tree(&mut tree, signer, *signed_at as f64)
            .map_err(|why| Failure::Invalid(format!("{}: {why}", args.tree.display())))?;
    }
    let mut installers = Vec::new();
    for platform in Platform::ALL {
        let bytes = pack(platform.archive_kind(), &tree).map_err(Failure::Invalid)?;
        installers.push((args.out.join(platform.file_name()), bytes));
    }
    create_folder(&args.out)?;
    for (path, bytes) in &installers {
        write_bytes(path, Existing::Replace, Readers::All, bytes)?;
    }
    eprintln!(
        "packed {} entries into 4 base installers in {}",
        tree.len(),
        args.out.display()
    );
    match &signing {
        Some((signer, signed_at)) => eprintln!(
            "{} lists {} files, signed at {} with the updater key {}",
            metainfo::ARCHIVE_PATH,
            metainfo::listing(&tree).map_or(0, |l| l.len()),
            python_float(*signed_at as f64),
            signer.public.abbreviated()
        ),
        None => eprintln!(
            "no updater keys given, so the installers carry no metainfo signed for Seattle's \
             software updater{}; give --updater-public-key and --updater-private-key to sign one",
            if tree.iter().any(|e| e.path == metainfo::ARCHIVE_PATH) {
                " (the tree's own metainfo is packed as it is)"
            } else {
                ""
            }
        ),
    }
    Ok(())
}

/// The updater key pair and the signing time, or none of them; every problem with them is
/// added to `problems`. Only a key file that cannot be read fails at once.
fn signing(args: &Args, problems: &mut Vec<String>) -> Result<Option<(KeyPair, u64)>, Failure> {
    let (public, private) = match (&args.updater_public_key, &args.updater_private_key) {
        (Some(public), Some(private)) => (public, private),
        (None, None) => {
            if args.signed_at.is_some() {
                problems.push(
                    "--signed-at needs --updater-public-key and --updater-private-key".into(),
                );
            }
            return Ok(None);
        }
        _ => {
            problems.push(
                "give both --updater-public-key and --updater-private-key, or neither".into(),
            );
            return Ok(None);
        }
    };
    let public = read_key(public, PublicKey::parse, problems)?;
    let private = read_key(private, PrivateKey::parse, problems)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|e| Failure::Other(format!("the clock is before 1970: {e}")))?
        .as_secs();
    let signed_at = args.signed_at.unwrap_or(now);
    if signed_at > now {
        problems.push(format!(
            "--signed-at {signed_at} is in the future (now is {now}): the software updater would \
             refuse every update signed before then"
        ));
    }
    let (Some(public), Some(private)) = (public, private) else {
        return Ok(None);
    };
    match KeyPair::new(public, private) {
        Ok(pair) => Ok(Some((pair, signed_at))),
        Err(why) => {
            problems.push(format!(
                "{} and {}: {why}",
                args.updater_public_key.as_ref().expect("given").display(),
                args.updater_private_key.as_ref().expect("given").display()
            ));
            Ok(None)
        }
    }
}

fn invalid(problems: Vec<String>) -> Failure {
    match &problems[..] {
        [one] => Failure::Invalid(one.clone()),
        _ => Failure::Invalid(format!(
            "{} problems, nothing written:\n  {}",
            problems.len(),
            problems.join("\n  ")
        )),
    }
}

/// The folder and everything below it, sorted by name so the archives are reproducible.
fn collect(root: &Path, folder: &Path, tree: &mut Vec<TreeEntry>) -> Result<(), Failure> {
    let unreadable =
        |e: std::io::Error| Failure::Other(format!("cannot read {}: {e}", folder.display()));
    let relative = |path: &Path| {
        path.strip_prefix(root)
            .expect("below the root")
            .to_string_lossy()
            .replace('\\', "/")
    };
    tree.push(TreeEntry::folder(&format!("{}/", relative(folder))));
    let mut children: Vec<PathBuf> = fs::read_dir(folder)
        .map_err(unreadable)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()
        .map_err(unreadable)?;
    children.sort();
    for child in children {
        let meta = fs::symlink_metadata(&child).map_err(unreadable)?;
        if meta.is_dir() {
            collect(root, &child, tree)?;
        } else if meta.is_file() {
            let executable = meta.permissions().mode() & 0o111 != 0;
            let contents = fs::read(&child).map_err(unreadable)?;
            let mode = if executable { 0o755 } else { 0o644 };
            tree.push(TreeEntry::file(&relative(&child), mode, contents));
        } else {
            return Err(Failure::Invalid(format!(
                "{} is neither a file nor a folder",
                child.display()
            )));
        }
    }
    Ok(())
}
