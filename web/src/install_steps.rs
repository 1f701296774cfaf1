//! How to install a downloaded installer and see that Seattle runs, per platform: the one home
//! of these words, shown wherever an installer is handed over (step 5, the donor's page, the
//! `<seattle-installer>` element).

use cib_core::Platform;

/// One thing to do: what to do, and the command to type, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub text: String,
    pub command: Option<&'static str>,
}

fn step(text: &str, command: Option<&'static str>) -> Step {
    Step {
        text: text.to_string(),
        command,
    }
}

/// The heading above a platform's steps.
pub fn heading(platform: Platform) -> String {
    match platform {
        Platform::Android => "About the Android installer".to_string(),
        p => format!("Installing on {}", p.label()),
    }
}

/// The steps for `platform`, in order.
pub fn steps(platform: Platform) -> Vec<Step> {
    let file = platform.file_name();
    let benchmark = "The installer first measures this computer (a short benchmark), which may \
                     take a few minutes; then it starts Seattle and has it start again by itself.";
    let unix = |extract: &'static str, check: &'static str| {
        vec![
            step(
                &format!(
                    "Move {file} to the folder where Seattle should live and extract it there; \
                     it makes a folder named seattle."
                ),
                Some(extract),
            ),
            step(
                "Seattle needs Python 2.7. In the seattle folder, run the installer.",
                Some("cd seattle && ./install.sh"),
            ),
            step(benchmark, None),
            step(
                "To see that Seattle runs, look for nmmain.py among the running programs: this \
                 prints a line while it runs.",
                Some(check),
            ),
            step(
                "To remove Seattle, run the uninstaller in the seattle folder, then delete the \
                 folder.",
                Some("./uninstall.sh"),
            ),
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
            step(
                &format!(
                    "Move {file} to the folder where Seattle should live and extract it there \
                     (right-click, Extract All); it makes a folder named seattle."
                ),
                None,
            ),
            step(
                "Seattle needs Python 2.7. In the seattle folder, double-click install.bat (or \
                 run it from a command prompt).",
                None,
            ),
            step(benchmark, None),
            step(
                "To see that Seattle runs, open the Task Manager: pythonw.exe is among the \
                 running programs.",
                None,
            ),
            step(
                "To remove Seattle, run uninstall.bat in the seattle folder, then delete the \
                 folder.",
                None,
            ),
        ],
        Platform::Android => vec![
            step(
                &format!(
                    "{file} holds Seattle's files for an Android device, with this installer's \
                     vessels."
                ),
                None,
            ),
            step(
                "It is installed by the Seattle app for Android, which must be on the device \
                 first; this page cannot hand the file to the app.",
                None,
            ),
        ],
    }
}

/// The steps as a list in the page, under a heading one level below `level`.
#[cfg(target_arch = "wasm32")]
pub fn view(platform: Platform, level: u8) -> crate::dom::El {
    use crate::dom::El;
    let items = steps(platform).into_iter().map(|s| {
        let item = El::new("li").child(El::new("span").text(&s.text));
        match s.command {
            Some(command) => item.child(El::new("pre").child(El::new("code").text(command))),
            None => item,
        }
    });
    El::new("div")
        .class("install-steps")
        .attr("id", &format!("cib-install-{}", platform.name()))
        .children([
            El::new(&format!("h{}", level.clamp(2, 6))).text(&heading(platform)),
            El::new("ol").children(items.collect::<Vec<_>>()),
        ])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn every_platform_says_how_to_install_check_and_remove() {
        for platform in [Platform::Linux, Platform::Mac, Platform::Windows] {
            let all: String = steps(platform)
                .iter()
                .map(|s| format!("{} {} ", s.text, s.command.unwrap_or_default()))
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
            .any(|s| s.text.contains("pythonw.exe")));
        let android: String = steps(Platform::Android).iter().map(|s| &*s.text).collect();
        assert!(android.contains("Seattle app for Android"));
        assert_eq!(heading(Platform::Windows), "Installing on Windows");
    }
}
