//! Step 1, users: a name and a public key (pasted, chosen as a `.publickey` file, or dropped on
//! the panel), or no key, in which case a pair is generated at build time.

use crate::app::App;
use crate::dom::{El, Root};
use crate::state::{State, UserKey};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, File, HtmlInputElement, HtmlTextAreaElement};

pub const NAME_ID: &str = "cib-name";
const KEY_ID: &str = "cib-key";
const SECTION_ID: &str = "cib-users";
/// A `.publickey` of 16384 bits is under 10 kB; anything far larger is not one.
const MAX_KEY_FILE_BYTES: f64 = 64_000.0;

pub fn skeleton() -> El {
    El::new("section").attr("id", SECTION_ID).attr("aria-labelledby", "cib-users-heading").children([
        El::new("h2").attr("id", "cib-users-heading").attr("tabindex", "-1").text("1. Users"),
        El::new("p").class("intro").text(
            "Add the people who will control the donated share. Give each a public key, or leave \
             the key empty and a key pair will be generated for them in this page.",
        ),
        El::new("div").class("field").children([
            El::new("label").attr("for", NAME_ID).text("Name"),
            El::new("input")
                .attr("id", NAME_ID)
                .attr("type", "text")
                .attr("autocomplete", "off")
                .attr("spellcheck", "false")
                .attr("aria-describedby", "cib-name-hint cib-name-message"),
            El::new("p").attr("id", "cib-name-hint").class("hint").text("3 to 40 letters, digits or _, starting with a letter or digit."),
            El::message("cib-name-message", None),
        ]),
        El::new("div").class("field").children([
            El::new("label").attr("for", KEY_ID).text("Public key"),
            El::new("textarea")
                .attr("id", KEY_ID)
                .attr("rows", "3")
                .attr("spellcheck", "false")
                .attr("aria-describedby", "cib-key-hint cib-key-message"),
            El::new("p").attr("id", "cib-key-hint").class("hint").text(
                "Optional. Paste the contents of a .publickey file (two numbers), choose the file \
                 below or drop it on this step.",
            ),
            El::new("label").attr("for", "cib-key-file").class("file-label").text("Public key file"),
            El::new("input")
                .attr("id", "cib-key-file")
                .attr("type", "file")
                .attr("accept", ".publickey,text/plain")
                .attr("data-action", "key-file"),
            El::message("cib-key-message", None),
        ]),
        El::button("Add user", "add-user").attr("id", "cib-add-user").class("primary"),
        El::new("div").attr("id", "cib-user-list"),
    ])
}

pub fn render(root: &Root, state: &State) {
    let name = state.form.name.trim();
    let name_problem = (state.form.tried || !name.is_empty())
        .then(|| state.name_problem(name))
        .flatten();
    root.set_text("cib-name-message", name_problem.as_deref().unwrap_or(""));
    set_invalid(root, NAME_ID, name_problem.is_some());
    let key = state.form_key();
    let key_message = match (&state.form.file_problem, &key) {
        (Some(problem), _) => problem.clone(),
        (None, Err(message)) => message.clone(),
        (None, Ok(Some(key))) => {
            format!("A valid public key ({}-bit modulus).", key.modulus_bits())
        }
        (None, Ok(None)) => String::new(),
    };
    root.set_text("cib-key-message", &key_message);
    set_invalid(
        root,
        KEY_ID,
        key.is_err() || state.form.file_problem.is_some(),
    );
    sync_value(root, NAME_ID, &state.form.name);
    sync_value(root, KEY_ID, &state.form.key_text);

    let own = state
        .users
        .iter()
        .filter(|u| matches!(u.key, UserKey::Own(_)))
        .count();
    let generated = state.users.len() - own;
    let summary = match state.users.len() {
        0 => "No users yet.".to_string(),
        n => format!(
            "{n} {}: {own} with their own key, {generated} with a generated key.",
            if n == 1 { "user" } else { "users" }
        ),
    };
    let rows = state.users.iter().map(|user| {
        let key = match &user.key {
            UserKey::Own(_) => "own key",
            UserKey::Missing => "key will be generated",
            UserKey::Generated(_) => "generated key",
        };
        El::new("li").children([
            El::new("span").class("user-name").text(&user.name),
            El::new("span").class("user-key").text(key),
            El::button(&format!("Remove {}", user.name), "remove-user")
                .attr("id", &format!("cib-remove-{}", user.name))
                .attr("data-name", &user.name)
                .class("quiet"),
        ])
    });
    root.replace_children(
        "cib-user-list",
        [
            El::new("p").attr("id", "cib-user-summary").text(&summary),
            El::new("ul")
                .class("users")
                .attr("aria-labelledby", "cib-user-summary")
                .children(rows.collect::<Vec<_>>()),
        ],
    );
}

fn set_invalid(root: &Root, id: &str, invalid: bool) {
    if let Some(el) = root.by_id::<Element>(id) {
        let _ = el.set_attribute("aria-invalid", if invalid { "true" } else { "false" });
    }
}

/// Puts the state's text into a field when they differ (after an add clears the form, or a
/// file fills the key), and never while they agree, so typing is not disturbed.
fn sync_value(root: &Root, id: &str, value: &str) {
    if let Some(input) = root.by_id::<HtmlInputElement>(id) {
        if input.value() != value {
            input.set_value(value);
        }
    } else if let Some(area) = root.by_id::<HtmlTextAreaElement>(id) {
        if area.value() != value {
            area.set_value(value);
        }
    }
}

pub fn add(app: &App) {
    let mut added = false;
    app.change(|s| added = s.add_user());
    if added {
        app.root.focus(NAME_ID);
        return;
    }
    // Take the person to the first thing to fix.
    let state = app.state.borrow();
    let first = if state.name_problem(state.form.name.trim()).is_some() {
        NAME_ID
    } else {
        KEY_ID
    };
    drop(state);
    app.root.focus(first);
}

pub fn read_chosen_file(app: &Rc<App>, input: &Element) {
    let file = input
        .dyn_ref::<HtmlInputElement>()
        .and_then(|i| i.files())
        .and_then(|f| f.get(0));
    if let Some(file) = file {
        read_key_file(app.clone(), file);
    }
}

/// A dropped or chosen file fills the key field (where the person sees what was read); its
/// name fills an empty name field, as `alice.publickey` names alice.
fn read_key_file(app: Rc<App>, file: File) {
    wasm_bindgen_futures::spawn_local(async move {
        let text = if file.size() > MAX_KEY_FILE_BYTES {
            Err(format!(
                "{} is too large to be a public key file.",
                file.name()
            ))
        } else {
            JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string())
                .ok_or(format!("{} could not be read.", file.name()))
        };
        match text {
            Ok(text) => app.change(|s| {
                s.form.file_problem = None;
                s.form.key_text = text.trim().to_string();
                if s.form.name.trim().is_empty() {
                    if let Some(stem) = file.name().strip_suffix(".publickey") {
                        s.form.name = stem.to_string();
                    }
                }
            }),
            Err(message) => app.change(|s| s.form.file_problem = Some(message)),
        }
    });
}

/// A `.publickey` file dropped anywhere on this step fills the key field.
pub fn listen_for_drops(app: &Rc<App>) {
    app.take_drops(SECTION_ID, |app, files| {
        if let Some(file) = files.get(0) {
            read_key_file(app.clone(), file);
        }
    });
}
