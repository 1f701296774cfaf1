//! One builder on the page, and the loop that runs it:
//!
//! ```text
//! event ──events::action_of──▶ Action ──update──▶ Model ──render──▶ DOM
//!                                 ▲                 │
//!                                 └── async work ◀──┘ Effect (focus, build, read files, …)
//! ```
//!
//! A control is drawn wired to its `Action` (`El::action`); the root's listeners read every
//! click, input and change back as that action, `dispatch` applies it with `update`, renders
//! every step from the new model, then carries out the effects `update` asked for. Async work
//! (key generation, downloads, customizing, the worker, reading files) reports only by
//! dispatching another action through its `Dispatch`.
//!
//! To add an action: a variant of `Action` (wired ones get a `Kind` and their attributes in
//! `action.rs`), and its arm in `update`. To add a step or section: a module with
//! `skeleton()` and `render(&Root, &Model or part of it)`, its skeleton in `mount` and its
//! render in `render` below; its work, if any, as an `Effect` carried out in `perform`.

use crate::action::{Action, Dispatch};
use crate::catalog::{message, speaking, Catalog};
use crate::chosen;
use crate::dom::{El, Root};
use crate::events::{self, Listener};
use crate::ids;
use crate::keygen::Method;
use crate::making::Maker;
use crate::places::Places;
use crate::reading;
use crate::state::State;
use crate::update::{update, Effect, Model};
use crate::{build, keys, platforms, share, users, vessels};
use crate::check;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Event, FileList, HtmlInputElement};

pub struct App {
    root: Root,
    places: Places,
    keygen: Method,
    model: RefCell<Model>,
    /// How this builder's async work reports back (weakly: a removed builder hears nothing).
    dispatch: Dispatch,
    listeners: RefCell<Vec<Listener>>,
    /// The page's `beforeunload` listener, there only while private keys made here are unsaved.
    leaving: RefCell<Option<Listener>>,
    /// The words of this builder's language.
    catalog: RefCell<Rc<Catalog>>,
    from_disk: bool,
}

impl App {
    /// Draws the whole builder into `root` and starts listening there. The page's own builder
    /// (`shares`) offers a share link of its address (an embedded one does not: the address is
    /// the embedding site's), and starts from the one in its address, if any.
    /// Draws a builder into `root`, in `catalog`'s language from its first frame.
    pub fn mount(root: Root, places: Places, shares: bool, catalog: Rc<Catalog>) -> Rc<App> {
        let state = State::new(platforms::own_platform());
        let (state, address) = match shares {
            true => (share::state_from_address(state), share::page_address()),
            false => (state, None),
        };
        let from_disk = places.installers.is_none();
        let model = Model::new(state, from_disk, address);
        let app = Rc::new_cyclic(|me: &Weak<App>| {
            let me = me.clone();
            App {
                root,
                places,
                keygen: Method::from_query(events::query("keygen").as_deref()),
                model: RefCell::new(model),
                dispatch: Dispatch::new(move |action| {
                    me.upgrade().is_some_and(|app| app.dispatch(action))
                }),
                listeners: RefCell::new(Vec::new()),
                leaving: RefCell::new(None),
                catalog: RefCell::new(catalog),
                from_disk,
            }
        });
        app.draw_skeleton(from_disk);
        let node = app.root.node().clone();
        let mut listeners = events::actions(&app, &node, |app, action| {
            app.dispatch(action);
        });
        listeners.extend(events::drops(&app, &app.root, ids::USERS, |app, files| {
            if let Some(file) = files.get(0) {
                reading::key_file(app.dispatch.clone(), file);
            }
        }));
        listeners.extend(events::drops(&app, &app.root, check::SECTION, |app, files| {
            for file in (0..files.length()).filter_map(|i| files.get(i)) {
                app.check_file(file);
            }
        }));
        if from_disk {
            listeners.extend(events::drops(
                &app,
                &app.root,
                ids::CHOSEN_AREA,
                |app, files| app.take_base_installers(&files),
            ));
        }
        *app.listeners.borrow_mut() = listeners;
        app.render();
        #[cfg(feature = "measure")]
        if events::query("measure").is_some() {
            spawn_local(crate::measure::run(app.places.clone()));
        }
        app
    }

    /// The language this builder speaks.
    pub fn catalog(&self) -> Rc<Catalog> {
        self.catalog.borrow().clone()
    }

    /// Speaks `catalog` from now on: everything is drawn again in its language.
    pub fn speak(&self, catalog: Rc<Catalog>) {
        if self.catalog.borrow().lang == catalog.lang {
            return;
        }
        *self.catalog.borrow_mut() = catalog;
        self.draw_skeleton(self.from_disk);
        self.render();
    }

    fn draw_skeleton(&self, from_disk: bool) {
        let catalog = self.catalog.borrow().clone();
        speaking(&catalog, || self.draw_skeleton_speaking(from_disk, catalog.lang));
    }

