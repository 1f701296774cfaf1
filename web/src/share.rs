//! The share link: the page's own address with the whole description in its fragment (which
//! browsers never send to a server), so whoever opens it rebuilds the very same installers. The
//! encoding is the core's (`share_link`); here it is shown, copied and drawn as a QR code.

use crate::app::{App, Places};
use crate::dom::El;
use crate::state::{sentence, State};
use crate::worker;
use cib_core::{share_link, BuildDescription};
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

const FIELD_ID: &str = "cib-share-link";

/// The page's address without its fragment.
fn page_address() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(href.split('#').next().unwrap_or_default().to_string())
}

/// The share link for the state, when it can have one (its description is checked).
pub fn link(state: &State, description: Option<&BuildDescription>) -> Option<String> {
    let fragment = share_link::encode(&state.shared(description?)?).ok()?;
    Some(format!("{}#{fragment}", page_address()?))
}

/// The state a share link in the page's address describes: `state` as it is without a
/// fragment, and an empty builder with the reason when the link cannot be used.
pub fn state_from_address(state: State) -> State {
    let Some(hash) = web_sys::window().and_then(|w| w.location().hash().ok()) else {
        return state;
    };
    let fragment = hash.trim_start_matches('#');
    if fragment.is_empty() {
        return state;
    }
    match share_link::decode(fragment) {
        Ok(shared) => State::from_shared(shared),
        Err(problem) => State {
            link_problem: Some(format!(
                "This share link cannot be used: {} You can make installers from the start.",
                sentence(&problem)
            )),
            ..state
        },
    }
}

/// A QR code of `text`, drawn by the worker's module (the QR encoder is not needed before
/// the first build, so it is not in the page's module), as an SVG data URL for an `<img>`: no
/// markup is ever parsed into the page.
async fn qr_image(places: &Places, text: &str) -> Result<String, String> {
    let answer = worker::call(places, "qr", &[("text", text.into())], &Array::new())
        .await
        .map_err(|e| match e.contains("too long") {
            true => "The link is too long for a QR code; copy it instead.".to_string(),
            false => format!("The QR code could not be drawn: {e}."),
        })?;
    let svg = Reflect::get(&answer, &"svg".into())
        .ok()
        .and_then(|s| s.as_string())
        .ok_or("The worker drew no QR code.")?;
    Ok(format!(
        "data:image/svg+xml,{}",
        js_sys::encode_uri_component(&svg)
    ))
}

pub fn skeleton() -> El {
    El::new("div").attr("id", "cib-share")
}

pub fn render(app: &App, state: &State, description: Option<&BuildDescription>) {
    let root = &app.root;
    let link = link(state, description);
    let shown = root
        .by_id::<HtmlInputElement>(FIELD_ID)
        .map(|field| field.value());
    if shown == link {
        return;
    }
    let Some(link) = link else {
        return root.replace_children("cib-share", []);
    };
    root.replace_children(
        "cib-share",
        [
            El::new("div").class("field").children([
                El::new("label").attr("for", FIELD_ID).text("Share link"),
                El::new("input")
                    .attr("id", FIELD_ID)
                    .attr("type", "text")
                    .attr("readonly", "")
                    .attr("value", &link)
                    .attr("aria-describedby", "cib-share-hint cib-share-said"),
                El::new("p")
                    .attr("id", "cib-share-hint")
                    .class("hint")
                    .text(
                    "Whoever opens this link gets this builder as it is now (names, public keys, \
                     vessels, platforms; never a private key) and can make the very same \
                     installers.",
                ),
                El::button("Copy", "copy-link").attr("id", "cib-share-copy"),
                El::new("span")
                    .attr("id", "cib-share-said")
                    .attr("role", "status"),
            ]),
            El::new("div").attr("id", "cib-share-code"),
        ],
    );
    let (places, root) = (app.places.clone(), root.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let drawn = match qr_image(&places, &link).await {
            Ok(url) => El::new("img")
                .attr("src", &url)
                .attr("alt", "QR code of the share link")
                .attr("id", "cib-share-qr")
                .class("qr"),
            Err(message) => El::new("p").class("hint").text(&message),
        };
        // Only if the link shown is still the one drawn.
        let shown = root.by_id::<HtmlInputElement>(FIELD_ID).map(|f| f.value());
        if shown.as_deref() == Some(link.as_str()) {
            root.replace_children("cib-share-code", [drawn]);
        }
    });
}

/// Copies the link with the Clipboard API; where that is refused, selects it for the person.
pub fn copy(app: &App) {
    let Some(field) = app.root.by_id::<HtmlInputElement>(FIELD_ID) else {
        return;
    };
    let written = write_clipboard(&field.value());
    let root = app.root.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let copied = match written {
            Some(promise) => JsFuture::from(promise).await.is_ok(),
            None => false,
        };
        let said = if copied {
            "Copied."
        } else {
            field.select();
            "Selected: press Ctrl+C (or ⌘C) to copy."
        };
        root.set_text("cib-share-said", said);
    });
}

fn write_clipboard(text: &str) -> Option<Promise> {
    let navigator = web_sys::window()?.navigator();
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok()?;
    let write: Function = Reflect::get(&clipboard, &"writeText".into())
        .ok()?
        .dyn_into()
        .ok()?;
    write
        .call1(&clipboard, &JsValue::from_str(text))
        .ok()?
        .dyn_into()
        .ok()
}
