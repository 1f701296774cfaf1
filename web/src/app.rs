//! One builder: its state, the skeleton of its five steps, one listener per kind of event on its
//! root (buttons say what they do with `data-action`), and the render step that redraws the
//! parts that depend on the state. A page can hold several builders; each owns all of this.

use crate::build::{self, Run};
use crate::chosen::{self, Chosen};
use crate::dom::{El, Root};
use crate::keygen::Method;
use crate::state::State;
use crate::{keys, platforms, share, users, vessels};
use cib_core::Platform;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    DragEvent, Element, Event, EventTarget, FileList, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement,
};

/// Where a builder finds the worker's module and the base installers.
#[derive(Clone, Debug)]
pub struct Places {
    /// The worker module's wasm-bindgen glue script and its WebAssembly (URLs; `data:` and
    /// `blob:` ones in the saved page, which may fetch nothing).
    pub worker_glue: String,
    pub worker_wasm: String,
    /// The base installers folder (an absolute URL ending in `/`) with its `manifest.json`, or
    /// `None` when the person chooses them from disk (the saved page).
    pub installers: Option<String>,
}

pub struct App {
    pub root: Root,
    pub places: Places,
    /// The page's own builder offers a share link of its address (an embedded one does not:
    /// the address is the embedding site's).
    pub shares: bool,
    pub state: RefCell<State>,
    /// The base installers chosen from disk, when `places` has no folder of them.
    pub chosen: RefCell<Chosen>,
    pub run: RefCell<Option<Run>>,
    pub keygen: Method,
    /// When the progress bars were last drawn (ms), to draw them at most ten times a second.
    pub drawn_at: Cell<f64>,
    listeners: RefCell<Vec<Listener>>,
}

/// An event listener that is removed when the builder that added it is dropped.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    closure: Closure<dyn Fn(Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.closure.as_ref().unchecked_ref());
    }
}

/// Calls `handler` with `owner` for each `kind` event on `target`, for as long as `owner` lives
/// (the closure holds it weakly, so a removed element's builder is freed).
pub fn listener<T: 'static>(
    owner: &Rc<T>,
    target: &EventTarget,
    kind: &'static str,
    handler: impl Fn(&Rc<T>, Event) + 'static,
) -> Listener {
    let weak: Weak<T> = Rc::downgrade(owner);
    let closure = Closure::<dyn Fn(Event)>::new(move |event: Event| {
        if let Some(owner) = weak.upgrade() {
            handler(&owner, event);
        }
    });
    let _ = target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
    Listener {
        target: target.clone(),
        kind,
        closure,
    }
}

/// A query parameter of the page, for the options that tests and benchmarks use.
pub fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

impl App {
    /// Draws the whole builder into `root` and starts listening there. The page's own builder
    /// (`shares`) starts from the share link in its address, if any.
    pub fn mount(root: Root, places: Places, shares: bool) -> Rc<App> {
        let state = State::new(platforms::own_platform());
        let state = if shares {
            share::state_from_address(state)
        } else {
            state
        };
        let app = Rc::new(App {
            root,
            places,
            shares,
            state: RefCell::new(state),
            chosen: RefCell::new(Chosen::default()),
            run: RefCell::new(None),
            keygen: Method::from_query(query("keygen").as_deref()),
            drawn_at: Cell::new(0.0),
            listeners: RefCell::new(Vec::new()),
        });
        let root = &app.root;
        root.node().set_text_content(None);
        let skeleton = [
            El::message(
                "cib-link-problem",
                app.state.borrow().link_problem.as_deref(),
            ),
            build::quick_skeleton(),
            users::skeleton(),
            vessels::skeleton(),
            platforms::skeleton(
                &app.state.borrow(),
                app.chooses_from_disk().then(chosen::skeleton),
            ),
            build::skeleton(),
            keys::skeleton(),
            El::new("p")
                .attr("id", "cib-announce")
                .class("visually-hidden")
                .attr("aria-live", "polite"),
        ];
        let frame = El::new("div").class("cib").children(skeleton);
        root.append(frame);
        let target: &EventTarget = root.node();
        app.listen(target, "click", on_click);
        app.listen(target, "input", on_input);
        app.listen(target, "change", on_change);
        users::listen_for_drops(&app);
        if app.chooses_from_disk() {
            chosen::listen(&app);
        }
        if let Some(window) = web_sys::window() {
            app.listen(&window, "beforeunload", on_before_unload);
        }
        app.redraw();
        #[cfg(feature = "measure")]
        if query("measure").is_some() {
            wasm_bindgen_futures::spawn_local(crate::measure::run(app.clone()));
        }
        app
    }

    /// Whether the base installers come from the person's disk (the saved page).
    pub fn chooses_from_disk(&self) -> bool {
        self.places.installers.is_none()
    }

