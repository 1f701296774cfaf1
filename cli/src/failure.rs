//! How a command fails: the exit code says whether the input was at fault.

use std::fmt;
use std::process::ExitCode;

#[derive(Debug)]
pub enum Failure {
    /// The input is wrong (a description, a key, a base installer): exit 2.
    Invalid(String),
    /// Anything else (a missing file, a full disk): exit 1.
    Other(String),
}

impl Failure {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Failure::Invalid(_) => ExitCode::from(2),
            Failure::Other(_) => ExitCode::from(1),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Invalid(message) | Failure::Other(message) => f.write_str(message),
        }
    }
}

pub type Outcome = Result<(), Failure>;
