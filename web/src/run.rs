//! One press of "Build installers" and what it produced so far: the stage it is at, each
//! installer's status, and the files it offers. Step 4 and 5 draw it; `update` changes it.

use crate::state::State;
use crate::words::Said;
use cib_core::{BuildDescription, KeyBits, Manifest, Platform, Problems};
use std::rc::Rc;

/// A file offered for download through an object URL, freed when the file is no longer offered.
pub struct Download {
    pub url: String,
    pub file: String,
    pub size: u64,
}

impl Drop for Download {
    fn drop(&mut self) {
        #[cfg(target_arch = "wasm32")]
        let _ = web_sys::Url::revoke_object_url(&self.url);
    }
}

/// Where one installer is; its failure is words of the catalogs (`Said`).
pub enum Status {
    Waiting,
    Fetching { received: u64, total: u64 },
    Customizing,
    Ready(Download),
    Failed(Said),
}

impl Status {
    pub fn pending(&self) -> bool {
        matches!(
            self,
            Status::Waiting | Status::Fetching { .. } | Status::Customizing
        )
    }
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
    Failed(Said),
}

pub struct Run {
    pub revision: u64,
    pub stage: Stage,
    pub installers: Vec<Installer>,
    pub vesselinfo: Option<Rc<String>>,
    pub manifest: Option<Manifest>,
    pub private_keys: Option<Download>,
    pub public_keys: Option<Download>,
    /// The size its keys are generated at, as chosen when it started.
    pub key_bits: KeyBits,
}

impl Run {
    /// A run of the state as it is now, for its platforms.
    pub fn new(state: &State) -> Run {
        let installers = state.platforms.iter().map(|&platform| Installer {
            platform,
            status: Status::Waiting,
        });
        Run {
            revision: state.revision,
            stage: Stage::Keys { done: 0, total: 0 },
            installers: installers.collect(),
            vesselinfo: None,
            manifest: None,
            private_keys: None,
            public_keys: None,
            key_bits: state.key_bits,
        }
    }

    pub fn working(&self) -> bool {
        !matches!(self.stage, Stage::Done | Stage::Failed(_))
    }

    pub fn set_status(&mut self, platform: Platform, status: Status) {
        if let Some(installer) = self.installers.iter_mut().find(|i| i.platform == platform) {
            installer.status = status;
        }
    }

    /// Done once no installer is still on its way.
    pub fn finish(&mut self) {
        if !self.installers.iter().any(|i| i.status.pending()) {
            self.stage = Stage::Done;
        }
    }
}

/// Everything that blocks the build, in words for the person; empty when it can go. `waiting`
/// is what the base installers chosen from disk still need.
pub fn problems(
    state: &State,
    described: &Result<BuildDescription, Problems>,
    waiting: &[Said],
) -> Vec<Said> {
    let mut problems = Vec::new();
    if state.users.is_empty() {
        problems.push(Said::id("ui-add-a-user"));
    }
    if let Err(found) = described {
        problems.extend(found.iter().map(|p| Said::sentence(Said::of(p))));
    }
    if state.platforms.is_empty() {
        problems.push(Said::id("ui-choose-a-platform"));
    }
    problems.extend(waiting.iter().cloned());
    problems
}
