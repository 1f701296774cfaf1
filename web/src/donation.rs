//! The clearinghouse's builder: a `<seattle-installer owner-key=...>` on a clearinghouse's
//! download page. One button per platform makes the installer the legacy builder made for the
//! clearinghouse's call: one 80% vessel owned by the donor's key, with the clearinghouse's
//! "acceptdonation" key as its user, and the reserved vessel.

//!
//! As the builder does, it runs one way: a click becomes `Action::Make`, async work reports a
//! `Step`, and `Model::update` (pure, tested natively) applies both and names the `Effect`s
//! the element (`element`, in the browser) carries out: start a build, save a file, tell the
//! embedding page.

use crate::run::{Download, Status};
use crate::words::{size, text, users_without_key, Said};
use cib_core::{BuildDescription, Platform, PublicKey};

#[cfg(target_arch = "wasm32")]
mod element;
#[cfg(target_arch = "wasm32")]
pub use element::Donation;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

/// What the element's attributes ask for, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub owner: PublicKey,
    pub user: Option<PublicKey>,
    /// `None`: every platform the host's manifest offers.
    pub platforms: Option<Vec<Platform>>,
}

impl Request {
    /// Strict reading of the attributes: every problem, each naming its attribute.
    pub fn from_attributes(
        owner: &str,
        user: Option<&str>,
        platforms: Option<&str>,
    ) -> Result<Request, Vec<Said>> {
        let mut problems = Vec::new();
        let mut key = |attribute: &str, text: &str| {
            PublicKey::parse_typed(text)
                .map_err(|e| problems.push(attribute_problem(attribute, Said::of(&e))))
                .ok()
        };
        let owner = key("owner-key", owner);
        let user = user.map(|text| key("user-key", text));
        let platforms = platforms.map(|list| {
            let mut chosen = Vec::new();
            for word in list.split_whitespace() {
                match Platform::ALL.into_iter().find(|p| p.name() == word) {
                    Some(p) if !chosen.contains(&p) => chosen.push(p),
                    Some(_) => {}
                    None => problems.push(Said::new(
                        "ui-element-not-a-platform",
                        vec![("word", text(word))],
                    )),
                }
            }
            if chosen.is_empty() && problems.is_empty() {
                problems.push(Said::id("ui-element-no-platform"));
            }
            chosen
        });
        match (owner, user) {
            (Some(owner), user) if problems.is_empty() => Ok(Request {
                owner,
                user: user.flatten(),
                platforms,
            }),
            _ => Err(problems),
        }
    }

    /// The vesselinfo, through the core's build description so its rules are the ones applied.
    pub fn vesselinfo(&self) -> Result<String, Vec<Said>> {
        let (users, user_data) = match &self.user {
            Some(key) => (
                r#"["user"]"#,
                format!(r#", "user": {{"public_key": "{key}"}}"#),
            ),
            None => ("[]", String::new()),
        };
        let json = format!(
            r#"{{"vessels": [{{"percentage": 80, "owner": "owner", "users": {users}}}],
                "user_data": {{"owner": {{"public_key": "{}"}}{user_data}}}}}"#,
            self.owner
        );
        let description = BuildDescription::parse(&json).map_err(|found| {
            found
                .iter()
                .map(|p| Said::sentence(Said::of(p)))
                .collect::<Vec<_>>()
        })?;
        cib_core::vesselinfo::write(&description)
            .map_err(|missing| vec![users_without_key(&missing)])
    }
}

/// What a one-click builder makes: installers with this vesselinfo, for these platforms
/// (`None`: every platform the host's manifest offers), with or without the install steps
/// under a made one. The element's attributes give one (`Request::offer`), and so does a share
/// link opened by a donor (`donor_view`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub vesselinfo: String,
    pub platforms: Option<Vec<Platform>>,
    pub instructions: bool,
}

impl Request {
    /// The element's offer: `instructions="off"` leaves the install steps to the site.
    pub fn offer(self, instructions: Option<&str>) -> Result<Offer, Vec<Said>> {
        Ok(Offer {
            vesselinfo: self.vesselinfo()?,
            platforms: self.platforms,
            instructions: instructions != Some("off"),
        })
    }
}

/// The element's buttons, the visitor's own platform first.
pub fn button_order(offered: impl IntoIterator<Item = Platform>, own: Platform) -> Vec<Platform> {
    let mut order: Vec<Platform> = offered.into_iter().collect();
    order.sort_by_key(|&p| (p != own, Platform::ALL.iter().position(|&q| q == p)));
    order
}

/// One one-click builder's whole state.
pub struct Model {
    pub offer: Result<Offer, Vec<Said>>,
    /// The platforms offered, once known; or why they are not.
    pub offered: Option<Result<Vec<Platform>, Said>>,
    pub installers: Vec<(Platform, Status)>,
    /// What the live region says now.
    pub announcement: Option<Said>,
}

/// What a person did, or what async work reports.
pub enum Step {
    /// A platform's button was pressed.
    Make(Platform),
    /// The host's manifest said which platforms it offers.
    Offered(Result<Vec<Platform>, Said>),
    Progress {
        platform: Platform,
        received: u64,
        total: u64,
    },
    Customizing(Platform),
    Made {
        platform: Platform,
        download: Download,
        sha256: String,
    },
    Failed {
        platform: Platform,
        message: Said,
    },
}

