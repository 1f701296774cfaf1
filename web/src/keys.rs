//! Step 5, downloads: the generated private keys first (they exist nowhere else), the public
//! keys, then the installers, each with its progress or its failure and a way to retry.

use crate::catalog::{message, number, say, t, text};
use crate::action::Action;
use crate::dom::{El, Root};
use crate::ids;
use crate::install_steps;
use crate::run::{Download, Installer, Run, Stage, Status};
use crate::state::State;
use crate::words::size;

pub fn skeleton() -> El {
    El::new("section")
        .attr("id", "cib-results")
        .attr("aria-labelledby", ids::RESULTS_HEADING)
        .children([
            El::new("h2")
                .attr("id", ids::RESULTS_HEADING)
                .attr("tabindex", "-1")
                .text(&t("ui-keys-heading")),
            El::new("div").attr("id", "cib-result-list"),
        ])
}

fn link(download: &Download, text: &str, class: &str) -> El {
    El::new("a")
        .attr("href", &download.url)
        .attr("download", &download.file)
        .attr(
            "id",
            &format!("cib-download-{}", download.file.replace('.', "-")),
        )
        .class(class)
        .text(text)
}

pub fn render(root: &Root, state: &State, run: Option<&Run>) {
    let Some(run) = run else {
        return root.replace_children(
            "cib-result-list",
            [El::new("p")
                .class("hint")
                .text(&t("ui-downloads-appear"))],
        );
    };
    let mut parts = vec![stage(run)];
    let keys_first = state.unsaved_private_keys();
    if let Some(private) = &run.private_keys {
        parts.push(El::new("div").class("warning").attr("id", "cib-private-keys").children([
            El::new("h3").text(&t("ui-save-private-keys")),
            El::new("p").text(&t("ui-private-keys-warning")),
            link(private, &say("ui-download", &[("file", text(&private.file))]), "button primary").action(&Action::SavedPrivate),
        ]));
    }
    if let Some(public) = &run.public_keys {
        parts.push(El::new("p").child(link(
            public,
            &say("ui-download", &[("file", text(&public.file))]),
            "button quiet",
        )));
    }
    if !run.installers.is_empty() {
        parts.push(El::new("h3").text(&t("ui-installers")));
        if keys_first && run.private_keys.is_some() {
            parts.push(
                El::new("p")
                    .class("hint")
                    .text(&t("ui-private-keys-first")),
            );
        }
        parts.push(
            El::new("ul").class("installers").children(
                run.installers
                    .iter()
                    .map(|i| installer(i, keys_first))
                    .collect::<Vec<_>>(),
            ),
        );
    }
    root.replace_children("cib-result-list", parts);
}

fn stage(run: &Run) -> El {
    let text = match &run.stage {
        Stage::Keys { total: 0, .. } => t("ui-preparing"),
        // Says how long the chosen size may take.
        Stage::Keys { done, total } => {
            message(&crate::key_size::generating(run.key_bits, *done, *total))
        }
        Stage::Manifest => t("ui-loading-manifest"),
        Stage::Installers => t("ui-making-installers"),
        Stage::Done => {
            let ready = run
                .installers
                .iter()
                .filter(|i| matches!(i.status, Status::Ready(_)))
                .count();
            say(
                "ui-done",
                &[
                    ("ready", number(ready as i128)),
                    ("total", number(run.installers.len() as i128)),
                ],
            )
        }
        Stage::Failed(problem) => message(problem),
    };
    let el = El::new("p").attr("id", "cib-stage");
    match run.stage {
        Stage::Failed(_) => el.class("message").attr("role", "alert").text(&text).child(
            El::button(&t("ui-retry"), &Action::Retry(None))
                .attr("id", "cib-retry-build")
                .class("quiet"),
        ),
        _ => el.attr("role", "status").text(&text),
    }
}

fn installer(installer: &Installer, keys_first: bool) -> El {
    let label = installer.platform.label();
    let name = installer.platform.name();
    let item = El::new("li").child(El::new("span").class("installer-name").text(label));
    match &installer.status {
        Status::Waiting => item.child(El::new("span").class("hint").text(&t("ui-waiting"))),
        Status::Fetching { received, total } => item.children(progress(label, *received, *total)),
        Status::Customizing => item.child(El::new("span").class("hint").text(&t("ui-customizing"))),
        Status::Ready(_) if keys_first => item.child(
            El::new("span")
                .class("hint")
                .text(&t("ui-ready-after-private-keys")),
        ),
        Status::Ready(download) => item
            .child(link(
                download,
                &say(
                    "ui-download-sized",
                    &[("file", text(&download.file)), ("size", size(download.size).into())],
                ),
                "button",
            ))
            .child(install_steps::view(installer.platform, 4)),
        Status::Failed(problem) => {
            let id = format!("cib-failed-{name}");
            item.child(
                El::new("span")
                    .attr("id", &id)
                    .class("message")
                    .attr("role", "alert")
                    .text(&message(problem)),
            )
            .child(
                El::button(&t("ui-retry"), &Action::Retry(Some(installer.platform)))
                    .attr("id", &format!("cib-retry-{name}"))
                    .attr("aria-describedby", &id)
                    .class("quiet"),
            )
        }
    }
}

/// A base installer's download as it goes: a progress bar and how much of how much.
pub fn progress(label: &str, received: u64, total: u64) -> [El; 2] {
    [
        El::new("progress")
            .attr("max", &total.to_string())
            .attr("value", &received.to_string())
            .attr("aria-label", &say("ui-base-installer-download", &[("platform", text(label))])),
        El::new("span")
            .class("hint")
            .text(&say(
                "ui-size-of",
                &[("received", size(received).into()), ("total", size(total).into())],
            )),
    ]
}
