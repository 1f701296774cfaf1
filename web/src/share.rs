//! The share link: the page's own address with the whole description in its fragment (which
//! browsers never send to a server), so whoever opens it rebuilds the very same installers. The
//! encoding is the core's (`share_link`), the link follows the model (`update`); here it is
//! shown, copied and drawn as a QR code.

use crate::catalog::{message, t};
use crate::action::{Action, Dispatch};
use crate::dom::{El, Root};
use crate::ids;
use crate::places::Places;
use crate::state::State;
use crate::update::Share;
use crate::words::Said;
use crate::worker::{self, WorkerError};
use cib_core::share_link;
use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlInputElement;

const CODE_ID: &str = "cib-share-code";
const SAID_ID: &str = "cib-share-said";

/// The page's address without its fragment.
pub fn page_address() -> Option<String> {
    let href = web_sys::window()?.location().href().ok()?;
    Some(href.split('#').next().unwrap_or_default().to_string())
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
    match share_link::decode_typed(fragment) {
        Ok(shared) => State::from_shared(shared),
        Err(problem) => State {
            link_problem: Some(Said::new(
                "ui-link-unusable",
                vec![("problem", Said::sentence(Said::of(&problem)).into())],
            )),
            ..state
        },
    }
}

/// The share link in the page's address, when there is one that can be used.
pub fn shared_in_address() -> Option<share_link::Shared> {
    let hash = web_sys::window()?.location().hash().ok()?;
    share_link::decode_typed(hash.trim_start_matches('#')).ok()
}

/// Where a tab remembers the share link it opened in the builder: only that tab, and only
/// while it shows that link, so the same link opened anew is the donor's page again.
const BUILDER_FOR: &str = "cib-builder-for";

fn hash_and_tab_storage() -> Option<(String, web_sys::Storage)> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    Some((hash, window.session_storage().ok()??))
}

/// Remembers that this tab opened its share link in the builder, so a reload keeps it there.
pub fn remember_builder_opened() {
    if let Some((hash, storage)) = hash_and_tab_storage() {
        let _ = storage.set_item(BUILDER_FOR, &hash);
    }
}

/// Whether this tab opened the share link in its address in the builder.
pub fn builder_opened() -> bool {
    hash_and_tab_storage()
        .is_some_and(|(hash, storage)| storage.get_item(BUILDER_FOR).ok().flatten() == Some(hash))
}

/// A QR code of `link`, drawn by the worker's module (the QR encoder is not needed before the
/// first build, so it is not in the page's module), as an SVG data URL for an `<img>`: no
/// markup is ever parsed into the page.
pub async fn draw_qr(places: Places, link: String, dispatch: Dispatch) {
    let image = qr_image(&places, &link).await;
    dispatch.send(Action::QrDrawn { link, image });
}

async fn qr_image(places: &Places, text: &str) -> Result<String, Said> {
    let failed = |problem: Said| Said::new("ui-qr-failed", vec![("problem", problem.into())]);
    let answer = worker::call(&places.worker, "qr", &[("text", text.into())], &Array::new())
        .await
        .map_err(|e| match e {
            WorkerError::TooLarge(_) => Said::id("ui-qr-too-long"),
            e => failed(e.into()),
        })?;
    let svg = Reflect::get(&answer, &"svg".into())
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| failed(Said::id("ui-worker-no-answer")))?;
    Ok(format!(
        "data:image/svg+xml,{}",
        js_sys::encode_uri_component(&svg)
    ))
}

pub fn skeleton() -> El {
    El::new("div").attr("id", ids::SHARE)
}

pub fn render(root: &Root, share: Option<&Share>) {
    let shown = root
        .by_id::<HtmlInputElement>(ids::SHARE_FIELD)
        .map(|field| field.value());
    let Some(share) = share else {
        if shown.is_some() {
            root.replace_children(ids::SHARE, []);
        }
        return;
    };
    if shown.as_ref() != Some(&share.link) {
        root.replace_children(ids::SHARE, field(&share.link));
    }
    root.set_text(SAID_ID, &share.said.as_ref().map(message).unwrap_or_default());
    let drawn = root
        .by_id::<web_sys::Element>(CODE_ID)
        .is_some_and(|c| c.child_element_count() > 0);
    if let (false, Some(qr)) = (drawn, &share.qr) {
        let code = match qr {
            Ok(url) => El::new("img")
                .attr("src", url)
                .attr("alt", &t("ui-share-qr"))
                .attr("id", "cib-share-qr")
                .class("qr"),
            Err(problem) => El::new("p").class("hint").text(&message(problem)),
        };
        root.replace_children(CODE_ID, [code]);
    }
}

fn field(link: &str) -> [El; 2] {
    [
        El::new("div").class("field").children([
            El::new("label")
                .attr("for", ids::SHARE_FIELD)
                .text(&t("ui-share-link")),
            El::new("input")
                .attr("id", ids::SHARE_FIELD)
                .attr("type", "text")
                .attr("readonly", "")
                .attr("value", link)
                .attr("aria-describedby", "cib-share-hint cib-share-said"),
            El::new("p")
                .attr("id", "cib-share-hint")
                .class("hint")
                .text(&t("ui-share-hint")),
            El::button(&t("ui-copy"), &Action::CopyLink).attr("id", "cib-share-copy"),
            El::new("span").attr("id", SAID_ID).attr("role", "status"),
        ]),
        El::new("div").attr("id", CODE_ID),
    ]
}

/// Copies the link with the Clipboard API; where that is refused, selects it for the person.
pub fn copy(root: &Root, dispatch: Dispatch) {
    let Some(field) = root.by_id::<HtmlInputElement>(ids::SHARE_FIELD) else {
        return;
    };
    let written = write_clipboard(&field.value());
    wasm_bindgen_futures::spawn_local(async move {
        let copied = match written {
            Some(promise) => JsFuture::from(promise).await.is_ok(),
            None => false,
        };
        if !copied {
            field.select();
        }
        dispatch.send(Action::LinkCopied(copied));
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
