//! `cib build` reads a description as the legacy builder did: `user_data` may be left out, and a
//! name found only in vessels gets a generated key pair, named on stderr. `cib vesselinfo` and
//! `cib link` still need every key. Generated keys are 2048 bits unless `--bits 1024`.

mod support;

use cib_core::{PrivateKey, PublicKey};
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::Command;
use support::{cib, stderr, BASES};

fn public_key_file(dir: &Path, name: &str) -> PublicKey {
    PublicKey::parse(&fs::read_to_string(dir.join(format!("{name}.publickey"))).unwrap()).unwrap()
}

/// `cib build` for linux only into `dir/out`, asserting success; its stderr.
fn build(dir: &Path, description: &str, extra: &[&str]) -> String {
    fs::write(dir.join("build.json"), description).unwrap();
    let mut args = vec!["build", "build.json", "--base-installers", BASES];
    args.extend(["--platform", "linux", "--out", "out"]);
    args.extend(extra);
    let output = cib(&args, dir);
    assert!(output.status.success(), "{}", stderr(&output));
    stderr(&output)
}

/// The users' public keys in the build.json that `cib build` wrote, in its order.
fn built_keys(dir: &Path) -> Vec<(String, PublicKey)> {
    let text = fs::read_to_string(dir.join("out/build.json")).unwrap();
    let written = cib_core::BuildDescription::parse(&text).unwrap();
    written
        .users
        .into_iter()
        .map(|u| (u.name, u.public_key.expect("every key filled in")))
        .collect()
}

/// The private keys in private_keys.zip, by name.
fn private_keys(dir: &Path) -> Vec<(String, PrivateKey)> {
    let file = fs::File::open(dir.join("out/private_keys.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut keys = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let path = entry.name().unwrap().into_owned();
        let name = path
            .strip_prefix("private_keys/")
            .and_then(|p| p.strip_suffix(".privatekey"))
            .unwrap_or_else(|| panic!("{path}"))
            .to_owned();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        keys.push((name, PrivateKey::parse(&text).unwrap()));
    }
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    keys
}

/// The vesselinfo inside the customized linux installer, read with GNU tar.
fn installer_vesselinfo(dir: &Path) -> String {
    let output = Command::new("tar")
        .args([
            "-xzOf",
            "out/seattle_linux.tgz",
            "seattle/seattle_repy/vesselinfo",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn without_user_data_every_name_gets_a_2048_bit_pair() {
    let dir = tempfile::tempdir().unwrap();
    let said = build(
        dir.path(),
        r#"{"vessels": [{"percentage": 80, "owner": "owner", "users": ["user"]}]}"#,
        &[],
    );
    for name in ["owner", "user"] {
        assert!(
            said.contains(&format!(
                "{name} is in no user_data entry: generated a key pair"
            )),
            "{said}"
        );
    }
    let keys = built_keys(dir.path());
    let names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["owner", "user"]);
    let private = private_keys(dir.path());
    for ((name, public), (private_name, private)) in keys.iter().zip(&private) {
        assert_eq!(name, private_name);
        assert_eq!(public.modulus_bits(), 2048, "{name}");
        assert!(private.matches(public), "{name}");
    }
    let vesselinfo = installer_vesselinfo(dir.path());
    assert!(vesselinfo.starts_with(&format!(
        "Percent 80\nOwner {}\nUser {}\nPercent 20\n",
        keys[0].1, keys[1].1
    )));
    assert_eq!(
        vesselinfo,
        fs::read_to_string(dir.path().join("out/vesselinfo")).unwrap()
    );
}

#[test]
fn the_legacy_suites_names_found_only_in_vessels_get_keys_and_are_named() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["alex", "darren"] {
        let made = cib(
            &["keygen", name, "--bits", "1024", "--out", "keys"],
            dir.path(),
        );
        assert!(made.status.success(), "{}", stderr(&made));
    }
    let keys = dir.path().join("keys");
    let (alex, darren) = (
        public_key_file(&keys, "alex"),
        public_key_file(&keys, "darren"),
    );
    let said = build(
        dir.path(),
        &format!(
            r#"{{"vessels": [{{"percentage": 60, "owner": "alex", "users": ["bob"]}},
                             {{"percentage": 20, "owner": "carl", "users": ["darren"]}}],
                "user_data": {{"alex": {{"public_key": "{alex}"}}, "darren": {{"public_key": "{darren}"}}}}}}"#
        ),
        &["--bits", "1024"],
    );
    assert!(said.contains("bob is in no user_data entry: generated a key pair"));
    assert!(said.contains("carl is in no user_data entry: generated a key pair"));
    assert!(!said.contains("alex is in no"), "{said}");
    assert!(!said.contains("darren is in no"), "{said}");

    let built = built_keys(dir.path());
    let key = |name: &str| &built.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(key("alex"), &alex);
    assert_eq!(key("darren"), &darren);
    let private = private_keys(dir.path());
    let names: Vec<&str> = private.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["bob", "carl"], "only the generated keys");
    for (name, private) in &private {
        assert_eq!(key(name).modulus_bits(), 1024, "--bits 1024: {name}");
        assert!(private.matches(key(name)));
    }
    assert!(installer_vesselinfo(dir.path()).starts_with(&format!(
        "Percent 60\nOwner {alex}\nUser {}\nPercent 20\nOwner {}\nUser {darren}\nPercent 20\n",
        key("bob"),
        key("carl")
    )));
}

#[test]
fn vesselinfo_and_link_name_the_user_found_only_in_a_vessel() {
    let dir = tempfile::tempdir().unwrap();
    assert!(cib(&["keygen", "alex", "--out", "."], dir.path())
        .status
        .success());
    let alex = public_key_file(dir.path(), "alex");
    fs::write(
        dir.path().join("build.json"),
        format!(
            r#"{{"vessels": [{{"percentage": 80, "owner": "alex", "users": ["carl"]}}],
                "user_data": {{"alex": {{"public_key": "{alex}"}}}}}}"#
        ),
    )
    .unwrap();
    for command in ["vesselinfo", "link"] {
        let output = cib(&[command, "build.json"], dir.path());
        assert_eq!(output.status.code(), Some(2), "{command}");
        assert!(
            stderr(&output).contains("carl has no public key"),
            "{command}: {}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn a_bad_name_found_only_in_a_vessel_is_refused_where_it_is() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("build.json"),
        r#"{"vessels": [{"percentage": 80, "owner": "o w"}]}"#,
    )
    .unwrap();
    let output = cib(
        &[
            "build",
            "build.json",
            "--base-installers",
            BASES,
            "--out",
            "out",
        ],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("vessel 1: user name \"o w\" contains ' '"),
        "{}",
        stderr(&output)
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn keygen_makes_2048_bits_unless_told_1024() {
    let dir = tempfile::tempdir().unwrap();
    for (name, extra) in [("plain", &[][..]), ("legacy", &["--bits", "1024"][..])] {
        let mut args = vec!["keygen", name, "--out", "."];
        args.extend(extra);
        let made = cib(&args, dir.path());
        assert!(made.status.success(), "{}", stderr(&made));
    }
    for (name, bits) in [("plain", 2048), ("legacy", 1024)] {
        let public = public_key_file(dir.path(), name);
        assert_eq!(public.modulus_bits(), bits, "{name}");
        let private = fs::read_to_string(dir.path().join(format!("{name}.privatekey"))).unwrap();
        assert!(PrivateKey::parse(&private).unwrap().matches(&public));
    }
}
