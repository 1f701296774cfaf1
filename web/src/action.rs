//! Everything that can happen to a builder, as one type: what a person does on the page (drawn
//! into the element's attributes by `wire` and read back by `parse`, both from this enum, so a
//! control names `Action::Split(i)` and never a string), and what the page's async work reports
//! when it ends (read a file, generated a key, fetched an installer). `update` applies each.

use crate::run::{Download, Status};
use crate::words::Said;
use cib_core::{ArchiveKind, KeyBits, KeyPair, Manifest, Platform};
use std::rc::Rc;

pub enum Action {
    // What a person does.
    TypeName(String),
    TypeKey(String),
    ChooseKeyFile,
    AddUser,
    RemoveUser(String),
    Split(usize),
    Merge(usize),
    Grow(usize),
    Shrink(usize),
    SetOwner(usize, String),
    SetVesselUser(usize, String, bool),
    SetPlatform(Platform, bool),
    ChooseBaseInstallers,
    /// The platform a person picked for a chosen file (by its id); `None` for "Choose…".
    PickPlatform(u32, Option<Platform>),
    RemoveInstaller(u32),
    RemoveManifest,
    Build,
    Quick,
    /// Retry one installer, or (`None`) the whole build.
    Retry(Option<Platform>),
    SavedPrivate,
    CopyLink,
    /// The one-click element's button for a platform.
    Make(Platform),
    /// The size of the key pairs to generate.
    SetKeyBits(KeyBits),
    /// An installer chosen to check, and a public_keys.zip to name its keys.
    CheckChosen,
    KeysZipChosen,

    // What async work reports.
    KeyFileRead {
        file: String,
        text: Result<String, Said>,
    },
    InstallerChosen {
        id: u32,
        name: String,
        size: u64,
    },
    InstallerHashed {
        id: u32,
        sha256: String,
    },
    InstallerChecked {
        id: u32,
        check: Result<ArchiveKind, Said>,
    },
    ManifestChosen {
        name: String,
        manifest: Result<Manifest, Said>,
    },
    KeyProgress {
        revision: u64,
        done: usize,
        total: usize,
    },
    /// Kept whatever became of the run: the next build must not make other keys.
    KeyGenerated {
        name: String,
        pair: KeyPair,
    },
    KeysReady {
        revision: u64,
        vesselinfo: Rc<String>,
        private_keys: Option<Download>,
        public_keys: Download,
    },
    ManifestLoaded {
        revision: u64,
        manifest: Manifest,
    },
    InstallerStatus {
        revision: u64,
        platform: Platform,
        status: Status,
    },
    BuildFailed {
        revision: u64,
        message: Said,
    },
    Finished {
        revision: u64,
    },
    QrDrawn {
        link: String,
        image: Result<String, Said>,
    },
    LinkCopied(bool),
    /// An installer to check is being read.
    CheckReading {
        name: String,
    },
    CheckRead {
        name: String,
        report: Result<crate::inspection::Report, Said>,
    },
    KeysZipRead {
        name: String,
        keys: Result<Vec<(String, String)>, Said>,
    },
}

/// The kinds of action a control can do: each one's attribute value is written once, here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    TypeName,
    TypeKey,
    ChooseKeyFile,
    AddUser,
    RemoveUser,
    Split,
    Merge,
    Grow,
    Shrink,
    SetOwner,
    SetVesselUser,
    SetPlatform,
    ChooseBaseInstallers,
    PickPlatform,
    RemoveInstaller,
    RemoveManifest,
    Build,
    Quick,
    Retry,
    SavedPrivate,
    CopyLink,
    Make,
    SetKeyBits,
    CheckChosen,
    KeysZipChosen,
}

