//! Users: the people whose keys own or use vessels.

use crate::problem::ProblemKind;

/// The shortest and longest user names.
pub const MIN_NAME_CHARS: usize = 3;
pub const MAX_NAME_CHARS: usize = 40;

/// The legacy CIB's rule for a user name: 3 to 40 characters of `[0-9a-zA-Z_]`, the first a
/// letter or digit. Names become key file names (`NAME.publickey`), hence the narrow alphabet.
pub fn check_name_typed(name: &str) -> Result<(), ProblemKind> {
    let length = name.chars().count();
    if !(MIN_NAME_CHARS..=MAX_NAME_CHARS).contains(&length) {
        return Err(ProblemKind::NameLength {
            name: name.into(),
            length,
        });
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(ProblemKind::NameCharacter {
            name: name.into(),
            character: bad,
        });
    }
    if name.starts_with('_') {
        return Err(ProblemKind::NameStartsWithUnderscore { name: name.into() });
    }
    Ok(())
}

/// [`check_name_typed`], in English.
pub fn check_name(name: &str) -> Result<(), String> {
    check_name_typed(name).map_err(|p| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn accepts_the_legacy_alphabet() {
        for ok in ["bob", "Alice_2", "123", "a_b", &"x".repeat(40)] {
            assert_eq!(check_name(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn refuses_with_a_reason() {
        assert!(check_name("ab").unwrap_err().contains("3 to 40"));
        assert!(check_name(&"x".repeat(41))
            .unwrap_err()
            .contains("41 characters"));
        assert!(check_name("a b").unwrap_err().contains("' '"));
        assert!(check_name("_bob").unwrap_err().contains("starts with _"));
        assert!(check_name("bøb").unwrap_err().contains("'ø'"));
        assert!(check_name("bob-1").unwrap_err().contains("'-'"));
    }
}
