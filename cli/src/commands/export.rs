//! `cib export OUT`: the page, the base installers and a static manifest in one folder that any
//! static host serves as it is, with the headers the host should send (`_headers` for hosts that
//! read one, `_headers.nginx` for the nginx block in docs/deploy.md).
//!
//! Every file of the built page is copied, so the saved single-file page, once the page build
//! makes one, is exported with the rest. The folder is made beside OUT and renamed into place.

use crate::failure::{Failure, Outcome};
use cib_serve::rules::confine::Confined;
use cib_serve::rules::export as rules;
use cib_serve::rules::manifest::{self, Manifest};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write (made whole beside it, then renamed into place).
    out: PathBuf,
    /// The built page (trunk's output folder).
    #[arg(long, default_value = "web/dist")]
    site: PathBuf,
    /// The base installers, exported to `base_installers/` with `manifest.json`.
    #[arg(long, default_value = "base_installers")]
    base_installers: PathBuf,
    /// Replace OUT if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(args: Args) -> Outcome {
    if args.out.exists() && !args.force {
        return Err(refusal(&args.out));
    }
    let site = Confined::new(&args.site)
        .ok()
        .filter(|site| site.root().join("index.html").is_file())
        .ok_or_else(|| {
            Failure::Other(format!(
                "the page is not built: {} has no index.html; build it with \
                 `cd web && trunk build --release`, or name the built folder with --site",
                args.site.display()
            ))
        })?;
    let installers = Confined::new(&args.base_installers).map_err(|e| {
        Failure::Other(format!(
            "cannot read the base installers folder {}: {e}",
            args.base_installers.display()
        ))
    })?;

    let parent = match args.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| Failure::Other(format!("cannot create {}: {e}", parent.display())))?;
    let staging = tempfile::Builder::new()
        .prefix(".cib-export-")
        .tempdir_in(&parent)
        .map_err(|e| Failure::Other(format!("cannot write in {}: {e}", parent.display())))?;
    let failed = |e: io::Error| Failure::Other(format!("cannot export: {e}"));
    let root = staging.path();

    let mut pages = copy_tree(&site, site.root(), root).map_err(failed)?;
    let exported = root.join("base_installers");
    fs::create_dir(&exported).map_err(failed)?;
    copy_installers(&installers, &exported).map_err(failed)?;
    // Listed from the copies, exactly as `cib serve` would list them there.
    let listing = Manifest::new(Some(Confined::new(&exported).map_err(failed)?)).map_err(failed)?;
    fs::write(exported.join("manifest.json"), listing.json()).map_err(failed)?;
    pages.extend(
        ["base_installers/manifest.json".to_owned()]
            .into_iter()
            .chain(listed_files(&exported).map_err(failed)?),
    );
    pages.sort();

    let files = rules::Files::read(root, &pages).map_err(failed)?;
    fs::write(root.join("_headers"), files.headers_file()).map_err(failed)?;
    fs::write(root.join("_headers.nginx"), files.nginx_maps()).map_err(failed)?;
    set_readable(root).map_err(failed)?;

    put_in_place(staging, &args.out, args.force)?;
    eprintln!(
        "exported {} files to {} (serve it with the headers of _headers; nginx: docs/deploy.md)",
        pages.len(),
        args.out.display()
    );
    Ok(())
}

fn refusal(out: &Path) -> Failure {
    Failure::Other(format!(
        "{} exists already and is not overwritten (--force replaces it)",
        out.display()
    ))
}

/// Copies the files of `from` (inside `site`) to `to`, skipping hidden names and links leading
/// out, as the host would not serve them. Returns their paths relative to the site.
fn copy_tree(site: &Confined, from: &Path, to: &Path) -> io::Result<Vec<String>> {
    let mut copied = Vec::new();
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let Ok(real) = site.resolve(&entry.path()) else {
            continue;
        };
        let target = to.join(entry.file_name());
        if real.is_dir() {
            fs::create_dir(&target)?;
            copied.extend(copy_tree(site, &entry.path(), &target)?);
        } else {
            fs::copy(&real, &target)?;
            // Named as linked: a link to a page of the site is served under its own name.
            let path = entry.path();
            let relative = path.strip_prefix(site.root()).unwrap_or(&path);
            copied.push(relative.to_string_lossy().into_owned());
        }
    }
    Ok(copied)
}

/// The archives the manifest would list; nothing else of the folder is served.
fn copy_installers(installers: &Confined, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(installers.root())? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(text) = name.to_str().filter(|n| manifest::is_archive_name(n)) else {
            continue;
        };
        let Ok(real) = installers.resolve(&entry.path()) else {
            continue;
        };
        if real.is_file() {
            fs::copy(&real, to.join(text))?;
        }
    }
    Ok(())
}

fn listed_files(folder: &Path) -> io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in fs::read_dir(folder)? {
        if let Some(name) = entry?.file_name().to_str() {
            if name != "manifest.json" {
                names.push(format!("base_installers/{name}"));
            }
        }
    }
    Ok(names)
}

/// A temporary folder is private (0700); the export is for everyone, like any download.
fn set_readable(root: &Path) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(root, fs::Permissions::from_mode(0o755))?;
    for entry in fs::read_dir(root)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            set_readable(&entry.path())?;
        } else {
            fs::set_permissions(entry.path(), fs::Permissions::from_mode(0o644))?;
        }
    }
    Ok(())
}

/// The old folder (with --force) is moved aside first and removed only once the new one is in
/// place, so OUT is always one whole export.
fn put_in_place(staging: tempfile::TempDir, out: &Path, force: bool) -> Outcome {
    let failed =
        |e: io::Error| Failure::Other(format!("cannot put the export at {}: {e}", out.display()));
    let old = if out.exists() {
        if !force {
            return Err(refusal(out));
        }
        let aside = tempfile::Builder::new()
            .prefix(".cib-export-old-")
            .tempdir_in(staging.path().parent().unwrap_or(Path::new(".")))
            .map_err(failed)?;
        let old = aside.path().join("old");
        fs::rename(out, &old).map_err(failed)?;
        Some(aside)
    } else {
        None
    };
    // Renaming onto an empty folder would succeed silently; `out` is gone or was never there.
    if let Err(err) = fs::rename(staging.path(), out) {
        if let Some(aside) = &old {
            let _ = fs::rename(aside.path().join("old"), out);
        }
        return Err(failed(err));
    }
    // Renamed away: nothing is left for the guard to remove.
    let _ = staging.keep();
    drop(old);
    Ok(())
}
