//! Hostile base installers (tests/cli/hostile_archives.rs) through every command that reads
//! one, each under an address-space limit so that holding what the archive claims fails the
//! test. Run with `--nocapture` to see each one's time and peak memory (docs/hostile.md).

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;
use support::{cib, keyed_build, stderr, workspace};

// Shared with the worker's wasm tests (web/worker/tests/worker.rs), hence outside cli/.
#[path = "../../tests/cli/hostile_archives.rs"]
mod hostile_archives;

/// Far above what any of these needs (the base is read whole, the largest is tens of MB), far
/// below what any of them claims. (`ulimit -v`, since util-linux's prlimit crashes on some
/// sandboxed kernels.)
const ADDRESS_SPACE_KB: u32 = 1 << 20;

/// `cib ARGS` under the address-space limit, timed, with its peak resident memory when
/// /usr/bin/time is there to tell it.
fn bounded_cib(args: &[&str], cwd: &Path) -> (Output, String) {
    let cib = env!("CARGO_BIN_EXE_cib");
    let limited = format!("ulimit -v {ADDRESS_SPACE_KB} && exec \"$0\" \"$@\"");
    let time = Path::new("/usr/bin/time");
    let peak = cwd.join("peak");
    let mut command = if time.exists() {
        let mut command = Command::new(time);
        command.args(["-f", "%M", "-o"]).arg(&peak).arg("sh");
        command
    } else {
        Command::new("sh")
    };
    let started = Instant::now();
    let output = command
        .arg("-c")
        .arg(&limited)
        .arg(cib)
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("prlimit runs");
    let seconds = started.elapsed().as_secs_f64();
    let peak_mb = fs::read_to_string(&peak)
        .ok()
        .and_then(|kb| kb.trim().lines().last()?.parse::<f64>().ok())
        .map_or("?".to_string(), |kb| format!("{:.1}", kb / 1024.0));
    (output, format!("{seconds:.2} s, {peak_mb} MB"))
}

#[test]
fn every_hostile_archive_is_refused_quickly_within_bounded_memory() {
    let (dir, _) = workspace();
    let alice = fs::read_to_string(dir.path().join("keys/alice.publickey")).unwrap();
    keyed_build(dir.path(), &alice);
    let mut wrong = Vec::new();
    for name in hostile_archives::NAMES {
        let bytes = hostile_archives::named(name);
        let size = bytes.len();
        fs::write(dir.path().join(name), bytes).unwrap();
        let mut runs = vec![
            ("customize", vec!["customize", "keyed.json", name, "out"]),
            ("verify-base-installer", vec!["verify-base-installer", name]),
        ];
        // Only a tar.gz is laid out again; a zip is refused as not needing it.
        if name.ends_with(".tgz") {
            runs.push((
                "relayout-base-installer",
                vec!["relayout-base-installer", name, "out"],
            ));
        }
        let mut costs = Vec::new();
        for (command, args) in runs {
            let (output, cost) = bounded_cib(&args, dir.path());
            costs.push(format!("{command} {cost}"));
            let said = stderr(&output);
            println!("  {command}: {}", said.trim_end());
            let refused = output.status.code() == Some(2)
                && hostile_archives::refusal(name)
                    .iter()
                    .all(|gist| said.contains(gist))
                && said.contains(name)
                && output.stdout.is_empty();
            if !refused {
                wrong.push(format!("{command} {name}: {:?} {said}", output.status));
            }
        }
        println!("{name} ({size} bytes): {}", costs.join("; "));
        if dir.path().join("out").exists() {
            wrong.push(format!("{name}: an output was written"));
            fs::remove_file(dir.path().join("out")).unwrap();
        }
        fs::remove_file(dir.path().join(name)).unwrap();
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn build_refuses_a_hostile_base_installer_and_writes_nothing() {
    let (dir, build) = workspace();
    let bases = dir.path().join("bases");
    fs::create_dir(&bases).unwrap();
    fs::write(
        bases.join("seattle_linux.tgz"),
        hostile_archives::sparse_tib(),
    )
    .unwrap();
    let out = cib(
        &[
            "build",
            build.to_str().unwrap(),
            "--base-installers",
            "bases",
            "--platform",
            "linux",
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("GNU sparse file"), "{}", stderr(&out));
    assert!(!dir.path().join("out/seattle_linux.tgz").exists());
}
