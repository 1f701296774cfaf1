//! The routes through the host's whole stack (`app::build`: admission, log, limits, methods,
//! media types), driven with tower's `oneshot`. `serve/tests/xmlrpc.rs` drives the API over HTTP.

use super::*;
use crate::app;
use crate::rules::manifest::Manifest;
use axum::body::Body;
use axum::http::header::{
    ALLOW, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_TYPE, ETAG, IF_NONE_MATCH, RANGE,
};
use axum::http::{Method, Request as HttpRequest};
use cib_core::base_installer::customize;
use dxr::{FaultResponse, MethodCall, MethodResponse, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use tower::{Service, ServiceExt};

const OWNER: &str = "65537 11193653343793431533105553922235134794157090713081634509731919376255075083292010412427391802939397716489473101213716498467098547014702406211937519008599337232662219128183008521183512287567880418596768591849012931713398051034099036609052669935658271616602813233591616599434389658436127409232818843337843457";

fn bases() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../base_installers")
}

/// The host as `cib serve --xmlrpc` builds it, over copies of the repository's base installers.
fn host() -> (
    tempfile::TempDir,
    impl Service<HttpRequest<Body>, Response = Response, Error = std::convert::Infallible> + Clone,
) {
    let folder = tempfile::tempdir().unwrap();
    let site = folder.path().join("site");
    let installers = folder.path().join("base_installers");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::create_dir_all(&installers).unwrap();
    std::fs::write(site.join("index.html"), "<p>page</p>").unwrap();
    for platform in Platform::ALL {
        std::fs::copy(
            bases().join(platform.file_name()),
            installers.join(platform.file_name()),
        )
        .unwrap();
    }
    let installers = Confined::new(&installers).unwrap();
    let custom = CustomInstall::new(
        &folder.path().join("state"),
        "https://cib.example/",
        Some(installers.clone()),
        2,
    )
    .unwrap();
    let folders = app::Folders {
        site: Confined::new(&site).unwrap(),
        manifest: Arc::new(Manifest::new(Some(installers.clone())).unwrap()),
        installers: Some(installers),
    };
    let app = app::build(
        folders,
        Some(Arc::new(custom)),
        std::time::Duration::from_secs(30),
    );
    (folder, app)
}