    /// Files dropped on the element `area` go to `take`; while files are dragged over it, it has
    /// the class `dragging`.
    pub fn take_drops(self: &Rc<Self>, area: &'static str, take: fn(&Rc<App>, FileList)) {
        let Some(target) = self.root.by_id::<Element>(area) else {
            return;
        };
        let dragging = move |app: &App, on: bool| {
            if let Some(el) = app.root.by_id::<Element>(area) {
                let _ = el.class_list().toggle_with_force("dragging", on);
            }
        };
        let added = [
            listener(self, &target, "dragover", move |app, event| {
                // Without this the browser would open the dropped file instead.
                event.prevent_default();
                dragging(app, true);
            }),
            listener(self, &target, "dragleave", move |app, _| {
                dragging(app, false)
            }),
            listener(self, &target, "drop", move |app, event| {
                event.prevent_default();
                dragging(app, false);
                let files = event
                    .dyn_ref::<DragEvent>()
                    .and_then(|e| e.data_transfer())
                    .and_then(|d| d.files());
                if let Some(files) = files {
                    take(app, files);
                }
            }),
        ];
        self.listeners.borrow_mut().extend(added);
    }

    pub fn listen(
        self: &Rc<Self>,
        target: &EventTarget,
        kind: &'static str,
        handler: fn(&Rc<App>, Event),
    ) {
        let added = listener(self, target, kind, handler);
        self.listeners.borrow_mut().push(added);
    }

    /// Applies a change to the state; an edit of the description drops the results of an
    /// earlier build (they no longer match), but never what the person entered or the
    /// generated keys.
    pub fn change(&self, edit: impl FnOnce(&mut State)) {
        let before = self.state.borrow().revision;
        edit(&mut self.state.borrow_mut());
        if self.state.borrow().revision != before {
            self.run.borrow_mut().take();
        }
        self.redraw();
    }

    /// Redraws the state-dependent parts (keeping the focus where it was, see `Root`).
    pub fn redraw(&self) {
        let root = &self.root;
        root.keeping_focus(|| {
            let state = self.state.borrow();
            let run = self.run.borrow();
            users::render(root, &state);
            vessels::render(root, &state);
            platforms::render(root, &state);
            let described = state.description();
            let mut waiting = Vec::new();
            if self.chooses_from_disk() {
                let chosen = self.chosen.borrow();
                chosen::render(root, &chosen);
                waiting = chosen.problems(&state.platforms);
            }
            build::render(root, &state, &described, &waiting, run.as_ref());
            keys::render(root, &state, run.as_ref());
            if self.shares {
                share::render(self, &state, described.as_ref().ok());
            }
        });
    }
}

/// The element an event is for, and what it does (its `data-action`), for every builder.
pub fn action_target(event: &Event) -> Option<(Element, String)> {
    let target: Element = event.target()?.dyn_into().ok()?;
    let el = target.closest("[data-action]").ok()??;
    let action = el.get_attribute("data-action")?;
    Some((el, action))
}

fn index(el: &Element) -> usize {
    el.get_attribute("data-index")
        .and_then(|i| i.parse().ok())
        .unwrap_or(usize::MAX)
}

fn name(el: &Element) -> String {
    el.get_attribute("data-name").unwrap_or_default()
}

fn on_click(app: &Rc<App>, event: Event) {
    let Some((el, action)) = action_target(&event) else {
        return;
    };
    let i = index(&el);
    match action.as_str() {
        "add-user" => users::add(app),
        "remove-user" => app.change(|s| s.remove_user(&name(&el))),
        "split" => app.change(|s| s.split(i)),
        "merge" => app.change(|s| s.merge(i)),
        "grow" => app.change(|s| s.grow(i)),
        "shrink" => app.change(|s| s.shrink(i)),
        "build" => build::start(app),
        "quick" => {
            let mut ready = false;
            app.change(|s| ready = s.quick());
            if ready {
                build::start(app);
            }
        }
        "copy-link" => share::copy(app),
        "remove-installer" => chosen::remove(app, Some(i as u32)),
        "remove-manifest" => chosen::remove(app, None),
        "retry" => build::retry(app, name(&el).parse::<Platform>().ok()),
        // The link itself starts the download; only remember that it happened.
        "saved-private" => app.change(State::private_keys_saved),
        _ => {}
    }
}

fn on_input(app: &Rc<App>, event: Event) {
    let Some(target) = event.target() else { return };
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        if input.id() == users::NAME_ID {
            let value = input.value();
            app.change(|s| s.form.name = value);
        }
    } else if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
        let value = area.value();
        app.change(|s| {
            s.form.key_text = value;
            s.form.file_problem = None;
        });
    }
}

fn on_change(app: &Rc<App>, event: Event) {
    if let Some((el, action)) = action_target(&event) {
        let i = index(&el);
        let checked = || {
            el.dyn_ref::<HtmlInputElement>()
                .is_some_and(|c| c.checked())
        };
        match action.as_str() {
            "owner" => {
                let owner = el
                    .dyn_ref::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default();
                app.change(|s| s.set_owner(i, &owner));
            }
            "vessel-user" => app.change(|s| s.set_vessel_user(i, &name(&el), checked())),
            "platform" => {
                if let Ok(platform) = name(&el).parse::<Platform>() {
                    app.change(|s| s.set_platform(platform, checked()));
                }
            }
            "key-file" => users::read_chosen_file(app, &el),
            "base-installers" => chosen::take_from_input(app, &el),
            "installer-platform" => {
                let value = el
                    .dyn_ref::<HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default();
                chosen::pick_platform(app, i as u32, &value);
            }
            _ => {}
        }
    }
}

fn on_before_unload(app: &Rc<App>, event: Event) {
    if app.state.borrow().unsaved_private_keys() {
        event.prevent_default();
        if let Some(event) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
            event.set_return_value("The generated private keys have not been downloaded.");
        }
    }
}
