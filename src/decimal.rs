//! Seattle key text is made of decimal integers; this is the one place that reads them.

use crate::natural::Natural;
use crate::problem::{KeyText, ProblemKind};

/// More digits than any key this project handles (a 16384-bit modulus has 4933), so a pasted
/// novel is refused before any arithmetic is spent on it.
pub const MAX_DIGITS: usize = 5000;

/// Reads one positive decimal integer written the canonical way (no sign, no leading zero).
pub fn parse(word: &str) -> Result<Natural, ProblemKind> {
    if word.is_empty() {
        return Err(ProblemKind::NumberMissing);
    }
    if word.len() > 1 && word.starts_with('-') && word[1..].bytes().all(|b| b.is_ascii_digit()) {
        return Err(ProblemKind::NumberNegative);
    }
    if let Some(bad) = word.chars().find(|c| !c.is_ascii_digit()) {
        return Err(ProblemKind::NotADigit { character: bad });
    }
    if word.len() > MAX_DIGITS {
        return Err(ProblemKind::TooManyDigits { digits: word.len() });
    }
    if word.starts_with('0') {
        return Err(if word.len() == 1 {
            ProblemKind::NumberIsZero
        } else {
            ProblemKind::LeadingZero
        });
    }
    Ok(Natural::from_decimal_digits(word.as_bytes()))
}

/// Splits key text into words separated by exactly one space, after trimming the surrounding
/// whitespace a key file carries (a trailing newline).
pub fn words(text: &str, key: KeyText) -> Result<Vec<Natural>, ProblemKind> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ProblemKind::KeyEmpty { key });
    }
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() != key.numbers() || words.iter().any(|w| w.is_empty()) {
        return Err(ProblemKind::KeyShape { key });
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
        assert!(parse("0").unwrap_err().to_string().contains("positive"));
        assert!(parse("007")
            .unwrap_err()
            .to_string()
            .contains("starts with 0"));
        assert!(parse("-3").unwrap_err().to_string().contains("negative"));
        assert!(parse("-3x").unwrap_err().to_string().contains("'-'"));
        assert!(parse("1e5").unwrap_err().to_string().contains("'e'"));
        assert!(parse(&"9".repeat(MAX_DIGITS + 1))
            .unwrap_err()
            .to_string()
            .contains("digits"));
    }

    #[test]
    fn splits_on_single_spaces_after_trimming() {
        assert_eq!(words(" 3 5\n", KeyText::Public).unwrap().len(), 2);
        assert!(words("3  5", KeyText::Public).is_err());
        assert!(words("3\t5", KeyText::Public).is_err());
        assert!(words("3 5 7", KeyText::Public).is_err());
        assert!(words("\n", KeyText::Public)
            .unwrap_err()
            .to_string()
            .contains("empty"));
    }
}
