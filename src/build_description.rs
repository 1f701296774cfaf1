//! The build description: the two arguments of the legacy `build_installers` call, as JSON.
//!
//! `{"vessels": [{"percentage": 80, "owner": "alice", "users": ["bob"]}],
//!   "user_data": {"alice": {"public_key": "e n"}, "bob": {}}}`

use crate::json_object::{Entries, Member};
use crate::problem::Problems;
use crate::public_key::PublicKey;
use crate::user::check_name;
use crate::vessel::{check_count, check_percent, check_vessels, Vessel};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

/// A user named in `user_data`; without a public key, one whose key pair gets generated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub public_key: Option<PublicKey>,
}

/// A build description that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildDescription {
    pub vessels: Vec<Vessel>,
    pub users: Vec<User>,
}

impl BuildDescription {
    /// Reads and checks a description, reporting every problem found, each with its place.
    pub fn parse(json: &str) -> Result<BuildDescription, Problems> {
        let mut problems = Problems::default();
        let top: Entries<Member<Value>> = match serde_json::from_str(json) {
            Ok(Member::Object(top)) => top,
            Ok(Member::Other(value)) => {
                problems.push(
                    "build description",
                    format!(
                        "not a JSON object with \"vessels\" and \"user_data\": it is {}",
                        kind(&value)
                    ),
                );
                return Err(problems);
            }
            Err(e) => {
                problems.push(
                    "build description",
                    format!("not a JSON object with \"vessels\" and \"user_data\": {e}"),
                );
                return Err(problems);
            }
        };
        for key in top.duplicate_keys() {
            problems.push("build description", format!("{key:?} is given twice"));
        }
        let mut vessels_json = None;
        let mut users_json = None;
        for (key, value) in &top.0 {
            match key.as_str() {
                "vessels" => vessels_json = Some(value),
                "user_data" => users_json = Some(value),
                other => problems.push(
                    "build description",
                    format!("unknown field {other:?}; expected \"vessels\" and \"user_data\""),
                ),
            }
        }
        let users = match users_json {
            Some(raw) => read_users(raw, &mut problems),
            None => {
                problems.push("build description", "\"user_data\" is missing");
                Vec::new()
            }
        };
        let vessels = match vessels_json {
            Some(raw) => read_vessels(raw, &users, &mut problems),
            None => {
                problems.push("build description", "\"vessels\" is missing");
                Vec::new()
            }
        };
        if problems.is_empty() {
            Ok(BuildDescription { vessels, users })
        } else {
            Err(problems)
        }
    }

    /// The users whose key pairs are still to be generated, in `user_data` order.
    pub fn users_without_key(&self) -> impl Iterator<Item = &User> {
        self.users.iter().filter(|u| u.public_key.is_none())
    }

    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.iter().find(|u| u.name == name)
    }

    /// Gives a user the public key of a pair generated for them.
    pub fn set_public_key(&mut self, name: &str, key: PublicKey) -> Result<(), String> {
        let user = self
            .users
            .iter_mut()
            .find(|u| u.name == name)
            .ok_or_else(|| format!("there is no user {name:?}"))?;
        user.public_key = Some(key);
        Ok(())
    }

    /// The description as JSON again, with every key known so far filled in, so that the same
    /// build can be made again from it. Users keep their order.
    pub fn to_json(&self) -> String {
        let description = DescriptionJson {
            vessels: self
                .vessels
                .iter()
                .map(|v| VesselJson {
                    percentage: v.percent,
                    owner: &v.owner,
                    users: &v.users,
                })
                .collect(),
            user_data: UserDataJson(&self.users),
        };
        serde_json::to_string_pretty(&description).expect("plain data always serializes") + "\n"
    }

    /// A description put together from elsewhere (a share link), checked by the very rules a
    /// JSON description meets: it goes through [`BuildDescription::parse`], so those rules
    /// keep one home. Its order of users, vessels and vessel users is kept.
    pub fn checked(self) -> Result<BuildDescription, Problems> {
        BuildDescription::parse(&self.to_json())
    }
}

#[derive(Serialize)]
struct DescriptionJson<'a> {
    vessels: Vec<VesselJson<'a>>,
    user_data: UserDataJson<'a>,
}

#[derive(Serialize)]
struct VesselJson<'a> {
    percentage: u32,
    owner: &'a str,
    users: &'a [String],
}

/// `user_data` in the users' order (a JSON object, written without sorting its keys).
struct UserDataJson<'a>(&'a [User]);

impl Serialize for UserDataJson<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Data {
            #[serde(skip_serializing_if = "Option::is_none")]
            public_key: Option<String>,
        }
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for user in self.0 {
            map.serialize_entry(
                &user.name,
                &Data {
                    public_key: user.public_key.as_ref().map(|k| k.to_string()),
                },
            )?;
        }
        map.end()
    }
}

fn read_users(member: &Member<Value>, problems: &mut Problems) -> Vec<User> {
    let entries = match member {
        Member::Object(entries) => entries,
        Member::Other(_) => {
            problems.push(
                "user_data",
                "must be an object from user name to {\"public_key\": \"e n\"} or {}",
            );
            return Vec::new();
        }
    };
    for name in entries.duplicate_keys() {
        problems.push("user_data", format!("user {name} is given twice"));
    }
    let mut users = Vec::new();
    for (name, data) in &entries.0 {
        if let Err(message) = check_name(name) {
            problems.push("user_data", message);
            continue;
        }
        let place = format!("user {name}");
        let public_key = read_user_data(&place, data, problems);
        if !users.iter().any(|u: &User| &u.name == name) {
            users.push(User {
                name: name.clone(),
                public_key,
            });
        }
    }
    users
}

