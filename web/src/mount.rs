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
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlElement, ShadowRoot};

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
    let lang = language::chosen(None);
    Builder {
        _app: page_builder(element, Places::of_page(), true, lang, at_hand(lang)),
    }
}

/// The page's own builder in `element`, speaking `catalog`; the page follows `lang`, the
/// language chosen for it.
fn page_builder(
    element: Element,
    places: Places,
    shares: bool,
    lang: &'static str,
    catalog: Rc<Catalog>,
) -> Rc<App> {
    let app = App::mount(Root::Element(element), places, shares, catalog);
    language::page(&app, lang, assets::page_base());
    app
}

/// `lang`'s catalog if it needs no fetch, else English until it is here.
fn at_hand(lang: &'static str) -> Rc<Catalog> {
    Catalog::at_hand(lang).unwrap_or_else(Catalog::english)
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
    let lang = language::chosen(None);
    Builder {
        _app: page_builder(element, places, false, lang, at_hand(lang)),
    }
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
        // Drawn once its language's words are here: until then the outline, already in that
        // language (language.js), stays, with nothing to click.
        _ => spawn_local(async move {
            let lang = language::chosen(None);
            let catalog = Catalog::load(lang, &assets::page_base()).await;
            std::mem::forget(page_builder(element, Places::of_page(), true, lang, catalog));
        }),
    }
}

/// What an element holds: dropping it removes that builder's listeners.
enum Mode {
    Builder(Rc<App>),
    Donation(Rc<Donation>),
}

/// What an element shows: the attributes it was last given (and the number of that update),
/// and what is drawn. An earlier drawing stays, and works, until the words of the new one's
/// language are here and it replaces it.
#[derive(Default)]
struct Drawn {
    asked: Option<Vec<Option<String>>>,
    update: u64,
    mode: Option<Mode>,
}

/// The Rust side of one `<seattle-installer>` element (embed.js holds one per element and
/// forwards its attribute changes here).
#[wasm_bindgen]
pub struct SeattleInstaller {
    host: HtmlElement,
    root: Root,
    assets: String,
    drawn: Rc<RefCell<Drawn>>,
}

pub const ATTRIBUTES: [&str; 6] = [
    "owner-key",
    "user-key",
    "platforms",
    "base-installers",
    "instructions",
    "lang",
];

/// Where `lang` is in `ATTRIBUTES`.
const LANG: usize = 5;

#[wasm_bindgen]
impl SeattleInstaller {
    /// `assets` is the URL of the folder embed.js was loaded from.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, shadow: ShadowRoot, assets: String) -> SeattleInstaller {
        let mut element = SeattleInstaller {
            host,
            root: Root::Shadow(shadow),
            assets,
            drawn: Rc::default(),
        };
        element.update();
        element
    }

    /// Draws the element again for its current attributes, if they changed: in its language
    /// from the first frame, once that language's words are here (until then, what embed.js
    /// shows, in that language, stays). When only `lang` changed, what is drawn speaks the new
    /// language and keeps what the person entered.
    pub fn update(&mut self) {
        let values: Vec<Option<String>> = ATTRIBUTES
            .iter()
            .map(|a| self.host.get_attribute(a))
            .collect();
        let (update, only_language) = {
            let mut drawn = self.drawn.borrow_mut();
            if drawn.asked.as_ref() == Some(&values) {
                return;
            }
            let only_language = drawn.asked.as_ref().is_some_and(|asked| {
                (0..ATTRIBUTES.len()).all(|i| i == LANG || asked[i] == values[i])
            });
            drawn.asked = Some(values.clone());
            drawn.update += 1;
            (drawn.update, only_language)
        };
        let lang = language::chosen(values[LANG].as_deref());
        let (host, root, drawn) = (self.host.clone(), self.root.clone(), Rc::downgrade(&self.drawn));
        let places = Places::in_folder(&self.assets, values[3].as_deref());
        let draw = move |catalog: Rc<Catalog>| {
            // Not if the element was freed, or its attributes changed meanwhile (a later
            // update draws those).
            let Some(drawn) = drawn.upgrade() else { return };
            let mut drawn = drawn.borrow_mut();
            if drawn.update != update {
                return;
            }
            match (&drawn.mode, only_language) {
                (Some(Mode::Builder(app)), true) => return app.speak(catalog),
                (Some(Mode::Donation(donation)), true) => return donation.speak(catalog),
                (Some(Mode::Donation(donation)), false) => donation.retire(),
                _ => {}
            }
            drawn.mode = Some(match &values[0] {
                // Without an owner, the element is the whole builder.
                None => Mode::Builder(App::mount(root, places, false, catalog)),
                Some(owner) => {
                    let request = donation::Request::from_attributes(
                        owner,
                        values[1].as_deref(),
                        values[2].as_deref(),
                    )
                    .and_then(|request| request.offer(values[4].as_deref()));
                    Mode::Donation(Donation::mount(host, root, places, request, catalog))
                }
            });
        };
        match Catalog::at_hand(lang) {
            Some(catalog) => draw(catalog),
            None => {
                let assets = self.assets.clone();
                spawn_local(async move { draw(Catalog::load(lang, &assets).await) });
            }
        }
    }
}
