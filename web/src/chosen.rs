//! The saved page's base installers, chosen from disk: a page opened from a file may fetch
//! nothing, so the person gives them, with the file input labelled "Base installers" or by
//! dropping them on it. Each file is checked as it is chosen, by the code that customizes it
//! (so its problems read as on the hosted page), and listed with the platform it is for and
//! its sha256 to compare with the host's manifest. A `manifest.json` chosen too checks them.

use crate::app::App;
use crate::customize;
use crate::dom::{self, El, Root};
use crate::installers::{self, Manifest, ManifestEntry};
use crate::state::sentence;
use cib_core::base_installer::MAX_BASE_BYTES;
use cib_core::{ArchiveKind, Platform};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Element, File, FileList, HtmlInputElement};

pub const INPUT_ID: &str = "cib-base-installers";
const AREA_ID: &str = "cib-chosen";
const LIST_ID: &str = "cib-chosen-list";
/// A manifest of four entries is a few hundred bytes.
const MAX_MANIFEST_BYTES: f64 = 1_000_000.0;

pub struct ChosenFile {
    id: u32,
    name: String,
    file: File,
    sha256: Option<String>,
    /// What the check found: the archive kind, or why the file cannot be used. `None` while
    /// it is being checked.
    check: Option<Result<ArchiveKind, String>>,
    /// The platform the person chose, for a file whose name and contents do not say.
    picked: Option<Platform>,
}

#[derive(Default)]
pub struct Chosen {
    next_id: u32,
    files: Vec<ChosenFile>,
    /// The manifest chosen, by its file name, or why it cannot be used.
    manifest: Option<(String, Result<Manifest, String>)>,
}

/// What a chosen file is good for, all things considered.
#[derive(Debug, PartialEq)]
enum Verdict {
    Checking,
    Unusable(String),
    /// A good archive whose platform the person must choose among these.
    Ambiguous(Vec<Platform>),
    Ready(Platform),
}

impl Chosen {
    /// The platform a file is for: the person's choice, else its usual file name, else the
    /// manifest's entry of the same sha256 (two platforms may have the same file).
    fn platform_of(&self, file: &ChosenFile) -> Option<Platform> {
        let by_sha256 = || {
            let manifest = self.manifest.as_ref()?.1.as_ref().ok()?;
            let sha256 = file.sha256.as_deref()?;
            Platform::ALL
                .into_iter()
                .find(|&p| manifest.for_platform(p).is_some_and(|e| e.sha256 == sha256))
        };
        file.picked
            .or_else(|| Platform::from_file_name(&file.name))
            .or_else(by_sha256)
    }

    fn verdict(&self, at: usize) -> Verdict {
        let file = &self.files[at];
        let kind = match &file.check {
            None => return Verdict::Checking,
            Some(Err(problem)) => return Verdict::Unusable(problem.clone()),
            Some(Ok(kind)) => *kind,
        };
        let Some(sha256) = &file.sha256 else {
            return Verdict::Checking;
        };
        let Some(platform) = self.platform_of(file) else {
            let fits = Platform::ALL
                .into_iter()
                .filter(|p| p.archive_kind() == kind);
            return Verdict::Ambiguous(fits.collect());
        };
        if platform.archive_kind() != kind {
            return Verdict::Unusable(format!(
                "It is a {} archive, but a {} base installer is a {} ({}).",
                kind_name(kind),
                platform.label(),
                kind_name(platform.archive_kind()),
                platform.file_name()
            ));
        }
        if let Some((name, Ok(manifest))) = &self.manifest {
            match manifest.for_platform(platform) {
                Some(entry) if entry.sha256 == *sha256 => {}
                Some(entry) => {
                    return Verdict::Unusable(format!(
                        "It does not match {name} (sha256 {sha256}, expected {}); it will not be \
                         used.",
                        entry.sha256
                    ))
                }
                None => {
                    return Verdict::Unusable(format!(
                        "{name} lists no {} base installer; it will not be used.",
                        platform.label()
                    ))
                }
            }
        }
        // The newest choice for a platform is the one used.
        let later = self.files[at + 1..].iter().position(|other| {
            other.check.as_ref().is_some_and(|c| c.is_ok())
                && self.platform_of(other) == Some(platform)
        });
        match later {
            Some(i) => Verdict::Unusable(format!(
                "{} is used for {} instead.",
                self.files[at + 1 + i].name,
                platform.label()
            )),
            None => Verdict::Ready(platform),
        }
    }

    /// The base installers ready to use, as a manifest: the build goes on as on the hosted
    /// page, and finds each file among the verified ones by its sha256.
    pub fn manifest(&self) -> Manifest {
        let mut manifest = Manifest::default();
        for (at, file) in self.files.iter().enumerate() {
            if let (Verdict::Ready(platform), Some(sha256)) = (self.verdict(at), &file.sha256) {
                manifest.insert(ManifestEntry {
                    file: platform.file_name().to_string(),
                    size: file.file.size() as u64,
                    sha256: sha256.clone(),
                });
            }
        }
        manifest
    }