fn read_user_data(place: &str, data: &Value, problems: &mut Problems) -> Option<PublicKey> {
    let Value::Object(fields) = data else {
        problems.push(
            place,
            format!(
                "must be an object such as {{\"public_key\": \"e n\"}} or {{}}, not {}",
                kind(data)
            ),
        );
        return None;
    };
    let mut key = None;
    for (field, value) in fields {
        match (field.as_str(), value) {
            ("public_key", Value::Null) => {}
            ("public_key", Value::String(text)) => match PublicKey::parse(text) {
                Ok(parsed) => key = Some(parsed),
                Err(message) => problems.push(format!("{place}: public key"), message),
            },
            ("public_key", other) => problems.push(
                format!("{place}: public key"),
                format!("must be a string \"e n\", not {}", kind(other)),
            ),
            (other, _) => problems.push(
                place,
                format!("unknown field {other:?}; expected \"public_key\""),
            ),
        }
    }
    key
}

fn read_vessels(member: &Member<Value>, users: &[User], problems: &mut Problems) -> Vec<Vessel> {
    let Member::Other(Value::Array(list)) = member else {
        problems.push("vessels", "must be a list of vessels");
        return Vec::new();
    };
    let known = |name: &str| users.iter().any(|u| u.name == name);
    let mut vessels = Vec::new();
    let mut all_percents_valid = true;
    for (i, item) in list.iter().enumerate() {
        let place = format!("vessel {}", i + 1);
        match read_vessel(&place, item, &known, problems) {
            Some(vessel) => vessels.push(vessel),
            None => all_percents_valid = false,
        }
    }
    let percents: Vec<u32> = vessels.iter().map(|v| v.percent).collect();
    // A total over vessels that were refused would only mislead.
    let messages = match all_percents_valid {
        true => check_vessels(&percents),
        false => check_count(percents.len()).into_iter().collect(),
    };
    for message in messages {
        problems.push("vessels", message);
    }
    vessels
}

/// One vessel; `None` when its percentage is unusable (other problems are reported but the
/// vessel still counts towards the total).
fn read_vessel(
    place: &str,
    item: &Value,
    known: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> Option<Vessel> {
    let Value::Object(fields) = item else {
        problems.push(place, format!("must be an object, not {}", kind(item)));
        return None;
    };
    for field in fields.keys() {
        if !matches!(field.as_str(), "percentage" | "owner" | "users") {
            problems.push(
                place,
                format!(
                    "unknown field {field:?}; expected \"percentage\", \"owner\" and \"users\""
                ),
            );
        }
    }
    let percent = match fields.get("percentage") {
        None | Some(Value::Null) => {
            problems.push(place, "has no percentage");
            None
        }
        Some(Value::Number(n)) if n.as_i64().is_some() || n.as_u64().is_some() => {
            let whole = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from))?;
            check_percent(whole)
                .map_err(|message| problems.push(place, message))
                .ok()
        }
        Some(other) => {
            problems.push(
                place,
                format!(
                    "percentage must be a whole number such as 40, not {}",
                    kind(other)
                ),
            );
            None
        }
    };
    let owner = match fields.get("owner") {
        None | Some(Value::Null) => {
            problems.push(place, "has no owner; every vessel needs one");
            String::new()
        }
        Some(Value::String(name)) if name.is_empty() => {
            problems.push(place, "has no owner; every vessel needs one");
            String::new()
        }
        Some(Value::String(name)) => {
            if !known(name) {
                problems.push(place, format!("owner {name:?} is not in user_data"));
            }
            name.clone()
        }
        Some(other) => {
            problems.push(
                place,
                format!("owner must be a user name, not {}", kind(other)),
            );
            String::new()
        }
    };
    let users = match fields.get("users") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(names)) => {
            let mut users: Vec<String> = Vec::new();
            for name in names {
                match name {
                    Value::String(name) if users.contains(name) => {
                        problems.push(place, format!("user {name:?} is listed twice"))
                    }
                    Value::String(name) => {
                        if !known(name) {
                            problems.push(place, format!("user {name:?} is not in user_data"));
                        }
                        users.push(name.clone());
                    }
                    other => problems.push(
                        place,
                        format!("users must be user names, not {}", kind(other)),
                    ),
                }
            }
            users
        }
        Some(other) => {
            problems.push(
                place,
                format!("users must be a list of user names, not {}", kind(other)),
            );
            Vec::new()
        }
    };
    Some(Vessel {
        percent: percent?,
        owner,
        users,
    })
}

/// How a JSON value is named in a message, with the value when it is short.
fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        // Printing a float would pull the float formatter into the page's module.
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => format!("the number {i}"),
            (_, Some(u)) => format!("the number {u}"),
            _ => "a number with a decimal point".into(),
        },
        Value::String(s) if s.chars().count() <= 20 => format!("the string {s:?}"),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests;
