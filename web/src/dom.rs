//! A few helpers to build DOM elements from Rust. Text always goes in as text nodes, never as
//! HTML, so a user name can never become markup.

use crate::action::Action;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, Node, ShadowRoot};

pub fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the page has a document")
}

/// An element under construction.
pub struct El(pub Element);

impl El {
    pub fn new(tag: &str) -> El {
        El(document().create_element(tag).expect("a valid tag name"))
    }

    pub fn attr(self, name: &str, value: &str) -> El {
        self.0
            .set_attribute(name, value)
            .expect("a valid attribute name");
        self
    }

    /// Sets a boolean attribute (`disabled`, `checked`, `selected`) when `on`.
    pub fn flag(self, name: &str, on: bool) -> El {
        if on {
            self.attr(name, "")
        } else {
            self
        }
    }

    pub fn class(self, class: &str) -> El {
        self.attr("class", class)
    }

    pub fn text(self, text: &str) -> El {
        self.0.append_with_str_1(text).expect("appending text");
        self
    }

    pub fn child(self, child: El) -> El {
        self.0.append_child(&child.0).expect("appending an element");
        self
    }

    pub fn children(self, children: impl IntoIterator<Item = El>) -> El {
        for child in children {
            self.0.append_child(&child.0).expect("appending an element");
        }
        self
    }

    /// Wires the element to `action`: the builder's listeners read it back as that action.
    pub fn action(self, action: &Action) -> El {
        action
            .wire()
            .into_iter()
            .flatten()
            .fold(self, |el, (name, value)| el.attr(name, &value))
    }

    /// A button that does `action` when clicked.
    pub fn button(text: &str, action: &Action) -> El {
        El::new("button")
            .attr("type", "button")
            .action(action)
            .text(text)
    }

    /// A message next to a field: `role=alert` so it is read out when it appears.
    pub fn message(id: &str, text: Option<&str>) -> El {
        let el = El::new("p")
            .attr("id", id)
            .class("message")
            .attr("role", "alert");
        match text {
            Some(text) => el.text(text),
            None => el,
        }
    }
}

/// Where one builder lives: the element it was mounted into (the page), or the shadow root of a
/// `<seattle-installer>`. Every lookup goes through it, so several builders on one page never
/// reach into each other, whatever ids their parts share.
#[derive(Clone)]
pub enum Root {
    Element(Element),
    Shadow(ShadowRoot),
}

impl Root {
    pub fn node(&self) -> &Node {
        match self {
            Root::Element(e) => e,
            Root::Shadow(s) => s,
        }
    }

    pub fn by_id<T: JsCast>(&self, id: &str) -> Option<T> {
        let found = match self {
            Root::Shadow(s) => s.get_element_by_id(id),
            Root::Element(e) => e.query_selector(&format!("#{id}")).ok().flatten(),
        };
        found.and_then(|e| e.dyn_into::<T>().ok())
    }

    pub fn append(&self, child: El) {
        let _ = self.node().append_child(&child.0);
    }

    /// The focused element, when it is inside this builder.
    pub fn active_element(&self) -> Option<Element> {
        match self {
            Root::Shadow(s) => s.active_element(),
            Root::Element(e) => document().active_element().filter(|a| e.contains(Some(a))),
        }
    }

    /// Replaces the children of the element with this id.
    pub fn replace_children(&self, id: &str, children: impl IntoIterator<Item = El>) {
        if let Some(parent) = self.by_id::<Element>(id) {
            parent.set_text_content(None);
            for child in children {
                let _ = parent.append_child(&child.0);
            }
        }
    }

    /// Sets the text of the element with this id, leaving it alone when it is already right (so
    /// a live region does not repeat itself on every render).
    pub fn set_text(&self, id: &str, text: &str) {
        if let Some(el) = self.by_id::<Element>(id) {
            if el.text_content().as_deref() != Some(text) {
                el.set_text_content(Some(text));
            }
        }
    }

    /// Runs `draw`, then gives the focus back to where it was. Controls keep their ids across
    /// renders, so the focused one gets focus back; when it is gone or disabled, its section's
    /// heading takes it (never the page top, which would lose a keyboard user's place).
    pub fn keeping_focus(&self, draw: impl FnOnce()) {
        let active = self.active_element();
        let focused = active.as_ref().map(|a| a.id()).filter(|id| !id.is_empty());
        let heading = active
            .and_then(|a| a.closest("section").ok().flatten())
            .and_then(|s| s.query_selector("h2").ok().flatten())
            .map(|h| h.id());
        draw();
        let Some(id) = focused else { return };
        if self.active_element().map(|a| a.id()).as_deref() == Some(id.as_str()) {
            return;
        }
        let enabled = self
            .by_id::<web_sys::HtmlButtonElement>(&id)
            .is_none_or(|b| !b.disabled());
        if enabled && self.by_id::<Element>(&id).is_some() {
            self.focus(&id);
        } else if let Some(heading) = heading {
            self.focus(&heading);
        }
    }

    pub fn focus(&self, id: &str) {
        if let Some(el) = self.by_id::<HtmlElement>(id) {
            let _ = el.focus();
        }
    }
}