async fn send<S>(
    app: &S,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> (Response, Vec<u8>)
where
    S: Service<HttpRequest<Body>, Response = Response, Error = std::convert::Infallible> + Clone,
{
    let mut request = HttpRequest::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap()
        .to_vec();
    (Response::from_parts(parts, Body::empty()), bytes)
}

fn call_xml(method: &str, params: Vec<Value>) -> Vec<u8> {
    let call = MethodCall {
        name: method.into(),
        params,
    };
    call.to_xml().unwrap().into_bytes()
}

async fn rpc<S>(app: &S, body: Vec<u8>) -> Result<Value, String>
where
    S: Service<HttpRequest<Body>, Response = Response, Error = std::convert::Infallible> + Clone,
{
    let (response, bytes) = send(app, Method::POST, XMLRPC_PATH, &[], body).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/xml");
    let text = String::from_utf8(bytes).unwrap();
    match MethodResponse::from_xml(&text) {
        Ok(answer) => Ok(answer.value),
        Err(_) => {
            let fault = FaultResponse::from_xml(&text)
                .unwrap_or_else(|_| panic!("{text}"))
                .fault;
            assert_eq!(fault.code(), 1, "{text}");
            Err(fault.string().to_owned())
        }
    }
}

fn s(text: &str) -> Value {
    Value::String(text.into())
}

fn members(pairs: Vec<(&str, Value)>) -> Value {
    Value::Struct(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// The clearinghouse's call: one 80% vessel owned by `owner` with `user`, both keys given.
fn clearinghouse(owner_key: Value) -> Vec<Value> {
    vec![
        Value::Array(vec![members(vec![
            ("percentage", Value::Integer(80)),
            ("owner", s("owner")),
            ("users", Value::Array(vec![s("user")])),
        ])]),
        members(vec![
            ("owner", members(vec![("public_key", owner_key)])),
            ("user", members(vec![("public_key", s(OWNER))])),
        ]),
    ]
}

fn field<'a>(value: &'a Value, name: &str) -> &'a Value {
    match value {
        Value::Struct(members) => &members[name],
        other => panic!("not a struct: {other:?}"),
    }
}

fn text(value: &Value) -> &str {
    match value {
        Value::String(text) => text,
        other => panic!("not a string: {other:?}"),
    }
}

fn map(value: &Value) -> &BTreeMap<String, Value> {
    match value {
        Value::Struct(members) => members,
        other => panic!("not a struct: {other:?}"),
    }
}

#[tokio::test]
async fn builds_redirects_and_serves_customized_installers() {
    let (folder, app) = host();
    assert_eq!(
        rpc(&app, call_xml("api_version", vec![])).await,
        Ok(s("2.0"))
    );

    let answer = rpc(&app, call_xml("build_installers", clearinghouse(s(OWNER))))
        .await
        .unwrap();
    let again = rpc(&app, call_xml("build_installers", clearinghouse(s(OWNER))))
        .await
        .unwrap();
    assert_eq!(answer, again, "the same call gives the same answer");
    let id = text(field(&answer, "build_id")).to_owned();
    assert!(BuildId::parse(&id).is_some(), "{id}");
    let users = map(field(&answer, "users"));
    assert_eq!(text(field(&users["owner"], "public_key")), OWNER);
    assert!(!map(&users["owner"]).contains_key("private_key"));
    let installers = map(field(&answer, "installers")).clone();
    assert_eq!(installers.len(), 4);
    let urls = rpc(&app, call_xml("get_urls", vec![s(&id)])).await.unwrap();
    assert_eq!(map(&urls), &installers);

    let record = std::fs::read_to_string(folder.path().join("state").join(&id)).unwrap();
    assert!(record.starts_with(&format!(
        "Percent 80\nOwner {OWNER}\nUser {OWNER}\nPercent 20\n"
    )));

    for platform in Platform::ALL {
        let url = text(&installers[platform.name()]);
        let path = format!("/custom_install/{id}/installers/{platform}/");
        assert_eq!(url, format!("https://cib.example{path}"));
        let (response, _) = send(&app, Method::GET, &path, &[], vec![]).await;
        assert_eq!(response.status(), StatusCode::FOUND);
        let file = format!("/custom_install/{id}/{}", platform.file_name());
        assert_eq!(
            response.headers()[LOCATION],
            format!("https://cib.example{file}")
        );

        let base = std::fs::read(bases().join(platform.file_name())).unwrap();
        let expected = customize(&base, record.as_bytes())
            .unwrap()
            .pieces
            .to_vec(&base)
            .unwrap();
        let (response, body) = send(&app, Method::GET, &file, &[], vec![]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(body == expected, "{platform}: not the core's installer");
        let headers = response.headers();
        assert_eq!(headers[CONTENT_LENGTH], expected.len().to_string());
        assert_eq!(
            headers[CONTENT_DISPOSITION],
            format!("attachment; filename=\"{}\"", platform.file_name())
        );
        assert_eq!(headers[CONTENT_TYPE], platform.archive_kind().media_type());
        let etag = headers[ETAG].clone();

        let (response, body) = send(
            &app,
            Method::GET,
            &file,
            &[("range", "bytes=100-1099")],
            vec![],
        )
        .await;
        assert_eq!(response.status(), StatusCode::PARTIAL_CONTENT);
        assert!(body == expected[100..1100], "{platform}: range");
        let (response, body) = send(&app, Method::HEAD, &file, &[], vec![]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(
            response.headers()[CONTENT_LENGTH],
            expected.len().to_string()
        );
        assert!(body.is_empty());
        let (response, _) = send(
            &app,
            Method::GET,
            &file,
            &[(IF_NONE_MATCH.as_str(), etag.to_str().unwrap())],
            vec![],
        )
        .await;
        assert_eq!(response.status(), StatusCode::NOT_MODIFIED);
        let (response, _) = send(
            &app,
            Method::GET,
            &file,
            &[(RANGE.as_str(), "bytes=999999999-")],
            vec![],
        )
        .await;
        assert_eq!(response.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    }

    // A base installer replaced on disk gives a new customized installer.
    let linux = folder.path().join("base_installers/seattle_linux.tgz");
    let file = format!("/custom_install/{id}/seattle_linux.tgz");
    let (before, old) = send(&app, Method::GET, &file, &[], vec![]).await;
    let mut other = std::fs::read(bases().join("seattle_linux.tgz")).unwrap();
    // The same archive with a different gzip header time: other bytes, same entries.
    other[4] ^= 1;
    let replacement = folder.path().join("base_installers/.new");
    std::fs::write(&replacement, &other).unwrap();
    std::fs::rename(&replacement, &linux).unwrap();
    let (after, new) = send(&app, Method::GET, &file, &[], vec![]).await;
    assert_eq!(after.status(), StatusCode::OK);
    assert_ne!(old, new);
    assert_ne!(before.headers()[ETAG], after.headers()[ETAG]);
    let expected = customize(&other, record.as_bytes())
        .unwrap()
        .pieces
        .to_vec(&other)
        .unwrap();
    assert!(new == expected);

    for missing in [
        format!("/custom_install/{}/seattle_linux.tgz", "0".repeat(40)),
        format!("/custom_install/{}/installers/linux/", "0".repeat(40)),
        format!("/custom_install/{id}/installers/solaris/"),
        format!("/custom_install/{id}/seattle_linux.tar"),
        "/custom_install/short/installers/linux/".to_owned(),
    ] {
        let (response, _) = send(&app, Method::GET, &missing, &[], vec![]).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{missing}");
    }
}

/// The customized installers of a folder holding one base installer.
fn installers_of(platform: Platform, budget: u64) -> (tempfile::TempDir, Installers) {
    let folder = tempfile::tempdir().unwrap();
    let name = platform.file_name();
    std::fs::copy(bases().join(name), folder.path().join(name)).unwrap();
    let installers = Installers::with_budget(Confined::new(folder.path()).unwrap(), budget);
    (folder, installers)
}

#[tokio::test]
async fn repeated_downloads_reuse_the_customized_installer() {
    let (folder, installers) = installers_of(Platform::Linux, u64::MAX);
    let work = Semaphore::new(1);
    let id = BuildId::of("Percent 80");
    let first = installers
        .made(id, Platform::Linux, "Percent 80".into(), &work)
        .await
        .unwrap()
        .unwrap();
    let second = installers
        .made(id, Platform::Linux, "Percent 80".into(), &work)
        .await
        .unwrap()
        .unwrap();
    assert!(Arc::ptr_eq(&first, &second), "customized twice");
    assert_eq!(installers.held_count(), 1);
    assert!(installers
        .made(id, Platform::Mac, "Percent 80".into(), &work)
        .await
        .unwrap()
        .is_none());

    // Replaced: made again from the new file, and what was made from the old one is let go.
    let other = BuildId::of("Percent 40");
    installers
        .made(other, Platform::Linux, "Percent 40".into(), &work)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(installers.held_count(), 2);
    let mut bytes = std::fs::read(folder.path().join("seattle_linux.tgz")).unwrap();
    bytes[4] ^= 1;
    std::fs::write(folder.path().join("new.tgz"), &bytes).unwrap();
    std::fs::rename(
        folder.path().join("new.tgz"),
        folder.path().join("seattle_linux.tgz"),
    )
    .unwrap();
    let third = installers
        .made(id, Platform::Linux, "Percent 80".into(), &work)
        .await
        .unwrap()
        .unwrap();
    assert!(!Arc::ptr_eq(&first, &third), "not made again");
    assert_eq!(installers.held_count(), 1);
}

#[tokio::test]
async fn past_the_budget_the_least_recently_used_are_let_go() {
    let (_folder, installers) = installers_of(Platform::Windows, 1);
    let work = Semaphore::new(1);
    let (a, b) = (BuildId::of("Percent 80"), BuildId::of("Percent 40"));
    let first = installers
        .made(a, Platform::Windows, "Percent 80".into(), &work)
        .await
        .unwrap()
        .unwrap();
    installers
        .made(b, Platform::Windows, "Percent 40".into(), &work)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        installers.held_count(),
        0,
        "a zip's new bytes are over one byte"
    );
    let again = installers
        .made(a, Platform::Windows, "Percent 80".into(), &work)
        .await
        .unwrap()
        .unwrap();
    assert!(!Arc::ptr_eq(&first, &again));
    assert_eq!(first.len(), again.len());
}

#[tokio::test]
async fn a_keyless_user_gets_a_matching_pair_and_a_new_build() {
    let (_folder, app) = host();
    let keyless = || {
        let mut params = clearinghouse(s(OWNER));
        params[1] = members(vec![
            ("owner", members(vec![])),
            ("user", members(vec![("public_key", s(OWNER))])),
        ]);
        call_xml("build_installers", params)
    };
    let first = rpc(&app, keyless()).await.unwrap();
    let second = rpc(&app, keyless()).await.unwrap();
    assert_ne!(
        field(&first, "build_id"),
        field(&second, "build_id"),
        "new keys make a new build"
    );
    let owner = field(field(&first, "users"), "owner");
    let public = cib_core::PublicKey::parse(text(field(owner, "public_key"))).unwrap();
    let private = cib_core::PrivateKey::parse(text(field(owner, "private_key"))).unwrap();
    assert!(private.matches(&public));
    assert_eq!(public.modulus_bits(), 1024);
}

#[tokio::test]
async fn every_bad_input_is_a_fault_naming_it() {
    let (_folder, app) = host();
    let percent_as_string = {
        let mut params = clearinghouse(s(OWNER));
        params[0] = Value::Array(vec![members(vec![
            ("percentage", s("80")),
            ("owner", s("owner")),
        ])]);
        params
    };
    let two_problems = {
        let mut params = clearinghouse(s("1 2"));
        params[0] = Value::Array(vec![members(vec![
            ("percentage", Value::Integer(70)),
            ("owner", s("no body")),
        ])]);
        params
    };
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (call_xml("build_installers", percent_as_string), "ValidationError:the build description has 1 problem:\n  vessel 1: percentage must be a whole number such as 40, not the string \"80\""),
        (call_xml("build_installers", two_problems), "has 3 problems"),
        (call_xml("build_installers", clearinghouse(Value::Integer(5))), "user owner: public key: must be a string"),
        (call_xml("build_installers", clearinghouse(Value::Base64(vec![1]))), "TypeError:user_data[\"owner\"][\"public_key\"]: a base64 value"),
        (call_xml("build_installers", vec![s("x"), s("y")]), "vessels: must be a list"),
        (call_xml("build_installers", vec![]), "TypeError:build_installers takes 1 to 2 arguments (vessel_list, user_data=None); 0 given"),
        (call_xml("build_installers", [clearinghouse(s(OWNER)), vec![s("extra")]].concat()), "3 given"),
        (call_xml("api_version", vec![s("extra")]), "TypeError:api_version takes no arguments; 1 given"),
        (call_xml("system.listMethods", vec![]), "UnknownMethodError:method \"system.listMethods\" is not supported"),
        (call_xml("get_urls", vec![s("ABC")]), "InvalidBuildIdError:Invalid build_id provided"),
        (call_xml("get_urls", vec![Value::Integer(1)]), "a string is expected, not an integer"),
        (call_xml("get_urls", vec![s(&"a".repeat(40))]), "UnknownBuildIdError:Given build ID does not exist."),
        (call_xml("get_urls", vec![]), "get_urls takes 1 argument (build_id); 0 given"),
        (b"<methodCall><methodName>api_version</methodName>".to_vec(), "InvalidRequestError:the XML ends before"),
        (b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><methodCall/>".to_vec(), "(DTD)"),
        (b"<methodCall><methodName>&a;</methodName></methodCall>".to_vec(), "the entity &a;"),
        (format!("<methodCall>{}</methodCall>", "<value><array><data>".repeat(5000)).into_bytes(), "nested deeper than 32"),
        (b"<methodCall><nope/></methodCall>".to_vec(), "not an XML-RPC methodCall"),
        (vec![b'<', 0xff, b'>'], "not UTF-8"),
        (b"".to_vec(), "no XML element"),
    ];
    for (body, expected) in cases {
        let fault = rpc(&app, body.clone()).await.unwrap_err();
        assert!(
            fault.contains(expected),
            "{}\n => {fault}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        );
    }

    let (response, _) = send(
        &app,
        Method::POST,
        XMLRPC_PATH,
        &[],
        vec![b' '; xmlrpc::MAX_BODY + 1],
    )
    .await;
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Still serving, and POST goes nowhere else.
    assert_eq!(
        rpc(&app, call_xml("api_version", vec![])).await,
        Ok(s("2.0"))
    );
    let (response, _) = send(&app, Method::POST, "/index.html", &[], vec![]).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let (response, _) = send(&app, Method::PUT, XMLRPC_PATH, &[], vec![]).await;
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.headers()[ALLOW], "GET, HEAD, POST, OPTIONS");
    let (response, page) = send(&app, Method::GET, XMLRPC_PATH, &[], vec![]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(String::from_utf8(page)
        .unwrap()
        .contains("build_installers(vessel_list, user_data=None)"));
}

#[tokio::test]
async fn a_state_folder_that_cannot_be_written_gives_a_fault_and_serving_goes_on() {
    let (folder, app) = host();
    let state = folder.path().join("state");
    std::fs::remove_dir(&state).unwrap();
    std::fs::write(&state, "not a folder").unwrap();
    let fault = rpc(&app, call_xml("build_installers", clearinghouse(s(OWNER))))
        .await
        .unwrap_err();
    assert!(
        fault.starts_with("StateError:the build cannot be recorded: cannot write"),
        "{fault}"
    );
    assert_eq!(
        rpc(&app, call_xml("api_version", vec![])).await,
        Ok(s("2.0"))
    );
    let (response, _) = send(&app, Method::GET, "/index.html", &[], vec![]).await;
    assert_eq!(response.status(), StatusCode::OK);
}
