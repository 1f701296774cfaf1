//! Seattle key text is made of decimal integers; this is the one place that reads them.

use crate::natural::Natural;

/// More digits than any key this project handles (a 16384-bit modulus has 4933), so a pasted
/// novel is refused before any arithmetic is spent on it.
pub const MAX_DIGITS: usize = 5000;

/// Reads one positive decimal integer written the canonical way (no sign, no leading zero).
pub fn parse(word: &str) -> Result<Natural, String> {
    if word.is_empty() {
        return Err("a number is missing".into());
    }
    if let Some(bad) = word.chars().find(|c| !c.is_ascii_digit()) {
        return Err(format!("{bad:?} is not a decimal digit"));
    }
    if word.len() > MAX_DIGITS {
        return Err(format!(
            "a number has {} digits; at most {MAX_DIGITS} are allowed",
            word.len()
        ));
    }
    if word.starts_with('0') {
        return Err(if word.len() == 1 {
            "a number is 0; it must be positive".into()
        } else {
            "a number starts with 0".into()
        });
    }
    Ok(Natural::from_decimal_digits(word.as_bytes()))
}

/// Splits key text into words separated by exactly one space, after trimming the surrounding
/// whitespace a key file carries (a trailing newline).
pub fn words(text: &str, expected: usize, what: &str) -> Result<Vec<Natural>, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("the {what} is empty"));
    }
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() != expected || words.iter().any(|w| w.is_empty()) {
        return Err(format!(
            "a {what} is {expected} numbers separated by one space"
        ));
    }
    words.into_iter().map(parse).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_canonical_decimals_only() {
        assert_eq!(parse("65537").unwrap(), Natural::from(65537u32));
        assert!(parse("").is_err());
        assert!(parse("0").unwrap_err().contains("positive"));
        assert!(parse("007").unwrap_err().contains("starts with 0"));
        assert!(parse("-3").unwrap_err().contains("'-'"));
        assert!(parse("1e5").unwrap_err().contains("'e'"));
        assert!(parse(&"9".repeat(MAX_DIGITS + 1))
            .unwrap_err()
            .contains("digits"));
    }

    #[test]
    fn splits_on_single_spaces_after_trimming() {
        assert_eq!(words(" 3 5\n", 2, "public key").unwrap().len(), 2);
        assert!(words("3  5", 2, "public key").is_err());
        assert!(words("3\t5", 2, "public key").is_err());
        assert!(words("3 5 7", 2, "public key").is_err());
        assert!(words("\n", 2, "public key").unwrap_err().contains("empty"));
    }
}
