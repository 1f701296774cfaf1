//! Step 1, users: a name and a public key (pasted, chosen as a `.publickey` file, or dropped on
//! the panel), or no key, in which case a pair is generated at build time.

use crate::action::Action;
use crate::catalog::{message, number, say, t, text};
use crate::dom::{El, Root};
use crate::ids::{KEY as KEY_ID, KEY_FILE, NAME as NAME_ID, USERS as SECTION_ID};
use crate::state::{State, UserKey};
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

pub fn skeleton() -> El {
    El::new("section").attr("id", SECTION_ID).attr("aria-labelledby", "cib-users-heading").children([
        El::new("h2").attr("id", "cib-users-heading").attr("tabindex", "-1").text(&t("ui-users-heading")),
        El::new("p").class("intro").text(&t("ui-users-intro")),
        El::new("div").class("field").children([
            El::new("label").attr("for", NAME_ID).text(&t("ui-name")),
            El::new("input")
                .attr("id", NAME_ID)
                .action(&Action::TypeName(String::new()))
                .attr("type", "text")
                .attr("autocomplete", "off")
                .attr("spellcheck", "false")
                .attr("aria-describedby", "cib-name-hint cib-name-message"),
            El::new("p").attr("id", "cib-name-hint").class("hint").text(&t("ui-name-hint")),
            El::message("cib-name-message", None),
        ]),
        El::new("div").class("field").children([
            El::new("label").attr("for", KEY_ID).text(&t("ui-public-key")),
            El::new("textarea")
                .attr("id", KEY_ID)
                .action(&Action::TypeKey(String::new()))
                .attr("rows", "3")
                .attr("spellcheck", "false")
                .attr("aria-describedby", "cib-key-hint cib-key-message"),
            El::new("p").attr("id", "cib-key-hint").class("hint").text(&t("ui-public-key-hint")),
            El::new("label").attr("for", KEY_FILE).class("file-label").text(&t("ui-public-key-file")),
            El::new("input")
                .attr("id", KEY_FILE)
                .attr("type", "file")
                .attr("accept", ".publickey,text/plain")
                .action(&Action::ChooseKeyFile),
            El::message("cib-key-message", None),
        ]),
        crate::key_size_choice::choice(crate::key_size_choice::USERS),
        El::button(&t("ui-add-user"), &Action::AddUser).attr("id", "cib-add-user").class("primary"),
        El::new("div").attr("id", "cib-user-list"),
    ])
}

pub fn render(root: &Root, state: &State) {
    let name = state.form.name.trim();
    let name_problem = (state.form.tried || !name.is_empty())
        .then(|| state.name_problem(name))
        .flatten();
    let said = name_problem.as_ref().map(message).unwrap_or_default();
    root.set_text("cib-name-message", &said);
    set_invalid(root, NAME_ID, name_problem.is_some());
    let key = state.form_key();
    let key_message = match (&state.form.file_problem, &key) {
        (Some(problem), _) => message(problem),
        (None, Err(problem)) => message(problem),
        (None, Ok(Some(key))) => {
            let valid = say("ui-key-valid", &[("bits", number(key.modulus_bits() as i128))]);
            match crate::key_size::weak_note(key.modulus_bits()) {
                Some(note) => say("ui-then", &[("first", text(&valid)), ("second", note.into())]),
                None => valid,
            }
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
        0 => t("ui-no-users"),
        n => say(
            "ui-users-summary",
            &[
                ("count", number(n as i128)),
                ("own", number(own as i128)),
                ("generated", number(generated as i128)),
            ],
        ),
    };
    let rows = state.users.iter().map(|user| {
        let key = message(&user.key_said(state.key_bits));
        El::new("li").children([
            El::new("span").class("user-name").text(&user.name),
            El::new("span").class("user-key").text(&key),
            El::button(
                &say("ui-remove-user", &[("name", text(&user.name))]),
                &Action::RemoveUser(user.name.clone()),
            )
            .attr("id", &format!("cib-remove-{}", user.name))
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
