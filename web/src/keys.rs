//! Step 5, downloads: the generated private keys first (they exist nowhere else), the public
//! keys, then the installers, each with its progress or its failure and a way to retry.

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
                .text("5. Keys and installers"),
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
                .text("Your downloads appear here once you build.")],
        );
    };
    let mut parts = vec![stage(run)];
    let keys_first = state.unsaved_private_keys();
    if let Some(private) = &run.private_keys {
        parts.push(El::new("div").class("warning").attr("id", "cib-private-keys").children([
            El::new("h3").text("Save the private keys now"),
            El::new("p").text(
                "Key pairs were generated in this page for the users without a public key. Their \
                 private keys are in no installer and on no server: if you do not save them now, \
                 they cannot be recovered later, and nobody can use those vessels.",
            ),
            link(private, &format!("Download {}", private.file), "button primary").action(&Action::SavedPrivate),
        ]));
    }
    if let Some(public) = &run.public_keys {
        parts.push(El::new("p").child(link(
            public,
            &format!("Download {}", public.file),
            "button quiet",
        )));
    }
    if !run.installers.is_empty() {
        parts.push(El::new("h3").text("Installers"));
        if keys_first && run.private_keys.is_some() {
            parts.push(
                El::new("p")
                    .class("hint")
                    .text("Download private_keys.zip first; the installers are offered after it."),
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
        Stage::Keys { total: 0, .. } => "Preparing…".to_string(),
        Stage::Keys { done, total } => crate::key_size::generating(run.key_bits, *done, *total),
        Stage::Manifest => "Loading the list of base installers…".to_string(),
        Stage::Installers => "Making installers…".to_string(),
        Stage::Done => {
            let ready = run
                .installers
                .iter()
                .filter(|i| matches!(i.status, Status::Ready(_)))
                .count();
            format!(
                "Done: {ready} of {} installers ready.",
                run.installers.len()
            )
        }
        Stage::Failed(message) => message.clone(),
    };
    let el = El::new("p").attr("id", "cib-stage");
    match run.stage {
        Stage::Failed(_) => el.class("message").attr("role", "alert").text(&text).child(
            El::button("Retry", &Action::Retry(None))
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
        Status::Waiting => item.child(El::new("span").class("hint").text("waiting")),
        Status::Fetching { received, total } => item.children(progress(label, *received, *total)),
        Status::Customizing => item.child(El::new("span").class("hint").text("customizing…")),
        Status::Ready(_) if keys_first => item.child(
            El::new("span")
                .class("hint")
                .text("ready after private_keys.zip"),
        ),
        Status::Ready(download) => item
            .child(link(
                download,
                &format!("Download {} ({})", download.file, size(download.size)),
                "button",
            ))
            .child(install_steps::view(installer.platform, 4)),
        Status::Failed(message) => {
            let id = format!("cib-failed-{name}");
            item.child(
                El::new("span")
                    .attr("id", &id)
                    .class("message")
                    .attr("role", "alert")
                    .text(message),
            )
            .child(
                El::button("Retry", &Action::Retry(Some(installer.platform)))
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
            .attr("aria-label", &format!("{label} base installer download")),
        El::new("span")
            .class("hint")
            .text(&format!("{} of {}", size(received), size(total))),
    ]
}
