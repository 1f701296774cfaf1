//! Step 4, build: the description is checked by the core (its problems block the button), the
//! missing keys are generated, and each chosen base installer is fetched, verified and
//! customized (`making`). A failure stops only what it concerns and is offered again with
//! "Retry".

use crate::action::Action;
use crate::dom::{El, Root};
use crate::run::{problems, Run};
use crate::state::State;
use crate::update::Model;
use web_sys::HtmlButtonElement;

pub fn skeleton() -> El {
    El::new("section").attr("id", "cib-build").attr("aria-labelledby", "cib-build-heading").children([
        El::new("h2").attr("id", "cib-build-heading").attr("tabindex", "-1").text("4. Build"),
        El::new("p").class("intro").text(
            "Keys are generated and installers are made here, in your browser: no key ever leaves \
             this page.",
        ),
        El::button("Build installers", &Action::Build)
            .attr("id", "cib-build-button")
            .class("primary")
            .attr("aria-describedby", "cib-build-problems"),
        El::new("div").attr("id", "cib-build-problems"),
        crate::share::skeleton(),
    ])
}

/// The fast lane, above the steps: one click to an installer and its keys.
pub fn quick_skeleton() -> El {
    El::new("div").class("quick").children([
        El::button("Quick installer", &Action::Quick)
            .attr("id", "cib-quick")
            .class("primary")
            .attr("aria-describedby", "cib-quick-hint"),
        El::new("p").attr("id", "cib-quick-hint").class("hint"),
        crate::key_size::view::choice(crate::key_size::view::QUICK),
    ])
}

fn render_quick(root: &Root, state: &State, working: bool) {
    if let Some(button) = root.by_id::<HtmlButtonElement>("cib-quick") {
        button.set_disabled(!state.users.is_empty() || working);
    }
    let platforms: Vec<&str> = state.platforms.iter().map(|p| p.label()).collect();
    let hint = if !state.users.is_empty() {
        "The quick installer starts from an empty builder; with the users you added, use \
         Build installers in step 4."
            .to_string()
    } else if platforms.is_empty() {
        "Choose a platform in step 3 first.".to_string()
    } else {
        format!(
            "Just want an installer? One click makes a user named {} with a new key pair, owning \
             one vessel of 80%, and the installers for {} (change them in step 3); then save \
             its keys and installers in step 5.",
            crate::state::QUICK_USER,
            platforms.join(", ")
        )
    };
    root.set_text("cib-quick-hint", &hint);
}

pub fn render(root: &Root, model: &Model) {
    let state = &model.state;
    let problems = problems(state, &state.description(), &model.waiting());
    let working = model.run.as_ref().is_some_and(Run::working);
    render_quick(root, state, working);
    if let Some(button) = root.by_id::<HtmlButtonElement>("cib-build-button") {
        button.set_disabled(!problems.is_empty() || working);
    }
    let explanation = if problems.is_empty() {
        vec![]
    } else {
        vec![
            El::new("p").text("Before you can build:"),
            El::new("ul").class("problems").children(
                problems
                    .iter()
                    .map(|p| El::new("li").text(p))
                    .collect::<Vec<_>>(),
            ),
        ]
    };
    root.replace_children("cib-build-problems", explanation);
}
