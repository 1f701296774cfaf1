//! A builder's words: the catalog of its language (JSON, parsed by the browser and read with
//! `Reflect`, so the module carries no parser for it), falling back to English message by
//! message, with plural forms chosen by the browser's `Intl.PluralRules`.
//!
//! A builder draws while `speaking` its catalog; the drawing code asks for words with `t`,
//! `say` and `message`, which read the catalog of the builder being drawn.

use crate::dom::document;
use crate::i18n::{ENGLISH, ENGLISH_CATALOG};
pub use crate::words::{number, text};
use crate::words::{fill, Said};
use cib_core::problem::{Arg, Localized, Message};
use std::fmt;
use js_sys::{Array, Intl, Object, Reflect, JSON};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub struct Catalog {
    pub lang: &'static str,
    own: Option<Object>,
    english: Object,
    plurals: Intl::PluralRules,
}

/// The saved page carries every catalog inline, in this element (it may fetch nothing).
const INLINE: &str = "cib-catalogs";

fn parse(json: &str) -> Option<Object> {
    JSON::parse(json).ok()?.dyn_into::<Object>().ok()
}

thread_local! {
    /// The built-in English catalog, read once: it is the module's own text, the same for every
    /// builder, and every other catalog falls back to it.
    static ENGLISH_READ: Rc<Catalog> = Rc::new(Catalog::with(
        ENGLISH,
        None,
        parse(ENGLISH_CATALOG).unwrap_or_default(),
    ));
}

impl Catalog {
    pub fn english() -> Rc<Catalog> {
        ENGLISH_READ.with(Rc::clone)
    }

    fn with(lang: &'static str, own: Option<Object>, english: Object) -> Catalog {
        let locales = Array::of1(&JsValue::from_str(lang));
        Catalog {
            lang,
            own,
            english,
            plurals: Intl::PluralRules::new(&locales, &Object::new()),
        }
    }

    /// `lang`'s catalog of `own` words, falling back to the built-in English's.
    fn of(lang: &'static str, own: Option<Object>) -> Rc<Catalog> {
        let english = Catalog::english().english.clone();
        Rc::new(Catalog::with(lang, own, english))
    }

    /// The catalog of `lang`: from the page itself when it carries them, else fetched from
    /// `i18n/` beside the builder's files (`assets`). One that cannot be had is English.
    pub async fn load(lang: &'static str, assets: &str) -> Rc<Catalog> {
        if let Some(catalog) = Catalog::at_hand(lang) {
            return catalog;
        }
        let own = fetch(&format!("i18n/{lang}.json"), assets).await;
        Catalog::of(lang, own)
    }

    /// `lang`'s catalog if it needs no fetch: English, or one the page holds (the saved page).
    pub fn at_hand(lang: &'static str) -> Option<Rc<Catalog>> {
        if lang == ENGLISH {
            return Some(Catalog::english());
        }
        let own = document()
            .get_element_by_id(INLINE)
            .and_then(|e| e.text_content())
            .and_then(|text| parse(&text))
            .and_then(|all| Reflect::get(&all, &lang.into()).ok())
            .and_then(|c| c.dyn_into::<Object>().ok())?;
        Some(Catalog::of(lang, Some(own)))
    }

    /// The pattern of `id` for `count`: this language's, else English's.
    fn form(&self, id: &str, count: Option<i128>) -> Option<String> {
        let entry = |catalog: &Object| {
            let value = Reflect::get(catalog, &id.into()).ok()?;
            if let Some(text) = value.as_string() {
                return Some(text);
            }
            let forms = value.dyn_into::<Object>().ok()?;
            let category = count
                .map(|n| String::from(self.plurals.select(n as f64)))
                .unwrap_or_else(|| "other".into());
            Reflect::get(&forms, &category.into())
                .ok()
                .and_then(|f| f.as_string())
                .or_else(|| Reflect::get(&forms, &"other".into()).ok()?.as_string())
        };
        self.own.as_ref().and_then(entry).or_else(|| entry(&self.english))
    }

    pub fn say(&self, id: &str, args: &[(&str, Arg)]) -> String {
        fill(id, args, &|id, count| self.form(id, count))
    }
}

