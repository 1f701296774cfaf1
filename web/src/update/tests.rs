//! `update` on the actions that need no browser: what a person does, and what async work
//! reports, applied to a model in memory.

use super::*;
use crate::run::Download;
use crate::words::{english, number};
use cib_core::vessel::RESERVED_OWNER_KEY;
use cib_core::{share_link, ArchiveKind, ManifestEntry};

fn model() -> Model {
    Model::new(State::new(Platform::Linux), false, None)
}

fn percents(model: &Model) -> Vec<u32> {
    model.state.vessels.iter().map(|v| v.percent).collect()
}

/// Types a user into the form and adds them.
fn add(model: &mut Model, name: &str, key: &str) -> Vec<Effect> {
    update(model, Action::TypeName(name.into()));
    update(model, Action::TypeKey(key.into()));
    update(model, Action::AddUser)
}

/// What the live region says, in English.
fn announced(model: &Model) -> String {
    model.announcement.as_ref().map(english).unwrap_or_default()
}

fn focus(effects: &[Effect]) -> Option<&'static str> {
    effects.iter().find_map(|e| match e {
        Effect::Focus(id) => Some(*id),
        _ => None,
    })
}

fn download(file: &str) -> Download {
    Download {
        url: format!("blob:{file}"),
        file: file.into(),
        size: 1,
    }
}

/// The run's installer for Linux reaches `status`.
fn linux_installer(model: &mut Model, revision: u64, status: Status) {
    let platform = Platform::Linux;
    let action = Action::InstallerStatus {
        revision,
        platform,
        status,
    };
    update(model, action);
}

/// A model whose build started, and that build's job.
fn building() -> (Model, Job) {
    let mut model = model();
    add(&mut model, "alice", "");
    update(&mut model, Action::SetOwner(0, "alice".into()));
    let mut effects = update(&mut model, Action::Build);
    assert_eq!(focus(&effects), Some(ids::RESULTS_HEADING));
    let Some(Effect::Build(job)) = effects.pop() else {
        panic!("a build starts")
    };
    (model, job)
}

#[test]
fn the_vessel_buttons_keep_whole_tens_totalling_80() {
    let mut model = model();
    update(&mut model, Action::Split(0));
    update(&mut model, Action::Split(1));
    assert_eq!(percents(&model), [40, 20, 20]);
    update(&mut model, Action::Grow(2));
    update(&mut model, Action::Shrink(0));
    assert_eq!(percents(&model), [30, 20, 30]);
    update(&mut model, Action::Merge(0));
    assert_eq!(percents(&model), [50, 30]);
    // Out of range, from a stale page: nothing happens.
    update(&mut model, Action::Merge(1));
    update(&mut model, Action::Split(9));
    assert_eq!(percents(&model), [50, 30]);
}

#[test]
fn adding_a_user_focuses_the_next_name_or_the_first_thing_to_fix() {
    let mut model = model();
    assert_eq!(focus(&add(&mut model, "alice", "")), Some(ids::NAME));
    assert_eq!(model.state.users.len(), 1);
    assert!(model.state.form.name.is_empty());
    assert_eq!(
        focus(&add(&mut model, "bob", "12 not a key")),
        Some(ids::KEY)
    );
    assert_eq!(focus(&add(&mut model, "alice", "")), Some(ids::NAME));
    // The refused form keeps what was typed.
    assert_eq!(model.state.form.name, "alice");
    assert_eq!(model.state.users.len(), 1);
}

#[test]
fn owners_and_users_follow_the_user_list() {
    let mut model = model();
    add(&mut model, "alice", "");
    add(&mut model, "bob", RESERVED_OWNER_KEY.trim());
    update(&mut model, Action::SetOwner(0, "bob".into()));
    update(&mut model, Action::SetVesselUser(0, "bob".into(), true));
    update(&mut model, Action::SetVesselUser(0, "alice".into(), true));
    let vessel = &model.state.vessels[0];
    assert_eq!(vessel.owner.as_deref(), Some("bob"));
    assert_eq!(vessel.users, ["alice", "bob"]);
    update(&mut model, Action::RemoveUser("bob".into()));
    let vessel = &model.state.vessels[0];
    assert_eq!(vessel.owner, None);
    assert_eq!(vessel.users, ["alice"]);
    assert_eq!(
        vessel.notice.as_ref().map(english).as_deref(),
        Some("Owner bob was removed; choose another owner.")
    );
    update(&mut model, Action::SetOwner(0, String::new()));
    assert_eq!(model.state.vessels[0].owner, None);
}

