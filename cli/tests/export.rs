//! `cib export`: the folder holds what `cib serve` serves from the same folders, and its
//! `_headers` names the headers `cib serve` sends for each file.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use support::fixture::Fixture;
use support::http::{get, header};

fn export(fixture: &Fixture, out: &Path, extra: &[&str]) -> Output {
    export_site(&fixture.site(), fixture, out, extra)
}

fn export_site(site: &Path, fixture: &Fixture, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cib"))
        .arg("export")
        .arg(out)
        .arg("--site")
        .arg(site)
        .arg("--base-installers")
        .arg(fixture.installers())
        .args(extra)
        .output()
        .unwrap()
}

fn files_under(root: &Path, prefix: &str, found: &mut BTreeSet<String>) {
    for entry in fs::read_dir(root).unwrap() {
        let entry = entry.unwrap();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.file_type().unwrap().is_dir() {
            files_under(&entry.path(), &format!("{name}/"), found);
        } else {
            found.insert(name);
        }
    }
}

/// Exit 1 (not invalid input), nothing on stdout: the message.
fn failure(output: &Output) -> String {
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn no_staging_left(folder: &Path) {
    for entry in fs::read_dir(folder).unwrap() {
        let name = entry.unwrap().file_name();
        assert!(!name.to_string_lossy().starts_with(".cib-"), "{name:?}");
    }
}

/// `_headers`: each rule's URL and its headers, lowercased names.
fn rules(text: &str) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut rules = BTreeMap::new();
    let mut current = None;
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        if let Some(header) = line.strip_prefix("  ") {
            let (name, value) = header.split_once(": ").unwrap();
            let rule: &mut BTreeMap<_, _> = rules.get_mut(current.as_ref().unwrap()).unwrap();
            assert!(rule
                .insert(name.to_ascii_lowercase(), value.to_owned())
                .is_none());
        } else {
            rules.insert(line.to_owned(), BTreeMap::new());
            current = Some(line.to_owned());
        }
    }
    rules
}

#[test]
fn exports_what_serve_serves_with_its_headers() {
    let fixture = Fixture::new();
    let out = fixture.root().join("export");
    let output = export(&fixture, &out, &[]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());

    let mut found = BTreeSet::new();
    files_under(&out, "", &mut found);
    let expected: BTreeSet<String> = [
        "_headers",
        "_headers.nginx",
        "alias.html",
        "base_installers/extra.tar.gz",
        "base_installers/manifest.json",
        "base_installers/seattle_android.zip",
        "base_installers/seattle_linux.tgz",
        "base_installers/seattle_mac.tgz",
        "base_installers/seattle_win.zip",
        "cib-web-0123456789abcdef.js",
        "cib-web-0123456789abcdef_bg.wasm",
        "data.json",
        "docs/index.html",
        "empty/notes.txt",
        "index.html",
        "logo.svg",
        "style.css",
    ]
    .map(String::from)
    .into();
    // No hidden file, no link leading out, nothing but archives among the installers.
    assert_eq!(found, expected);
    for name in &found {
        let source = match name.strip_prefix("base_installers/") {
            Some("manifest.json") => continue,
            Some(file) => fixture.installers().join(file),
            None if name.starts_with("_headers") => continue,
            None => fixture.site().join(name),
        };
        assert!(
            fs::read(source).unwrap() == fs::read(out.join(name)).unwrap(),
            "{name}"
        );
    }
    // Nothing of the staging is left beside the export.
    no_staging_left(fixture.root());

    let server = fixture.serve(&[]);
    let served = get(&server, "/base_installers/manifest.json", &[])
        .bytes()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&served),
        fs::read_to_string(out.join("base_installers/manifest.json")).unwrap()
    );

    let rules = rules(&fs::read_to_string(out.join("_headers")).unwrap());
    let every = &rules["/*"];
    assert_eq!(every["access-control-allow-origin"], "*");
    let urls: Vec<&String> = rules.keys().filter(|url| *url != "/*").collect();
    // Each file once, and a folder's index.html under the folder too.
    assert_eq!(
        urls.len(),
        found.len() - 2 + ["/", "/docs/"].len(),
        "{urls:?}"
    );
    let mut pages = 0;
    for url in urls {
        let response = get(&server, url, &[("origin", "https://clearinghouse.example")]);
        assert_eq!(response.status(), 200, "{url}");
        let headers = response.headers();
        for (name, value) in every.iter().chain(&rules[url]) {
            assert_eq!(header(headers, name), value, "{url} {name}");
        }
        let policy = rules[url].get("content-security-policy");
        assert_eq!(
            policy.is_some(),
            headers.contains_key("content-security-policy"),
            "{url}"
        );
        pages += usize::from(policy.is_some());
    }
    // index.html under `/` and `/index.html`, alias.html, docs/index.html under two names.
    assert_eq!(pages, 5);

    let maps = fs::read_to_string(out.join("_headers.nginx")).unwrap();
    assert!(maps.contains("map $uri $cib_cache_control {"), "{maps}");
    assert!(
        maps.contains(&format!(
            "\"/index.html\" \"{}\";",
            rules["/index.html"]["content-security-policy"]
        )),
        "{maps}"
    );
}

#[test]
fn replaces_an_export_only_when_forced() {
    let fixture = Fixture::new();
    let out = fixture.root().join("export");
    assert!(export(&fixture, &out, &[]).status.success());
    fs::write(out.join("marker"), "from before").unwrap();

    let message = failure(&export(&fixture, &out, &[]));
    assert!(
        message.contains("exists already") && message.contains("--force"),
        "{message}"
    );
    assert!(out.join("marker").exists());

    let forced = export(&fixture, &out, &["--force"]);
    assert!(
        forced.status.success(),
        "{}",
        String::from_utf8_lossy(&forced.stderr)
    );
    assert!(!out.join("marker").exists());
    assert!(out.join("index.html").is_file() && out.join("_headers").is_file());
    no_staging_left(fixture.root());
}

#[test]
fn says_how_to_build_a_missing_page() {
    let fixture = Fixture::new();
    let out = fixture.root().join("export");
    fs::remove_file(fixture.site().join("index.html")).unwrap();
    for site in [fixture.site(), fixture.root().join("no-such-folder")] {
        let message = failure(&export_site(&site, &fixture, &out, &[]));
        assert!(
            message.contains("not built") && message.contains("trunk build --release"),
            "{message}"
        );
        assert!(!out.exists());
    }
}
