//! The one-click builder in the browser: draws its `Model`, turns clicks into steps, and
//! carries out the effects `update` names.

use super::{Effect, Model, Offer, Step, ERROR_EVENT, READY_EVENT};
use crate::action::Action;
use crate::catalog::{message, say, speaking, t, Catalog};
use crate::dom::{El, Root};
use crate::events::{self, listener, Listener};
use crate::ids;
use crate::install_steps;
use crate::installers::{self, Manifest};
use crate::making::{make_installer, offer, throttled};
use crate::places::Places;
use crate::run::{Download, Status};
use crate::words::{text, Said};
use crate::{keys, platforms};
use cib_core::Platform;
use js_sys::{Object, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{CustomEvent, CustomEventInit, Event, HtmlAnchorElement, HtmlElement};

const ROOT: &str = "cib-donation";
const BODY: &str = "cib-donation-body";

pub struct Donation {
    host: HtmlElement,
    root: Root,
    places: Places,
    model: RefCell<Model>,
    /// The language it speaks (English until another is given: `speak`).
    catalog: RefCell<Rc<Catalog>>,
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
        request: Result<Offer, Vec<Said>>,
        catalog: Rc<Catalog>,
    ) -> Rc<Donation> {
        let (model, effects) = Model::new(request);
        let donation = Rc::new(Donation {
            host,
            root,
            places,
            model: RefCell::new(model),
            catalog: RefCell::new(catalog),
            drawn_at: Cell::new(0.0),
            retired: Cell::new(false),
            listeners: RefCell::new(Vec::new()),
        });
        donation.root.node().set_text_content(None);
        donation.root.append(
            El::new("div")
                .attr("id", ROOT)
                .class("cib donation")
                .children([
                    El::new("div").attr("id", BODY),
                    El::new("p")
                        .attr("id", ids::ANNOUNCE)
                        .class("visually-hidden")
                        .attr("aria-live", "polite"),
                ]),
        );
        let click = listener(&donation, donation.root.node(), "click", on_click);
        donation.listeners.borrow_mut().push(click);
        donation.render();
        donation.carry_out(effects);
        donation
    }

    /// Speaks `catalog`'s language from now on, what is already said included.
    pub fn speak(&self, catalog: Rc<Catalog>) {
        *self.catalog.borrow_mut() = catalog;
        self.render();
    }

    /// Stops this instance's late work from reaching the page (new attributes replaced it).
    pub fn retire(&self) {
        self.retired.set(true);
    }

    /// Applies a step, draws, and carries out what it asks for; a retired instance takes none.
    fn send(self: &Rc<Self>, step: Step) {
        if self.retired.get() {
            return;
        }
        let effects = self.model.borrow_mut().update(step);
        self.render();
        self.carry_out(effects);
    }

    fn carry_out(self: &Rc<Self>, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::LearnOffered => spawn_local(learn_offered(self.clone())),
                Effect::Make(platform) => spawn_local(make(self.clone(), platform)),
                Effect::Save(platform) => {
                    if let Some(Status::Ready(download)) = self.model.borrow().status(platform) {
                        save(download);
                    }
                }
                Effect::Ready {
                    platform,
                    file,
                    size,
                    sha256,
                } => self.dispatch(
                    READY_EVENT,
                    &[
                        ("platform", platform.name().into()),
                        ("file", file.into()),
                        ("size", (size as f64).into()),
                        ("sha256", sha256.into()),
                    ],
                ),
                Effect::Error(said) => {
                    let catalog = self.catalog.borrow().clone();
                    let message = speaking(&catalog, || message(&said));
                    self.dispatch(ERROR_EVENT, &[("message", message.into())])
                }
            }
        }
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

    fn render(&self) {
        let catalog = self.catalog.borrow().clone();
        // Screen readers pronounce its words in its language, whatever the site's.
        if let Some(root) = self.root.by_id::<web_sys::Element>(ROOT) {
            let _ = root.set_attribute("lang", catalog.lang);
        }
        speaking(&catalog, || self.render_speaking());
    }

    fn render_speaking(&self) {
        let model = self.model.borrow();
        let body = match (&model.offer, &model.offered) {
            (Err(problems), _) => vec![El::new("div")
                .class("message")
                .attr("role", "alert")
                .children(
                    [El::new("p").text(&t("ui-cannot-be-made-heading"))]
                        .into_iter()
                        .chain(problems.iter().map(|p| El::new("p").text(&message(p)))),
                )],
            (Ok(_), None) => vec![El::new("p")
                .attr("role", "status")
                .text(&t("ui-loading-installers"))],
            (Ok(_), Some(Err(why))) => vec![El::new("p")
                .class("message")
                .attr("role", "alert")
                .text(&message(why))],
            (Ok(_), Some(Ok(_))) => vec![El::new("ul").class("installers").children(
                model
                    .buttons(platforms::own_platform())
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| platform_row(&model, p, i == 0))
                    .collect::<Vec<_>>(),
            )],
        };
        self.root
            .keeping_focus(|| self.root.replace_children(BODY, body));
        let announcement = model.announcement.as_ref().map(message).unwrap_or_default();
        self.root.set_text(ids::ANNOUNCE, &announcement);
    }
}

