//! `cib pack-base-installers`: make base installers from a folder with the Seattle layout. The
//! repository's demo base installers are made this way, reproducibly.

use crate::failure::{Failure, Outcome};
use crate::files::{create_folder, write_bytes, Existing, Readers};
use cib_core::base_installer::{pack, TreeEntry};
use cib_core::Platform;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder that holds `seattle/` (with `seattle/seattle_repy/` inside).
    tree: PathBuf,
    /// Where to write seattle_linux.tgz, seattle_mac.tgz, seattle_win.zip and seattle_android.zip.
    #[arg(long, default_value = "base_installers")]
    out: PathBuf,
}

pub fn run(args: Args) -> Outcome {
    if !args.tree.join("seattle/seattle_repy").is_dir() {
        return Err(Failure::Invalid(format!(
            "{} has no seattle/seattle_repy/ folder; a base installer needs the Seattle layout",
            args.tree.display()
        )));
    }
    let mut tree = Vec::new();
    collect(&args.tree, &args.tree.join("seattle"), &mut tree)?;
    create_folder(&args.out)?;
    for platform in Platform::ALL {
        let bytes = pack(platform.archive_kind(), &tree).map_err(Failure::Invalid)?;
        write_bytes(
            &args.out.join(platform.file_name()),
            Existing::Replace,
            Readers::All,
            &bytes,
        )?;
    }
    eprintln!(
        "packed {} entries into 4 base installers in {}",
        tree.len(),
        args.out.display()
    );
    Ok(())
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
