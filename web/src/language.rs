//! Which language a builder speaks, and the page's language menu. A choice for this page (an
//! element's `lang`, `?lang=` in the address, the menu's remembered choice) comes first, then the
//! browser's languages (`navigator.languages`); see `i18n::choose`.

use crate::app::App;
use crate::catalog::{speaking, t, Catalog};
use crate::dom::{document, El};
use crate::events::query;
use crate::i18n::{choose, LANGUAGES, REMEMBERED};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Element, HtmlSelectElement};

/// The menu's place in the page's header.
const MENU: &str = "cib-language";

fn browser_languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    window
        .navigator()
        .languages()
        .iter()
        .filter_map(|l| l.as_string())
        .collect()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The language of a builder whose element asks for `asked` (`lang`), if it does.
pub fn chosen(asked: Option<&str>) -> &'static str {
    let address = query("lang");
    let remembered = storage().and_then(|s| s.get_item(REMEMBERED).ok().flatten());
    choose(
        [asked, address.as_deref(), remembered.as_deref()],
        &browser_languages(),
    )
}

/// Has the builder `who` speak `lang`, once its catalog is here (from `assets`' `i18n/`), and
/// then `after` with it.
pub fn follow(who: &Rc<App>, lang: &'static str, assets: String, after: fn(&Rc<Catalog>)) {
    let who = Rc::downgrade(who);
    spawn_local(async move {
        let catalog = Catalog::load(lang, &assets).await;
        if let Some(who) = who.upgrade() {
            who.speak(catalog.clone());
        }
        after(&catalog);
    });
}

/// The page's own builder, for which `lang` was chosen: its language, the header's menu and
/// the page's own words.
pub fn page(app: &Rc<App>, lang: &'static str, assets: String) {
    let picked = Rc::downgrade(app);
    let from = assets.clone();
    offer_menu(move |lang| {
        if let Some(app) = picked.upgrade() {
            follow(&app, lang, from.clone(), dress_page);
        }
    });
    match app.catalog() {
        catalog if catalog.lang == lang => dress_page(&catalog),
        _ => follow(app, lang, assets, dress_page),
    }
}

/// The page around the builder in the chosen language: `<html lang>`, the menu's choice and
/// every element marked `data-i18n` with the id of its text.
pub fn dress_page(catalog: &Rc<Catalog>) {
    let document = document();
    let Some(html) = document.document_element() else {
        return;
    };
    // A page already in the chosen language keeps its own words (English, as it was served).
    let unchanged = html.get_attribute("lang").as_deref() == Some(catalog.lang);
    let _ = html.set_attribute("lang", catalog.lang);
    if let Some(menu) = document.get_element_by_id(MENU) {
        if let Ok(menu) = menu.dyn_into::<HtmlSelectElement>() {
            menu.set_value(catalog.lang);
        }
    }
    let Ok(marked) = document.query_selector_all("[data-i18n]") else {
        return;
    };
    if unchanged {
        return;
    }
    speaking(catalog, || {
        for el in (0..marked.length()).filter_map(|i| marked.item(i)?.dyn_into::<Element>().ok()) {
            if let Some(id) = el.get_attribute("data-i18n") {
                el.set_text_content(Some(&t(&id)));
            }
        }
    });
}

/// Fills the header's menu and shows it (the page's HTML holds it hidden, as it does nothing
/// before the module runs); a language picked there is remembered and handed to `picked`.
pub fn offer_menu(picked: impl Fn(&'static str) + 'static) {
    let Some(menu) = document()
        .get_element_by_id(MENU)
        .and_then(|m| m.dyn_into::<HtmlSelectElement>().ok())
    else {
        return;
    };
    menu.set_text_content(None);
    for (tag, name) in LANGUAGES {
        let option = El::new("option").attr("value", tag).attr("lang", tag).text(name);
        let _ = menu.append_child(&option.0);
    }
    let chosen = menu.clone();
    let on_change = Closure::<dyn Fn()>::new(move || {
        let lang = crate::i18n::known(&chosen.value()).unwrap_or(crate::i18n::ENGLISH);
        if let Some(storage) = storage() {
            let _ = storage.set_item(REMEMBERED, lang);
        }
        picked(lang);
    });
    let _ = menu.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
    // The menu lives as long as the page.
    on_change.forget();
    if let Some(line) = menu.parent_element() {
        let _ = line.remove_attribute("hidden");
    }
}