    fn draw_skeleton_speaking(&self, from_disk: bool, lang: &str) {
        let model = self.model.borrow();
        let link_problem = model.state.link_problem.as_ref().map(message);
        let skeleton = [
            El::message("cib-link-problem", link_problem.as_deref()),
            build::quick_skeleton(),
            users::skeleton(),
            vessels::skeleton(),
            platforms::skeleton(&model.state, from_disk.then(chosen::view::skeleton)),
            build::skeleton(),
            keys::skeleton(),
            check::skeleton(),
            El::new("p")
                .attr("id", ids::ANNOUNCE)
                .class("visually-hidden")
                .attr("aria-live", "polite"),
        ];
        self.root.node().set_text_content(None);
        self.root
            .append(El::new("div").class("cib").attr("lang", lang).children(skeleton));
    }

    /// Applies `action`, redraws, and carries out what it asked for. The answer: whether the
    /// action still concerned this builder (see `Model::takes`).
    fn dispatch(self: &Rc<Self>, action: Action) -> bool {
        let taken = self.model.borrow().takes(&action);
        let effects = update(&mut self.model.borrow_mut(), action);
        self.render();
        self.guard_leaving();
        for effect in effects {
            self.perform(effect);
        }
        taken
    }

    /// Asks before the page is left while private keys made here are unsaved, and only then: a
    /// `beforeunload` listener makes every reload and navigation away wait for the page to
    /// answer, and keeps the page out of the back/forward cache.
    fn guard_leaving(self: &Rc<Self>) {
        let unsaved = self.model.borrow().state.unsaved_private_keys();
        let mut leaving = self.leaving.borrow_mut();
        if unsaved != leaving.is_some() {
            *leaving = unsaved.then(web_sys::window).flatten().map(|window| {
                events::listener(self, &window, "beforeunload", on_before_unload)
            });
        }
    }

    fn perform(self: &Rc<Self>, effect: Effect) {
        let maker = || Maker {
            places: self.places.clone(),
            keygen: self.keygen,
            dispatch: self.dispatch.clone(),
        };
        match effect {
            Effect::Focus(id) => self.root.focus(id),
            Effect::Build(job) => spawn_local(maker().build(job)),
            Effect::RetryInstaller(retry) => spawn_local(maker().retry(retry)),
            Effect::ReadKeyFile => {
                let input = self.root.by_id::<HtmlInputElement>(ids::KEY_FILE);
                if let Some(file) = input.as_ref().and_then(reading::first_file) {
                    reading::key_file(self.dispatch.clone(), file);
                }
            }
            Effect::TakeBaseInstallers => {
                let Some(input) = self.root.by_id::<HtmlInputElement>(ids::BASE_INSTALLERS) else {
                    return;
                };
                if let Some(files) = input.files() {
                    self.take_base_installers(&files);
                }
                // Emptied, so that choosing the same file again (after replacing it on disk)
                // is a new choice.
                input.set_value("");
            }
            Effect::ReadCheckFile | Effect::ReadKeysZip => {
                let id = match effect {
                    Effect::ReadCheckFile => check::FILE,
                    _ => check::KEYS,
                };
                let Some(input) = self.root.by_id::<HtmlInputElement>(id) else {
                    return;
                };
                if let Some(file) = reading::first_file(&input) {
                    self.check_file(file);
                }
                input.set_value("");
            }
            Effect::CopyLink => share::copy(&self.root, self.dispatch.clone()),
            Effect::DrawQr(link) => spawn_local(share::draw_qr(
                self.places.clone(),
                link,
                self.dispatch.clone(),
            )),
        }
    }

    /// Reads a file given to "Check an installer": a public_keys.zip names keys, anything
    /// else is the installer to check.
    fn check_file(&self, file: web_sys::File) {
        let (dispatch, places) = (self.dispatch.clone(), self.places.clone());
        if check::is_keys_zip(&file) {
            spawn_local(check::read_keys(dispatch, places, file));
        } else {
            dispatch.send(Action::CheckReading { name: file.name() });
            spawn_local(check::read_installer(dispatch, places, file));
        }
    }

    fn take_base_installers(&self, files: &FileList) {
        let next_id = self
            .model
            .borrow()
            .chosen
            .as_ref()
            .map_or(1, |c| c.next_id());
        reading::base_installers(&self.dispatch, &self.places, files, next_id);
    }

    /// Redraws the state-dependent parts (keeping the focus where it was, see `Root`).
    fn render(&self) {
        let root = &self.root;
        let catalog = self.catalog.borrow().clone();
        speaking(&catalog, || root.keeping_focus(|| {
            let model = self.model.borrow();
            let state = &model.state;
            users::render(root, state);
            crate::key_size_choice::render(root, state);
            vessels::render(root, state);
            platforms::render(root, state);
            if let Some(chosen) = &model.chosen {
                chosen::view::render(root, chosen);
            }
            build::render(root, &model);
            keys::render(root, state, model.run.as_ref());
            share::render(root, model.share.as_ref());
            check::render(root, &model.check, &state.users);
            let announcement = model.announcement.as_ref().map(message);
            root.set_text(ids::ANNOUNCE, announcement.as_deref().unwrap_or_default());
        }));
    }
}

fn on_before_unload(app: &Rc<App>, event: Event) {
    event.prevent_default();
    if let Some(event) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
        // Most browsers show their own words instead, in their own language.
        event.set_return_value(&app.catalog.borrow().say("ui-keys-not-saved", &[]));
    }
}
