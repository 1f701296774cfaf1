//! The clearinghouse's builder: a `<seattle-installer owner-key=...>` on a clearinghouse's
//! download page. One button per platform makes the installer the legacy builder made for the
//! clearinghouse's call: one 80% vessel owned by the donor's key, with the clearinghouse's
//! "acceptdonation" key as its user, and the reserved vessel.

use crate::action::Action;
use crate::dom::{El, Root};
use crate::events::{self, listener, Listener};
use crate::ids;
use crate::install_steps;
use crate::installers::{self, Manifest};
use crate::making::{make_installer, offer, throttled};
use crate::places::Places;
use crate::run::{Download, Status};
use crate::words::{sentence, size};
use crate::{keys, platforms};
use cib_core::{BuildDescription, Platform, PublicKey};
use js_sys::{Object, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{CustomEvent, CustomEventInit, Event, HtmlAnchorElement, HtmlElement};

pub const READY_EVENT: &str = "seattle-installer-ready";
pub const ERROR_EVENT: &str = "seattle-installer-error";

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
    ) -> Result<Request, Vec<String>> {
        let mut problems = Vec::new();
        let mut key = |attribute: &str, text: &str| {
            PublicKey::parse(text)
                .map_err(|e| problems.push(format!("{attribute}: {}", sentence(&e))))
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
                    None => problems.push(format!(
                        "platforms: {word:?} is not a platform; use linux, mac, windows or android."
                    )),
                }
            }
            if chosen.is_empty() && problems.is_empty() {
                problems.push(
                    "platforms: names no platform; use linux, mac, windows or android.".into(),
                );
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
    pub fn vesselinfo(&self) -> Result<String, String> {
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
        let description = BuildDescription::parse(&json).map_err(|p| p.to_string())?;
        cib_core::vesselinfo::write(&description).map_err(|missing| missing.join(", "))
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
    pub fn offer(self, instructions: Option<&str>) -> Result<Offer, Vec<String>> {
        Ok(Offer {
            vesselinfo: self.vesselinfo().map_err(|e| vec![e])?,
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

pub struct Donation {
    host: HtmlElement,
    root: Root,
    places: Places,
    request: Result<Offer, Vec<String>>,
    /// The platforms offered, once known; or why they are not.
    offered: RefCell<Option<Result<Vec<Platform>, String>>>,
    installers: RefCell<Vec<(Platform, Status)>>,
    drawn_at: Cell<f64>,
    /// Set when new attributes replaced this instance: its late results are not wanted.
    retired: Cell<bool>,
    listeners: RefCell<Vec<Listener>>,
}

impl Drop for Donation {
    fn drop(&mut self) {
        self.retired.set(true);
    }
}

impl Donation {
    pub fn mount(
        host: HtmlElement,
        root: Root,
        places: Places,
        request: Result<Offer, Vec<String>>,
    ) -> Rc<Donation> {
        let donation = Rc::new(Donation {
            host,
            root,
            places,
            request,
            offered: RefCell::new(None),
            installers: RefCell::new(Vec::new()),
            drawn_at: Cell::new(0.0),
            retired: Cell::new(false),
            listeners: RefCell::new(Vec::new()),
        });
        donation.root.node().set_text_content(None);
        donation.root.append(
            El::new("div").class("cib donation").children([
                El::new("div").attr("id", "cib-donation-body"),
                El::new("p")
                    .attr("id", ids::ANNOUNCE)
                    .class("visually-hidden")
                    .attr("aria-live", "polite"),
            ]),
        );
        let click = listener(&donation, donation.root.node(), "click", on_click);
        donation.listeners.borrow_mut().push(click);
        match &donation.request {
            Err(problems) => {
                let message = format!("This installer cannot be made: {}", problems.join(" "));
                donation.dispatch(ERROR_EVENT, &[("message", message.into())]);
            }
            Ok(request) => match &request.platforms {
                Some(chosen) => *donation.offered.borrow_mut() = Some(Ok(chosen.clone())),
                None => spawn_local(learn_offered(donation.clone())),
            },
        }
        donation.render();
        donation
    }

    /// Stops this instance's late work from reaching the page (new attributes replaced it).
    pub fn retire(&self) {
        self.retired.set(true);
    }

    fn dispatch(&self, kind: &str, detail: &[(&str, JsValue)]) {
        let object = Object::new();
        for (name, value) in detail {
            let _ = Reflect::set(&object, &(*name).into(), value);
        }
        let init = CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&object);
        if let Ok(event) = CustomEvent::new_with_event_init_dict(kind, &init) {
            let _ = self.host.dispatch_event(&event);
        }
    }

    fn fail(&self, message: String) {
        self.root.set_text(ids::ANNOUNCE, &message);
        self.dispatch(ERROR_EVENT, &[("message", message.into())]);
    }

    fn status(&self, platform: Platform, status: Status) {
        let mut installers = self.installers.borrow_mut();
        match installers.iter_mut().find(|(p, _)| *p == platform) {
            Some((_, old)) => *old = status,
            None => installers.push((platform, status)),
        }
    }

    fn working(&self, platform: Platform) -> bool {
        self.installers.borrow().iter().any(|(p, s)| {
            *p == platform && matches!(s, Status::Fetching { .. } | Status::Customizing)
        })
    }

    fn render(&self) {
        let body = match (&self.request, &*self.offered.borrow()) {
            (Err(problems), _) => vec![El::new("div")
                .class("message")
                .attr("role", "alert")
                .children(
                    [El::new("p").text("This installer cannot be made:")]
                        .into_iter()
                        .chain(problems.iter().map(|p| El::new("p").text(p))),
                )],
            (Ok(_), None) => vec![El::new("p")
                .attr("role", "status")
                .text("Loading the list of installers…")],
            (Ok(_), Some(Err(message))) => vec![El::new("p")
                .class("message")
                .attr("role", "alert")
                .text(message)],
            (Ok(_), Some(Ok(offered))) => {
                let order = button_order(offered.iter().copied(), platforms::own_platform());
                vec![El::new("ul").class("installers").children(
                    order
                        .into_iter()
                        .enumerate()
                        .map(|(i, p)| self.platform_row(p, i == 0))
                        .collect::<Vec<_>>(),
                )]
            }
        };
        self.root
            .keeping_focus(|| self.root.replace_children("cib-donation-body", body));
    }

    /// One platform's button; the `main` one (the visitor's own) stands out.
    fn platform_row(&self, platform: Platform, main: bool) -> El {
        let name = platform.name();
        let installers = self.installers.borrow();
        let status = installers
            .iter()
            .find(|(p, _)| *p == platform)
            .map(|(_, s)| s);
        let text = format!("Download for {}", platform.label());
        let button = El::button(&text, &Action::Make(platform))
            .attr("id", &format!("cib-make-{name}"))
            .class(if main { "primary" } else { "quiet" })
            // Not disabled while it works (that would drop a keyboard user's focus): a second
            // click is ignored instead, and the state beside it says why.
            .attr("aria-describedby", &format!("cib-made-{name}"));
        let detail = match status {
            None | Some(Status::Waiting) => vec![],
            Some(Status::Fetching { received, total }) => {
                keys::progress(platform.label(), *received, *total).into()
            }
            Some(Status::Customizing) => vec![El::new("span").class("hint").text("customizing…")],
            Some(Status::Ready(download)) => vec![El::new("a")
                .attr("href", &download.url)
                .attr("download", &download.file)
                .class("button quiet")
                .text(&format!("Save {} again", download.file))],
            Some(Status::Failed(message)) => {
                vec![El::new("span")
                    .class("message")
                    .attr("role", "alert")
                    .text(message)]
            }
        };
        let steps = match (status, &self.request) {
            (Some(Status::Ready(_)), Ok(offer)) if offer.instructions => {
                Some(install_steps::view(platform, 3))
            }
            _ => None,
        };
        El::new("li")
            .child(button)
            .child(
                El::new("span")
                    .attr("id", &format!("cib-made-{name}"))
                    .children(detail),
            )
            .children(steps)
    }
}

fn on_click(donation: &Rc<Donation>, event: Event) {
    if let Some(Action::Make(platform)) = events::action_of(&event) {
        if !donation.working(platform) {
            spawn_local(make(donation.clone(), platform));
        }
    }
}

/// Without a `platforms` attribute, the buttons are the platforms the host's manifest offers.
async fn learn_offered(donation: Rc<Donation>) {
    let offered = installers::manifest(&donation.places)
        .await
        .map(|manifest| {
            Platform::ALL
                .into_iter()
                .filter(|&p| manifest.for_platform(p).is_some())
                .collect::<Vec<_>>()
        });
    let offered = offered.map_err(|e| {
        format!(
            "The list of installers could not be loaded: {}",
            sentence(&e)
        )
    });
    if donation.retired.get() {
        return;
    }
    if let Err(message) = &offered {
        donation.fail(message.clone());
    }
    *donation.offered.borrow_mut() = Some(offered);
    donation.render();
}

/// One click: fetch, check, customize, and start the download.
async fn make(donation: Rc<Donation>, platform: Platform) {
    let Ok(request) = &donation.request else {
        return;
    };
    donation.status(
        platform,
        Status::Fetching {
            received: 0,
            total: 0,
        },
    );
    donation.render();
    let made = async {
        let vesselinfo = &request.vesselinfo;
        // Read each time: the host may have replaced a base installer since the page loaded.
        let manifest: Manifest = installers::manifest(&donation.places).await.map_err(|e| {
            format!(
                "The list of installers could not be loaded: {}",
                sentence(&e)
            )
        })?;
        let entry = manifest.for_platform(platform);
        let progress = |received, total| {
            donation.status(platform, Status::Fetching { received, total });
            if throttled(&donation.drawn_at, received == total) {
                let text = format!(
                    "{}: {} of {}",
                    platform.label(),
                    size(received),
                    size(total)
                );
                donation.root.set_text(ids::ANNOUNCE, &text);
                donation.render();
            }
        };
        let customizing = || {
            donation.status(platform, Status::Customizing);
            donation.render();
        };
        let (blob, file) = make_installer(
            &donation.places,
            platform,
            entry,
            vesselinfo,
            progress,
            customizing,
        )
        .await?;
        let sha256 = installers::sha256_hex(&blob).await?;
        Ok::<_, String>((offer(&blob, &file), sha256))
    }
    .await;
    if donation.retired.get() {
        return;
    }
    match made {
        Ok((download, sha256)) => {
            save(&download);
            donation.root.set_text(
                ids::ANNOUNCE,
                &format!(
                    "The {} installer is ready: {}.",
                    platform.label(),
                    download.file
                ),
            );
            donation.dispatch(
                READY_EVENT,
                &[
                    ("platform", platform.name().into()),
                    ("file", download.file.as_str().into()),
                    ("size", (download.size as f64).into()),
                    ("sha256", sha256.into()),
                ],
            );
            donation.status(platform, Status::Ready(download));
        }
        Err(message) => {
            donation.status(platform, Status::Failed(message.clone()));
            donation.fail(message);
        }
    }
    donation.render();
}

/// Starts the download of a made installer, as a click on its link would.
fn save(download: &Download) {
    let link = El::new("a")
        .attr("href", &download.url)
        .attr("download", &download.file)
        .0
        .unchecked_into::<HtmlAnchorElement>();
    link.click();
}
