//! Step 3, platforms: which base installers to customize. The visitor's own system is chosen
//! at first, since that is the installer most people came for.

use crate::catalog::t;
use crate::action::Action;
use crate::dom::{El, Root};
use crate::state::State;
use cib_core::Platform;
use web_sys::HtmlInputElement;

/// The visitor's system from the browser's description of itself; Linux when it is unclear.
pub fn own_platform() -> Platform {
    let navigator = web_sys::window().map(|w| w.navigator());
    let agent = navigator
        .as_ref()
        .and_then(|n| n.user_agent().ok())
        .unwrap_or_default();
    let platform = navigator
        .as_ref()
        .and_then(|n| n.platform().ok())
        .unwrap_or_default();
    platform_from(&agent, &platform)
}

pub fn platform_from(agent: &str, platform: &str) -> Platform {
    let says = |word: &str| agent.contains(word) || platform.contains(word);
    if says("Android") {
        Platform::Android
    } else if says("Win") {
        Platform::Windows
    } else if says("Mac") && !says("iPhone") && !says("iPad") {
        Platform::Mac
    } else {
        Platform::Linux
    }
}

fn box_id(platform: Platform) -> String {
    format!("cib-platform-{}", platform.name())
}

/// The step's checkboxes, and `more` below them (the saved page's base installers).
pub fn skeleton(state: &State, more: Option<El>) -> El {
    let boxes = Platform::ALL.into_iter().map(|p| {
        El::new("div").class("check").children([
            El::new("input")
                .attr("type", "checkbox")
                .attr("id", &box_id(p))
                .action(&Action::SetPlatform(p, false))
                .flag("checked", state.platforms.contains(&p)),
            El::new("label").attr("for", &box_id(p)).text(p.label()),
        ])
    });
    El::new("section")
        .attr("id", "cib-platforms")
        .attr("aria-labelledby", "cib-platforms-heading")
        .children([
            El::new("h2")
                .attr("id", "cib-platforms-heading")
                .attr("tabindex", "-1")
                .text(&t("ui-platforms-heading")),
            El::new("fieldset")
                .class("platforms")
                .children([El::new("legend").text(&t("ui-make-installers-for"))])
                .children(boxes.collect::<Vec<_>>()),
        ])
        .children(more)
}

pub fn render(root: &Root, state: &State) {
    for platform in Platform::ALL {
        if let Some(input) = root.by_id::<HtmlInputElement>(&box_id(platform)) {
            input.set_checked(state.platforms.contains(&platform));
        }
    }
}
