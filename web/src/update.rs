//! The builder's whole state (`Model`) and the one function that changes it (`update`). Every
//! action, a person's or async work's report, goes through here; what update cannot do itself
//! (focus an element, start a build, read a file) it returns as an `Effect` for the page to
//! carry out. Nothing here touches the browser, so the rules are tested natively.

use crate::action::Action;
use crate::chosen::Chosen;
use crate::ids;
use crate::inspection::Check;
use crate::run::{self, Run, Stage, Status};
use crate::state::State;
use crate::words::{size, text, Said};
use cib_core::{share_link, Manifest, Platform};
use std::rc::Rc;

pub struct Model {
    pub state: State,
    /// The base installers chosen from disk, when the builder takes them from there (the saved
    /// page); `None` when a site serves them.
    pub chosen: Option<Chosen>,
    /// The last build, while it matches the description.
    pub run: Option<Run>,
    /// What the live region says now.
    pub announcement: Option<Said>,
    /// The share link, when the builder offers one and the description is complete.
    pub share: Option<Share>,
    /// The page's address without its fragment, when the builder offers a share link.
    address: Option<String>,
    /// The "Check an installer" section.
    pub check: Check,
}

pub struct Share {
    pub link: String,
    /// The QR code as an image URL, or why there is none; `None` while it is drawn.
    pub qr: Option<Result<String, Said>>,
    /// What became of the last "Copy".
    pub said: Option<Said>,
}

/// The work `update` asks for and cannot do itself.
pub enum Effect {
    Focus(&'static str),
    Build(Job),
    RetryInstaller(Retry),
    ReadKeyFile,
    TakeBaseInstallers,
    CopyLink,
    DrawQr(String),
    ReadCheckFile,
    ReadKeysZip,
}

/// What a build works from: the state as it was when it started.
pub struct Job {
    pub revision: u64,
    pub state: State,
    /// The base installers chosen from disk, as a manifest; `None`: the site's.
    pub chosen: Option<Manifest>,
}

/// A second try at one installer of the current run.
pub struct Retry {
    pub revision: u64,
    pub platform: Platform,
    pub vesselinfo: Rc<String>,
    /// The run's manifest, used when a fresh one cannot be had.
    pub manifest: Manifest,
    pub chosen: Option<Manifest>,
}

impl Model {
    /// `from_disk`: the base installers are chosen from disk. `address`: the page's address,
    /// for a builder that offers a share link.
    pub fn new(state: State, from_disk: bool, address: Option<String>) -> Model {
        let mut model = Model {
            state,
            chosen: from_disk.then(Chosen::default),
            run: None,
            announcement: None,
            share: None,
            address,
            check: Check::default(),
        };
        model.refresh_share();
        model
    }

    /// What the chosen base installers still need before a build.
    pub fn waiting(&self) -> Vec<Said> {
        self.chosen
            .as_ref()
            .map(|c| c.problems(&self.state.platforms))
            .unwrap_or_default()
    }

    /// Whether `action` still concerns this builder: a build's report only while that build
    /// is the current one, a chosen file's only while it is chosen.
    pub fn takes(&self, action: &Action) -> bool {
        let revision = match action {
            Action::KeyProgress { revision, .. }
            | Action::KeysReady { revision, .. }
            | Action::ManifestLoaded { revision, .. }
            | Action::InstallerStatus { revision, .. }
            | Action::BuildFailed { revision, .. }
            | Action::Finished { revision } => *revision,
            Action::InstallerHashed { id, .. } | Action::InstallerChecked { id, .. } => {
                return self.chosen.as_ref().is_some_and(|c| c.holds(*id))
            }
            _ => return true,
        };
        self.run.as_ref().is_some_and(|r| r.revision == revision)
    }

    fn run_of(&mut self, revision: u64) -> Option<&mut Run> {
        self.run.as_mut().filter(|r| r.revision == revision)
    }

    fn start(&mut self, effects: &mut Vec<Effect>) {
        let state = &self.state;
        let problems = run::problems(state, &state.description(), &self.waiting());
        if !problems.is_empty() || self.run.as_ref().is_some_and(Run::working) {
            return;
        }
        self.run = Some(Run::new(state));
        effects.push(Effect::Focus(ids::RESULTS_HEADING));
        effects.push(Effect::Build(Job {
            revision: state.revision,
            state: state.clone(),
            chosen: self.chosen.as_ref().map(Chosen::manifest),
        }));
    }