/// What `update` asks the element to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Effect {
    /// Learn the offered platforms from the host's manifest.
    LearnOffered,
    /// Fetch, check and customize this platform's installer.
    Make(Platform),
    /// Start the download of this platform's made installer.
    Save(Platform),
    /// Tell the embedding page an installer is ready (`READY_EVENT`).
    Ready {
        platform: Platform,
        file: String,
        size: u64,
        sha256: String,
    },
    /// Tell the embedding page what went wrong (`ERROR_EVENT`).
    Error(Said),
}

pub const READY_EVENT: &str = "seattle-installer-ready";
pub const ERROR_EVENT: &str = "seattle-installer-error";

impl Model {
    pub fn new(offer: Result<Offer, Vec<Said>>) -> (Model, Vec<Effect>) {
        let (offered, effects) = match &offer {
            Err(problems) => (None, vec![Effect::Error(cannot_be_made(problems))]),
            Ok(Offer {
                platforms: Some(chosen),
                ..
            }) => (Some(Ok(chosen.clone())), vec![]),
            Ok(_) => (None, vec![Effect::LearnOffered]),
        };
        let model = Model {
            offer,
            offered,
            installers: Vec::new(),
            announcement: None,
        };
        (model, effects)
    }

    pub fn status(&self, platform: Platform) -> Option<&Status> {
        self.installers
            .iter()
            .find(|(p, _)| *p == platform)
            .map(|(_, s)| s)
    }

    fn set_status(&mut self, platform: Platform, status: Status) {
        match self.installers.iter_mut().find(|(p, _)| *p == platform) {
            Some((_, old)) => *old = status,
            None => self.installers.push((platform, status)),
        }
    }

    /// Whether this platform's installer is being made.
    pub fn working(&self, platform: Platform) -> bool {
        matches!(
            self.status(platform),
            Some(Status::Fetching { .. } | Status::Customizing)
        )
    }

    /// The buttons, the visitor's own platform first; empty until the offer is known.
    pub fn buttons(&self, own: Platform) -> Vec<Platform> {
        match &self.offered {
            Some(Ok(offered)) => button_order(offered.iter().copied(), own),
            _ => Vec::new(),
        }
    }

    pub fn update(&mut self, step: Step) -> Vec<Effect> {
        match step {
            Step::Make(platform) => {
                // A second press while it works is ignored: the state beside the button says why.
                if self.offer.is_err() || self.working(platform) {
                    return vec![];
                }
                let fetching = Status::Fetching {
                    received: 0,
                    total: 0,
                };
                self.set_status(platform, fetching);
                vec![Effect::Make(platform)]
            }
            Step::Offered(offered) => {
                let offered = offered.map_err(offer_unloadable);
                let effects = match &offered {
                    Err(message) => self.fail(message.clone()),
                    Ok(_) => vec![],
                };
                self.offered = Some(offered);
                effects
            }
            Step::Progress {
                platform,
                received,
                total,
            } => {
                self.set_status(platform, Status::Fetching { received, total });
                self.announcement = Some(Said::new(
                    "ui-platform-progress",
                    vec![
                        ("platform", text(platform.label())),
                        ("received", size(received).into()),
                        ("total", size(total).into()),
                    ],
                ));
                vec![]
            }
            Step::Customizing(platform) => {
                self.set_status(platform, Status::Customizing);
                vec![]
            }
            Step::Made {
                platform,
                download,
                sha256,
            } => {
                self.announcement = Some(Said::new(
                    "ui-installer-ready-file",
                    vec![
                        ("platform", text(platform.label())),
                        ("file", text(&download.file)),
                    ],
                ));
                let ready = Effect::Ready {
                    platform,
                    file: download.file.clone(),
                    size: download.size,
                    sha256,
                };
                self.set_status(platform, Status::Ready(download));
                vec![Effect::Save(platform), ready]
            }
            Step::Failed { platform, message } => {
                self.set_status(platform, Status::Failed(message.clone()));
                self.fail(message)
            }
        }
    }

    fn fail(&mut self, message: Said) -> Vec<Effect> {
        self.announcement = Some(message.clone());
        vec![Effect::Error(message)]
    }

    /// Whether the install steps go under this platform's made installer.
    pub fn shows_steps(&self, platform: Platform) -> bool {
        let made = matches!(self.status(platform), Some(Status::Ready(_)));
        made && self.offer.as_ref().is_ok_and(|o| o.instructions)
    }
}

/// A problem with one of the element's attributes, named by it.
fn attribute_problem(attribute: &str, problem: Said) -> Said {
    let problem = Said::sentence(problem).into();
    Said::new(
        "ui-element-attribute",
        vec![("attribute", text(attribute)), ("problem", problem)],
    )
}

/// Why the element makes nothing: every problem, in one message for the embedding page.
pub fn cannot_be_made(problems: &[Said]) -> Said {
    let problems = crate::words::listed(problems.to_vec(), "ui-list-space", "ui-list-space");
    Said::new("ui-cannot-be-made", vec![("problems", problems.into())])
}

/// Why no installer can be offered: the host's manifest could not be had.
pub fn offer_unloadable(problem: Said) -> Said {
    let problem = Said::sentence(problem).into();
    Said::new("ui-offer-unloadable", vec![("problem", problem)])
}
