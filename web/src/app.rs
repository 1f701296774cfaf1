//! The builder as one component: the state, the skeleton of the page, one listener per kind of
//! event on the root (buttons say what they do with `data-action`), and the render step that
//! redraws the parts that depend on the state.

use crate::build::{self, Run};
use crate::dom::{self, document, El};
use crate::keygen::Method;
use crate::state::State;
use crate::{keys, platforms, users, vessels};
use cib_core::Platform;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

pub struct App {
    pub state: RefCell<State>,
    pub run: RefCell<Option<Run>>,
    pub keygen: Method,
    /// When the progress bars were last drawn (ms), to draw them at most ten times a second.
    pub drawn_at: Cell<f64>,
}

thread_local! {
    static APP: RefCell<Option<Rc<App>>> = const { RefCell::new(None) };
}

pub fn app() -> Rc<App> {
    APP.with(|a| a.borrow().clone())
        .expect("the builder is mounted")
}

fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

pub fn mount(root: Element) {
    let app = Rc::new(App {
        state: RefCell::new(State::new(platforms::own_platform())),
        run: RefCell::new(None),
        keygen: Method::from_query(query("keygen").as_deref()),
        drawn_at: Cell::new(0.0),
    });
    APP.with(|a| *a.borrow_mut() = Some(app.clone()));
    root.set_text_content(None);
    let _ = root.class_list().add_1("cib");
    let skeleton = [
        users::skeleton(),
        vessels::skeleton(),
        platforms::skeleton(&app.state.borrow()),
        build::skeleton(),
        keys::skeleton(),
        El::new("p")
            .attr("id", "cib-announce")
            .class("visually-hidden")
            .attr("aria-live", "polite"),
    ];
    for part in skeleton {
        let _ = root.append_child(&part.0);
    }
    listen(&root, "click", on_click);
    listen(&root, "input", on_input);
    listen(&root, "change", on_change);
    users::listen_for_drops();
    if let Some(window) = web_sys::window() {
        listen(&window, "beforeunload", on_before_unload);
    }
    redraw();
    #[cfg(feature = "measure")]
    if query("measure").is_some() {
        wasm_bindgen_futures::spawn_local(crate::measure::run());
    }
}

/// Listeners live as long as the page, so their closures are deliberately never freed.
fn listen(target: &web_sys::EventTarget, kind: &str, handler: fn(Event)) {
    let closure = Closure::<dyn Fn(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(kind, closure.as_ref().unchecked_ref());
    closure.forget();
}

/// Applies a change to the state; an edit of the description drops the results of an earlier
/// build (they no longer match), but never what the person entered or the generated keys.
pub fn change(edit: impl FnOnce(&mut State)) {
    let app = app();
    let before = app.state.borrow().revision;
    edit(&mut app.state.borrow_mut());
    if app.state.borrow().revision != before {
        app.run.borrow_mut().take();
    }
    redraw();
}

fn action_target(event: &Event) -> Option<(Element, String)> {
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

fn on_click(event: Event) {
    let Some((el, action)) = action_target(&event) else {
        return;
    };
    let i = index(&el);
    match action.as_str() {
        "add-user" => users::add(),
        "remove-user" => change(|s| s.remove_user(&name(&el))),
        "split" => change(|s| s.split(i)),
        "merge" => change(|s| s.merge(i)),
        "grow" => change(|s| s.grow(i)),
        "shrink" => change(|s| s.shrink(i)),
        "build" => build::start(),
        "retry" => build::retry(Platform::ALL.into_iter().find(|p| p.name() == name(&el))),
        // The link itself starts the download; only remember that it happened.
        "saved-private" => change(State::private_keys_saved),
        _ => {}
    }
}

fn on_input(event: Event) {
    let Some(target) = event.target() else { return };
    if let Some(input) = target.dyn_ref::<HtmlInputElement>() {
        if input.id() == users::NAME_ID {
            let value = input.value();
            change(|s| s.form.name = value);
        }
    } else if let Some(area) = target.dyn_ref::<HtmlTextAreaElement>() {
        let value = area.value();
        change(|s| {
            s.form.key_text = value;
            s.form.file_problem = None;
        });
    }
}

fn on_change(event: Event) {
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
                change(|s| s.set_owner(i, &owner));
            }
            "vessel-user" => change(|s| s.set_vessel_user(i, &name(&el), checked())),
            "platform" => {
                if let Some(platform) = Platform::ALL.into_iter().find(|p| p.name() == name(&el)) {
                    change(|s| s.set_platform(platform, checked()));
                }
            }
            "key-file" => users::read_chosen_file(&el),
            _ => {}
        }
    }
}

fn on_before_unload(event: Event) {
    let unsaved = APP.with(|a| {
        a.borrow()
            .as_ref()
            .is_some_and(|app| app.state.borrow().unsaved_private_keys())
    });
    if unsaved {
        event.prevent_default();
        if let Some(event) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
            event.set_return_value("The generated private keys have not been downloaded.");
        }
    }
}

/// Redraws the state-dependent parts. Controls keep their ids across renders, so the focused
/// one gets focus back; when it is gone, its section's heading takes it (never the page top).
pub fn redraw() {
    let app = app();
    let active = document().active_element();
    let focused = active.as_ref().map(|a| a.id()).filter(|id| !id.is_empty());
    let heading = active
        .and_then(|a| a.closest("section").ok().flatten())
        .and_then(|s| s.query_selector("h2").ok().flatten())
        .map(|h| h.id());
    {
        let state = app.state.borrow();
        let run = app.run.borrow();
        users::render(&state);
        vessels::render(&state);
        platforms::render(&state);
        build::render(&state, run.as_ref());
        keys::render(&state, run.as_ref());
    }
    let now_active = document().active_element().map(|a| a.id());
    if let Some(id) = focused {
        if now_active.as_deref() != Some(id.as_str()) {
            let enabled =
                dom::by_id::<web_sys::HtmlButtonElement>(&id).is_none_or(|b| !b.disabled());
            if enabled && document().get_element_by_id(&id).is_some() {
                dom::focus(&id);
            } else if let Some(heading) = heading {
                dom::focus(&heading);
            }
        }
    }
}
