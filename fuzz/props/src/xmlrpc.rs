//! The XML-RPC host's reading of a request body, as `cib-serve` reads it.

pub use cib_serve::custom_install::{request, values};

use crate::texts::valid_description;
use cib_core::BuildDescription;
use dxr::Value;

/// Any body is a call or a reason; a call written out again reads back the same; the
/// arguments of `build_installers` reach the core's checks, and what passes them is a valid
/// description.
pub fn xmlrpc(data: &[u8]) {
    let call = match request::read(data) {
        Err(message) => return assert!(!message.is_empty()),
        Ok(call) => call,
    };
    if !call.params.iter().any(has_nan) {
        let xml = call.to_xml().expect("a call that was read can be written");
        match request::read(xml.as_bytes()) {
            Ok(again) => {
                assert_eq!(again.name, call.name, "{xml}");
                assert_eq!(again.params, call.params, "{xml}");
            }
            // dxr writes `<value>text</value>` as `<value><string>text</string></value>`, one
            // element deeper, which the screen may then refuse.
            Err(message) => assert!(message.contains("nested deeper"), "{message}: {xml}"),
        }
    }
    if let [vessel_list, user_data @ ..] = &call.params[..] {
        if let Ok(json) = values::description_json(vessel_list, user_data.first()) {
            if let Ok(description) = BuildDescription::parse(&json) {
                valid_description(&description);
            }
        }
    }
}

fn has_nan(value: &Value) -> bool {
    match value {
        Value::Double(d) => d.is_nan(),
        Value::Array(items) => items.iter().any(has_nan),
        Value::Struct(members) => members.values().any(has_nan),
        _ => false,
    }
}