impl Kind {
    const ALL: [Kind; 25] = [
        Kind::TypeName,
        Kind::TypeKey,
        Kind::ChooseKeyFile,
        Kind::AddUser,
        Kind::RemoveUser,
        Kind::Split,
        Kind::Merge,
        Kind::Grow,
        Kind::Shrink,
        Kind::SetOwner,
        Kind::SetVesselUser,
        Kind::SetPlatform,
        Kind::ChooseBaseInstallers,
        Kind::PickPlatform,
        Kind::RemoveInstaller,
        Kind::RemoveManifest,
        Kind::Build,
        Kind::Quick,
        Kind::Retry,
        Kind::SavedPrivate,
        Kind::CopyLink,
        Kind::Make,
        Kind::SetKeyBits,
        Kind::CheckChosen,
        Kind::KeysZipChosen,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::TypeName => "name",
            Kind::TypeKey => "key",
            Kind::ChooseKeyFile => "key-file",
            Kind::AddUser => "add-user",
            Kind::RemoveUser => "remove-user",
            Kind::Split => "split",
            Kind::Merge => "merge",
            Kind::Grow => "grow",
            Kind::Shrink => "shrink",
            Kind::SetOwner => "owner",
            Kind::SetVesselUser => "vessel-user",
            Kind::SetPlatform => "platform",
            Kind::ChooseBaseInstallers => "base-installers",
            Kind::PickPlatform => "installer-platform",
            Kind::RemoveInstaller => "remove-installer",
            Kind::RemoveManifest => "remove-manifest",
            Kind::Build => "build",
            Kind::Quick => "quick",
            Kind::Retry => "retry",
            Kind::SavedPrivate => "saved-private",
            Kind::CopyLink => "copy-link",
            Kind::Make => "make",
            Kind::SetKeyBits => "key-bits",
            Kind::CheckChosen => "check-installer",
            Kind::KeysZipChosen => "check-keys",
        }
    }

    /// The event the control reports the action with.
    fn trigger(self) -> Trigger {
        match self {
            Kind::TypeName | Kind::TypeKey => Trigger::Input,
            Kind::ChooseKeyFile
            | Kind::SetOwner
            | Kind::SetVesselUser
            | Kind::SetPlatform
            | Kind::ChooseBaseInstallers
            | Kind::PickPlatform
            | Kind::SetKeyBits
            | Kind::CheckChosen
            | Kind::KeysZipChosen => Trigger::Change,
            _ => Trigger::Click,
        }
    }
}

/// The DOM event a control's action comes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    Click,
    Input,
    Change,
}

/// What a control's element holds itself when its event comes: a field's or select's value, a
/// checkbox's state. Such values are read from the element, never from its attributes.
#[derive(Default)]
pub struct Held {
    pub value: String,
    pub checked: bool,
}

/// The attributes that wire a control to its action: `data-action` names the kind, `data-arg`
/// (when there is one) what it acts on.
pub const ACTION_ATTRIBUTE: &str = "data-action";
pub const ARG_ATTRIBUTE: &str = "data-arg";

impl Action {
    fn kind_and_arg(&self) -> Option<(Kind, Option<String>)> {
        let with = |kind, arg: String| Some((kind, Some(arg)));
        match self {
            Action::TypeName(_) => Some((Kind::TypeName, None)),
            Action::TypeKey(_) => Some((Kind::TypeKey, None)),
            Action::ChooseKeyFile => Some((Kind::ChooseKeyFile, None)),
            Action::AddUser => Some((Kind::AddUser, None)),
            Action::RemoveUser(name) => with(Kind::RemoveUser, name.clone()),
            Action::Split(i) => with(Kind::Split, i.to_string()),
            Action::Merge(i) => with(Kind::Merge, i.to_string()),
            Action::Grow(i) => with(Kind::Grow, i.to_string()),
            Action::Shrink(i) => with(Kind::Shrink, i.to_string()),
            Action::SetOwner(i, _) => with(Kind::SetOwner, i.to_string()),
            Action::SetVesselUser(i, user, _) => with(Kind::SetVesselUser, format!("{i} {user}")),
            Action::SetPlatform(p, _) => with(Kind::SetPlatform, p.name().to_string()),
            Action::ChooseBaseInstallers => Some((Kind::ChooseBaseInstallers, None)),
            Action::PickPlatform(id, _) => with(Kind::PickPlatform, id.to_string()),
            Action::RemoveInstaller(id) => with(Kind::RemoveInstaller, id.to_string()),
            Action::RemoveManifest => Some((Kind::RemoveManifest, None)),
            Action::Build => Some((Kind::Build, None)),
            Action::Quick => Some((Kind::Quick, None)),
            Action::Retry(p) => Some((Kind::Retry, p.map(|p| p.name().to_string()))),
            Action::SavedPrivate => Some((Kind::SavedPrivate, None)),
            Action::CopyLink => Some((Kind::CopyLink, None)),
            Action::Make(p) => with(Kind::Make, p.name().to_string()),
            Action::SetKeyBits(_) => Some((Kind::SetKeyBits, None)),
            Action::CheckChosen => Some((Kind::CheckChosen, None)),
            Action::KeysZipChosen => Some((Kind::KeysZipChosen, None)),
            _ => None,
        }
    }