#[test]
fn a_key_file_fills_the_key_and_an_empty_name() {
    let mut model = model();
    let key = RESERVED_OWNER_KEY.to_string();
    let read = Ok(format!("{key}\n"));
    update(
        &mut model,
        Action::KeyFileRead {
            file: "carol.publickey".into(),
            text: read,
        },
    );
    assert_eq!(model.state.form.name, "carol");
    assert_eq!(model.state.form.key_text, key.trim());
    let refused = Err(Said::new(
        "ui-key-file-too-large",
        vec![("name", text("big.publickey"))],
    ));
    update(
        &mut model,
        Action::KeyFileRead {
            file: "big.publickey".into(),
            text: refused,
        },
    );
    assert_eq!(
        model
            .state
            .form
            .file_problem
            .as_ref()
            .map(english)
            .as_deref(),
        Some("big.publickey is too large to be a public key file.")
    );
    assert_eq!(model.state.form.name, "carol");
    // Typing in the key field drops the file's problem.
    update(&mut model, Action::TypeKey(String::new()));
    assert_eq!(model.state.form.file_problem, None);
}

#[test]
fn a_build_needs_a_user_and_then_runs_to_done() {
    let mut model = model();
    assert!(update(&mut model, Action::Build).is_empty());
    assert!(model.run.is_none());
    let (mut model, job) = building();
    assert_eq!(job.state.users.len(), 1);
    assert!(job.chosen.is_none());
    let revision = job.revision;
    // A second press while it works starts nothing.
    assert!(update(&mut model, Action::Build).is_empty());
    let progress = Action::KeyProgress {
        revision,
        done: 0,
        total: 1,
    };
    assert!(model.takes(&progress));
    update(&mut model, progress);
    let generated = matches!(
        model.state.users[0].key,
        crate::state::UserKey::Generated(_)
    );
    assert!(!generated, "the key is the build's to report");
    let ready = Action::KeysReady {
        revision,
        vesselinfo: Rc::new("Percent 80".into()),
        private_keys: Some(download("private_keys.zip")),
        public_keys: download("public_keys.zip"),
    };
    update(&mut model, ready);
    update(
        &mut model,
        Action::ManifestLoaded {
            revision,
            manifest: Manifest::default(),
        },
    );
    linux_installer(
        &mut model,
        revision,
        Status::Ready(download("seattle_linux.tgz")),
    );
    assert_eq!(announced(&model), "The Linux installer is ready.");
    update(&mut model, Action::Finished { revision });
    let run = model.run.as_ref().expect("the run is kept");
    assert!(!run.working());
    assert!(matches!(run.stage, Stage::Done));
    assert_eq!(
        run.private_keys.as_ref().map(|d| d.file.as_str()),
        Some("private_keys.zip")
    );
}

#[test]
fn an_edit_drops_the_build_and_its_late_reports_are_refused() {
    let (mut model, job) = building();
    let revision = job.revision;
    update(&mut model, Action::SetPlatform(Platform::Mac, true));
    assert!(model.run.is_none());
    let late = Action::BuildFailed {
        revision,
        message: Said::text("late"),
    };
    assert!(!model.takes(&late));
    update(&mut model, late);
    assert!(model.run.is_none());
    // Typing in the form is no edit of the description: a build survives it.
    let (mut model, _) = building();
    update(&mut model, Action::TypeName("dave".into()));
    assert!(model.run.is_some());
}

