//! The donor's page: a share link opened in a browser. It says what installing donates and
//! whose keys the installers hold, offers the link's installers through the one-click builder
//! (`donation`), and opens the full builder in the link's state for whoever wants to change it.
//! A link holds public keys only: nothing here generates a key.

use crate::app::App;
use crate::dom::{El, Root};
use crate::donation::{Donation, Offer};
use crate::donor;
use crate::events::{listener, Listener};
use crate::places::Places;
use cib_core::share_link::Shared;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement};

const DOWNLOADS_ID: &str = "cib-donor-downloads";
const OPEN_ID: &str = "cib-open-builder";

pub struct DonorView {
    element: Element,
    places: Places,
    donation: RefCell<Option<Rc<Donation>>>,
    builder: RefCell<Option<Rc<App>>>,
    listener: RefCell<Option<Listener>>,
}

impl DonorView {
    /// Draws the donor's page for `shared` into `element` (its contents are replaced).
    pub fn mount(element: Element, places: Places, shared: Shared) -> Rc<DonorView> {
        let description = &shared.description;
        let offer = cib_core::vesselinfo::write(description)
            .map(|vesselinfo| Offer {
                vesselinfo,
                platforms: Some(shared.platforms.clone()),
                instructions: true,
            })
            .map_err(|missing| vec![format!("These users have no key: {}.", missing.join(", "))]);
        let users = donor::users(description)
            .into_iter()
            .map(|line| El::new("li").text(&line))
            .collect::<Vec<_>>();
        let page = El::new("section")
            .class("cib donor")
            .attr("aria-labelledby", "cib-donor-heading")
            .children([
                El::new("h2").attr("id", "cib-donor-heading").text(donor::TITLE),
                El::new("p")
                    .attr("id", "cib-donor-summary")
                    .text(&donor::summary(description)),
                El::new("h3").text(donor::USERS_HEADING),
                El::new("ul").attr("id", "cib-donor-users").children(users),
                El::new("h3").text(donor::DOWNLOADS_HEADING),
                El::new("div").attr("id", DOWNLOADS_ID),
                El::new("p")
                    .attr("id", "cib-open-builder-hint")
                    .class("hint")
                    .text(donor::OPEN_BUILDER_HINT),
                El::new("button")
                    .attr("type", "button")
                    .attr("id", OPEN_ID)
                    .attr("aria-describedby", "cib-open-builder-hint")
                    .class("quiet")
                    .text(donor::OPEN_BUILDER),
            ]);
        let root = Root::Element(element.clone());
        root.node().set_text_content(None);
        root.append(page);
        let view = Rc::new(DonorView {
            element,
            places: places.clone(),
            donation: RefCell::new(None),
            builder: RefCell::new(None),
            listener: RefCell::new(None),
        });
        if let Some(downloads) = root.by_id::<HtmlElement>(DOWNLOADS_ID) {
            let donation = Donation::mount(
                downloads.clone(),
                Root::Element(downloads.unchecked_into()),
                places,
                offer,
            );
            *view.donation.borrow_mut() = Some(donation);
        }
        if let Some(button) = root.by_id::<HtmlElement>(OPEN_ID) {
            *view.listener.borrow_mut() = Some(listener(&view, &button, "click", open_builder));
        }
        view
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
    *view.builder.borrow_mut() = Some(App::mount(root.clone(), view.places.clone(), true));
    root.focus("cib-users-heading");
}