/// One platform's button; the `main` one (the visitor's own) stands out.
fn platform_row(model: &Model, platform: Platform, main: bool) -> El {
    let name = platform.name();
    let label = say("ui-download-for", &[("platform", text(platform.label()))]);
    let button = El::button(&label, &Action::Make(platform))
        .attr("id", &format!("cib-make-{name}"))
        .class(if main { "primary" } else { "quiet" })
        // Not disabled while it works (that would drop a keyboard user's focus): a second
        // click is ignored instead, and the state beside it says why.
        .attr("aria-describedby", &format!("cib-made-{name}"));
    let detail = match model.status(platform) {
        None | Some(Status::Waiting) => vec![],
        Some(Status::Fetching { received, total }) => {
            keys::progress(platform.label(), *received, *total).into()
        }
        Some(Status::Customizing) => vec![El::new("span").class("hint").text(&t("ui-customizing"))],
        Some(Status::Ready(download)) => vec![El::new("a")
            .attr("href", &download.url)
            .attr("download", &download.file)
            .class("button quiet")
            .text(&say("ui-save-again", &[("file", text(&download.file))]))],
        Some(Status::Failed(why)) => {
            vec![El::new("span")
                .class("message")
                .attr("role", "alert")
                .text(&message(why))]
        }
    };
    let steps = model
        .shows_steps(platform)
        .then(|| install_steps::view(platform, 3));
    El::new("li")
        .child(button)
        .child(
            El::new("span")
                .attr("id", &format!("cib-made-{name}"))
                .children(detail),
        )
        .children(steps)
}

fn on_click(donation: &Rc<Donation>, event: Event) {
    if let Some(Action::Make(platform)) = events::action_of(&event) {
        donation.send(Step::Make(platform));
    }
}

/// Without a `platforms` attribute, the buttons are the platforms the host's manifest offers.
async fn learn_offered(donation: Rc<Donation>) {
    let offered = installers::host_manifest(&donation.places)
        .await
        .map(|manifest| {
            Platform::ALL
                .into_iter()
                .filter(|&p| manifest.for_platform(p).is_some())
                .collect::<Vec<_>>()
        });
    donation.send(Step::Offered(offered));
}

/// One press: fetch, check, customize, and report the made installer.
async fn make(donation: Rc<Donation>, platform: Platform) {
    let vesselinfo = match &donation.model.borrow().offer {
        Ok(offer) => offer.vesselinfo.clone(),
        Err(_) => return,
    };
    let made = async {
        // Read each time: the host may have replaced a base installer since the page loaded.
        let manifest: Manifest = installers::host_manifest(&donation.places)
            .await
            .map_err(super::offer_unloadable)?;
        let entry = manifest.for_platform(platform);
        let progress = |received, total| {
            if throttled(&donation.drawn_at, received == total) {
                donation.send(Step::Progress {
                    platform,
                    received,
                    total,
                });
            }
        };
        let customizing = || donation.send(Step::Customizing(platform));
        let (blob, file) = make_installer(
            &donation.places,
            platform,
            entry,
            &vesselinfo,
            progress,
            customizing,
        )
        .await?;
        let sha256 = installers::sha256_hex(&blob).await?;
        Ok::<_, Said>((offer(&blob, &file), sha256))
    }
    .await;
    donation.send(match made {
        Ok((download, sha256)) => Step::Made {
            platform,
            download,
            sha256,
        },
        Err(message) => Step::Failed { platform, message },
    });
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
