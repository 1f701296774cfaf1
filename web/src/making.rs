//! Making the installers of a build, off the page's hands: keys are generated for the users
//! without one, then each base installer is fetched, verified and customized. Each step ends by
//! reporting an `Action`; when the builder answers that the build is no longer its current one
//! (the person edited the description), the work stops.

use crate::action::{Action, Dispatch};
use crate::customize;
use crate::installers::{self, Manifest, ManifestEntry};
use crate::keygen::{self, Method};
use crate::places::Places;
use crate::run::{Download, Status};
use crate::state::State;
use crate::update::{Job, Retry};
use crate::words::users_without_key;
use crate::words::{text, Said};
use cib_core::problem::Arg;
use crate::worker::{self, WorkerError};
use cib_core::key_files::{PRIVATE_KEYS_ZIP, PUBLIC_KEYS_ZIP};
use cib_core::{BuildDescription, Platform};
use std::cell::Cell;
use std::rc::Rc;
use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, Url};

/// A Blob offered for download as `file`.
pub fn offer(blob: &Blob, file: &str) -> Download {
    Download {
        url: Url::create_object_url_with_blob(blob).unwrap_or_default(),
        file: file.to_string(),
        size: blob.size() as u64,
    }
}

/// What a build needs besides its job: where the files are, how keys are made, and where to
/// report.
#[derive(Clone)]
pub struct Maker {
    pub places: Places,
    pub keygen: Method,
    pub dispatch: Dispatch,
}

impl Maker {
    fn fail(&self, revision: u64, message: Said) {
        self.dispatch
            .send(Action::BuildFailed { revision, message });
    }

    pub async fn build(self, job: Job) {
        let Job {
            revision,
            mut state,
            chosen,
        } = job;
        let mut description = match BuildDescription::parse(&state.description_json()) {
            Ok(description) => description,
            Err(problems) => {
                let problems = Arg::List(problems.messages());
                return self.fail(revision, Said::sentence(problems));
            }
        };
        let missing: Vec<String> = description
            .users_without_key()
            .map(|u| u.name.clone())
            .collect();
        for (done, name) in missing.iter().enumerate() {
            let total = missing.len();
            if !self.dispatch.send(Action::KeyProgress {
                revision,
                done,
                total,
            }) {
                return;
            }
            match keygen::generate(&self.places, state.key_bits, self.keygen).await {
                Ok((pair, _)) => {
                    state.set_generated(name, pair.clone());
                    let _ = description.set_public_key(name, pair.public.clone());
                    let name = name.clone();
                    self.dispatch.send(Action::KeyGenerated { name, pair });
                }
                Err(e) => {
                    let message = Said::new("ui-keygen-failed", vec![("problem", e.into())]);
                    return self.fail(revision, message);
                }
            }
        }
        let vesselinfo = match cib_core::vesselinfo::write(&description) {
            Ok(text) => Rc::new(text),
            Err(missing) => return self.fail(revision, users_without_key(&missing)),
        };
        let (private_keys, public_keys) =
            match key_downloads(&self.places, &state, &description).await {
                Ok(downloads) => downloads,
                Err(e) => {
                    let problem = ("problem", Said::from(e).into());
                    let message = Said::new("ui-key-zips-failed", vec![problem]);
                    return self.fail(revision, message);
                }
            };
        if !self.dispatch.send(Action::KeysReady {
            revision,
            vesselinfo: vesselinfo.clone(),
            private_keys,
            public_keys,
        }) {
            return;
        }
        let manifest = match self.manifest(chosen).await {
            Ok(manifest) => manifest,
            Err(e) => {
                let problem = ("problem", Said::sentence(e).into());
                return self.fail(revision, Said::new("ui-manifest-failed", vec![problem]));
            }
        };
        let loaded = Action::ManifestLoaded {
            revision,
            manifest: manifest.clone(),
        };
        if !self.dispatch.send(loaded) {
            return;
        }
        for &platform in &state.platforms {
            self.installer(revision, platform, &manifest, &vesselinfo)
                .await;
        }
        self.dispatch.send(Action::Finished { revision });
    }

