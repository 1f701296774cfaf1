//! Phrases that messages are built from and that are translated on their own: what a JSON
//! value was, and which part of a share link was being read.

use super::{count, number, quoted, Arg, Localized};
use serde_json::Value;

/// What was found where something else was expected, named with the value when it is short.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Null,
    Bool(bool),
    Number(i128),
    /// A number with a decimal point (printing a float would pull the float formatter into the
    /// page's module).
    Fraction,
    /// A string of at most 20 characters.
    ShortString(String),
    LongString,
    List,
    Object,
}

impl Found {
    pub fn of(value: &Value) -> Found {
        match value {
            Value::Null => Found::Null,
            Value::Bool(b) => Found::Bool(*b),
            Value::Number(n) => match (n.as_i64(), n.as_u64()) {
                (Some(i), _) => Found::Number(i.into()),
                (_, Some(u)) => Found::Number(u.into()),
                _ => Found::Fraction,
            },
            Value::String(s) if s.chars().count() <= 20 => Found::ShortString(s.clone()),
            Value::String(_) => Found::LongString,
            Value::Array(_) => Found::List,
            Value::Object(_) => Found::Object,
        }
    }

    pub fn samples() -> Vec<Found> {
        vec![
            Found::Null,
            Found::Bool(true),
            Found::Bool(false),
            Found::Number(5),
            Found::Fraction,
            Found::ShortString("bob".into()),
            Found::LongString,
            Found::List,
            Found::Object,
        ]
    }
}

impl Localized for Found {
    fn id(&self) -> &'static str {
        match self {
            Found::Null => "problem-found-null",
            Found::Bool(true) => "problem-found-true",
            Found::Bool(false) => "problem-found-false",
            Found::Number(_) => "problem-found-number",
            Found::Fraction => "problem-found-fraction",
            Found::ShortString(_) => "problem-found-string",
            Found::LongString => "problem-found-long-string",
            Found::List => "problem-found-list",
            Found::Object => "problem-found-object",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Found::Number(n) => vec![("number", number(*n))],
            Found::ShortString(s) => vec![("text", quoted(s))],
            _ => vec![],
        }
    }
}

/// The part of a share link being read; users and vessels are counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPart {
    Format,
    Platforms,
    UserCount,
    VesselCount,
    NameLength(usize),
    Name(usize),
    ExponentLength(usize),
    Exponent(usize),
    ModulusLength(usize),
    Modulus(usize),
    VesselPercent(usize),
    VesselOwner(usize),
    VesselUserCount(usize),
    VesselUsers(usize),
}

impl LinkPart {
    /// The length written before a part of variable length.
    pub fn length(self) -> LinkPart {
        match self {
            LinkPart::Name(i) => LinkPart::NameLength(i),
            LinkPart::Exponent(i) => LinkPart::ExponentLength(i),
            LinkPart::Modulus(i) => LinkPart::ModulusLength(i),
            other => other,
        }
    }

    pub fn samples() -> Vec<LinkPart> {
        use LinkPart::*;
        vec![
            Format,
            Platforms,
            UserCount,
            VesselCount,
            NameLength(1),
            Name(1),
            ExponentLength(1),
            Exponent(1),
            ModulusLength(1),
            Modulus(1),
            VesselPercent(2),
            VesselOwner(2),
            VesselUserCount(2),
            VesselUsers(2),
        ]
    }
}

impl Localized for LinkPart {
    fn id(&self) -> &'static str {
        match self {
            LinkPart::Format => "problem-link-part-format",
            LinkPart::Platforms => "problem-link-part-platforms",
            LinkPart::UserCount => "problem-link-part-user-count",
            LinkPart::VesselCount => "problem-link-part-vessel-count",
            LinkPart::NameLength(_) => "problem-link-part-name-length",
            LinkPart::Name(_) => "problem-link-part-name",
            LinkPart::ExponentLength(_) => "problem-link-part-exponent-length",
            LinkPart::Exponent(_) => "problem-link-part-exponent",
            LinkPart::ModulusLength(_) => "problem-link-part-modulus-length",
            LinkPart::Modulus(_) => "problem-link-part-modulus",
            LinkPart::VesselPercent(_) => "problem-link-part-vessel-percent",
            LinkPart::VesselOwner(_) => "problem-link-part-vessel-owner",
            LinkPart::VesselUserCount(_) => "problem-link-part-vessel-user-count",
            LinkPart::VesselUsers(_) => "problem-link-part-vessel-users",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match *self {
            LinkPart::NameLength(i)
            | LinkPart::Name(i)
            | LinkPart::ExponentLength(i)
            | LinkPart::Exponent(i)
            | LinkPart::ModulusLength(i)
            | LinkPart::Modulus(i) => vec![("user", count(i))],
            LinkPart::VesselPercent(i)
            | LinkPart::VesselOwner(i)
            | LinkPart::VesselUserCount(i)
            | LinkPart::VesselUsers(i) => vec![("vessel", count(i))],
            _ => vec![],
        }
    }
}