    /// The attributes a control doing this action gets, or `None` for what only async work
    /// reports. A value the element holds itself (see `Held`) is left out.
    pub fn wire(&self) -> Option<Vec<(&'static str, String)>> {
        let (kind, arg) = self.kind_and_arg()?;
        let mut attributes = vec![(ACTION_ATTRIBUTE, kind.name().to_string())];
        attributes.extend(arg.map(|arg| (ARG_ATTRIBUTE, arg)));
        Some(attributes)
    }

    /// The action of a control from what `wire` wrote (`action`, `arg`) and what its element
    /// holds, when `trigger` is the event it reports with.
    pub fn parse(action: &str, arg: Option<&str>, held: Held, trigger: Trigger) -> Option<Action> {
        let kind = Kind::ALL.into_iter().find(|k| k.name() == action)?;
        if kind.trigger() != trigger {
            return None;
        }
        let index = || arg?.parse::<usize>().ok();
        let id = || arg?.parse::<u32>().ok();
        let platform = || arg?.parse::<Platform>().ok();
        Some(match kind {
            Kind::TypeName => Action::TypeName(held.value),
            Kind::TypeKey => Action::TypeKey(held.value),
            Kind::ChooseKeyFile => Action::ChooseKeyFile,
            Kind::AddUser => Action::AddUser,
            Kind::RemoveUser => Action::RemoveUser(arg?.to_string()),
            Kind::Split => Action::Split(index()?),
            Kind::Merge => Action::Merge(index()?),
            Kind::Grow => Action::Grow(index()?),
            Kind::Shrink => Action::Shrink(index()?),
            Kind::SetOwner => Action::SetOwner(index()?, held.value),
            Kind::SetVesselUser => {
                let (i, user) = arg?.split_once(' ')?;
                Action::SetVesselUser(i.parse().ok()?, user.to_string(), held.checked)
            }
            Kind::SetPlatform => Action::SetPlatform(platform()?, held.checked),
            Kind::ChooseBaseInstallers => Action::ChooseBaseInstallers,
            Kind::PickPlatform => Action::PickPlatform(id()?, held.value.parse().ok()),
            Kind::RemoveInstaller => Action::RemoveInstaller(id()?),
            Kind::RemoveManifest => Action::RemoveManifest,
            Kind::Build => Action::Build,
            Kind::Quick => Action::Quick,
            Kind::Retry => Action::Retry(match arg {
                Some(_) => Some(platform()?),
                None => None,
            }),
            Kind::SavedPrivate => Action::SavedPrivate,
            Kind::CopyLink => Action::CopyLink,
            Kind::Make => Action::Make(platform()?),
            Kind::SetKeyBits => Action::SetKeyBits(crate::key_size::parse(&held.value)?),
            Kind::CheckChosen => Action::CheckChosen,
            Kind::KeysZipChosen => Action::KeysZipChosen,
        })
    }
}

/// How async work hands its result to the builder that started it: the action is applied
/// there, and the answer says whether it still concerned that builder (a build the person
/// replaced by editing, say), so that work nobody waits for stops.
#[derive(Clone)]
pub struct Dispatch(Rc<dyn Fn(Action) -> bool>);

impl Dispatch {
    pub fn new(apply: impl Fn(Action) -> bool + 'static) -> Dispatch {
        Dispatch(Rc::new(apply))
    }

