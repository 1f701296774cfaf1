//! Step 4, build: the description is checked by the core (its problems block the button), the
//! missing keys are generated, and each chosen base installer is fetched, verified and
//! customized. A failure stops only what it concerns and is offered again with "Retry".

use crate::app::{App, Places};
use crate::customize;
use crate::dom::{self, El, Root};
use crate::installers::{self, Manifest, ManifestEntry};
use crate::keygen;
use crate::state::{sentence, State};
use cib_core::key_files::{private_keys_zip, public_keys_zip, PRIVATE_KEYS_ZIP, PUBLIC_KEYS_ZIP};
use cib_core::{BuildDescription, KeyBits, Platform, Problems};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Blob, HtmlButtonElement, Url};

/// A file offered for download through an object URL, freed when the file is no longer offered.
pub struct Download {
    pub url: String,
    pub file: String,
    pub size: u64,
}

impl Download {
    pub fn new(blob: &Blob, file: &str) -> Download {
        let url = Url::create_object_url_with_blob(blob).unwrap_or_default();
        Download {
            url,
            file: file.to_string(),
            size: blob.size() as u64,
        }
    }
}

impl Drop for Download {
    fn drop(&mut self) {
        let _ = Url::revoke_object_url(&self.url);
    }
}

pub enum Status {
    Waiting,
    Fetching { received: u64, total: u64 },
    Customizing,
    Ready(Download),
    Failed(String),
}

pub struct Installer {
    pub platform: Platform,
    pub status: Status,
}

pub enum Stage {
    Keys { done: usize, total: usize },
    Manifest,
    Installers,
    Done,
    Failed(String),
}

/// One press of "Build installers" and what it produced so far.
pub struct Run {
    pub revision: u64,
    pub stage: Stage,
    pub installers: Vec<Installer>,
    pub vesselinfo: Option<Rc<String>>,
    pub manifest: Option<Manifest>,
    pub private_keys: Option<Download>,
    pub public_keys: Option<Download>,
}

impl Run {
    pub fn working(&self) -> bool {
        !matches!(self.stage, Stage::Done | Stage::Failed(_))
    }
}

/// Everything that blocks the build, in words for the person; empty when it can go. `waiting`
/// is what the base installers chosen from disk still need.
pub fn problems(
    state: &State,
    described: &Result<BuildDescription, Problems>,
    waiting: &[String],
) -> Vec<String> {
    let mut problems = Vec::new();
    if state.users.is_empty() {
        problems.push("Add at least one user in step 1.".to_string());
    }
    if let Err(found) = described {
        problems.extend(found.iter().map(|p| sentence(&p.to_string())));
    }
    if state.platforms.is_empty() {
        problems.push("Choose at least one platform in step 3.".to_string());
    }
    problems.extend(waiting.iter().cloned());
    problems
}

/// What the chosen base installers still need, when the builder takes them from disk.
fn waiting(app: &App) -> Vec<String> {
    if !app.chooses_from_disk() {
        return Vec::new();
    }
    app.chosen.borrow().problems(&app.state.borrow().platforms)
}

/// The manifest of the base installers to build from: the host's, or the chosen files'.
async fn manifest(app: &App) -> Result<Manifest, String> {
    if app.chooses_from_disk() {
        return Ok(app.chosen.borrow().manifest());
    }
    installers::manifest(&app.places).await
}

pub fn skeleton() -> El {
    El::new("section").attr("id", "cib-build").attr("aria-labelledby", "cib-build-heading").children([
        El::new("h2").attr("id", "cib-build-heading").attr("tabindex", "-1").text("4. Build"),
        El::new("p").class("intro").text(
            "Keys are generated and installers are made here, in your browser: no key ever leaves \
             this page.",
        ),
        El::button("Build installers", "build")
            .attr("id", "cib-build-button")
            .class("primary")
            .attr("aria-describedby", "cib-build-problems"),
        El::new("div").attr("id", "cib-build-problems"),
        crate::share::skeleton(),
    ])
}

/// The fast lane, above the steps: one click to an installer and its keys.
pub fn quick_skeleton() -> El {
    El::new("div").class("quick").children([
        El::button("Quick installer", "quick")
            .attr("id", "cib-quick")
            .class("primary")
            .attr("aria-describedby", "cib-quick-hint"),
        El::new("p").attr("id", "cib-quick-hint").class("hint"),
    ])
}

fn render_quick(root: &Root, state: &State, working: bool) {
    if let Some(button) = root.by_id::<HtmlButtonElement>("cib-quick") {
        button.set_disabled(!state.users.is_empty() || working);
    }
    let platforms: Vec<&str> = state.platforms.iter().map(|p| p.label()).collect();
    let hint = if !state.users.is_empty() {
        "The quick installer starts from an empty builder; with the users you added, use \
         Build installers in step 4."
            .to_string()
    } else if platforms.is_empty() {
        "Choose a platform in step 3 first.".to_string()
    } else {
        format!(
            "Just want an installer? One click makes a user named {} with a new key pair, owning \
             one vessel of 80%, and the installers for {} (change them in step 3); then save \
             its keys and installers in step 5.",
            crate::state::QUICK_USER,
            platforms.join(", ")
        )
    };
    root.set_text("cib-quick-hint", &hint);
}

