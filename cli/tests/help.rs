//! `cib --help` and every command's help.

mod support;

use support::cib;

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for command in [
        &[][..],
        &["vesselinfo"],
        &["customize"],
        &["build"],
        &["keygen"],
        &["link"],
        &["pack-base-installers"],
        &["verify-base-installer"],
        &["export"],
        &["serve"],
    ] {
        let mut args = command.to_vec();
        args.push("--help");
        let out = cib(&args, dir.path());
        assert!(out.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: cib"),
            "{args:?}"
        );
    }
}
