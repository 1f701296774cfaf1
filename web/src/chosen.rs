//! The saved page's base installers, chosen from disk: a page opened from a file may fetch
//! nothing, so the person gives them, with the file input labelled "Base installers" or by
//! dropping them on it. Each file is checked as it is chosen, by the code that customizes it
//! (so its problems read as on the hosted page), and listed with the platform it is for and
//! its sha256 to compare with the host's manifest. A `manifest.json` chosen too checks them.
//!
//! Here are the rules that match the chosen files to platforms; `view` draws them, and
//! `reading` reads and checks the files.

use crate::words::{text, Said};
use cib_core::{ArchiveKind, Manifest, ManifestEntry, Platform};

#[derive(Debug)]
pub struct ChosenFile {
    id: u32,
    name: String,
    size: u64,
    sha256: Option<String>,
    /// What the check found: the archive kind, or why the file cannot be used. `None` while
    /// it is being checked.
    check: Option<Result<ArchiveKind, Said>>,
    /// The platform the person chose, for a file whose name and contents do not say.
    picked: Option<Platform>,
}

#[derive(Debug, Default)]
pub struct Chosen {
    next_id: u32,
    files: Vec<ChosenFile>,
    /// The manifest chosen, by its file name, or why it cannot be used.
    manifest: Option<(String, Result<Manifest, Said>)>,
}

