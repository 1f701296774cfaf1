//! The legacy API "2.0": `api_version`, `build_installers` and `get_urls`. Every wrong input is
//! a [`Fault`] naming what is wrong; the build description's rules are the core's.

use super::build_id::BuildId;
use super::values::{description_json, string, structure, type_name};
use super::CustomInstall;
use cib_core::{BuildDescription, KeyPair, Platform};
use dxr::Value;

pub const API_VERSION: &str = "2.0";
pub const METHODS: [&str; 3] = ["api_version", "build_installers", "get_urls"];

/// Key pairs made for one call at most: each costs tens of milliseconds of a CPU.
pub const MAX_GENERATED: usize = 32;

/// What the legacy server sent as faultString: `<exception type>:<message>`, always with
/// faultCode 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    pub kind: &'static str,
    pub message: String,
}

impl Fault {
    pub fn new(kind: &'static str, message: impl Into<String>) -> Fault {
        Fault {
            kind,
            message: message.into(),
        }
    }

    pub fn string(&self) -> String {
        format!("{}:{}", self.kind, self.message)
    }
}

pub async fn call(host: &CustomInstall, name: &str, params: &[Value]) -> Result<Value, Fault> {
    match name {
        "api_version" => {
            arguments(name, params, &[])?;
            Ok(string(API_VERSION))
        }
        "build_installers" => build_installers(host, params).await,
        "get_urls" => get_urls(host, params).await,
        _ => Err(Fault::new(
            "UnknownMethodError",
            format!(
                "method {name:?} is not supported; the methods are {}",
                METHODS.join(", ")
            ),
        )),
    }
}

/// `expected` names the arguments; those after the first `optional` ones may be left out.
fn arguments(name: &str, params: &[Value], expected: &[&str]) -> Result<(), Fault> {
    arguments_between(name, params, expected, expected.len())
}

fn arguments_between(
    name: &str,
    params: &[Value],
    expected: &[&str],
    required: usize,
) -> Result<(), Fault> {
    if (required..=expected.len()).contains(&params.len()) {
        return Ok(());
    }
    let takes = match (expected, required) {
        ([], _) => "no arguments".to_owned(),
        ([one], 1) => format!("1 argument ({one})"),
        (many, n) if n == many.len() => format!("{n} arguments ({})", many.join(", ")),
        (many, n) => format!(
            "{n} to {} arguments ({}, {}=None)",
            many.len(),
            many[..n].join(", "),
            many[n..].join("=None, ")
        ),
    };
    Err(Fault::new(
        "TypeError",
        format!("{name} takes {takes}; {} given", params.len()),
    ))
}

async fn build_installers(host: &CustomInstall, params: &[Value]) -> Result<Value, Fault> {
    // As the legacy `build_installers(vessel_list, user_data=None)`.
    arguments_between("build_installers", params, &["vessel_list", "user_data"], 1)?;
    let json = description_json(&params[0], params.get(1))
        .map_err(|refused| Fault::new("TypeError", refused.join("; ")))?;
    let mut description = BuildDescription::parse(&json).map_err(|problems| {
        Fault::new("ValidationError", problems.listed("the build description"))
    })?;

    let keyless: Vec<String> = description
        .users_without_key()
        .map(|u| u.name.clone())
        .collect();
    if keyless.len() > MAX_GENERATED {
        return Err(Fault::new(
            "ValidationError",
            format!(
                "{} users have no public_key; this host generates at most {MAX_GENERATED} key pairs per call",
                keyless.len()
            ),
        ));
    }
    let platforms = host.platforms().await;
    if platforms.is_empty() {
        return Err(Fault::new(
            "ServerError",
            "this host has no base installers to customize",
        ));
    }
    let mut generated = Vec::new();
    let bits = host.key_bits;
    for name in keyless {
        let pair = host
            .blocking(move || KeyPair::generate(&mut rand::rngs::OsRng, bits))
            .await
            .and_then(|made| made)
            .map_err(|err| Fault::new("ServerError", err))?;
        description
            .set_public_key(&name, pair.public)
            .map_err(|err| Fault::new("ServerError", err))?;
        generated.push((name, pair.private));
    }
    let vesselinfo = cib_core::vesselinfo::write(&description)
        .map_err(|missing| Fault::new("ServerError", format!("no key for {missing:?}")))?;
    let id = BuildId::of(&vesselinfo);
    host.keep(id, vesselinfo).await.map_err(|err| {
        eprintln!("cib serve: cannot record build {id}: {err}");
        Fault::new("StateError", format!("the build cannot be recorded: {err}"))
    })?;

    let users = description.users.iter().map(|user| {
        let mut keys = vec![(
            "public_key",
            string(
                user.public_key
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            ),
        )];
        if let Some((_, private)) = generated.iter().find(|(name, _)| *name == user.name) {
            keys.push(("private_key", string(private.to_string())));
        }
        (user.name.clone(), structure(keys))
    });
    Ok(structure([
        ("build_id", string(id.as_str())),
        ("installers", host.urls(id, &platforms)),
        ("users", structure(users)),
    ]))
}

async fn get_urls(host: &CustomInstall, params: &[Value]) -> Result<Value, Fault> {
    arguments("get_urls", params, &["build_id"])?;
    let id = match &params[0] {
        Value::String(text) => BuildId::parse(text).ok_or_else(|| {
            Fault::new(
                "InvalidBuildIdError",
                format!("Invalid build_id provided: {text:?} is not 40 characters of [a-z0-9]."),
            )
        })?,
        other => {
            return Err(Fault::new(
                "InvalidBuildIdError",
                format!(
                    "Invalid build_id provided: a string is expected, not {}.",
                    type_name(other)
                ),
            ))
        }
    };
    if host.find(id).await.is_none() {
        return Err(Fault::new(
            "UnknownBuildIdError",
            "Given build ID does not exist.",
        ));
    }
    Ok(host.urls(id, &host.platforms().await))
}

/// The names the legacy API uses for platforms in `installers`.
pub fn platform_named(name: &str) -> Option<Platform> {
    Platform::ALL.into_iter().find(|p| p.name() == name)
}
