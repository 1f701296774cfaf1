//! The HTTP service: two folders, the manifest, and the layers every request passes through.

use crate::custom_install::{self, CustomInstall};
use crate::rules::confine::Confined;
use crate::rules::manifest::{self, Manifest};
use crate::rules::{headers, paths};
use crate::speed::wrap::{Wrap, WrapLayer};
use crate::store::{Kind, Store};
use crate::{access_log, served};
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ALLOW, CONTENT_TYPE, IF_MODIFIED_SINCE, IF_NONE_MATCH, RANGE};
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, StatusCode, Version};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tower::{Service, ServiceBuilder, ServiceExt};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::cors::{Any, CorsLayer};
use tower_http::map_request_body::MapRequestBodyLayer;
use tower_http::timeout::TimeoutLayer;

pub struct Folders {
    pub site: Confined,
    pub installers: Option<Confined>,
    pub manifest: Arc<Manifest>,
}

const ALLOWED_METHODS: &str = "GET, HEAD, OPTIONS";
const ALLOWED_FOR_XMLRPC: &str = "GET, HEAD, POST, OPTIONS";

pub fn build<B>(
    folders: Folders,
    custom: Option<Arc<CustomInstall>>,
    request_timeout: Duration,
) -> impl Service<Request<B>, Response = Response, Error = Infallible, Future: Send + 'static>
       + Clone
       + Send
       + 'static
where
    B: http_body::Body<Data = axum::body::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    let Folders {
        site,
        installers,
        manifest,
    } = folders;
    // The page's files go out compressed from copies made once (or put there by a deploy
    // step); installers go out by `sendfile`, uncompressed.
    let site = served::service(Store::new(site, Kind::Page));
    let router = Router::new()
        .route("/base_installers/manifest.json", get(manifest::serve))
        .fallback_service(site)
        .with_state(manifest);
    let xmlrpc = custom.is_some();
    let router = match custom {
        Some(custom) => router.merge(custom_install::routes(custom)),
        None => router,
    };
    let router = match installers {
        Some(folder) => router.nest_service(
            "/base_installers",
            served::service(Store::new(folder, Kind::Installers)),
        ),
        None => router.nest_service("/base_installers", any(StatusCode::NOT_FOUND)),
    };

    // Outermost first. hyper-util clones the whole stack for each request, hence few layers.
    ServiceBuilder::new()
        .layer(MapRequestBodyLayer::new(Body::new))
        .layer(WrapLayer(AdmitAndLog))
        .layer(CatchPanicLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            request_timeout,
        ))
        .layer(cors())
        .layer(WrapLayer(AllowMethods { xmlrpc }))
        .layer(
            CompressionLayer::new()
                .quality(CompressionLevel::Precise(5))
                .compress_when(SizeAbove::new(256).and(compressible as Compressible)),
        )
        .layer(WrapLayer(headers::SetMediaType))
        .service(router)
        .map_response(IntoResponse::into_response)
}

/// The page's wasm and JS and the installers are fetched by a clearinghouse page on another
/// origin that embeds the builder. Everything here is public and no request carries
/// credentials, so any origin may read any of it.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .allow_headers([RANGE, IF_NONE_MATCH, IF_MODIFIED_SINCE])
        .expose_headers(headers::EXPOSED)
        .max_age(Duration::from_secs(24 * 60 * 60))
}

/// Every request passes here first and last: refused at once if its path may not reach a
/// file, and logged with the policy headers on whatever the answer is (refusals, timeouts and
/// panics included).
#[derive(Clone)]
struct AdmitAndLog;

impl Wrap for AdmitAndLog {
    type Noted = access_log::Line;

    fn before(&self, request: &Request) -> (access_log::Line, Option<Response>) {
        let line = access_log::Line::start(request);
        let refusal = paths::refusal(line.path());
        (line, refusal)
    }

    fn after(line: access_log::Line, mut response: Response) -> Response {
        headers::apply_policy(line.path(), &mut response);
        line.finish(response)
    }
}

/// Inside CORS, which answers the preflight OPTIONS itself. POST reaches the XML-RPC endpoint
/// only, and only when it is on.
#[derive(Clone)]
struct AllowMethods {
    xmlrpc: bool,
}

impl Wrap for AllowMethods {
    type Noted = ();

    fn before(&self, request: &Request) -> ((), Option<Response>) {
        let endpoint = self.xmlrpc
            && request.uri().path().trim_end_matches('/')
                == custom_install::XMLRPC_PATH.trim_end_matches('/');
        let status = match *request.method() {
            Method::GET | Method::HEAD => return ((), None),
            Method::POST if endpoint => return ((), None),
            Method::OPTIONS => StatusCode::NO_CONTENT,
            _ => StatusCode::METHOD_NOT_ALLOWED,
        };
        let allowed = if endpoint {
            ALLOWED_FOR_XMLRPC
        } else {
            ALLOWED_METHODS
        };
        let answer = (status, [(ALLOW, HeaderValue::from_static(allowed))]);
        ((), Some(answer.into_response()))
    }
}

type Compressible = fn(StatusCode, Version, &HeaderMap, &Extensions) -> bool;

fn compressible(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(headers::shrinks)
}
