//! How to install a downloaded installer and see that Seattle runs, per platform: the one home
//! of these words, shown wherever an installer is handed over (step 5, the donor's page, the
//! `<seattle-installer>` element).

use crate::words::{text, Said};
use cib_core::Platform;

/// One thing to do: what to do, and the command to type, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub text: Said,
    pub command: Option<&'static str>,
}

fn step(id: &'static str, command: Option<&'static str>) -> Step {
    Step {
        text: Said::id(id),
        command,
    }
}

/// The heading above a platform's steps.
pub fn heading(platform: Platform) -> Said {
    match platform {
        Platform::Android => Said::id("ui-install-android-heading"),
        p => Said::new("ui-install-heading", vec![("platform", text(p.label()))]),
    }
}

/// The steps for `platform`, in order.
pub fn steps(platform: Platform) -> Vec<Step> {
    let with_file = |id, command| Step {
        text: Said::new(id, vec![("file", text(platform.file_name()))]),
        command,
    };
    let benchmark = step("ui-install-benchmark", None);
    let unix = |extract: &'static str, check: &'static str| {
        vec![
            with_file("ui-install-extract", Some(extract)),
            step("ui-install-run", Some("cd seattle && ./install.sh")),
            benchmark.clone(),
            step("ui-install-check", Some(check)),
            step("ui-install-remove", Some("./uninstall.sh")),
        ]
    };
    match platform {
        Platform::Linux => unix(
            "tar -xzf seattle_linux.tgz",
            "ps -ef | grep nmmain.py | grep -v grep",
        ),
        Platform::Mac => unix(
            "tar -xzf seattle_mac.tgz",
            "ps Aww | grep nmmain.py | grep -v grep",
        ),
        Platform::Windows => vec![
            with_file("ui-install-extract-windows", None),
            step("ui-install-run-windows", None),
            benchmark,
            step("ui-install-check-windows", None),
            step("ui-install-remove-windows", None),
        ],
        Platform::Android => vec![
            with_file("ui-install-android-file", None),
            step("ui-install-android-app", None),
        ],
    }
}

/// The steps as a list in the page, under a heading one level below `level`.
#[cfg(target_arch = "wasm32")]
pub fn view(platform: Platform, level: u8) -> crate::dom::El {
    use crate::catalog::message;
    use crate::dom::El;
    let items = steps(platform).into_iter().map(|s| {
        let item = El::new("li").child(El::new("span").text(&message(&s.text)));
        match s.command {
            Some(command) => item.child(El::new("pre").child(El::new("code").text(command))),
            None => item,
        }
    });
    El::new("div")
        .class("install-steps")
        .attr("id", &format!("cib-install-{}", platform.name()))
        .children([
            El::new(&format!("h{}", level.clamp(2, 6))).text(&message(&heading(platform))),
            El::new("ol").children(items.collect::<Vec<_>>()),
        ])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::words::english;

    #[test]
    fn every_platform_says_how_to_install_check_and_remove() {
        for platform in [Platform::Linux, Platform::Mac, Platform::Windows] {
            let all: String = steps(platform)
                .iter()
                .map(|s| format!("{} {} ", english(&s.text), s.command.unwrap_or_default()))
                .collect();
            assert!(all.contains(platform.file_name()), "{all}");
            assert!(all.contains("Python 2.7"), "{all}");
            assert!(all.contains("few minutes"), "{all}");
            assert!(all.contains("delete the folder"), "{all}");
        }
        let command = |p| {
            steps(p)
                .into_iter()
                .filter_map(|s| s.command)
                .collect::<Vec<_>>()
        };
        assert!(command(Platform::Linux).contains(&"ps -ef | grep nmmain.py | grep -v grep"));
        assert!(command(Platform::Mac).contains(&"ps Aww | grep nmmain.py | grep -v grep"));
        assert!(steps(Platform::Windows)
            .iter()
            .any(|s| english(&s.text).contains("pythonw.exe")));
        let android: String = steps(Platform::Android)
            .iter()
            .map(|s| english(&s.text))
            .collect();
        assert!(android.contains("Seattle app for Android"), "{android}");
        assert!(android.contains("seattle_android.zip holds"), "{android}");
        assert_eq!(
            english(&heading(Platform::Windows)),
            "Installing on Windows"
        );
    }
}
