//! The build description: the two arguments of the legacy `build_installers` call, as JSON.
//!
//! `{"vessels": [{"percentage": 80, "owner": "alice", "users": ["bob"]}],
//!   "user_data": {"alice": {"public_key": "e n"}, "bob": {}}}`
//!
//! As in the legacy builder, `user_data` may be left out, and a name found only in vessels is a
//! user without a key (its pair gets generated).

use crate::json_object::{Entries, Member};
use crate::problem::{Found, Place, ProblemKind, Problems};
use crate::public_key::PublicKey;
use crate::user::check_name_typed;
use crate::vessel::{check_count, check_percent, check_vessels, Vessel};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

/// A user named in `user_data` or in a vessel; without a public key, one whose key pair gets
/// generated.
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
        BuildDescription::parse_noting_unlisted(json).map(|(description, _)| description)
    }

    /// [`BuildDescription::parse`], and the names found in vessels but in no `user_data`
    /// entry (users without a key, appended after those of `user_data` in the order they
    /// first appear), so that a caller can show them: a typo in a name gets a key of its own.
    pub fn parse_noting_unlisted(json: &str) -> Result<(BuildDescription, Vec<String>), Problems> {
        let mut problems = Problems::default();
        let top: Entries<Member<Value>> = match serde_json::from_str(json) {
            Ok(Member::Object(top)) => top,
            Ok(Member::Other(value)) => {
                problems.push(
                    Place::BuildDescription,
                    ProblemKind::DescriptionNotObject {
                        found: Found::of(&value),
                    },
                );
                return Err(problems);
            }
            Err(e) => {
                problems.push(
                    Place::BuildDescription,
                    ProblemKind::DescriptionNotJson {
                        detail: e.to_string(),
                    },
                );
                return Err(problems);
            }
        };
        for key in top.duplicate_keys() {
            problems.push(
                Place::BuildDescription,
                ProblemKind::FieldGivenTwice { field: key.into() },
            );
        }
        let mut vessels_json = None;
        let mut users_json = None;
        for (key, value) in &top.0 {
            match key.as_str() {
                "vessels" => vessels_json = Some(value),
                "user_data" => users_json = Some(value),
                other => problems.push(
                    Place::BuildDescription,
                    ProblemKind::UnknownDescriptionField {
                        field: other.into(),
                    },
                ),
            }
        }
        // Left out or null, as the legacy `user_data=None`: every user is found in the vessels.
        let mut users = match users_json {
            Some(Member::Other(Value::Null)) | None => Vec::new(),
            Some(member) => read_users(member, &mut problems),
        };
        let vessels = match vessels_json {
            Some(raw) => read_vessels(raw, &users, &mut problems),
            None => {
                problems.push(Place::BuildDescription, ProblemKind::VesselsMissing);
                Vec::new()
            }
        };
        let unlisted = unlisted_names(&vessels, &users);
        users.extend(unlisted.iter().map(|name| User {
            name: name.clone(),
            public_key: None,
        }));
        if problems.is_empty() {
            Ok((BuildDescription { vessels, users }, unlisted))
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

/// The owners and users of `vessels` that `users` does not name, each once, in order.
fn unlisted_names(vessels: &[Vessel], users: &[User]) -> Vec<String> {
    let mut unlisted: Vec<String> = Vec::new();
    for vessel in vessels {
        for name in std::iter::once(&vessel.owner).chain(&vessel.users) {
            if !users.iter().any(|u| &u.name == name) && !unlisted.contains(name) {
                unlisted.push(name.clone());
            }
        }
    }
    unlisted
}

fn read_users(member: &Member<Value>, problems: &mut Problems) -> Vec<User> {
    let entries = match member {
        Member::Object(entries) => entries,
        Member::Other(_) => {
            problems.push(Place::UserData, ProblemKind::UserDataNotObject);
            return Vec::new();
        }
    };
    for name in entries.duplicate_keys() {
        problems.push(
            Place::UserData,
            ProblemKind::UserGivenTwice { name: name.into() },
        );
    }
    let mut users = Vec::new();
    for (name, data) in &entries.0 {
        if let Err(problem) = check_name_typed(name) {
            problems.push(Place::UserData, problem);
            continue;
        }
        let public_key = read_user_data(name, data, problems);
        if !users.iter().any(|u: &User| &u.name == name) {
            users.push(User {
                name: name.clone(),
                public_key,
            });
        }
    }
    users
}

fn read_user_data(name: &str, data: &Value, problems: &mut Problems) -> Option<PublicKey> {
    let place = || Place::User(name.into());
    let key_place = || Place::UserKey(name.into());
    let Value::Object(fields) = data else {
        problems.push(
            place(),
            ProblemKind::UserEntryNotObject {
                found: Found::of(data),
            },
        );
        return None;
    };
    let mut key = None;
    for (field, value) in fields {
        match (field.as_str(), value) {
            ("public_key", Value::Null) => {}
            ("public_key", Value::String(text)) => match PublicKey::parse_typed(text) {
                Ok(parsed) => key = Some(parsed),
                Err(problem) => problems.push(key_place(), problem),
            },
            ("public_key", other) => problems.push(
                key_place(),
                ProblemKind::PublicKeyNotString {
                    found: Found::of(other),
                },
            ),
            (other, _) => problems.push(
                place(),
                ProblemKind::UnknownUserField {
                    field: other.into(),
                },
            ),
        }
    }
    key
}

fn read_vessels(member: &Member<Value>, users: &[User], problems: &mut Problems) -> Vec<Vessel> {
    let Member::Other(Value::Array(list)) = member else {
        problems.push(Place::Vessels, ProblemKind::VesselsNotList);
        return Vec::new();
    };
    let known = |name: &str| users.iter().any(|u| u.name == name);
    let mut vessels = Vec::new();
    let mut all_percents_valid = true;
    for (i, item) in list.iter().enumerate() {
        match read_vessel(Place::Vessel(i + 1), item, &known, problems) {
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
    for problem in messages {
        problems.push(Place::Vessels, problem);
    }
    vessels
}

/// One vessel; `None` when its percentage is unusable (other problems are reported but the
/// vessel still counts towards the total).
fn read_vessel(
    place: Place,
    item: &Value,
    known: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) -> Option<Vessel> {
    let Value::Object(fields) = item else {
        problems.push(
            place,
            ProblemKind::VesselNotObject {
                found: Found::of(item),
            },
        );
        return None;
    };
    for field in fields.keys() {
        if !matches!(field.as_str(), "percentage" | "owner" | "users") {
            problems.push(
                place.clone(),
                ProblemKind::UnknownVesselField {
                    field: field.clone(),
                },
            );
        }
    }
    let percent = match fields.get("percentage") {
        None | Some(Value::Null) => {
            problems.push(place.clone(), ProblemKind::NoPercentage);
            None
        }
        Some(Value::Number(n)) if n.as_i64().is_some() || n.as_u64().is_some() => {
            let whole = n.as_i64().map(i128::from).or(n.as_u64().map(i128::from))?;
            check_percent(whole)
                .map_err(|problem| problems.push(place.clone(), problem))
                .ok()
        }
        Some(other) => {
            problems.push(
                place.clone(),
                ProblemKind::PercentNotWhole {
                    found: Found::of(other),
                },
            );
            None
        }
    };
    let owner = match fields.get("owner") {
        None | Some(Value::Null) => {
            problems.push(place.clone(), ProblemKind::NoOwner);
            String::new()
        }
        Some(Value::String(name)) if name.is_empty() => {
            problems.push(place.clone(), ProblemKind::NoOwner);
            String::new()
        }
        Some(Value::String(name)) => {
            check_unlisted(&place, name, known, problems);
            name.clone()
        }
        Some(other) => {
            problems.push(
                place.clone(),
                ProblemKind::OwnerNotName {
                    found: Found::of(other),
                },
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
                    Value::String(name) if users.contains(name) => problems.push(
                        place.clone(),
                        ProblemKind::VesselUserTwice { name: name.clone() },
                    ),
                    Value::String(name) => {
                        check_unlisted(&place, name, known, problems);
                        users.push(name.clone());
                    }
                    other => problems.push(
                        place.clone(),
                        ProblemKind::VesselUserNotName {
                            found: Found::of(other),
                        },
                    ),
                }
            }
            users
        }
        Some(other) => {
            problems.push(
                place,
                ProblemKind::VesselUsersNotList {
                    found: Found::of(other),
                },
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

/// A name that `user_data` does not give is checked here, where it is found.
fn check_unlisted(
    place: &Place,
    name: &str,
    known: &dyn Fn(&str) -> bool,
    problems: &mut Problems,
) {
    if !known(name) {
        if let Err(kind) = check_name_typed(name) {
            problems.push(place.clone(), kind);
        }
    }
}

#[cfg(test)]
mod tests;
