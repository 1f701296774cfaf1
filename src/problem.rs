//! Problems found in what a person or a file gave us, each with the place it was found.
//!
//! A problem is data: a [`Place`] and a [`ProblemKind`], each with a stable message id and named
//! arguments ([`Localized`]), so that the page can say it in the reader's language from a
//! catalog. The English texts (the CLI's, the XML-RPC faults', the logs') are the catalog in
//! [`english`]: `Display` fills its patterns, so English and every other catalog share ids and
//! placeholders by construction.
//!
//! Catalog patterns name arguments as `{name}` (lower-case letters and `_`); any other `{` is
//! literal text, such as `{"public_key": "e n"}`. A pattern may instead be plural forms,
//! `{"one": ..., "other": ...}`, chosen by the plural category of the argument `count`.
//! Arguments that quote what a person typed (names, fields, characters) arrive escaped the way
//! Rust quotes text (a newline as `\n`), without the quotes, which the patterns carry.

mod english;
mod kind;
mod phrase;
#[cfg(test)]
mod tests;

pub use english::{english_catalog_json, Pattern, ENGLISH};
pub use kind::{KeyText, ProblemKind};
pub use phrase::{Found, LinkPart};

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt;

/// An argument of a message. Counts (which choose a plural form) and other numbers are
/// numbers; a phrase that is itself translated (such as "the number 5" or "vessel 2's owner")
/// is a message; a list is a list of messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    /// Wide enough for any JSON integer a person may write as a percentage.
    Number(i128),
    Message(Message),
    List(Vec<Message>),
}

/// A message id and its named arguments: what a catalog turns into a sentence.
/// Serialized as `{"id": "...", "args": {"name": value}}`, for the page's script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

/// Something that a catalog can say: a stable id (kebab-case, starting `problem-` or `place-`)
/// and the values of the placeholders of its pattern.
pub trait Localized {
    fn id(&self) -> &'static str;
    fn args(&self) -> Vec<(&'static str, Arg)>;

    fn message(&self) -> Message {
        Message {
            id: self.id(),
            args: self.args(),
        }
    }
}

impl Localized for Message {
    fn id(&self) -> &'static str {
        self.id
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        self.args.clone()
    }
}

/// Writes a message in English: its pattern from [`ENGLISH`] with the arguments filled in.
pub fn write_english(f: &mut impl fmt::Write, id: &str, args: &[(&str, Arg)]) -> fmt::Result {
    write_message(f, id, args, &|id: &str, count| {
        english::pattern(id).map(|p| p.form(count).to_string())
    })
}

/// Writes a message from any catalog: `form(id, count)` gives the pattern of `id` (its plural
/// form for `count`, the argument of that name), and every `{name}` is filled from `args`;
/// messages among the arguments come from the same catalog.
/// (One instance for every writer and catalog: the page's module carries it once.)
pub fn write_message(
    f: &mut dyn fmt::Write,
    id: &str,
    args: &[(&str, Arg)],
    form: &dyn Fn(&str, Option<i128>) -> Option<String>,
) -> fmt::Result {
    let count = args.iter().find_map(|(name, arg)| match (name, arg) {
        (&"count", Arg::Number(n)) => Some(*n),
        _ => None,
    });
    let Some(pattern) = form(id, count) else {
        // Only a message missing from the catalog lands here (a test checks there is none).
        return f.write_str(id);
    };
    let mut rest = pattern.as_str();
    while let Some(open) = rest.find('{') {
        f.write_str(&rest[..open])?;
        let after = &rest[open + 1..];
        let filled = placeholder(after).and_then(|name| {
            let arg = args.iter().find(|(n, _)| *n == name)?;
            Some((name.len(), &arg.1))
        });
        match filled {
            Some((len, arg)) => {
                write_arg(f, arg, form)?;
                rest = &after[len + 1..];
            }
            None => {
                f.write_str("{")?;
                rest = after;
            }
        }
    }
    f.write_str(rest)
}

/// The name of the placeholder that `text` (what follows a `{`) starts with, if it is one.
fn placeholder(text: &str) -> Option<&str> {
    let end = text.find('}')?;
    let name = &text[..end];
    let is_name = !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    is_name.then_some(name)
}

fn write_arg(
    f: &mut dyn fmt::Write,
    arg: &Arg,
    form: &dyn Fn(&str, Option<i128>) -> Option<String>,
) -> fmt::Result {
    match arg {
        Arg::Text(text) => f.write_str(text),
        Arg::Number(n) => write!(f, "{n}"),
        Arg::Message(m) => write_message(f, m.id, &m.args, form),
        Arg::List(list) => {
            for (i, m) in list.iter().enumerate() {
                if i > 0 {
                    f.write_str("; ")?;
                }
                write_message(f, m.id, &m.args, form)?;
            }
            Ok(())
        }
    }
}

/// `Display` in English for everything [`Localized`].
macro_rules! english_display {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::problem::write_english(f, self.id(), &self.args())
            }
        }
    )*};
}
pub(crate) use english_display;

english_display!(Message, Place, ProblemKind, Problem, Found, LinkPart);

