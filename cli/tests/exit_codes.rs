//! Every kind of invalid input exits 2 with its message and nothing on stdout; what is not the
//! input's fault (a file that cannot be read, an output that cannot be written, a full disk)
//! exits 1. One case per kind and command that meets it.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use support::{cib, keyed_build, stderr, BASES};

/// The inputs the cases name, all in `dir`.
fn inputs(dir: &Path) {
    let key = fs::read_to_string(Path::new(BASES).join("../demo/updater_demo.publickey")).unwrap();
    keyed_build(dir, &key);
    let write = |name: &str, bytes: &[u8]| fs::write(dir.join(name), bytes).unwrap();
    write("not-utf8.json", b"{\"vessels\": \"\xff\xfe\"}");
    write("not-json.json", b"{\"vessels\": [");
    write("shape.json", b"[1, 2, 3]");
    write(
        "values.json",
        br#"{"vessels": [{"percentage": 55, "owner": "alice"}], "user_data": {"alice": {}}}"#,
    );
    write(
        "bad-key.json",
        br#"{"vessels": [{"percentage": 80, "owner": "alice"}], "user_data": {"alice": {"public_key": "4 6"}}}"#,
    );
    write("not-an-archive.tgz", b"not an installer at all");
    fs::create_dir(dir.join("bad-bases")).unwrap();
    write("bad-bases/seattle_linux.tgz", b"\x1f\x8b garbage");
    write("bad.publickey", b"65537 12");
    write("not-utf8.publickey", b"\xff\xff");
    write("a-file", b"");
    fs::create_dir_all(dir.join("no-layout/seattle")).unwrap();
}

struct Case {
    args: &'static [&'static str],
    code: i32,
    gist: &'static str,
}

const fn case(args: &'static [&'static str], code: i32, gist: &'static str) -> Case {
    Case { args, code, gist }
}

const CASES: &[Case] = &[
    // A description that is not UTF-8, not JSON, of the wrong shape, with invalid values.
    case(&["vesselinfo", "not-utf8.json"], 2, "is not UTF-8 text"),
    case(&["link", "not-utf8.json"], 2, "is not UTF-8 text"),
    case(
        &["customize", "not-utf8.json", "x", "out"],
        2,
        "is not UTF-8 text",
    ),
    case(
        &["build", "not-utf8.json", "--out", "out"],
        2,
        "is not UTF-8 text",
    ),
    case(
        &["vesselinfo", "not-json.json"],
        2,
        "not-json.json has 1 problem",
    ),
    case(
        &["build", "not-json.json", "--out", "out"],
        2,
        "not-json.json has 1 problem",
    ),
    case(&["link", "shape.json"], 2, "shape.json has 1 problem"),
    case(&["vesselinfo", "values.json"], 2, "percentage 55"),
    case(
        &["build", "values.json", "--out", "out"],
        2,
        "percentage 55",
    ),
    // Bad keys, in a description, in key files, as options.
    case(&["vesselinfo", "bad-key.json"], 2, "user alice: public key"),
    case(
        &["build", "bad-key.json", "--out", "out"],
        2,
        "user alice: public key",
    ),
    case(
        &[
            "verify-base-installer",
            "x",
            "--updater-public-key",
            "bad.publickey",
        ],
        2,
        "bad.publickey",
    ),
    case(
        &[
            "verify-base-installer",
            "x",
            "--updater-public-key",
            "not-utf8.publickey",
        ],
        2,
        "is not UTF-8 text",
    ),
    case(&["keygen", "no way"], 2, "contains ' '"),
    case(&["keygen", "carol", "--bits", "1000"], 2, "1000"),
    case(
        &["build", "keyed.json", "--out", "out", "--bits", "1000"],
        2,
        "1000",
    ),
    // A share link that is not one.
    case(&["build", "--link", "#%%%", "--out", "out"], 2, "link"),
    // A base installer that is not a usable archive, wherever one is read.
    case(
        &["customize", "keyed.json", "not-an-archive.tgz", "out"],
        2,
        "neither a zip nor",
    ),
    case(
        &[
            "build",
            "keyed.json",
            "--base-installers",
            "bad-bases",
            "--platform",
            "linux",
            "--out",
            "out",
        ],
        2,
        "damaged or truncated",
    ),
    case(
        &["verify-base-installer", "not-an-archive.tgz"],
        2,
        "neither a zip nor",
    ),
    case(
        &["relayout-base-installer", "not-an-archive.tgz", "out"],
        2,
        "only a gzip",
    ),
    case(
        &["pack-base-installers", "no-layout", "--out", "out"],
        2,
        "Seattle layout",
    ),
    // Arguments that are not the command's.
    case(&["customize", "keyed.json"], 2, "Usage"),
    case(
        &["build", "keyed.json", "--out", "out", "--platform", "beos"],
        2,
        "beos",
    ),
    case(&["serve", "--addr", "nope"], 2, "invalid socket address"),
    // Files that cannot be read: exit 1.
    case(
        &["vesselinfo", "missing.json"],
        1,
        "cannot read the build description",
    ),
    case(&["vesselinfo", "."], 1, "cannot read the build description"),
    case(
        &["customize", "keyed.json", "missing.tgz", "out"],
        1,
        "cannot read the base installer",
    ),
    case(
        &["verify-base-installer", "missing.tgz"],
        1,
        "cannot read the base installer",
    ),
    case(
        &[
            "verify-base-installer",
            "x",
            "--updater-public-key",
            "missing.publickey",
        ],
        1,
        "cannot read the key file",
    ),
    case(
        &[
            "build",
            "keyed.json",
            "--base-installers",
            "nowhere",
            "--out",
            "out",
        ],
        1,
        "not found",
    ),
    // Outputs that cannot be written: exit 1, nothing left behind.
    case(
        &[
            "customize",
            "keyed.json",
            "BASES/seattle_win.zip",
            "a-file/out",
        ],
        1,
        "cannot write",
    ),
    case(
        &[
            "build",
            "keyed.json",
            "--base-installers",
            "BASES",
            "--out",
            "/proc/cib-out",
        ],
        1,
        "cannot create",
    ),
    case(&["keygen", "carol", "--out", "a-file"], 1, "a-file"),
    case(
        &["pack-base-installers", "DEMO", "--out", "a-file/x"],
        1,
        "cannot create",
    ),
    case(&["export", "a-file/x", "--site", "no-site"], 1, "no-site"),
    case(
        &["serve", "--addr", "127.0.0.1:0", "--site", "no-site"],
        1,
        "no site folder",
    ),
];

