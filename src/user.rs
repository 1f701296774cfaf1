//! Users: the people whose keys own or use vessels.

/// The legacy CIB's rule for a user name: 3 to 40 characters of `[0-9a-zA-Z_]`, the first a
/// letter or digit. Names become key file names (`NAME.publickey`), hence the narrow alphabet.
pub fn check_name(name: &str) -> Result<(), String> {
    let length = name.chars().count();
    if !(3..=40).contains(&length) {
        return Err(format!(
            "user name {name:?} has {length} characters; it needs 3 to 40"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(format!(
            "user name {name:?} contains {bad:?}; use only letters, digits and _"
        ));
    }
    if name.starts_with('_') {
        return Err(format!(
            "user name {name:?} starts with _; it must start with a letter or digit"
        ));
    }
    Ok(())
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