pub fn render(
    root: &Root,
    state: &State,
    described: &Result<BuildDescription, Problems>,
    waiting: &[String],
    run: Option<&Run>,
) {
    let problems = problems(state, described, waiting);
    let working = run.is_some_and(Run::working);
    render_quick(root, state, working);
    if let Some(button) = root.by_id::<HtmlButtonElement>("cib-build-button") {
        button.set_disabled(!problems.is_empty() || working);
    }
    let explanation = if problems.is_empty() {
        vec![]
    } else {
        vec![
            El::new("p").text("Before you can build:"),
            El::new("ul").class("problems").children(
                problems
                    .iter()
                    .map(|p| El::new("li").text(p))
                    .collect::<Vec<_>>(),
            ),
        ]
    };
    root.replace_children("cib-build-problems", explanation);
}

/// Changes the current run, unless the person edited the description since it began (then the
/// run was dropped and its late results are not wanted).
fn update(app: &App, revision: u64, change: impl FnOnce(&mut Run)) -> bool {
    let mut run = app.run.borrow_mut();
    match run.as_mut() {
        Some(run) if run.revision == revision => {
            change(run);
            true
        }
        _ => false,
    }
}

pub fn start(app: &Rc<App>) {
    let state = app.state.borrow().clone();
    if !problems(&state, &state.description(), &waiting(app)).is_empty()
        || app.run.borrow().as_ref().is_some_and(Run::working)
    {
        return;
    }
    let installers = state.platforms.iter().map(|&platform| Installer {
        platform,
        status: Status::Waiting,
    });
    *app.run.borrow_mut() = Some(Run {
        revision: state.revision,
        stage: Stage::Keys { done: 0, total: 0 },
        installers: installers.collect(),
        vesselinfo: None,
        manifest: None,
        private_keys: None,
        public_keys: None,
    });
    app.redraw();
    app.root.focus("cib-results-heading");
    spawn_local(run(app.clone(), state.revision));
}

pub fn retry(app: &Rc<App>, platform: Option<Platform>) {
    let (revision, has_manifest) = match app.run.borrow().as_ref() {
        Some(run) => (run.revision, run.manifest.is_some()),
        None => return start(app),
    };
    match platform {
        Some(platform) if has_manifest => {
            update(app, revision, |run| run.stage = Stage::Installers);
            let app = app.clone();
            spawn_local(async move {
                // The host may have replaced the file since (a new release): read the manifest
                // again, so a retry compares against what is served now.
                if let Ok(manifest) = manifest(&app).await {
                    update(&app, revision, |run| run.manifest = Some(manifest));
                }
                installer(&app, revision, platform).await;
                finish(&app, revision);
            });
        }
        _ => {
            app.run.borrow_mut().take();
            start(app);
        }
    }
}

fn fail(app: &App, revision: u64, message: String) {
    update(app, revision, |run| run.stage = Stage::Failed(message));
    app.redraw();
}

async fn run(app: Rc<App>, revision: u64) {
    let app = &app;
    let json = app.state.borrow().description_json();
    let mut description = match BuildDescription::parse(&json) {
        Ok(description) => description,
        Err(problems) => return fail(app, revision, problems.to_string()),
    };
    let missing: Vec<String> = description
        .users_without_key()
        .map(|u| u.name.clone())
        .collect();
    for (done, name) in missing.iter().enumerate() {
        if !update(app, revision, |run| {
            run.stage = Stage::Keys {
                done,
                total: missing.len(),
            }
        }) {
            return;
        }
        app.redraw();
        match keygen::generate(&app.places, KeyBits::B1024, app.keygen).await {
            Ok((pair, _)) => {
                // Kept even if the run is dropped: the next build must not make other keys.
                app.state.borrow_mut().set_generated(name, pair.clone());
                let _ = description.set_public_key(name, pair.public);
            }
            Err(e) => {
                return fail(
                    app,
                    revision,
                    format!("The keys could not be generated: {e}."),
                )
            }
        }
    }
    let vesselinfo = match cib_core::vesselinfo::write(&description) {
        Ok(text) => Rc::new(text),
        Err(missing) => {
            return fail(
                app,
                revision,
                format!("These users still have no key: {}.", missing.join(", ")),
            )
        }
    };
    let (private_keys, public_keys) = key_downloads(&app.state.borrow(), &description);
    if !update(app, revision, |run| {
        run.vesselinfo = Some(vesselinfo);
        run.private_keys = private_keys;
        run.public_keys = Some(public_keys);
        run.stage = Stage::Manifest;
    }) {
        return;
    }
    app.redraw();
    let manifest = match manifest(app).await {
        Ok(manifest) => manifest,
        Err(e) => {
            return fail(
                app,
                revision,
                format!(
                    "The list of base installers could not be loaded: {}",
                    sentence(&e)
                ),
            )
        }
    };
    let platforms: Vec<Platform> = app.state.borrow().platforms.clone();
    if !update(app, revision, |run| {
        run.manifest = Some(manifest);
        run.stage = Stage::Installers;
    }) {
        return;
    }
    for platform in platforms {
        installer(app, revision, platform).await;
    }
    finish(app, revision);
}