    fn retry(&mut self, platform: Option<Platform>, effects: &mut Vec<Effect>) {
        let chosen = self.chosen.as_ref().map(Chosen::manifest);
        match (&mut self.run, platform) {
            (None, _) => {}
            (Some(run), Some(platform)) if run.manifest.is_some() => {
                run.stage = Stage::Installers;
                return effects.push(Effect::RetryInstaller(Retry {
                    revision: run.revision,
                    platform,
                    vesselinfo: run.vesselinfo.clone().unwrap_or_default(),
                    manifest: run.manifest.clone().unwrap_or_default(),
                    chosen,
                }));
            }
            (Some(_), _) => self.run = None,
        }
        self.start(effects);
    }

    /// After a chosen file or manifest is settled, the platforms now ready are ticked and the
    /// person hears what became of the file.
    fn settle(&mut self, name: &str) {
        let Some(chosen) = &self.chosen else { return };
        let (ready, said) = chosen.settled(name);
        for platform in ready {
            if !self.state.platforms.contains(&platform) {
                self.state.set_platform(platform, true);
            }
        }
        self.announcement = said;
    }

    /// The share link follows the description: a new link is drawn as a QR code again.
    fn refresh_share(&mut self) -> Option<Effect> {
        let address = self.address.as_ref()?;
        let link = self
            .state
            .description()
            .ok()
            .and_then(|d| self.state.shared(&d))
            .and_then(|shared| share_link::encode_typed(&shared).ok())
            .map(|fragment| format!("{address}#{fragment}"));
        if self.share.as_ref().map(|s| &s.link) == link.as_ref() {
            return None;
        }
        self.share = link.clone().map(|link| Share {
            link,
            qr: None,
            said: None,
        });
        link.map(Effect::DrawQr)
    }
}

/// Applies `action` to the model; what else must happen is returned, in order. An edit of the
/// description drops the results of an earlier build (they no longer match), but never what
/// the person entered or the generated keys.
pub fn update(model: &mut Model, action: Action) -> Vec<Effect> {
    let mut effects = Vec::new();
    let state = &mut model.state;
    match action {
        Action::TypeName(name) => state.form.name = name,
        Action::TypeKey(text) => {
            state.form.key_text = text;
            state.form.file_problem = None;
        }
        Action::ChooseKeyFile => effects.push(Effect::ReadKeyFile),
        Action::AddUser => effects.push(Effect::Focus(add_user(state))),
        Action::RemoveUser(name) => state.remove_user(&name),
        Action::Split(i) => state.split(i),
        Action::Merge(i) => state.merge(i),
        Action::Grow(i) => state.grow(i),
        Action::Shrink(i) => state.shrink(i),
        Action::SetOwner(i, owner) => state.set_owner(i, &owner),
        Action::SetVesselUser(i, user, on) => state.set_vessel_user(i, &user, on),
        Action::SetPlatform(platform, on) => state.set_platform(platform, on),
        Action::SavedPrivate => state.private_keys_saved(),
        Action::KeyGenerated { name, pair } => state.set_generated(&name, pair),
        Action::KeyFileRead { file, text } => match text {
            Ok(text) => {
                state.form.file_problem = None;
                state.form.key_text = text.trim().to_string();
                if state.form.name.trim().is_empty() {
                    if let Some(stem) = file.strip_suffix(".publickey") {
                        state.form.name = stem.to_string();
                    }
                }
            }
            Err(message) => state.form.file_problem = Some(message),
        },
        Action::Build => model.start(&mut effects),
        Action::Quick => {
            if state.quick() {
                model.run = None;
                model.start(&mut effects);
            }
        }
        Action::Retry(platform) => model.retry(platform, &mut effects),
        Action::ChooseBaseInstallers => effects.push(Effect::TakeBaseInstallers),
        Action::InstallerChosen { id, name, size } => {
            if let Some(chosen) = &mut model.chosen {
                chosen.add(id, name, size);
            }
        }
        Action::InstallerHashed { id, sha256 } => {
            if let Some(chosen) = &mut model.chosen {
                chosen.set_sha256(id, sha256);
            }
        }
        Action::InstallerChecked { id, check } => {
            let settled = model.chosen.as_mut().and_then(|c| c.set_check(id, check));
            if let Some(name) = settled {
                model.settle(&name);
            }
        }
        Action::PickPlatform(id, platform) => {
            let settled = model.chosen.as_mut().and_then(|c| c.pick(id, platform));
            if let Some(name) = settled {
                model.settle(&name);
            }
        }
        Action::ManifestChosen { name, manifest } => {
            if let Some(chosen) = &mut model.chosen {
                chosen.set_manifest(name.clone(), manifest);
                model.settle(&name);
            }
        }
        Action::RemoveInstaller(id) => remove_chosen(model, Some(id), &mut effects),
        Action::RemoveManifest => remove_chosen(model, None, &mut effects),
        Action::KeyProgress {
            revision,
            done,
            total,
        } => {
            if let Some(run) = model.run_of(revision) {
                run.stage = Stage::Keys { done, total };
            }
        }
        Action::KeysReady {
            revision,
            vesselinfo,
            private_keys,
            public_keys,
        } => {
            if let Some(run) = model.run_of(revision) {
                run.vesselinfo = Some(vesselinfo);
                run.private_keys = private_keys;
                run.public_keys = Some(public_keys);
                run.stage = Stage::Manifest;
            }
        }
        Action::ManifestLoaded { revision, manifest } => {
            if let Some(run) = model.run_of(revision) {
                run.manifest = Some(manifest);
                run.stage = Stage::Installers;
            }
        }
        Action::InstallerStatus {
            revision,
            platform,
            status,
        } => {
            if let Some(said) = announcement(platform, &status) {
                model.announcement = Some(said);
            }
            if let Some(run) = model.run_of(revision) {
                run.set_status(platform, status);
            }
        }
        Action::BuildFailed { revision, message } => {
            if let Some(run) = model.run_of(revision) {
                run.stage = Stage::Failed(message);
            }
        }
        Action::Finished { revision } => {
            if let Some(run) = model.run_of(revision) {
                run.finish();
            }
        }
        Action::CopyLink => effects.push(Effect::CopyLink),
        Action::LinkCopied(copied) => {
            if let Some(share) = &mut model.share {
                share.said = Some(Said::id(match copied {
                    true => "ui-copied",
                    false => "ui-copy-selected",
                }));
            }
        }
        Action::QrDrawn { link, image } => {
            if let Some(share) = model.share.as_mut().filter(|s| s.link == link) {
                share.qr = Some(image);
            }
        }
        // The one-click element's own action; a builder has no such button.
        Action::Make(_) => {}
        Action::SetKeyBits(bits) => state.key_bits = bits,
        Action::CheckChosen => effects.push(Effect::ReadCheckFile),
        Action::KeysZipChosen => effects.push(Effect::ReadKeysZip),
        Action::CheckReading { name } => model.check.chosen(name),
        Action::CheckRead { name, report } => model.check.read(&name, report),
        Action::KeysZipRead { name, keys } => model.check.keys_read(name, keys),
    }
    // A run belongs to the revision it was started from (the fast lane edits, then starts).
    if model
        .run
        .as_ref()
        .is_some_and(|r| r.revision != model.state.revision)
    {
        model.run = None;
    }
    effects.extend(model.refresh_share());
    effects
}

/// Adds the form's user; the focus goes back to the name for the next one, or to the first
/// thing to fix.
fn add_user(state: &mut State) -> &'static str {
    if state.add_user() || state.name_problem(state.form.name.trim()).is_some() {
        ids::NAME
    } else {
        ids::KEY
    }
}

fn remove_chosen(model: &mut Model, id: Option<u32>, effects: &mut Vec<Effect>) {
    if let Some(chosen) = &mut model.chosen {
        chosen.remove(id);
        effects.push(Effect::Focus(ids::BASE_INSTALLERS));
    }
}

/// What the live region says of an installer's new status.
fn announcement(platform: Platform, status: &Status) -> Option<Said> {
    let label = ("platform", text(platform.label()));
    match status {
        Status::Fetching { received, total } => Some(Said::new(
            "ui-fetching",
            vec![
                label,
                ("received", size(*received).into()),
                ("total", size(*total).into()),
            ],
        )),
        Status::Ready(_) => Some(Said::new("ui-installer-ready", vec![label])),
        Status::Failed(message) => Some(message.clone()),
        Status::Waiting | Status::Customizing => None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
