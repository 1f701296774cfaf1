//! Vessels: the parts a donated share is split into, and the rules on their percentages.

use crate::problem::ProblemKind;

/// The Seattle project's key, owner of the reserved vessel that every installer carries last.
pub const RESERVED_OWNER_KEY: &str = include_str!("reserved.publickey");
/// The reserved vessel's share of the donated resources.
pub const RESERVED_PERCENT: u32 = 20;
/// What the vessels a person defines must add up to (100 less the reserved vessel).
pub const DEFINED_TOTAL: u32 = 100 - RESERVED_PERCENT;
/// The Seattle installer accepts only whole tens.
pub const PERCENT_STEP: u32 = 10;
/// Eight vessels of 10% fill the 80%.
pub const MAX_VESSELS: usize = (DEFINED_TOTAL / PERCENT_STEP) as usize;

/// A vessel as a person defines it: a share, its owner, and its users, by user name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vessel {
    pub percent: u32,
    pub owner: String,
    pub users: Vec<String>,
}

/// One vessel's percentage: a whole ten from 10 to 80. (The legacy server took any 1..100 and
/// made installers that failed at install time.)
pub fn check_percent(percent: i128) -> Result<u32, ProblemKind> {
    if percent < PERCENT_STEP as i128 || percent > DEFINED_TOTAL as i128 {
        return Err(ProblemKind::PercentOutOfRange { percent });
    }
    if percent % PERCENT_STEP as i128 != 0 {
        return Err(ProblemKind::PercentNotMultiple { percent });
    }
    Ok(percent as u32)
}

/// The vessels together: at most eight, totalling exactly 80 (the reserved 20 is added by cib).
pub fn check_vessels(percents: &[u32]) -> Vec<ProblemKind> {
    check_count(percents.len())
        .into_iter()
        .chain(check_total(percents))
        .collect()
}

/// At most eight vessels.
pub fn check_count(count: usize) -> Option<ProblemKind> {
    (count > MAX_VESSELS).then_some(ProblemKind::TooManyVessels { count })
}

/// Exactly 80% together.
pub fn check_total(percents: &[u32]) -> Option<ProblemKind> {
    if percents.is_empty() {
        return Some(ProblemKind::NoVessels);
    }
    let total: u64 = percents.iter().map(|&p| u64::from(p)).sum();
    (total != u64::from(DEFINED_TOTAL)).then_some(ProblemKind::WrongTotal { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_whole_tens_from_10_to_80() {
        for ok in [10, 20, 50, 80] {
            assert_eq!(check_percent(ok), Ok(ok as u32));
        }
        let refused = |percent| check_percent(percent).unwrap_err().to_string();
        assert!(refused(55).contains("not a multiple of 10"));
        assert!(refused(0).contains("out of range"));
        assert!(refused(90).contains("out of range"));
        assert!(refused(-10).contains("out of range"));
    }

    #[test]
    fn vessels_total_80_and_number_at_most_8() {
        assert!(check_vessels(&[50, 30]).is_empty());
        assert!(check_vessels(&[10; 8]).is_empty());
        let said = |percents: &[u32]| -> Vec<String> {
            check_vessels(percents)
                .iter()
                .map(|p| p.to_string())
                .collect()
        };
        assert!(said(&[50, 20])[0].contains("these total 70%"));
        assert!(said(&[])[0].contains("no vessels"));
        let nine = said(&[10; 9]);
        assert!(nine[0].contains("9 vessels"));
        assert!(nine[1].contains("total 90%"));
    }

    #[test]
    fn the_reserved_key_is_the_shared_one() {
        assert_eq!(RESERVED_OWNER_KEY.trim().split(' ').count(), 2);
        assert!(RESERVED_OWNER_KEY.starts_with("22599311712094481841"));
    }
}