    pub fn send(&self, action: Action) -> bool {
        (self.0)(action)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// Reads an action back from its attributes, with what its element would hold.
    fn round_trip(action: &Action, held: Held) -> Option<Action> {
        let attributes = action.wire()?;
        let get = |name| {
            attributes
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.as_str())
        };
        let kind = Kind::ALL
            .into_iter()
            .find(|k| Some(k.name()) == get(ACTION_ATTRIBUTE))?;
        Action::parse(
            get(ACTION_ATTRIBUTE)?,
            get(ARG_ATTRIBUTE),
            held,
            kind.trigger(),
        )
    }

    fn same(a: &Action, b: &Action) -> bool {
        a.kind_and_arg() == b.kind_and_arg()
    }

    #[test]
    fn every_control_reads_back_as_the_action_it_was_drawn_with() {
        let controls = [
            Action::TypeName(String::new()),
            Action::TypeKey(String::new()),
            Action::ChooseKeyFile,
            Action::AddUser,
            Action::RemoveUser("alice".into()),
            Action::Split(3),
            Action::Merge(0),
            Action::Grow(7),
            Action::Shrink(1),
            Action::SetOwner(2, String::new()),
            Action::SetVesselUser(4, "bob_2".into(), false),
            Action::SetPlatform(Platform::Windows, false),
            Action::ChooseBaseInstallers,
            Action::PickPlatform(12, None),
            Action::RemoveInstaller(5),
            Action::RemoveManifest,
            Action::Build,
            Action::Quick,
            Action::Retry(None),
            Action::Retry(Some(Platform::Android)),
            Action::SavedPrivate,
            Action::CopyLink,
            Action::Make(Platform::Mac),
            Action::SetKeyBits(KeyBits::B2048),
            Action::CheckChosen,
            Action::KeysZipChosen,
        ];
        let kinds: Vec<Kind> = controls
            .iter()
            .filter_map(|c| Some(c.kind_and_arg()?.0))
            .collect();
        for kind in Kind::ALL {
            assert!(
                kinds.contains(&kind),
                "{kind:?} has no control in this test"
            );
            let same_name = Kind::ALL.iter().filter(|k| k.name() == kind.name());
            assert_eq!(same_name.count(), 1, "{kind:?}'s name is not unique");
        }
        for control in &controls {
            // A size is read from the select's value alone.
            let held = match control {
                Action::SetKeyBits(bits) => Held {
                    value: bits.bits().to_string(),
                    ..Held::default()
                },
                _ => Held::default(),
            };
            let back = round_trip(control, held);
            assert!(
                back.is_some_and(|b| same(&b, control)),
                "{:?}",
                control.kind_and_arg()
            );
        }
    }

    #[test]
    fn what_the_element_holds_comes_from_the_element() {
        let held = Held {
            value: "carol".into(),
            checked: true,
        };
        let back = round_trip(&Action::SetVesselUser(1, "dave".into(), false), held);
        assert!(matches!(back, Some(Action::SetVesselUser(1, u, true)) if u == "dave"));
        let held = Held {
            value: "android".into(),
            ..Held::default()
        };
        let back = round_trip(&Action::PickPlatform(3, None), held);
        assert!(matches!(
            back,
            Some(Action::PickPlatform(3, Some(Platform::Android)))
        ));
        let held = Held {
            value: "carol".into(),
            ..Held::default()
        };
        let back = round_trip(&Action::SetOwner(0, String::new()), held);
        assert!(matches!(back, Some(Action::SetOwner(0, o)) if o == "carol"));
    }

    #[test]
    fn a_control_answers_only_its_own_event_and_a_bad_attribute_nothing() {
        // A click on a checkbox is followed by its change: only the change is the action.
        let click = Action::parse("platform", Some("linux"), Held::default(), Trigger::Click);
        assert!(click.is_none());
        assert!(Action::parse("splitt", Some("1"), Held::default(), Trigger::Click).is_none());
        assert!(Action::parse("split", Some("x"), Held::default(), Trigger::Click).is_none());
        assert!(Action::parse("retry", Some("beos"), Held::default(), Trigger::Click).is_none());
        // Reports of async work have no control.
        assert!(Action::Finished { revision: 1 }.wire().is_none());
    }
}