#[test]
fn every_kind_of_failure_exits_with_its_code_and_message() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    let mut wrong = Vec::new();
    for case in CASES {
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| {
                a.replace("BASES", BASES)
                    .replace("DEMO", &format!("{BASES}/../demo"))
            })
            .collect();
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = cib(&args, dir.path());
        let said = stderr(&out);
        let stdout_empty = out.stdout.is_empty() || case.gist == "Usage";
        if out.status.code() != Some(case.code) || !said.contains(case.gist) || !stdout_empty {
            wrong.push(format!(
                "{:?}: {:?}, wanted {} with {:?}: {said}",
                case.args, out.status, case.code, case.gist
            ));
        }
        assert!(
            !dir.path().join("out").exists(),
            "{:?} wrote out",
            case.args
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Standard output on a full disk (`/dev/full` answers every write with ENOSPC): exit 1, said.
#[test]
fn a_full_disk_under_standard_output_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    let base = format!("{BASES}/seattle_linux.tgz");
    for args in [
        &["vesselinfo", "keyed.json"][..],
        &["link", "keyed.json"],
        &["verify-base-installer", &base],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cib"))
            .args(args)
            .current_dir(dir.path())
            .stdout(fs::File::create("/dev/full").unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(
            said.contains("cannot write to standard output") && said.contains("No space left"),
            "{args:?}: {said}"
        );
    }
}

/// A full disk is not the input's fault: exit 1 with the system's reason, nothing on stdout, and
/// no file left half-written where the output was to go. Needs a tmpfs (root); says skipped
/// otherwise.
#[test]
fn a_full_disk_under_the_output_exits_1_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    inputs(dir.path());
    let full = dir.path().join("full");
    // One page: smaller than any installer or key pair written below.
    let Some(_mounted) = support::tmpfs::Mounted::tmpfs(&full, "4k") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        return;
    };
    fs::write(full.join("filler"), vec![b'x'; 4096]).unwrap();
    let win = format!("{BASES}/seattle_win.zip");
    for args in [
        &["customize", "keyed.json", &win, "full/seattle_win.zip"][..],
        &[
            "build",
            "keyed.json",
            "--base-installers",
            BASES,
            "--out",
            "full/built",
        ],
        &["keygen", "carol", "--out", "full"],
    ] {
        let out = cib(args, dir.path());
        let said = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(said.contains("No space left on device"), "{args:?}: {said}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let left: Vec<_> = fs::read_dir(&full)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["filler"], "{args:?} left files behind");
    }
}