    /// What keeps these platforms from being built, in words for the person.
    pub fn problems(&self, platforms: &[Platform]) -> Vec<String> {
        if (0..self.files.len()).any(|at| self.verdict(at) == Verdict::Checking) {
            return vec!["Wait until the chosen base installers are checked.".to_string()];
        }
        let ready = self.manifest();
        platforms
            .iter()
            .filter(|&&p| ready.for_platform(p).is_none())
            .map(|&p| missing(p))
            .collect()
    }

    fn position(&self, id: u32) -> Option<usize> {
        self.files.iter().position(|f| f.id == id)
    }
}

/// The message for a platform that has no usable base installer chosen.
pub fn missing(platform: Platform) -> String {
    format!(
        "Choose the {} base installer ({}) under Base installers in step 3.",
        platform.label(),
        platform.file_name()
    )
}

fn kind_name(kind: ArchiveKind) -> &'static str {
    match kind {
        ArchiveKind::Zip => "zip",
        ArchiveKind::TarGz => "tar.gz",
    }
}

pub fn skeleton() -> El {
    El::new("div")
        .attr("id", AREA_ID)
        .class("field chosen")
        .children([
            El::new("label")
                .attr("for", INPUT_ID)
                .text("Base installers"),
            El::new("input")
                .attr("id", INPUT_ID)
                .attr("type", "file")
                .flag("multiple", true)
                .attr("accept", ".tgz,.gz,.zip,.json")
                .attr("data-action", "base-installers")
                .attr("aria-describedby", "cib-chosen-hint"),
            El::new("p")
                .attr("id", "cib-chosen-hint")
                .class("hint")
                .text(
                "This page was saved for use without a network, so it takes the base installers \
             from your disk: choose them here or drop them on this step (seattle_linux.tgz, \
             seattle_mac.tgz, seattle_win.zip, seattle_android.zip). Add the site's \
             manifest.json to check them against it.",
            ),
            El::new("ul").attr("id", LIST_ID).class("chosen-list"),
        ])
}

pub fn render(root: &Root, chosen: &Chosen) {
    let manifest = chosen.manifest.iter().map(|(name, found)| {
        let text = match found {
            Ok(manifest) => {
                let listed: Vec<&str> = Platform::ALL
                    .into_iter()
                    .filter(|&p| manifest.for_platform(p).is_some())
                    .map(Platform::label)
                    .collect();
                format!(
                    "{name}: checks the base installers for {}.",
                    listed.join(", ")
                )
            }
            Err(problem) => format!("{name} cannot be used: {}", sentence(problem)),
        };
        El::new("li").children([
            El::new("p").text(&text),
            El::button("Remove", "remove-manifest").attr("aria-label", &format!("Remove {name}")),
        ])
    });
    let files = chosen.files.iter().enumerate().map(|(at, file)| {
        let (status, platform) = match chosen.verdict(at) {
            Verdict::Checking => ("Checking…".to_string(), None),
            Verdict::Unusable(problem) => (problem, None),
            Verdict::Ready(platform) => (format!("Ready for {}.", platform.label()), None),
            Verdict::Ambiguous(fits) => (
                "Its name does not say which platform it is for: choose it.".to_string(),
                Some(platform_choice(file, &fits)),
            ),
        };
        let sha256 = file.sha256.as_deref().unwrap_or("being computed…");
        El::new("li")
            .children([
                El::new("p").children([
                    El::new("strong").text(&file.name),
                    El::new("span").text(&format!(" · {}", dom::size(file.file.size() as u64))),
                ]),
                El::new("p")
                    .class("sha256")
                    .text(&format!("sha256 {sha256}")),
                El::new("p").class("status").text(&status),
            ])
            .children(platform)
            .child(
                El::button("Remove", "remove-installer")
                    .attr("data-index", &file.id.to_string())
                    .attr("aria-label", &format!("Remove {}", file.name)),
            )
    });
    root.replace_children(LIST_ID, manifest.chain(files).collect::<Vec<_>>());
}

fn platform_choice(file: &ChosenFile, fits: &[Platform]) -> El {
    let id = format!("cib-chosen-platform-{}", file.id);
    let options = fits
        .iter()
        .map(|p| El::new("option").attr("value", p.name()).text(p.label()));
    El::new("p").children([
        El::new("label")
            .attr("for", &id)
            .text(&format!("Platform of {}", file.name)),
        El::new("select")
            .attr("id", &id)
            .attr("data-action", "installer-platform")
            .attr("data-index", &file.id.to_string())
            .child(El::new("option").attr("value", "").text("Choose…"))
            .children(options.collect::<Vec<_>>()),
    ])
}