/// What a chosen file is good for, all things considered.
#[derive(Debug, PartialEq)]
enum Verdict {
    Checking,
    Unusable(Said),
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
            return Verdict::Unusable(Said::new(
                "ui-chosen-wrong-kind",
                vec![
                    ("kind", text(kind_name(kind))),
                    ("platform", text(platform.label())),
                    ("expected", text(kind_name(platform.archive_kind()))),
                    ("file", text(platform.file_name())),
                ],
            ));
        }
        if let Some((name, Ok(manifest))) = &self.manifest {
            let name = ("name", text(name));
            match manifest.for_platform(platform) {
                Some(entry) if entry.sha256 == *sha256 => {}
                Some(entry) => {
                    return Verdict::Unusable(Said::new(
                        "ui-chosen-differs",
                        vec![
                            name,
                            ("actual", text(sha256)),
                            ("expected", text(&entry.sha256)),
                        ],
                    ))
                }
                None => {
                    return Verdict::Unusable(Said::new(
                        "ui-chosen-unlisted",
                        vec![name, ("platform", text(platform.label()))],
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
            Some(i) => Verdict::Unusable(Said::new(
                "ui-chosen-replaced",
                vec![
                    ("name", text(&self.files[at + 1 + i].name)),
                    ("platform", text(platform.label())),
                ],
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
                    size: file.size,
                    sha256: sha256.clone(),
                });
            }
        }
        manifest
    }

    /// What keeps these platforms from being built, in words for the person.
    pub fn problems(&self, platforms: &[Platform]) -> Vec<Said> {
        if (0..self.files.len()).any(|at| self.verdict(at) == Verdict::Checking) {
            return vec![Said::id("ui-chosen-wait")];
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
pub fn missing(platform: Platform) -> Said {
    Said::new(
        "ui-chosen-missing",
        vec![
            ("platform", text(platform.label())),
            ("file", text(platform.file_name())),
        ],
    )
}

fn kind_name(kind: ArchiveKind) -> &'static str {
    match kind {
        ArchiveKind::Zip => "zip",
        ArchiveKind::TarGz => "tar.gz",
    }
}

impl Chosen {
    /// The id the next chosen file gets: never one a removed file had, so a late check of
    /// that file cannot land on another.
    pub fn next_id(&self) -> u32 {
        self.next_id + 1
    }

    /// Whether the file `id` is still chosen.
    pub fn holds(&self, id: u32) -> bool {
        self.position(id).is_some()
    }

    pub fn add(&mut self, id: u32, name: String, size: u64) {
        self.next_id = self.next_id.max(id);
        self.files.push(ChosenFile {
            id,
            name,
            size,
            sha256: None,
            check: None,
            picked: None,
        });
    }

    /// The file `id`, changed by `change`; its name, or `None` when it was removed.
    pub fn change(&mut self, id: u32, change: impl FnOnce(&mut ChosenFile)) -> Option<String> {
        let at = self.position(id)?;
        change(&mut self.files[at]);
        Some(self.files[at].name.clone())
    }

    pub fn set_sha256(&mut self, id: u32, sha256: String) -> Option<String> {
        self.change(id, |f| f.sha256 = Some(sha256))
    }

    pub fn set_check(&mut self, id: u32, check: Result<ArchiveKind, Said>) -> Option<String> {
        self.change(id, |f| f.check = Some(check))
    }

    pub fn pick(&mut self, id: u32, platform: Option<Platform>) -> Option<String> {
        self.change(id, |f| f.picked = platform)
    }

    pub fn set_manifest(&mut self, name: String, manifest: Result<Manifest, Said>) {
        self.manifest = Some((name, manifest));
    }

    /// Removes the file `id`, or the manifest when there is no id.
    pub fn remove(&mut self, id: Option<u32>) {
        match id {
            Some(id) => self.files.retain(|f| f.id != id),
            None => self.manifest = None,
        }
    }

    /// Once a file or the manifest is settled: the platforms now ready (to be ticked), and what
    /// became of the latest file named `name`, in words for the person.
    pub fn settled(&self, name: &str) -> (Vec<Platform>, Option<Said>) {
        let verdicts: Vec<Verdict> = (0..self.files.len()).map(|at| self.verdict(at)).collect();
        let said = self
            .files
            .iter()
            .zip(&verdicts)
            .rfind(|(f, _)| f.name == name)
            .map(|(_, verdict)| match verdict {
                Verdict::Ready(p) => Said::new(
                    "ui-chosen-ready-for",
                    vec![("name", text(name)), ("platform", text(p.label()))],
                ),
                Verdict::Unusable(problem) => Said::new(
                    "problem-at",
                    vec![("place", text(name)), ("problem", problem.clone().into())],
                ),
                _ => Said::new("ui-chosen-choose-platform", vec![("name", text(name))]),
            });
        let ready = verdicts
            .into_iter()
            .filter_map(|v| match v {
                Verdict::Ready(p) => Some(p),
                _ => None,
            })
            .collect();
        (ready, said)
    }
}

/// The list of chosen files, drawn into step 3 of the saved page.
#[cfg(target_arch = "wasm32")]
pub mod view {
    use super::{Chosen, ChosenFile, Verdict};
    use crate::action::Action;
    use crate::catalog::{message, say, t, text};
    use crate::dom::{El, Root};
    use crate::ids;
    use crate::words::{listed, size, Said};
    use cib_core::Platform;

    const LIST_ID: &str = "cib-chosen-list";

    pub fn skeleton() -> El {
        El::new("div")
            .attr("id", ids::CHOSEN_AREA)
            .class("field chosen")
            .children([
                El::new("label")
                    .attr("for", ids::BASE_INSTALLERS)
                    .text(&t("ui-base-installers")),
                El::new("input")
                    .attr("id", ids::BASE_INSTALLERS)
                    .attr("type", "file")
                    .flag("multiple", true)
                    .attr("accept", ".tgz,.gz,.zip,.json")
                    .action(&Action::ChooseBaseInstallers)
                    .attr("aria-describedby", "cib-chosen-hint"),
                El::new("p")
                    .attr("id", "cib-chosen-hint")
                    .class("hint")
                    .text(&t("ui-chosen-hint")),
                El::new("ul").attr("id", LIST_ID).class("chosen-list"),
            ])
    }

    /// A button that removes the chosen file `name`.
    fn remove(name: &str, action: Action) -> El {
        El::button(&t("ui-remove"), &action).attr(
            "aria-label",
            &say("ui-remove-file", &[("name", text(name))]),
        )
    }

    pub fn render(root: &Root, chosen: &Chosen) {
        let manifest = chosen.manifest.iter().map(|(name, found)| {
            let said = match found {
                Ok(manifest) => {
                    let listed = listed(
                        Platform::ALL
                            .into_iter()
                            .filter(|&p| manifest.for_platform(p).is_some())
                            .map(|p| Said::text(p.label()))
                            .collect(),
                        "ui-list-comma",
                        "ui-list-comma",
                    );
                    Said::new(
                        "ui-manifest-checks",
                        vec![("name", text(name)), ("platforms", listed.into())],
                    )
                }
                Err(problem) => Said::new(
                    "ui-manifest-unusable",
                    vec![
                        ("name", text(name)),
                        ("problem", Said::sentence(problem.clone()).into()),
                    ],
                ),
            };
            El::new("li").children([
                El::new("p").text(&message(&said)),
                remove(name, Action::RemoveManifest),
            ])
        });
        let files = chosen.files.iter().enumerate().map(|(at, file)| {
            let (status, platform) = match chosen.verdict(at) {
                Verdict::Checking => (t("ui-checking"), None),
                Verdict::Unusable(problem) => (message(&problem), None),
                Verdict::Ready(platform) => (
                    say("ui-ready-for", &[("platform", text(platform.label()))]),
                    None,
                ),
                Verdict::Ambiguous(fits) => {
                    (t("ui-chosen-ambiguous"), Some(platform_choice(file, &fits)))
                }
            };
            let sha256 = match file.sha256.as_deref() {
                Some(sha256) => sha256.to_string(),
                None => t("ui-being-computed"),
            };
            El::new("li")
                .children([
                    El::new("p").children([
                        El::new("strong").text(&file.name),
                        El::new("span").text(&format!(" · {}", size(file.size))),
                    ]),
                    El::new("p")
                        .class("sha256")
                        .text(&format!("sha256 {sha256}")),
                    El::new("p").class("status").text(&status),
                ])
                .children(platform)
                .child(remove(&file.name, Action::RemoveInstaller(file.id)))
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
                .text(&say("ui-platform-of", &[("name", text(&file.name))])),
            El::new("select")
                .attr("id", &id)
                .action(&Action::PickPlatform(file.id, None))
                .child(
                    El::new("option")
                        .attr("value", "")
                        .text(&t("ui-choose-option")),
                )
                .children(options.collect::<Vec<_>>()),
        ])
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::words::english;

    const SHA_LINUX: &str = "aa";
    const SHA_WIN: &str = "bb";

    fn manifest() -> Manifest {
        let mut manifest = Manifest::default();
        for (platform, sha256) in [(Platform::Linux, SHA_LINUX), (Platform::Windows, SHA_WIN)] {
            manifest.insert(ManifestEntry {
                file: platform.file_name().to_string(),
                size: 10,
                sha256: sha256.to_string(),
            });
        }
        manifest
    }

    /// The sha256 of the file the build takes for `platform`.
    fn used_for(chosen: &Chosen, platform: Platform) -> String {
        let ready = chosen.manifest();
        ready
            .for_platform(platform)
            .expect("a file is ready")
            .sha256
            .clone()
    }

    /// Why the file at `at` is not used (it must not be), in English.
    fn unusable(chosen: &Chosen, at: usize) -> String {
        match chosen.verdict(at) {
            Verdict::Unusable(why) => english(&why),
            other => panic!("file {at} is {other:?}, not refused"),
        }
    }

    /// A file chosen, hashed and checked as an archive of `kind`.
    fn checked(chosen: &mut Chosen, name: &str, sha256: &str, kind: ArchiveKind) -> u32 {
        let id = chosen.next_id();
        chosen.add(id, name.to_string(), 10);
        chosen.set_sha256(id, sha256.to_string());
        chosen.set_check(id, Ok(kind));
        id
    }

    #[test]
    fn a_file_is_for_the_platform_its_name_says() {
        let mut chosen = Chosen::default();
        assert_eq!(chosen.problems(&[Platform::Linux]).len(), 1);
        checked(
            &mut chosen,
            "seattle_linux.tgz",
            SHA_LINUX,
            ArchiveKind::TarGz,
        );
        assert!(chosen.problems(&[Platform::Linux]).is_empty());
        assert_eq!(
            chosen.problems(&[Platform::Linux, Platform::Mac]),
            [missing(Platform::Mac)]
        );
        let ready = chosen.manifest();
        assert_eq!(
            ready.for_platform(Platform::Linux).unwrap().sha256,
            SHA_LINUX
        );
        let (ticked, said) = chosen.settled("seattle_linux.tgz");
        assert_eq!(ticked, [Platform::Linux]);
        assert_eq!(
            said.as_ref().map(english).as_deref(),
            Some("seattle_linux.tgz is ready for Linux.")
        );
    }

    #[test]
    fn a_file_being_checked_holds_the_build() {
        let mut chosen = Chosen::default();
        let id = chosen.next_id();
        chosen.add(id, "seattle_win.zip".into(), 10);
        let waiting = chosen.problems(&[Platform::Windows]);
        let said: Vec<String> = waiting.iter().map(english).collect();
        assert_eq!(said, ["Wait until the chosen base installers are checked."]);
        chosen.set_sha256(id, SHA_WIN.into());
        assert_eq!(chosen.problems(&[Platform::Windows]), waiting);
        chosen.set_check(id, Ok(ArchiveKind::Zip));
        assert!(chosen.problems(&[Platform::Windows]).is_empty());
    }

    #[test]
    fn a_nameless_file_waits_for_its_platform_unless_the_manifest_knows_it() {
        let mut chosen = Chosen::default();
        let id = checked(&mut chosen, "download.zip", SHA_WIN, ArchiveKind::Zip);
        assert_eq!(
            chosen.verdict(0),
            Verdict::Ambiguous(vec![Platform::Windows, Platform::Android])
        );
        assert_eq!(
            chosen
                .settled("download.zip")
                .1
                .as_ref()
                .map(english)
                .as_deref(),
            Some("Choose the platform of download.zip.")
        );
        chosen.pick(id, Some(Platform::Android));
        assert_eq!(chosen.verdict(0), Verdict::Ready(Platform::Android));
        chosen.pick(id, None);
        chosen.set_manifest("manifest.json".into(), Ok(manifest()));
        assert_eq!(chosen.verdict(0), Verdict::Ready(Platform::Windows));
    }

    #[test]
    fn the_manifest_refuses_a_file_that_differs_or_it_does_not_list() {
        let mut chosen = Chosen::default();
        chosen.set_manifest("manifest.json".into(), Ok(manifest()));
        checked(&mut chosen, "seattle_linux.tgz", "cc", ArchiveKind::TarGz);
        checked(&mut chosen, "seattle_mac.tgz", "dd", ArchiveKind::TarGz);
        let differs = unusable(&chosen, 0);
        assert_eq!(
            differs,
            "It does not match manifest.json (sha256 cc, expected aa); it will not be used."
        );
        let unlisted = unusable(&chosen, 1);
        assert_eq!(
            unlisted,
            "manifest.json lists no Mac base installer; it will not be used."
        );
        assert!(chosen.manifest().installers.is_empty());
        chosen.remove(None);
        assert_eq!(chosen.manifest().installers.len(), 2);
    }

    #[test]
    fn the_wrong_kind_of_archive_and_an_older_choice_are_not_used() {
        let mut chosen = Chosen::default();
        checked(&mut chosen, "seattle_win.zip", "ee", ArchiveKind::TarGz);
        let kind = unusable(&chosen, 0);
        assert!(
            kind.starts_with("It is a tar.gz archive, but a Windows"),
            "{kind}"
        );
        let first = checked(&mut chosen, "seattle_linux.tgz", "f1", ArchiveKind::TarGz);
        checked(&mut chosen, "linux.tgz", "f2", ArchiveKind::TarGz);
        let id = chosen.next_id() - 1;
        chosen.pick(id, Some(Platform::Linux));
        assert_eq!(unusable(&chosen, 1), "linux.tgz is used for Linux instead.");
        assert_eq!(used_for(&chosen, Platform::Linux), "f2");
        chosen.remove(Some(id));
        assert_eq!(used_for(&chosen, Platform::Linux), "f1");
        // A removed file's late check lands nowhere, and its id is never given again.
        assert_eq!(chosen.set_check(id, Err(Said::text("late"))), None);
        assert!(chosen.next_id() > id && first < id);
    }

    #[test]
    fn an_unreadable_file_says_why() {
        let mut chosen = Chosen::default();
        let id = chosen.next_id();
        chosen.add(id, "seattle_mac.tgz".into(), 10);
        chosen.set_check(id, Err(Said::sentence(Said::id("ui-unreadable"))));
        let (ready, said) = chosen.settled("seattle_mac.tgz");
        assert!(ready.is_empty());
        assert_eq!(
            said.as_ref().map(english).as_deref(),
            Some("seattle_mac.tgz: It could not be read.")
        );
        assert_eq!(
            english(&missing(Platform::Mac)),
            "Choose the Mac base installer (seattle_mac.tgz) under Base installers in step 3."
        );
        assert_eq!(chosen.problems(&[Platform::Mac]), [missing(Platform::Mac)]);
    }
}
