//! What the page says, as data: a `Said` is a message id of the page's catalogs (`web/i18n/`)
//! with its arguments, and becomes text only when a builder draws it, in that builder's
//! language (`catalog`). So the model, its rules and their tests hold words without knowing a
//! language, and a language chosen later says everything already said again.

use cib_core::problem::{write_message, Arg, Localized, Message};

/// Words for a person: a message of the catalogs and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said(pub Message);

/// The message that makes a sentence of its `text`, as the language writes one.
const SENTENCE: &str = "ui-sentence";

impl Said {
    pub fn new(id: &'static str, args: Vec<(&'static str, Arg)>) -> Said {
        Said(Message { id, args })
    }

    /// A message without arguments.
    pub fn id(id: &'static str) -> Said {
        Said::new(id, Vec::new())
    }

    /// Text said as it is (a name, or what the browser said).
    pub fn text(s: &str) -> Said {
        Said::new("ui-text", vec![("text", text(s))])
    }

    /// Anything the core reports.
    pub fn of(said: &impl Localized) -> Said {
        Said(said.message())
    }

    /// `text` (the core's messages start in lower case, to fit after a place) as a sentence of
    /// its own: capitalized, with the language's full stop unless it has one.
    pub fn sentence(text: impl Into<Arg>) -> Said {
        Said::new(SENTENCE, vec![("text", text.into())])
    }
}

impl Localized for Said {
    fn id(&self) -> &'static str {
        self.0.id
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        self.0.args.clone()
    }
}

impl From<Said> for Arg {
    fn from(said: Said) -> Arg {
        Arg::Message(said.0)
    }
}

/// Text as an argument (a name, a file name, what the browser said).
pub fn text(s: &str) -> Arg {
    Arg::Text(s.to_string())
}

/// A number as an argument (a `count` chooses the plural form).
pub fn number(n: impl Into<i128>) -> Arg {
    Arg::Number(n.into())
}

/// A count or an index held as `usize`; every one here is far below `i128::MAX`.
pub fn count(n: usize) -> Arg {
    Arg::Number(n as i128)
}

/// How a catalog gives the pattern of a message (its plural form for a `count`).
pub type Forms<'a> = &'a dyn Fn(&str, Option<i128>) -> Option<String>;

/// A message written from a catalog. Every sentence in it (`Said::sentence`) is written first,
/// since its capital depends on its text.
pub fn fill(id: &str, args: &[(&str, Arg)], form: Forms) -> String {
    let args: Vec<(&str, Arg)> = args.iter().map(|(n, a)| (*n, sentences(a, form))).collect();
    if id == SENTENCE {
        let text = args.first().map_or(String::new(), |(_, a)| alone(a, form));
        let mut chars = text.chars();
        let capital: String = chars
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        let text = capital + chars.as_str();
        // A text already ending as a sentence (a browser's message, say) gets no second stop.
        if text.ends_with(['.', '。']) {
            return text;
        }
        return write(SENTENCE, &[("text", Arg::Text(text))], form);
    }
    write(id, &args, form)
}

fn write(id: &str, args: &[(&str, Arg)], form: Forms) -> String {
    let mut out = String::new();
    let _ = write_message(&mut out, id, args, form);
    out
}

/// An argument as text of its own.
fn alone(arg: &Arg, form: Forms) -> String {
    write("", &[("text", arg.clone())], &|id, count| match id {
        "" => Some("{text}".into()),
        id => form(id, count),
    })
}

/// `arg` with the sentences in it written out.
fn sentences(arg: &Arg, form: Forms) -> Arg {
    match arg {
        Arg::Message(m) if m.id == SENTENCE => Arg::Text(fill(m.id, &m.args, form)),
        Arg::Message(m) => Arg::Message(Message {
            id: m.id,
            args: m
                .args
                .iter()
                .map(|(n, a)| (*n, sentences(a, form)))
                .collect(),
        }),
        other => other.clone(),
    }
}

/// "3.4 MB", "612 kB", "900 bytes": sizes as a person reads them.
pub fn size(bytes: u64) -> Said {
    match bytes {
        0..=999 => Said::new("ui-bytes", vec![("count", number(bytes))]),
        // Integer arithmetic: formatting floats would add the float printer to the module.
        1_000..=999_499 => Said::new("ui-kilobytes", vec![("kb", number((bytes + 500) / 1_000))]),
        _ => {
            let tenths = (bytes + 50_000) / 100_000;
            let (whole, tenth) = (number(tenths / 10), number(tenths % 10));
            Said::new("ui-megabytes", vec![("whole", whole), ("tenth", tenth)])
        }
    }
}

/// `items` as a list the way the language writes one ("a, b and c"): `between` joins each
/// item to the ones before it, `last` the last one.
pub fn listed(items: Vec<Said>, between: &'static str, last: &'static str) -> Said {
    let mut items = items.into_iter();
    let Some(first) = items.next() else {
        return Said::text("");
    };
    let rest: Vec<Said> = items.collect();
    let n = rest.len();
    rest.into_iter()
        .enumerate()
        .fold(first, |before, (i, item)| {
            let id = if i + 1 == n { last } else { between };
            Said::new(id, vec![("rest", before.into()), ("next", item.into())])
        })
}

/// What `said` reads in English, from `en.json` as the page has it: the native tests' reader.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub fn english(said: &Said) -> String {
    use serde_json::Value;
    let catalog: serde_json::Map<String, Value> =
        serde_json::from_str(crate::i18n::ENGLISH_CATALOG).expect("en.json is JSON");
    let form = |id: &str, count: Option<i128>| match catalog.get(id)? {
        Value::String(text) => Some(text.clone()),
        Value::Object(forms) => {
            let category = if count == Some(1) { "one" } else { "other" };
            let form = forms.get(category).or_else(|| forms.get("other"))?;
            form.as_str().map(str::to_string)
        }
        _ => None,
    };
    fill(said.0.id, &said.0.args, &form)
}

/// Why a build has no vesselinfo: users without a key, by name.
pub fn users_without_key(names: &[String]) -> Said {
    let names = names.iter().map(|n| Said::text(n)).collect();
    let names = listed(names, "ui-list-comma", "ui-list-comma");
    Said::new("ui-users-without-key", vec![("names", names.into())])
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_sentences_read_as_a_person_reads_them() {
        assert_eq!(english(&size(1)), "1 byte");
        assert_eq!(english(&size(900)), "900 bytes");
        assert_eq!(english(&size(612_400)), "612 kB");
        assert_eq!(english(&size(3_449_999)), "3.4 MB");
        assert_eq!(english(&Said::sentence(text("no key"))), "No key.");
        let core = cib_core::PublicKey::parse_typed("").expect_err("an empty key");
        assert_eq!(
            english(&Said::sentence(Said::of(&core))),
            "The public key is empty."
        );
        assert_eq!(english(&Said::sentence(text("it failed."))), "It failed.");
        // A sentence inside another message is written as a sentence too.
        let inner = Said::new(
            "ui-cannot-be-used",
            vec![("problem", Said::sentence(Said::of(&core)).into())],
        );
        assert_eq!(
            english(&inner),
            "It cannot be used: The public key is empty."
        );
    }

    #[test]
    fn a_list_reads_with_commas_and_a_last_and() {
        let names = |n: &[&str]| {
            let items = n.iter().map(|s| Said::text(s));
            english(&listed(items.collect(), "ui-list-comma", "ui-list-and"))
        };
        assert_eq!(names(&["a"]), "a");
        assert_eq!(names(&["a", "b"]), "a and b");
        assert_eq!(names(&["a", "b", "c", "d"]), "a, b, c and d");
    }
}