#[test]
fn a_failed_installer_is_retried_alone_and_a_failed_build_whole() {
    let (mut model, job) = building();
    let revision = job.revision;
    let mut manifest = Manifest::default();
    manifest.insert(ManifestEntry {
        file: "seattle_linux.tgz".into(),
        size: 1,
        sha256: "aa".into(),
    });
    update(&mut model, Action::ManifestLoaded { revision, manifest });
    let stopped = Said::new(
        "ui-download-stopped",
        vec![
            ("platform", text("Linux")),
            ("received", number(5)),
            ("total", number(9)),
        ],
    );
    linux_installer(
        &mut model,
        revision,
        Status::Fetching {
            received: 5,
            total: 9,
        },
    );
    assert_eq!(announced(&model), "Linux: 5 bytes of 9 bytes");
    linux_installer(&mut model, revision, Status::Failed(stopped));
    assert_eq!(
        announced(&model),
        "The download of the Linux base installer stopped after 5 of 9 bytes."
    );
    update(&mut model, Action::Finished { revision });
    let effects = update(&mut model, Action::Retry(Some(Platform::Linux)));
    let Some(Effect::RetryInstaller(retry)) = effects.first() else {
        panic!("the installer is retried")
    };
    assert_eq!(retry.platform, Platform::Linux);
    assert!(retry.manifest.for_platform(Platform::Linux).is_some());
    assert!(model.run.as_ref().is_some_and(Run::working));

    let (mut model, job) = building();
    let message = Said::new("ui-keygen-failed", vec![("problem", text("no"))]);
    update(
        &mut model,
        Action::BuildFailed {
            revision: job.revision,
            message,
        },
    );
    let effects = update(&mut model, Action::Retry(None));
    assert!(matches!(effects.last(), Some(Effect::Build(_))));
}

#[test]
fn generated_keys_are_kept_and_saved_once_downloaded() {
    let (mut model, _) = building();
    let pair = cib_core::KeyPair::generate(&mut rand::thread_rng(), cib_core::KeyBits::B1024)
        .expect("a key pair");
    update(
        &mut model,
        Action::KeyGenerated {
            name: "alice".into(),
            pair,
        },
    );
    assert!(model.state.unsaved_private_keys());
    // A generated key is no edit: the build goes on.
    assert!(model.run.is_some());
    update(&mut model, Action::SavedPrivate);
    assert!(!model.state.unsaved_private_keys());
}

#[test]
fn the_quick_installer_builds_from_an_empty_builder_only() {
    let mut model = model();
    let effects = update(&mut model, Action::Quick);
    assert!(matches!(effects.last(), Some(Effect::Build(_))));
    assert_eq!(model.state.users[0].name, crate::state::QUICK_USER);
    assert!(
        model.run.as_ref().is_some_and(Run::working),
        "its build runs"
    );
    let mut model = self::model();
    add(&mut model, "alice", "");
    assert!(update(&mut model, Action::Quick).is_empty());
}

#[test]
fn chosen_files_tick_their_platform_and_wait_until_checked() {
    let mut model = Model::new(State::new(Platform::Linux), true, None);
    add(&mut model, "alice", "");
    update(&mut model, Action::SetOwner(0, "alice".into()));
    let id = model.chosen.as_ref().unwrap().next_id();
    let name = "seattle_win.zip".to_string();
    update(&mut model, Action::InstallerChosen { id, name, size: 10 });
    assert!(update(&mut model, Action::Build).is_empty());
    update(
        &mut model,
        Action::InstallerHashed {
            id,
            sha256: "bb".into(),
        },
    );
    update(
        &mut model,
        Action::InstallerChecked {
            id,
            check: Ok(ArchiveKind::Zip),
        },
    );
    assert_eq!(model.state.platforms, [Platform::Linux, Platform::Windows]);
    assert_eq!(announced(&model), "seattle_win.zip is ready for Windows.");
    update(&mut model, Action::SetPlatform(Platform::Linux, false));
    let effects = update(&mut model, Action::Build);
    let Some(Effect::Build(job)) = effects.last() else {
        panic!("a build starts once the chosen file is checked")
    };
    let chosen = job.chosen.as_ref().expect("the chosen files' manifest");
    assert_eq!(chosen.for_platform(Platform::Windows).unwrap().sha256, "bb");
    // A removed file's late report is not taken.
    let effects = update(&mut model, Action::RemoveInstaller(id));
    assert_eq!(focus(&effects), Some(ids::BASE_INSTALLERS));
    assert!(!model.takes(&Action::InstallerChecked {
        id,
        check: Ok(ArchiveKind::Zip)
    }));
}

