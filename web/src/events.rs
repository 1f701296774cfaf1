//! From the browser's events to actions: listeners that live as long as their builder, and the
//! one function that reads an event as the `Action` of the control it happened on.

use crate::action::{Action, Held, Trigger, ACTION_ATTRIBUTE, ARG_ATTRIBUTE};
use crate::dom::Root;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    DragEvent, Element, Event, EventTarget, FileList, HtmlInputElement, HtmlSelectElement,
    HtmlTextAreaElement,
};

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

/// Listeners on `target` that give each event's action to `apply`: clicks, typing and changes.
pub fn actions<T: 'static>(
    owner: &Rc<T>,
    target: &EventTarget,
    apply: fn(&Rc<T>, Action),
) -> Vec<Listener> {
    ["click", "input", "change"]
        .into_iter()
        .map(|kind| {
            listener(owner, target, kind, move |owner, event| {
                if let Some(action) = action_of(&event) {
                    apply(owner, action);
                }
            })
        })
        .collect()
}

/// The action of the control an event happened on (the nearest element wired by `El::action`),
/// if the event is the one that control reports with.
pub fn action_of(event: &Event) -> Option<Action> {
    let trigger = match event.type_().as_str() {
        "click" => Trigger::Click,
        "input" => Trigger::Input,
        "change" => Trigger::Change,
        _ => return None,
    };
    let target: Element = event.target()?.dyn_into().ok()?;
    let el = target.closest(&format!("[{ACTION_ATTRIBUTE}]")).ok()??;
    let action = el.get_attribute(ACTION_ATTRIBUTE)?;
    let arg = el.get_attribute(ARG_ATTRIBUTE);
    Action::parse(&action, arg.as_deref(), held(&el), trigger)
}

/// What a control's element holds: its value and, for a checkbox, whether it is checked.
fn held(el: &Element) -> Held {
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        Held {
            value: input.value(),
            checked: input.checked(),
        }
    } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        Held {
            value: select.value(),
            checked: false,
        }
    } else if let Some(area) = el.dyn_ref::<HtmlTextAreaElement>() {
        Held {
            value: area.value(),
            checked: false,
        }
    } else {
        Held::default()
    }
}

/// A query parameter of the page, for the options that tests and benchmarks use.
pub fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}

/// Files dropped on the element `area` of `root` go to `take`; while files are dragged over
/// it, it has the class `dragging`.
pub fn drops<T: 'static>(
    owner: &Rc<T>,
    root: &Root,
    area: &'static str,
    take: fn(&Rc<T>, FileList),
) -> Vec<Listener> {
    let Some(target) = root.by_id::<Element>(area) else {
        return Vec::new();
    };
    let dragging = move |el: &Element, on: bool| {
        let _ = el.class_list().toggle_with_force("dragging", on);
    };
    let (over, leave, drop) = (target.clone(), target.clone(), target.clone());
    vec![
        listener(owner, &target, "dragover", move |_, event| {
            // Without this the browser would open the dropped file instead.
            event.prevent_default();
            dragging(&over, true);
        }),
        listener(owner, &target, "dragleave", move |_, _| {
            dragging(&leave, false)
        }),
        listener(owner, &target, "drop", move |owner, event| {
            event.prevent_default();
            dragging(&drop, false);
            let files = event
                .dyn_ref::<DragEvent>()
                .and_then(|e| e.data_transfer())
                .and_then(|d| d.files());
            if let Some(files) = files {
                take(owner, files);
            }
        }),
    ]
}
