//! The file service of a folder: tower-http's `ServeDir` over the [`Store`], with the body of a
//! file held in memory handed to hyper as it is.
//!
//! `ServeDir` decides everything about the answer (redirects, preconditions, ranges, status and
//! headers) but reads the body through `AsyncRead`, copying each chunk out of memory once more
//! before the kernel copies it into the socket. For a large installer that copy cost half the
//! throughput. So while `ServeDir` answers, the store notes which entry it served (a file, or a
//! compressed copy of one), and a 200 or 206 of an entry in memory gets that entry's bytes, or
//! the same range of them, as its body. The same bytes give a page its Content-Security-Policy.

use crate::rules::{csp, headers};
use crate::store::{Served, Store};
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{ACCEPT_ENCODING, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, RANGE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use std::convert::Infallible;
use std::future::Future;
use std::ops::RangeInclusive;
use tower::Service;
use tower_http::services::ServeDir;

pub fn service(
    store: Store,
) -> impl Service<
    Request,
    Response = Response,
    Error = Infallible,
    Future: Future<Output = Result<Response, Infallible>> + Send,
> + Clone
       + Send
       + Sync
       + 'static {
    let root = store.root().to_path_buf();
    let compresses = store.compresses();
    let mut dir = ServeDir::with_backend(root, store);
    if compresses {
        // `ServeDir` then asks the store for `NAME.br` or `NAME.gz` as the client accepts.
        dir = dir.precompressed_br().precompressed_gzip();
    }
    tower::service_fn(move |mut request: Request| {
        let mut dir = dir.clone();
        async move {
            let page = headers::is_page(request.uri().path());
            // A page's policy names the hashes of its inline scripts, so a page is read as it
            // is, never as a compressed copy; compression on the fly comes after.
            if page {
                request.headers_mut().remove(ACCEPT_ENCODING);
            }
            let get = request.method() == Method::GET;
            let range = request.headers().get(RANGE).cloned();
            let (response, served) = Served::record(dir.call(request)).await;
            let mut response = response?.map(Body::new);
            let Some(file) = served else {
                return Ok(response);
            };
            if page && response.status() == StatusCode::OK {
                let policy = csp::policy_for(&file);
                response
                    .headers_mut()
                    .insert(CONTENT_SECURITY_POLICY, policy);
            }
            Ok(if get {
                with_body_from_memory(response, file, range.as_ref())
            } else {
                response
            })
        }
    })
}

fn with_body_from_memory(response: Response, file: Bytes, range: Option<&HeaderValue>) -> Response {
    let body = match response.status() {
        StatusCode::OK => file,
        StatusCode::PARTIAL_CONTENT => match single_range(range, file.len() as u64) {
            Some(range) => file.slice(*range.start() as usize..=*range.end() as usize),
            None => return response,
        },
        _ => return response,
    };
    // Whatever went differently, `ServeDir`'s own body is the one that matches its headers.
    if declared_length(&response) != Some(body.len() as u64) {
        return response;
    }
    response.map(|_| Body::from(body))
}

/// The range a 206 of `ServeDir` answered for a file of `len` bytes: the same parser and checks
/// as `ServeDir`'s, so the same single range.
pub fn single_range(range: Option<&HeaderValue>, len: u64) -> Option<RangeInclusive<u64>> {
    range
        .and_then(|value| value.to_str().ok())
        .and_then(|value| http_range_header::parse_range_header(value).ok())
        .and_then(|ranges| ranges.validate(len).ok())
        .and_then(|ranges| ranges.into_iter().next())
}

pub fn declared_length(response: &Response) -> Option<u64> {
    response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse().ok())
}