/// Takes the files the person chose or dropped.
pub fn choose(app: &Rc<App>, files: &FileList) {
    for file in (0..files.length()).filter_map(|i| files.get(i)) {
        if file.name().to_ascii_lowercase().ends_with(".json") {
            spawn_local(read_manifest(app.clone(), file));
            continue;
        }
        let id = {
            let mut chosen = app.chosen.borrow_mut();
            chosen.next_id += 1;
            let id = chosen.next_id;
            chosen.files.push(ChosenFile {
                id,
                name: file.name(),
                file: file.clone(),
                sha256: None,
                check: None,
                picked: None,
            });
            id
        };
        spawn_local(check(app.clone(), id, file));
    }
    app.redraw();
}

async fn read_manifest(app: Rc<App>, file: File) {
    let read = if file.size() > MAX_MANIFEST_BYTES {
        Err("it is too large to be a manifest".to_string())
    } else {
        JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string())
            .ok_or_else(|| "it could not be read".to_string())
    };
    let manifest = read.and_then(|text| Manifest::parse(&text));
    app.chosen.borrow_mut().manifest = Some((file.name(), manifest));
    settled(&app, &file.name());
}

/// The sha256 first (shown at once), then the check: customizing with an empty vesselinfo, by
/// the same code as a build, so that a file that passes here builds.
async fn check(app: Rc<App>, id: u32, file: File) {
    let update = |change: &dyn Fn(&mut ChosenFile)| {
        let mut chosen = app.chosen.borrow_mut();
        let at = chosen.position(id);
        at.map(|at| change(&mut chosen.files[at])).is_some()
    };
    let checked = if file.size() > MAX_BASE_BYTES as f64 {
        Err(format!(
            "It is {}, larger than any base installer.",
            dom::size(file.size() as u64)
        ))
    } else {
        match installers::sha256_hex(&file).await {
            Ok(sha256) => {
                if !update(&|f| f.sha256 = Some(sha256.clone())) {
                    return;
                }
                app.redraw();
                let kind = kind_of(&app, &file).await;
                // Only a file that customizes joins the verified ones the build takes.
                if kind.is_ok() {
                    installers::verified(&sha256, &file);
                }
                kind
            }
            Err(e) => Err(format!("It could not be read: {}", sentence(&e))),
        }
    };
    if update(&|f| f.check = Some(checked.clone())) {
        settled(&app, &file.name());
    }
}

/// The archive kind, as customizing found it (the type of the installer it made).
async fn kind_of(app: &App, file: &File) -> Result<ArchiveKind, String> {
    let made = customize::installer_off_thread(&app.places, file, "")
        .await
        .map_err(|e| format!("It cannot be used: {}", sentence(&e)))?;
    Ok(if made.type_() == ArchiveKind::TarGz.media_type() {
        ArchiveKind::TarGz
    } else {
        ArchiveKind::Zip
    })
}

/// After a file or the manifest is settled: the platforms now ready are ticked, and the
/// person hears what became of the file.
fn settled(app: &App, name: &str) {
    let (ready, said) = {
        let chosen = app.chosen.borrow();
        let verdicts: Vec<Verdict> = (0..chosen.files.len())
            .map(|at| chosen.verdict(at))
            .collect();
        let said = chosen
            .files
            .iter()
            .zip(&verdicts)
            .rfind(|(f, _)| f.name == name)
            .map(|(_, verdict)| match verdict {
                Verdict::Ready(p) => format!("{name} is ready for {}.", p.label()),
                Verdict::Unusable(problem) => format!("{name}: {problem}"),
                _ => format!("Choose the platform of {name}."),
            });
        let ready: Vec<Platform> = verdicts
            .into_iter()
            .filter_map(|v| match v {
                Verdict::Ready(p) => Some(p),
                _ => None,
            })
            .collect();
        (ready, said)
    };
    app.change(|s| {
        for platform in ready {
            if !s.platforms.contains(&platform) {
                s.set_platform(platform, true);
            }
        }
    });
    app.root.set_text("cib-announce", &said.unwrap_or_default());
}

pub fn pick_platform(app: &App, id: u32, value: &str) {
    let picked = value.parse::<Platform>().ok();
    let name = {
        let mut chosen = app.chosen.borrow_mut();
        let Some(at) = chosen.position(id) else {
            return;
        };
        chosen.files[at].picked = picked;
        chosen.files[at].name.clone()
    };
    settled(app, &name);
}

/// Removes the file `id`, or the manifest when there is no id.
pub fn remove(app: &App, id: Option<u32>) {
    {
        let mut chosen = app.chosen.borrow_mut();
        match id {
            Some(id) => chosen.files.retain(|f| f.id != id),
            None => chosen.manifest = None,
        }
    }
    app.redraw();
    app.root.focus(INPUT_ID);
}

/// Files dropped on the base installers' field are chosen as if by its input.
pub fn listen(app: &Rc<App>) {
    app.take_drops(AREA_ID, |app, files| choose(app, &files));
}

/// The input's files, taken; the input is emptied so that choosing the same file again (after
/// replacing it on disk) is a new choice.
pub fn take_from_input(app: &Rc<App>, input: &Element) {
    let Some(input) = input.dyn_ref::<HtmlInputElement>() else {
        return;
    };
    if let Some(files) = input.files() {
        choose(app, &files);
    }
    input.set_value("");
}