    pub async fn retry(self, retry: Retry) {
        let Retry {
            revision,
            platform,
            vesselinfo,
            mut manifest,
            chosen,
        } = retry;
        // The host may have replaced the file since (a new release): read the manifest again,
        // so a retry compares against what is served now.
        if let Ok(fresh) = self.manifest(chosen).await {
            manifest = fresh.clone();
            let loaded = Action::ManifestLoaded {
                revision,
                manifest: fresh,
            };
            self.dispatch.send(loaded);
        }
        self.installer(revision, platform, &manifest, &vesselinfo)
            .await;
        self.dispatch.send(Action::Finished { revision });
    }

    /// The manifest of the base installers to build from: the chosen files', or the host's.
    async fn manifest(&self, chosen: Option<Manifest>) -> Result<Manifest, Said> {
        match chosen {
            Some(manifest) => Ok(manifest),
            None => installers::host_manifest(&self.places).await,
        }
    }

    /// Fetches, verifies and customizes one base installer of the run.
    async fn installer(
        &self,
        revision: u64,
        platform: Platform,
        manifest: &Manifest,
        vesselinfo: &str,
    ) {
        let status = |status| {
            self.dispatch.send(Action::InstallerStatus {
                revision,
                platform,
                status,
            })
        };
        // Nothing is fetched for a run the person replaced meanwhile.
        if !status(Status::Waiting) {
            return;
        }
        let drawn_at = Cell::new(0.0);
        let progress = |received: u64, total: u64| {
            if throttled(&drawn_at, received == total) {
                status(Status::Fetching { received, total });
            }
        };
        let made = make_installer(
            &self.places,
            platform,
            manifest.for_platform(platform),
            vesselinfo,
            progress,
            || {
                status(Status::Customizing);
            },
        )
        .await;
        status(match made {
            Ok((blob, file)) => Status::Ready(offer(&blob, &file)),
            Err(message) => Status::Failed(message),
        });
    }
}


/// `private_keys.zip` (generated users only, if any) and `public_keys.zip` (every user), written
/// in the worker.
async fn key_downloads(
    places: &Places,
    state: &State,
    description: &BuildDescription,
) -> Result<(Option<Download>, Download), WorkerError> {
    let generated = state
        .generated_users()
        .map(|(name, pair)| (name.to_string(), pair.private.to_string()));
    let users = description.users.iter().filter_map(|u| {
        let key = u.public_key.as_ref()?;
        Some((u.name.clone(), key.to_string()))
    });
    let fields = [
        ("generated", names_and_keys(generated)),
        ("users", names_and_keys(users)),
    ];
    let answer = worker::call(&places.worker, "keyZips", &fields, &Array::new()).await?;
    let zip = |name: &str| {
        let bytes = Reflect::get(&answer, &name.into()).ok()?;
        let bytes = bytes.dyn_into::<Uint8Array>().ok()?;
        Some(customize::blob_of(&bytes, "application/zip"))
    };
    let private = zip("private").map(|blob| offer(&blob, PRIVATE_KEYS_ZIP));
    let public = zip("public").ok_or(WorkerError::Silent)?;
    Ok((private, offer(&public, PUBLIC_KEYS_ZIP)))
}

/// `[names, keys]`, the two arrays in the same order, as the worker takes them.
fn names_and_keys(pairs: impl Iterator<Item = (String, String)>) -> JsValue {
    let (names, keys) = (Array::new(), Array::new());
    for (name, key) in pairs {
        names.push(&name.into());
        keys.push(&key.into());
    }
    Array::of2(&names, &keys).into()
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
) -> Result<(Blob, String), Said> {
    let label = || ("platform", text(platform.label()));
    let entry = entry.ok_or_else(|| match places.installers {
        Some(_) => Said::new("ui-site-lacks", vec![label()]),
        None => crate::chosen::missing(platform),
    })?;
    let base = installers::base_installer(places, platform, entry, progress).await?;
    customizing();
    let blob = customize::installer_off_thread(places, &base, vesselinfo)
        .await
        .map_err(|e| {
            Said::new("ui-make-failed", vec![label(), ("problem", Said::sentence(e).into())])
        })?;
    Ok((blob, entry.file.clone()))
}

/// Whether progress should be drawn now: at most ten times a second, and always the last time.
pub fn throttled(drawn_at: &Cell<f64>, last: bool) -> bool {
    let now = js_sys::Date::now();
    let due = last || now - drawn_at.get() > 100.0;
    if due {
        drawn_at.set(now);
    }
    due
}
