//! XML-RPC values as the JSON of a build description, so that the core reads and checks the
//! arguments of `build_installers` exactly as it reads `cib build`'s file, with the same rules
//! and messages. XML-RPC types that JSON has no word for are refused here, each with its place.

use dxr::Value;
use serde_json::{Map, Number, Value as Json};

/// The arguments of `build_installers` (vessel_list, user_data if given) as a build
/// description's JSON text, or the places of the values that have no JSON form.
pub fn description_json(
    vessel_list: &Value,
    user_data: Option<&Value>,
) -> Result<String, Vec<String>> {
    let mut refused = Vec::new();
    let mut json = serde_json::json!({
        "vessels": to_json(vessel_list, "vessel_list", &mut refused),
    });
    if let Some(user_data) = user_data {
        json["user_data"] = to_json(user_data, "user_data", &mut refused);
    }
    match refused.is_empty() {
        true => Ok(json.to_string()),
        false => Err(refused),
    }
}

/// `value` as JSON, or the places of the values that have no JSON form.
pub fn to_json(value: &Value, place: &str, refused: &mut Vec<String>) -> Json {
    match value {
        Value::Integer(i) => Json::from(*i),
        Value::Long(i) => Json::from(*i),
        Value::Boolean(b) => Json::from(*b),
        Value::String(s) => Json::from(s.as_str()),
        Value::Double(d) => Number::from_f64(*d).map_or(Json::Null, Json::Number),
        Value::Nil => Json::Null,
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| to_json(item, &format!("{place}[{i}]"), refused))
            .collect(),
        Value::Struct(members) => Json::Object(
            members
                .iter()
                .map(|(name, member)| {
                    let json = to_json(member, &format!("{place}[{name:?}]"), refused);
                    (name.clone(), json)
                })
                .collect::<Map<_, _>>(),
        ),
        other => {
            refused.push(format!("{place}: {}", kind(other)));
            Json::Null
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::DateTime(_) => "a dateTime.iso8601 value is not accepted here",
        Value::Base64(_) => "a base64 value is not accepted here",
        _ => "this kind of value is not accepted here",
    }
}

/// How a value is named in a message about a wrong type.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Integer(_) | Value::Long(_) => "an integer",
        Value::Boolean(_) => "a boolean",
        Value::String(_) => "a string",
        Value::Double(_) => "a double",
        Value::Array(_) => "an array",
        Value::Struct(_) => "a struct",
        Value::Nil => "nil",
        Value::DateTime(_) => "a dateTime.iso8601",
        Value::Base64(_) => "base64",
        _ => "an unknown type",
    }
}

pub fn string(text: impl Into<String>) -> Value {
    Value::String(text.into())
}

pub fn structure<K: Into<String>>(members: impl IntoIterator<Item = (K, Value)>) -> Value {
    Value::Struct(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_what_json_has_and_names_what_it_has_not() {
        let value = structure([
            ("percentage", string("80")),
            ("n", Value::Integer(80)),
            ("d", Value::Double(0.5)),
            ("k", Value::Base64(vec![1])),
            ("u", Value::Array(vec![Value::Nil, Value::Boolean(true)])),
        ]);
        let mut refused = Vec::new();
        let json = to_json(&value, "vessel_list", &mut refused);
        assert_eq!(
            json,
            serde_json::json!({"percentage": "80", "n": 80, "d": 0.5, "k": null, "u": [null, true]})
        );
        assert_eq!(
            refused,
            ["vessel_list[\"k\"]: a base64 value is not accepted here"]
        );
    }
}
