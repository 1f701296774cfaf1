//! Reading a request body into an XML-RPC call: UTF-8, then the screen, then dxr. On its own,
//! with nothing of the host, so the fuzz targets (fuzz/props) call it and feed it whatever they
//! like.

use super::screen::screen;
use dxr::MethodCall;

/// The call in `body`, or why it is not one (the host sends this as an InvalidRequestError).
pub fn read(body: &[u8]) -> Result<MethodCall<'static>, String> {
    let text =
        std::str::from_utf8(body).map_err(|err| format!("the request is not UTF-8: {err}"))?;
    screen(text)?;
    let call = MethodCall::from_xml(text).map_err(|_| {
        "the request is XML but not an XML-RPC methodCall: a methodName, then params \
         holding one value each of int, i4, boolean, string, double, struct or array"
            .to_string()
    })?;
    Ok(MethodCall {
        name: call.name.into_owned().into(),
        params: call.params,
    })
}
