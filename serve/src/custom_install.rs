//! `cib serve --xmlrpc STATE_DIR`: the legacy Custom Installer Builder's XML-RPC API and its
//! installer URLs, so a clearinghouse pointed at this host works unchanged.
//!
//! - `POST /custom_install/xmlrpc/`: the API (`xmlrpc`, `methods`); `GET` there: a page about it.
//! - `/custom_install/<id>/installers/<platform>/`: a 302 to the installer itself,
//! - `/custom_install/<id>/<file>`: the customized installer (`download`).
//!
//! A build is its vesselinfo, kept in STATE_DIR under an id derived from it (`records`,
//! `build_id`); its installers are made from the base installers when first downloaded.

mod build_id;
mod download;
mod methods;
mod records;
pub mod request;
mod screen;
pub mod values;
mod xmlrpc;

use crate::rules::confine::Confined;
use axum::body::Bytes;
use axum::extract::{Path, Request, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use build_id::BuildId;
use cib_core::{KeyBits, Platform};
use download::{not_found, Installers};
use records::Records;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tower_http::limit::RequestBodyLimitLayer;

pub const XMLRPC_PATH: &str = "/custom_install/xmlrpc/";

pub struct CustomInstall {
    records: Arc<Records>,
    /// The origin (and path, if any) written into the URLs given out, without a trailing `/`.
    public_url: String,
    installers: Option<Installers>,
    /// Key generation and customizing, the CPU-heavy work, run at most this many at once.
    work: Semaphore,
    /// The size of the pairs generated for users without a key.
    key_bits: KeyBits,
}

/// What the legacy API generated, and what clearinghouses and their clients expect.
pub const LEGACY_KEY_BITS: KeyBits = KeyBits::B1024;

impl CustomInstall {
    pub fn new(
        state_dir: &std::path::Path,
        public_url: &str,
        installers: Option<Confined>,
        workers: usize,
    ) -> std::io::Result<CustomInstall> {
        Ok(CustomInstall {
            records: Arc::new(Records::open(state_dir)?),
            public_url: public_url.trim_end_matches('/').to_owned(),
            installers: installers.map(Installers::new),
            work: Semaphore::new(workers.max(1)),
            key_bits: LEGACY_KEY_BITS,
        })
    }

    pub fn with_key_bits(self, key_bits: KeyBits) -> CustomInstall {
        CustomInstall { key_bits, ..self }
    }

    /// The platforms whose base installer the host has now.
    async fn platforms(&self) -> Vec<Platform> {
        let mut found = Vec::new();
        if let Some(installers) = &self.installers {
            for platform in Platform::ALL {
                if installers.has(platform).await {
                    found.push(platform);
                }
            }
        }
        found
    }

    fn urls(&self, id: BuildId, platforms: &[Platform]) -> dxr::Value {
        values::structure(platforms.iter().map(|platform| {
            let url = format!(
                "{}/custom_install/{id}/installers/{platform}/",
                self.public_url
            );
            (platform.name(), values::string(url))
        }))
    }

    /// Runs CPU-heavy work off the serving loops, when its turn comes.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, String> {
        let _turn = self.work.acquire().await.map_err(|e| e.to_string())?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| e.to_string())
    }

    async fn keep(&self, id: BuildId, vesselinfo: String) -> Result<(), String> {
        if self.records.remembered(&id).is_some() {
            return Ok(());
        }
        let records = Arc::clone(&self.records);
        tokio::task::spawn_blocking(move || records.keep(&id, &vesselinfo).map(drop))
            .await
            .map_err(|e| e.to_string())?
    }

    async fn find(&self, id: BuildId) -> Option<Arc<str>> {
        if let Some(known) = self.records.remembered(&id) {
            return Some(known);
        }
        let records = Arc::clone(&self.records);
        tokio::task::spawn_blocking(move || records.find(&id))
            .await
            .ok()
            .flatten()
    }
}

pub fn routes(host: Arc<CustomInstall>) -> Router {
    let api = get(page)
        .post(call)
        .layer(RequestBodyLimitLayer::new(xmlrpc::MAX_BODY));
    Router::new()
        .route(XMLRPC_PATH, api.clone())
        .route(XMLRPC_PATH.trim_end_matches('/'), api)
        .route("/custom_install/{id}/installers/{platform}/", get(redirect))
        .route("/custom_install/{id}/installers/{platform}", get(redirect))
        .route("/custom_install/{id}/{file}", get(download))
        .with_state(host)
}

async fn page() -> Html<&'static str> {
    Html(include_str!("custom_install/api.html"))
}

async fn call(State(host): State<Arc<CustomInstall>>, body: Bytes) -> Response {
    xmlrpc::answer(&host, &body).await
}

/// The legacy installer URL: a redirect to the file, under the base installer's name.
async fn redirect(
    State(host): State<Arc<CustomInstall>>,
    Path((id, platform)): Path<(String, String)>,
) -> Response {
    let (Some(id), Some(platform)) = (BuildId::parse(&id), methods::platform_named(&platform))
    else {
        return not_found("no such build or platform");
    };
    if host.find(id).await.is_none() {
        return not_found("no such build");
    }
    if !host.platforms().await.contains(&platform) {
        return not_found("this host has no base installer for that platform");
    }
    let location = format!(
        "{}/custom_install/{id}/{}",
        host.public_url,
        platform.file_name()
    );
    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::FOUND, [(LOCATION, location)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn download(
    State(host): State<Arc<CustomInstall>>,
    Path((id, file)): Path<(String, String)>,
    request: Request,
) -> Response {
    let (Some(id), Some(platform)) = (BuildId::parse(&id), Platform::from_file_name(&file)) else {
        return not_found("no such build or installer");
    };
    let Some(installers) = &host.installers else {
        return not_found("this host has no base installers");
    };
    let Some(vesselinfo) = host.find(id).await else {
        return not_found("no such build");
    };
    match installers.made(id, platform, vesselinfo, &host.work).await {
        Ok(Some(made)) => download::serve(made, platform.file_name(), request).await,
        Ok(None) => not_found("this host has no base installer for that platform"),
        Err(err) => {
            eprintln!("cib serve: {err}");
            (StatusCode::INTERNAL_SERVER_ERROR, format!("{err}\n")).into_response()
        }
    }
}

#[cfg(test)]
mod tests;