/// Text a person typed, escaped as Rust quotes it, without the quotes.
pub(crate) fn quoted(text: &str) -> Arg {
    let debug = format!("{text:?}");
    Arg::Text(debug[1..debug.len() - 1].to_string())
}

/// A character, escaped as Rust quotes it, without the quotes.
pub(crate) fn quoted_char(c: char) -> Arg {
    let debug = format!("{c:?}");
    Arg::Text(debug[1..debug.len() - 1].to_string())
}

pub(crate) fn number(n: impl Into<i128>) -> Arg {
    Arg::Number(n.into())
}

/// A count or size held as `usize`; every one here is far below `i128::MAX`.
pub(crate) fn count(n: usize) -> Arg {
    Arg::Number(n as i128)
}

pub(crate) fn text(s: &str) -> Arg {
    Arg::Text(s.to_string())
}

/// Where a problem was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The problem is about the whole thing given, which its message names; never shown as
    /// a place, so no catalog has `place-none`.
    None,
    BuildDescription,
    UserData,
    /// An entry of `user_data`, by user name.
    User(String),
    UserKey(String),
    Vessels,
    /// A vessel, counted from 1.
    Vessel(usize),
    /// A line of a vesselinfo file, counted from 1.
    Line(usize),
}

impl Place {
    pub fn is_none(&self) -> bool {
        matches!(self, Place::None)
    }

    /// One of each place that is shown (a problem without a place shows its kind alone),
    /// for checking catalogs.
    pub fn samples() -> Vec<Place> {
        vec![
            Place::BuildDescription,
            Place::UserData,
            Place::User("alice".into()),
            Place::UserKey("alice".into()),
            Place::Vessels,
            Place::Vessel(2),
            Place::Line(3),
        ]
    }
}

impl Localized for Place {
    fn id(&self) -> &'static str {
        match self {
            Place::None => "place-none",
            Place::BuildDescription => "place-build-description",
            Place::UserData => "place-user-data",
            Place::User(_) => "place-user",
            Place::UserKey(_) => "place-user-key",
            Place::Vessels => "place-vessels",
            Place::Vessel(_) => "place-vessel",
            Place::Line(_) => "place-line",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Place::User(name) | Place::UserKey(name) => vec![("name", text(name))],
            Place::Vessel(index) => vec![("index", count(*index))],
            Place::Line(line) => vec![("line", count(*line))],
            _ => vec![],
        }
    }
}

/// One problem: where it is (`vessel 2`, `user bob: public key`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub kind: ProblemKind,
}

impl Problem {
    pub fn new(place: Place, kind: impl Into<ProblemKind>) -> Self {
        Problem {
            place,
            kind: kind.into(),
        }
    }
}

/// A problem with a place is `problem-at` (`{place}: {problem}`), so that a language can
/// join the two its own way; without one, it is its kind's message.
impl Localized for Problem {
    fn id(&self) -> &'static str {
        match self.place {
            Place::None => self.kind.id(),
            _ => "problem-at",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        match self.place {
            Place::None => self.kind.args(),
            _ => vec![
                ("place", Arg::Message(self.place.message())),
                ("problem", Arg::Message(self.kind.message())),
            ],
        }
    }
}

/// Every problem found, not only the first, so a person can fix them all in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, place: Place, kind: impl Into<ProblemKind>) {
        self.0.push(Problem::new(place, kind));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Problem> {
        self.0.iter()
    }

    /// `SUBJECT has N problems:` and one indented line per problem, each with its place: how the
    /// command line and the XML-RPC API both report them.
    pub fn listed(&self, subject: &str) -> String {
        let count = self.0.len();
        let list: Vec<String> = self.iter().map(|p| format!("  {p}")).collect();
        format!(
            "{subject} has {count} problem{}:\n{}",
            if count == 1 { "" } else { "s" },
            list.join("\n")
        )
    }

    /// Each problem's message, in order.
    pub fn messages(&self) -> Vec<Message> {
        self.0.iter().map(Localized::message).collect()
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problems {}

/// The English text, for callers that report problems as text.
impl From<ProblemKind> for String {
    fn from(kind: ProblemKind) -> String {
        kind.to_string()
    }
}
impl std::error::Error for ProblemKind {}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Args<'a>(&'a [(&'static str, Arg)]);
        impl Serialize for Args<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (name, arg) in self.0 {
                    map.serialize_entry(name, arg)?;
                }
                map.end()
            }
        }
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("id", self.id)?;
        map.serialize_entry("args", &Args(&self.args))?;
        map.end()
    }
}

impl Serialize for Arg {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Arg::Text(text) => serializer.serialize_str(text),
            // A script reads numbers as doubles; every count fits, and a huge percentage
            // a person typed is only shown.
            Arg::Number(n) => match i64::try_from(*n) {
                Ok(n) => serializer.serialize_i64(n),
                Err(_) => serializer.serialize_str(&n.to_string()),
            },
            Arg::Message(m) => m.serialize(serializer),
            Arg::List(list) => list.serialize(serializer),
        }
    }
}
