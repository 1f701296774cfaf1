//! `POST /custom_install/xmlrpc/`: an XML-RPC call in, a response or a fault out, always with
//! HTTP 200 as the legacy server did. The body is read (`request`: screened, then read by dxr),
//! and the method called; nothing in a body can make more than a fault.

use super::methods::{self, Fault};
use super::request;
use super::CustomInstall;
use axum::body::Bytes;
use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use dxr::{FaultResponse, MethodCall, MethodResponse};

/// The largest body taken; a larger one gets 413 before it is read.
pub const MAX_BODY: usize = 1 << 20;

pub async fn answer(host: &CustomInstall, body: &Bytes) -> Response {
    let outcome = match read(body) {
        Ok(call) => methods::call(host, &call.name, &call.params).await,
        Err(fault) => Err(fault),
    };
    respond(outcome)
}

fn read(body: &[u8]) -> Result<MethodCall<'static>, Fault> {
    request::read(body).map_err(|message| Fault::new("InvalidRequestError", message))
}

fn respond(outcome: Result<dxr::Value, Fault>) -> Response {
    let xml = match outcome {
        Ok(value) => MethodResponse { value }.to_xml(),
        Err(fault) => FaultResponse {
            fault: dxr::Fault::new(1, fault.string()),
        }
        .to_xml(),
    };
    // Only values this host made are written; should one fail, the client still gets a fault.
    let xml = xml.unwrap_or_else(|err| {
        let fault = dxr::Fault::new(1, format!("ServerError:{err}"));
        FaultResponse { fault }.to_xml().unwrap_or_default()
    });
    let body = format!("<?xml version=\"1.0\"?>\n{xml}");
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    response
}