/// `private_keys.zip` (generated users only, if any) and `public_keys.zip` (every user).
fn key_downloads(state: &State, description: &BuildDescription) -> (Option<Download>, Download) {
    let generated: Vec<_> = state
        .generated_users()
        .map(|(name, pair)| (name, &pair.private))
        .collect();
    let private = (!generated.is_empty()).then(|| {
        let blob = customize::blob_of(&private_keys_zip(generated), "application/zip");
        Download::new(&blob, PRIVATE_KEYS_ZIP)
    });
    let public = description
        .users
        .iter()
        .filter_map(|u| Some((u.name.as_str(), u.public_key.as_ref()?)));
    let blob = customize::blob_of(&public_keys_zip(public), "application/zip");
    (private, Download::new(&blob, PUBLIC_KEYS_ZIP))
}

fn finish(app: &App, revision: u64) {
    update(app, revision, |run| {
        if !run.installers.iter().any(|i| {
            matches!(
                i.status,
                Status::Waiting | Status::Fetching { .. } | Status::Customizing
            )
        }) {
            run.stage = Stage::Done;
        }
    });
    app.redraw();
}

fn set_status(app: &App, revision: u64, platform: Platform, status: Status) -> bool {
    update(app, revision, |run| {
        if let Some(installer) = run.installers.iter_mut().find(|i| i.platform == platform) {
            installer.status = status;
        }
    })
}

/// Fetches, verifies and customizes one base installer for the current run.
async fn installer(app: &App, revision: u64, platform: Platform) {
    let (entry, vesselinfo) = {
        let run = app.run.borrow();
        let Some(run) = run.as_ref().filter(|r| r.revision == revision) else {
            return;
        };
        (
            run.manifest
                .as_ref()
                .and_then(|m| m.for_platform(platform).cloned()),
            run.vesselinfo.clone().unwrap_or_default(),
        )
    };
    let progress = |received: u64, total: u64| {
        set_status(
            app,
            revision,
            platform,
            Status::Fetching { received, total },
        );
        let label = platform.label();
        let text = format!("{label}: {} of {}", dom::size(received), dom::size(total));
        if throttled(&app.drawn_at, received == total) {
            app.root.set_text("cib-announce", &text);
            app.redraw();
        }
    };
    let made = make_installer(
        &app.places,
        platform,
        entry.as_ref(),
        &vesselinfo,
        progress,
        || {
            set_status(app, revision, platform, Status::Customizing);
            app.redraw();
        },
    )
    .await;
    let (status, announcement) = match made {
        Ok((blob, file)) => {
            let text = format!("The {} installer is ready.", platform.label());
            (Status::Ready(Download::new(&blob, &file)), text)
        }
        Err(message) => (Status::Failed(message.clone()), message),
    };
    app.root.set_text("cib-announce", &announcement);
    set_status(app, revision, platform, status);
    app.redraw();
}

/// The work of one platform, for whichever builder asks: the base installer named by the
/// manifest's `entry` is fetched (`progress(received, total)` as bytes arrive), checked against
/// its sha256, and customized with `vesselinfo` (`customizing()` is called as that begins).
/// The answer is the installer and its file name.
pub async fn make_installer(
    places: &Places,
    platform: Platform,
    entry: Option<&ManifestEntry>,
    vesselinfo: &str,
    progress: impl FnMut(u64, u64),
    customizing: impl FnOnce(),
) -> Result<(Blob, String), String> {
    let label = platform.label();
    let entry = entry.ok_or_else(|| match places.installers {
        Some(_) => format!("This site offers no {label} base installer."),
        None => crate::chosen::missing(platform),
    })?;
    let base = installers::base_installer(places, platform, entry, progress).await?;
    customizing();
    let blob = customize::installer_off_thread(places, &base, vesselinfo)
        .await
        .map_err(|e| format!("The {label} installer could not be made: {}", sentence(&e)))?;
    Ok((blob, entry.file.clone()))
}

/// Whether progress should be drawn now: at most ten times a second, and always the last time.
pub fn throttled(drawn_at: &std::cell::Cell<f64>, last: bool) -> bool {
    let now = js_sys::Date::now();
    let due = last || now - drawn_at.get() > 100.0;
    if due {
        drawn_at.set(now);
    }
    due
}
