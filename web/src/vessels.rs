//! Step 2, vessels: the donated share split into vessels of whole tens totalling 80%, each with
//! an owner and users; the reserved 20% vessel of the Seattle project comes last.

use crate::catalog::{message, number, say, t};
use crate::action::Action;
use crate::dom::{El, Root};
use crate::state::{State, VesselEntry};
use cib_core::vessel::{DEFINED_TOTAL, MAX_VESSELS, RESERVED_PERCENT};

pub fn skeleton() -> El {
    El::new("section").attr("id", "cib-vessels").attr("aria-labelledby", "cib-vessels-heading").children([
        El::new("h2").attr("id", "cib-vessels-heading").attr("tabindex", "-1").text(&t("ui-vessels-heading")),
        El::new("p").class("intro").text(&say(
            "ui-vessels-intro",
            &[("total", number(DEFINED_TOTAL)), ("max", number(MAX_VESSELS as i128))],
        )),
        El::new("div").attr("id", "cib-vessel-list"),
        El::new("p").class("reserved").text(&say("ui-reserved-vessel", &[("percent", number(RESERVED_PERCENT))])),
    ])
}

pub fn render(root: &Root, state: &State) {
    let vessels = state
        .vessels
        .iter()
        .enumerate()
        .map(|(i, v)| vessel(state, i, v));
    root.replace_children("cib-vessel-list", vessels.collect::<Vec<_>>());
}

fn vessel(state: &State, i: usize, v: &VesselEntry) -> El {
    let n = i + 1;
    let id = |what: &str| format!("cib-vessel-{n}-{what}");
    // Each button's id names what it does, as the tests and a person's focus find it.
    let button = |text: String, what: &str, action: Action, enabled: bool| {
        El::button(&text, &action)
            .attr("id", &id(what))
            .class("quiet")
            .flag("disabled", !enabled)
    };
    let mut actions = vec![
        button(
            say("ui-split-vessel", &[("vessel", number(n as i128))]),
            "split",
            Action::Split(i),
            state.can_split(i),
        ),
        button(
            say("ui-add-ten", &[("vessel", number(n as i128))]),
            "grow",
            Action::Grow(i),
            state.can_grow(i),
        ),
        button(
            say("ui-remove-ten", &[("vessel", number(n as i128))]),
            "shrink",
            Action::Shrink(i),
            state.can_shrink(i),
        ),
    ];
    if n < state.vessels.len() {
        actions.insert(
            1,
            button(
                say("ui-merge-vessels", &[("vessel", number(n as i128)), ("next", number(n as i128 + 1))]),
                "merge",
                Action::Merge(i),
                true,
            ),
        );
    }
    let message = match (&v.notice, &v.owner) {
        (Some(notice), _) => Some(message(notice)),
        (None, None) => Some(say("ui-choose-owner-of", &[("vessel", number(n as i128))])),
        (None, Some(_)) => None,
    };
    let owner_id = id("owner");
    let options = std::iter::once(El::new("option").attr("value", "").text(&t("ui-choose-owner")))
        .chain(state.users.iter().map(|u| {
            El::new("option")
                .attr("value", &u.name)
                .flag("selected", v.owner.as_deref() == Some(u.name.as_str()))
                .text(&u.name)
        }));
    let users = state.users.iter().map(|u| {
        let box_id = id(&format!("user-{}", u.name));
        El::new("div").class("check").children([
            El::new("input")
                .attr("type", "checkbox")
                .attr("id", &box_id)
                .action(&Action::SetVesselUser(i, u.name.clone(), false))
                .flag("checked", v.users.contains(&u.name)),
            El::new("label").attr("for", &box_id).text(&u.name),
        ])
    });
    let users: Vec<El> = users.collect();
    let users = if users.is_empty() {
        vec![El::new("p")
            .class("hint")
            .text(&t("ui-add-users-first"))]
    } else {
        users
    };
    El::new("fieldset")
        .class("vessel")
        .attr("id", &id("box"))
        .children([
            El::new("legend").text(&say("ui-vessel-legend", &[("vessel", number(n as i128)), ("percent", number(v.percent as i128))])),
            El::new("div")
                .class(&format!("share share-{}", v.percent))
                .attr("aria-hidden", "true"),
            El::new("div").class("vessel-actions").children(actions),
            El::new("div").class("field").children([
                El::new("label")
                    .attr("for", &owner_id)
                    .text(&say("ui-owner-of", &[("vessel", number(n as i128))])),
                El::new("select")
                    .attr("id", &owner_id)
                    .action(&Action::SetOwner(i, String::new()))
                    .attr("aria-describedby", &id("message"))
                    .attr(
                        "aria-invalid",
                        if v.owner.is_none() { "true" } else { "false" },
                    )
                    .children(options.collect::<Vec<_>>()),
            ]),
            El::new("fieldset")
                .class("vessel-users")
                .child(El::new("legend").text(&say("ui-users-of", &[("vessel", number(n as i128))])))
                .children(users),
            El::new("p")
                .attr("id", &id("message"))
                .class("message")
                .text(message.as_deref().unwrap_or("")),
        ])
}