#[test]
fn the_share_link_follows_a_complete_description() {
    let address = "http://127.0.0.1:8080/".to_string();
    let mut model = Model::new(State::new(Platform::Linux), false, Some(address));
    assert!(model.share.is_none());
    add(&mut model, "alice", RESERVED_OWNER_KEY.trim());
    let effects = update(&mut model, Action::SetOwner(0, "alice".into()));
    let Some(Effect::DrawQr(link)) = effects.last() else {
        panic!("a complete description has a link")
    };
    let fragment = link
        .strip_prefix("http://127.0.0.1:8080/#")
        .expect("the page's address");
    let shared = share_link::decode(fragment).expect("a link the page reads back");
    assert_eq!(shared.description.users[0].name, "alice");
    let link = link.clone();
    update(
        &mut model,
        Action::QrDrawn {
            link: "old".into(),
            image: Ok("x".into()),
        },
    );
    assert!(model.share.as_ref().is_some_and(|s| s.qr.is_none()));
    update(
        &mut model,
        Action::QrDrawn {
            link,
            image: Ok("data:qr".into()),
        },
    );
    update(&mut model, Action::LinkCopied(true));
    let share = model.share.as_ref().unwrap();
    assert_eq!(share.qr.as_ref().map(|q| q.as_deref()), Some(Ok("data:qr")));
    assert_eq!(share.said.as_ref().map(english).as_deref(), Some("Copied."));
    // Nothing new to draw while the link stays.
    assert!(update(&mut model, Action::TypeName("x".into())).is_empty());
    update(&mut model, Action::SetOwner(0, String::new()));
    assert!(model.share.is_none());
}

#[test]
fn the_key_size_is_remembered_and_a_build_generates_at_it() {
    let mut model = model();
    assert_eq!(
        model.state.key_bits,
        cib_core::KeyBits::B2048,
        "the default"
    );
    add(&mut model, "alice", "");
    let revision = model.state.revision;
    update(&mut model, Action::SetKeyBits(cib_core::KeyBits::B4096));
    assert_eq!(model.state.key_bits, cib_core::KeyBits::B4096);
    assert_eq!(model.state.revision, revision, "a size is no edit");
    // The choice stays through edits, and the build takes it with its state.
    update(&mut model, Action::Split(0));
    update(&mut model, Action::SetOwner(0, "alice".into()));
    update(&mut model, Action::SetOwner(1, "alice".into()));
    let effects = update(&mut model, Action::Build);
    let Some(Effect::Build(job)) = effects.last() else {
        panic!("a build starts")
    };
    assert_eq!(job.state.key_bits, cib_core::KeyBits::B4096);
    assert_eq!(
        model.run.as_ref().map(|r| r.key_bits),
        Some(cib_core::KeyBits::B4096)
    );
    assert_eq!(
        english(&model.state.users[0].key_said(model.state.key_bits)),
        "key pair made when you build, 4096 bits"
    );
}

#[test]
fn a_generated_user_records_its_pair_and_reads_with_its_size() {
    let mut model = model();
    add(&mut model, "alice", "");
    update(&mut model, Action::SetKeyBits(cib_core::KeyBits::B1024));
    let pair = cib_core::KeyPair::generate(&mut rand::thread_rng(), cib_core::KeyBits::B1024)
        .expect("a key pair");
    let public = pair.public.to_string();
    let fingerprint = pair.public.fingerprint();
    update(
        &mut model,
        Action::KeyGenerated {
            name: "alice".into(),
            pair,
        },
    );
    let alice = &model.state.users[0];
    assert_eq!(alice.public_key().map(|k| k.to_string()), Some(public));
    // A later choice changes no key already made.
    update(&mut model, Action::SetKeyBits(cib_core::KeyBits::B3072));
    assert_eq!(
        english(&model.state.users[0].key_said(model.state.key_bits)),
        format!("generated, 1024 bits (weak by current standards), fingerprint {fingerprint}")
    );
}

#[test]
fn the_quick_installer_generates_at_the_chosen_size() {
    let mut model = model();
    update(&mut model, Action::SetKeyBits(cib_core::KeyBits::B3072));
    let effects = update(&mut model, Action::Quick);
    let Some(Effect::Build(job)) = effects.last() else {
        panic!("a build starts")
    };
    assert_eq!(job.state.key_bits, cib_core::KeyBits::B3072);
    let fresh = self::model();
    assert_eq!(fresh.state.key_bits, cib_core::KeyBits::B2048);
}
