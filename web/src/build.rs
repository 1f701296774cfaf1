//! Step 4, build: the description is checked by the core (its problems block the button), the
//! missing keys are generated, and each chosen base installer is fetched, verified and
//! customized (`making`). A failure stops only what it concerns and is offered again with
//! "Retry".

use crate::catalog::{message, say, t, text};
use crate::words::{listed, Said};
use crate::action::Action;
use crate::dom::{El, Root};
use crate::run::{problems, Run};
use crate::state::State;
use crate::update::Model;
use web_sys::HtmlButtonElement;

pub fn skeleton() -> El {
    El::new("section").attr("id", "cib-build").attr("aria-labelledby", "cib-build-heading").children([
        El::new("h2").attr("id", "cib-build-heading").attr("tabindex", "-1").text(&t("ui-build-heading")),
        El::new("p").class("intro").text(&t("ui-build-intro")),
        El::button(&t("ui-build-installers"), &Action::Build)
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
        El::button(&t("ui-quick-installer"), &Action::Quick)
            .attr("id", "cib-quick")
            .class("primary")
            .attr("aria-describedby", "cib-quick-hint"),
        El::new("p").attr("id", "cib-quick-hint").class("hint"),
        crate::key_size_choice::choice(crate::key_size_choice::QUICK),
    ])
}

fn render_quick(root: &Root, state: &State, working: bool) {
    if let Some(button) = root.by_id::<HtmlButtonElement>("cib-quick") {
        button.set_disabled(!state.users.is_empty() || working);
    }
    let platforms: Vec<Said> = state.platforms.iter().map(|p| Said::text(p.label())).collect();
    let hint = if !state.users.is_empty() {
        t("ui-quick-hint-users")
    } else if platforms.is_empty() {
        t("ui-quick-hint-no-platform")
    } else {
        say(
            "ui-quick-hint",
            &[
                ("name", text(crate::state::QUICK_USER)),
                ("platforms", listed(platforms, "ui-list-comma", "ui-list-comma").into()),
            ],
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
            El::new("p").text(&t("ui-before-you-build")),
            El::new("ul").class("problems").children(
                problems
                    .iter()
                    .map(|p| El::new("li").text(&message(p)))
                    .collect::<Vec<_>>(),
            ),
        ]
    };
    root.replace_children("cib-build-problems", explanation);
}
