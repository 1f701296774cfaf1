//! What mounts builders: the page's own (`mount`, `mount_saved`, or by itself into `#cib`: the
//! donor's page when its address holds a usable share link) and each `<seattle-installer>`
//! element's, which is a builder or the one-click `donation`.

use crate::app::App;
use crate::assets;
use crate::catalog::Catalog;
use crate::dom::Root;
use crate::donation::{self, Donation};
use crate::donor_view::DonorView;
use crate::language;
use crate::places::Places;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot};

/// A builder mounted into an element of the page. Dropping it (`free()` from JavaScript)
/// removes its listeners.
#[wasm_bindgen]
pub struct Builder {
    _app: Rc<App>,
}

/// Puts the whole builder into `element` (its contents are replaced). Its files and the base
/// installers are found beside the page's script.
#[wasm_bindgen]
pub fn mount(element: web_sys::Element) -> Builder {
    let app = App::mount(Root::Element(element), Places::of_page(), true);
    language::page(&app, assets::page_base());
    Builder { _app: app }
}

/// The saved page's builder (`seattle-installer-builder.html`, opened from disk): a page there
/// may fetch nothing, so the worker's files come as `data:`/`blob:` URLs made from the file
/// itself, and the base installers are chosen from disk. No share link: its address would be a
/// path on this computer.
#[wasm_bindgen]
pub fn mount_saved(element: web_sys::Element, worker_glue: String, worker_wasm: String) -> Builder {
    let places = Places {
        worker: crate::worker::WorkerModule::at(worker_glue, worker_wasm),
        installers: None,
    };
    let app = App::mount(Root::Element(element), places, false);
    language::page(&app, assets::page_base());
    Builder { _app: app }
}

/// On a page with `<div id="cib">`, the builder mounts itself there, for the life of the page.
/// In the worker (no window) and on an embedding page, nothing happens.
#[wasm_bindgen(start)]
pub fn start() {
    let found = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("cib"));
    let Some(element) = found else {
        return;
    };
    // A share link opened in a browser is the donor's page; the builder is a click away.
    // A tab that opened its link in the builder keeps the builder on a reload.
    match crate::share::shared_in_address() {
        Some(shared) if !crate::share::builder_opened() => {
            std::mem::forget(DonorView::mount(element, Places::of_page(), shared))
        }
        _ => std::mem::forget(mount(element)),
    }
}

/// What an element holds: dropping it removes that builder's listeners.
enum Mode {
    Builder { _app: Rc<App> },
    Donation(Rc<Donation>),
}

/// The Rust side of one `<seattle-installer>` element (embed.js holds one per element and
/// forwards its attribute changes here).
#[wasm_bindgen]
pub struct SeattleInstaller {
    host: HtmlElement,
    root: Root,
    assets: String,
    /// What is drawn now, and for which attributes.
    mode: Option<(Mode, Vec<Option<String>>)>,
}

pub const ATTRIBUTES: [&str; 6] = [
    "owner-key",
    "user-key",
    "platforms",
    "base-installers",
    "instructions",
    "lang",
];

#[wasm_bindgen]
impl SeattleInstaller {
    /// `assets` is the URL of the folder embed.js was loaded from.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, shadow: ShadowRoot, assets: String) -> SeattleInstaller {
        let mut element = SeattleInstaller {
            host,
            root: Root::Shadow(shadow),
            assets,
            mode: None,
        };
        element.update();
        element
    }

    /// Draws the element again for its current attributes, if they changed.
    pub fn update(&mut self) {
        let values: Vec<Option<String>> = ATTRIBUTES
            .iter()
            .map(|a| self.host.get_attribute(a))
            .collect();
        if let Some((mode, old)) = &self.mode {
            if *old == values {
                return;
            }
            if let Mode::Donation(donation) = mode {
                donation.retire();
            }
        }
        let places = Places::in_folder(&self.assets, values[3].as_deref());
        let mode = match &values[0] {
            // Without an owner, the element is the whole builder.
            None => {
                let app = App::mount(self.root.clone(), places, false);
                let lang = language::chosen(values[5].as_deref());
                language::follow(&app, lang, self.assets.clone(), |_| {});
                Mode::Builder { _app: app }
            }
            Some(owner) => {
                let request = donation::Request::from_attributes(
                    owner,
                    values[1].as_deref(),
                    values[2].as_deref(),
                )
                .and_then(|request| request.offer(values[4].as_deref()));
                let donation = Donation::mount(
                    self.host.clone(),
                    self.root.clone(),
                    places,
                    request,
                    Catalog::english(),
                );
                let lang = language::chosen(values[5].as_deref());
                language::follow(&donation, lang, self.assets.clone(), |_| {});
                Mode::Donation(donation)
            }
        };
        self.mode = Some((mode, values));
    }
}
