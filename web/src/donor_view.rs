//! The donor's page: a share link opened in a browser. It says what installing donates and
//! whose keys the installers hold, offers the link's installers through the one-click builder
//! (`donation`), and opens the full builder in the link's state for whoever wants to change it.
//! A link holds public keys only: nothing here generates a key.
//!
//! It speaks the visitor's language as the page's builder does (`language`); a language picked
//! later redraws its words around the downloads, which keep what they were doing.

use crate::app::App;
use crate::catalog::{message, speak_on_page, speaking, t, Catalog};
use crate::dom::{El, Root};
use crate::donation::{Donation, Offer};
use crate::donor;
use crate::events::{listener, Listener};
use crate::language::{self, dress_page};
use crate::places::Places;
use cib_core::share_link::Shared;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, Event, HtmlElement};

const DOWNLOADS_ID: &str = "cib-donor-downloads";
const OPEN_ID: &str = "cib-open-builder";

pub struct DonorView {
    element: Element,
    places: Places,
    /// Where the catalogs are.
    assets: String,
    shared: Shared,
    lang: Cell<&'static str>,
    /// The one-click builder's element, kept across redraws.
    downloads: RefCell<Option<HtmlElement>>,
    donation: RefCell<Option<Rc<Donation>>>,
    builder: RefCell<Option<Rc<App>>>,
    listener: RefCell<Option<Listener>>,
}

impl DonorView {
    /// Draws the donor's page for `shared` into `element` (its contents are replaced) once its
    /// language's words are here.
    pub fn mount(element: Element, places: Places, shared: Shared) -> Rc<DonorView> {
        let view = Rc::new(DonorView {
            element,
            places,
            assets: crate::assets::page_base(),
            shared,
            lang: Cell::new(crate::i18n::ENGLISH),
            downloads: RefCell::new(None),
            donation: RefCell::new(None),
            builder: RefCell::new(None),
            listener: RefCell::new(None),
        });
        let picked = Rc::downgrade(&view);
        language::offer_menu(move |lang| {
            if let Some(view) = picked.upgrade() {
                view.speak(lang);
            }
        });
        view.speak(language::chosen(None));
        view
    }

    /// Speaks `lang` from now on: the builder, once open, or else the donor's page.
    fn speak(self: &Rc<Self>, lang: &'static str) {
        self.lang.set(lang);
        if let Some(builder) = self.builder.borrow().as_ref() {
            return language::follow(builder, lang, self.assets.clone(), dress_page);
        }
        let view = Rc::downgrade(self);
        let assets = self.assets.clone();
        spawn_local(async move {
            let catalog = Catalog::load(lang, &assets).await;
            let Some(view) = view.upgrade() else { return };
            if view.lang.get() != catalog.lang || view.builder.borrow().is_some() {
                return;
            }
            speak_on_page(&catalog);
            dress_page(&catalog);
            if let Some(donation) = view.donation.borrow().as_ref() {
                donation.speak(catalog.clone());
            }
            speaking(&catalog, || view.draw(catalog.lang));
        });
    }

    fn draw(self: &Rc<Self>, lang: &str) {
        let description = &self.shared.description;
        let users = donor::users(description)
            .iter()
            .map(|line| El::new("li").text(&message(line)))
            .collect::<Vec<_>>();
        let kept = self.downloads.borrow().clone();
        let downloads = match &kept {
            Some(downloads) => El(downloads.clone().into()),
            None => El::new("div").attr("id", DOWNLOADS_ID),
        };
        let page = El::new("section")
            .class("cib donor")
            .attr("lang", lang)
            .attr("aria-labelledby", "cib-donor-heading")
            .children([
                El::new("h2")
                    .attr("id", "cib-donor-heading")
                    .text(&t("ui-donor-title")),
                El::new("p")
                    .attr("id", "cib-donor-summary")
                    .text(&message(&donor::summary(description))),
                El::new("h3").text(&t("ui-donor-users-heading")),
                El::new("ul").attr("id", "cib-donor-users").children(users),
                El::new("h3").text(&t("ui-donor-downloads-heading")),
                downloads,
                El::new("p")
                    .attr("id", "cib-open-builder-hint")
                    .class("hint")
                    .text(&t("ui-open-builder-hint")),
                El::new("button")
                    .attr("type", "button")
                    .attr("id", OPEN_ID)
                    .attr("aria-describedby", "cib-open-builder-hint")
                    .class("quiet")
                    .text(&t("ui-open-builder")),
            ]);
        let root = Root::Element(self.element.clone());
        root.node().set_text_content(None);
        root.append(page);
        if kept.is_none() {
            self.mount_donation(&root);
        }
        if let Some(button) = root.by_id::<HtmlElement>(OPEN_ID) {
            *self.listener.borrow_mut() = Some(listener(self, &button, "click", open_builder));
        }
    }

    /// The link's installers, offered by the one-click builder.
    fn mount_donation(&self, root: &Root) {
        let Some(downloads) = root.by_id::<HtmlElement>(DOWNLOADS_ID) else {
            return;
        };
        let description = &self.shared.description;
        let offer = cib_core::vesselinfo::write(description)
            .map(|vesselinfo| Offer {
                vesselinfo,
                platforms: Some(self.shared.platforms.clone()),
                instructions: true,
            })
            .map_err(|missing| vec![crate::words::users_without_key(&missing)]);
        let donation = Donation::mount(
            downloads.clone(),
            Root::Element(downloads.clone().unchecked_into()),
            self.places.clone(),
            offer,
            crate::catalog::spoken(),
        );
        *self.downloads.borrow_mut() = Some(downloads);
        *self.donation.borrow_mut() = Some(donation);
    }
}

/// The five-step builder in the link's state, in place of the donor's page.
fn open_builder(view: &Rc<DonorView>, _: Event) {
    if let Some(donation) = view.donation.borrow_mut().take() {
        donation.retire();
    }
    view.listener.borrow_mut().take();
    crate::share::remember_builder_opened();
    let root = Root::Element(view.element.clone());
    // In the donor's page's language, whose catalog is the page's now.
    let builder = App::mount(root.clone(), view.places.clone(), true, crate::catalog::spoken());
    language::follow(&builder, view.lang.get(), view.assets.clone(), dress_page);
    *view.builder.borrow_mut() = Some(builder);
    root.focus("cib-users-heading");
}