async fn fetch(relative: &str, assets: &str) -> Option<Object> {
    let url = crate::assets::resolve(relative, assets)?;
    let window = web_sys::window()?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    if !response.ok() {
        return None;
    }
    let json = JsFuture::from(response.json().ok()?).await.ok()?;
    json.dyn_into::<Object>().ok()
}

thread_local! {
    /// The catalog of the builder being drawn, only while it draws (see `speaking`).
    static SPOKEN: RefCell<Option<Rc<Catalog>>> = const { RefCell::new(None) };
    /// The catalog of what is drawn outside a builder's drawing (the donor's page and the
    /// one-click builder on it); English until the page chooses one.
    static PAGE: RefCell<Option<Rc<Catalog>>> = const { RefCell::new(None) };
}

/// Has whatever draws outside a builder speak `catalog` from now on.
pub fn speak_on_page(catalog: &Rc<Catalog>) {
    PAGE.with(|p| *p.borrow_mut() = Some(catalog.clone()));
}

/// Runs `draw` with `catalog` as the one `t`, `say` and `message` read.
pub fn speaking<R>(catalog: &Rc<Catalog>, draw: impl FnOnce() -> R) -> R {
    let before = SPOKEN.with(|s| s.replace(Some(catalog.clone())));
    let result = draw();
    SPOKEN.with(|s| *s.borrow_mut() = before);
    result
}

/// The catalog being spoken: the drawing builder's, else the page's, else English.
pub fn spoken() -> Rc<Catalog> {
    SPOKEN
        .with(|s| s.borrow().clone())
        .or_else(|| PAGE.with(|p| p.borrow().clone()))
        .unwrap_or_else(Catalog::english)
}

/// The text of a message without arguments.
pub fn t(id: &str) -> String {
    spoken().say(id, &[])
}

/// A message with arguments.
pub fn say(id: &str, args: &[(&str, Arg)]) -> String {
    spoken().say(id, args)
}

/// Anything the core reports, in the builder's language.
pub fn message(said: &impl Localized) -> String {
    let m = said.message();
    say(m.id, &m.args)
}

/// Words in the language of the builder being drawn (see `speaking`).
impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&message(self))
    }
}

/// A message the worker's module sent as JSON (`{"id": …, "args": {…}}`, as the core writes
/// one), when every id in it is one of the catalogs': the English catalog is where its ids live
/// for the life of the module.
pub fn said_of_json(json: &str) -> Option<Said> {
    said_of(&JSON::parse(json).ok()?)
}

/// A message the worker's module sent, parsed already (see `said_of_json`).
pub fn said_of(value: &JsValue) -> Option<Said> {
    message_of(value).map(Said)
}

fn message_of(value: &JsValue) -> Option<Message> {
    let id = Reflect::get(value, &"id".into()).ok()?.as_string()?;
    let key = format!("\"{id}\":");
    let at = ENGLISH_CATALOG.find(&key)? + 1;
    let id: &'static str = &ENGLISH_CATALOG[at..at + id.len()];
    let given = Reflect::get(value, &"args".into()).ok()?;
    let mut args = Vec::new();
    for name in Object::keys(given.dyn_ref::<Object>()?).iter() {
        let name = name.as_string()?;
        let value = Reflect::get(&given, &name.as_str().into()).ok()?;
        args.push((static_name(&name)?, arg_of(&value)?));
    }
    Some(Message { id, args })
}

fn arg_of(value: &JsValue) -> Option<Arg> {
    if let Some(text) = value.as_string() {
        return Some(Arg::Text(text));
    }
    if let Some(n) = value.as_f64() {
        return Some(Arg::Number(n as i128));
    }
    if let Some(list) = value.dyn_ref::<Array>() {
        return list.iter().map(|m| message_of(&m)).collect::<Option<_>>().map(Arg::List);
    }
    message_of(value).map(Arg::Message)
}

/// A placeholder's name as the English catalog writes it (`{name}`).
fn static_name(name: &str) -> Option<&'static str> {
    let braced = format!("{{{name}}}");
    let at = ENGLISH_CATALOG.find(&braced)? + 1;
    Some(&ENGLISH_CATALOG[at..at + name.len()])
}
