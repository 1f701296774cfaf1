//! Problems found in what a person or a file gave us, each with the place it was found.

use std::fmt;

/// One problem: where it is (`vessel 2`, `user bob: public key`) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: String,
    pub message: String,
}

impl Problem {
    pub fn new(place: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            place: place.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.place, self.message)
        }
    }
}

/// Every problem found, not only the first, so a person can fix them all in one go.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn push(&mut self, place: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem::new(place, message));
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
