//! Reading the files a person gives: a `.publickey` for step 1, and, in the saved page, the
//! base installers and manifest chosen from disk, each checked by the code that customizes it.
//! Each read ends by reporting an `Action`.

use crate::action::{Action, Dispatch};
use crate::customize;
use crate::installers::{self, Manifest};
use crate::places::Places;
use crate::words::{size, text, Said};
use cib_core::base_installer::MAX_BASE_BYTES;
use cib_core::ArchiveKind;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{File, FileList, HtmlInputElement};

/// A `.publickey` of 16384 bits is under 10 kB; anything far larger is not one.
const MAX_KEY_FILE_BYTES: f64 = 64_000.0;
/// A manifest of four entries is a few hundred bytes.
const MAX_MANIFEST_BYTES: f64 = 1_000_000.0;

/// Why a file given to be an installer cannot be: `problem`, as a sentence.
pub fn cannot_be_used(problem: Said) -> Said {
    Said::new(
        "ui-cannot-be-used",
        vec![("problem", Said::sentence(problem).into())],
    )
}

/// A file's text, unless it is larger than `limit` bytes (`too_large` then says so).
async fn read_text(
    file: &File,
    limit: f64,
    too_large: Said,
    unreadable: Said,
) -> Result<String, Said> {
    if file.size() > limit {
        return Err(too_large);
    }
    JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|t| t.as_string())
        .ok_or(unreadable)
}

/// A chosen or dropped key file fills the key field (where the person sees what was read).
pub fn key_file(dispatch: Dispatch, file: File) {
    spawn_local(async move {
        let name = file.name();
        let named = |id| Said::new(id, vec![("name", text(&name))]);
        let read = read_text(
            &file,
            MAX_KEY_FILE_BYTES,
            named("ui-key-file-too-large"),
            named("ui-file-unreadable"),
        )
        .await;
        dispatch.send(Action::KeyFileRead {
            file: name,
            text: read,
        });
    });
}

/// The first file of a file input.
pub fn first_file(input: &HtmlInputElement) -> Option<File> {
    input.files()?.get(0)
}

/// The base installers and manifest a person chose or dropped; `next_id` is the id the first
/// of them gets.
pub fn base_installers(dispatch: &Dispatch, places: &Places, files: &FileList, next_id: u32) {
    let mut id = next_id;
    for file in (0..files.length()).filter_map(|i| files.get(i)) {
        if file.name().to_ascii_lowercase().ends_with(".json") {
            spawn_local(manifest(dispatch.clone(), file));
            continue;
        }
        let (name, size) = (file.name(), file.size() as u64);
        dispatch.send(Action::InstallerChosen { id, name, size });
        spawn_local(check(dispatch.clone(), places.clone(), id, file));
        id += 1;
    }
}

async fn manifest(dispatch: Dispatch, file: File) {
    let read = read_text(
        &file,
        MAX_MANIFEST_BYTES,
        Said::id("ui-manifest-too-large"),
        Said::id("ui-unreadable"),
    )
    .await;
    let manifest = read.and_then(|text| Manifest::parse_typed(&text).map_err(|p| Said::of(&p)));
    let name = file.name();
    dispatch.send(Action::ManifestChosen { name, manifest });
}

/// The sha256 first (shown at once), then the check: customizing with an empty vesselinfo, by
/// the same code as a build, so that a file that passes here builds.
async fn check(dispatch: Dispatch, places: Places, id: u32, file: File) {
    let check = if file.size() > MAX_BASE_BYTES as f64 {
        Err(Said::new(
            "ui-base-too-large",
            vec![("size", size(file.size() as u64).into())],
        ))
    } else {
        match installers::sha256_hex(&file).await {
            Ok(sha256) => {
                let hashed = Action::InstallerHashed {
                    id,
                    sha256: sha256.clone(),
                };
                if !dispatch.send(hashed) {
                    return;
                }
                let kind = kind_of(&places, &file).await;
                // Only a file that customizes joins the verified ones the build takes.
                if kind.is_ok() {
                    installers::verified(&sha256, &file);
                }
                kind
            }
            Err(e) => Err(Said::new(
                "ui-could-not-read",
                vec![("problem", Said::sentence(e).into())],
            )),
        }
    };
    dispatch.send(Action::InstallerChecked { id, check });
}

/// The archive kind, as customizing found it (the type of the installer it made).
async fn kind_of(places: &Places, file: &File) -> Result<ArchiveKind, Said> {
    let made = customize::installer_off_thread(places, file, "")
        .await
        .map_err(cannot_be_used)?;
    Ok(if made.type_() == ArchiveKind::TarGz.media_type() {
        ArchiveKind::TarGz
    } else {
        ArchiveKind::Zip
    })
}
