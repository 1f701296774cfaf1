//! The vesselinfo file: what the Seattle installer reads to set up vessels.

use crate::build_description::BuildDescription;
use crate::vessel::{RESERVED_OWNER_KEY, RESERVED_PERCENT};

/// Where vesselinfo lives inside every base installer: beside `seattleinstaller.py`.
pub const ARCHIVE_PATH: &str = "seattle/seattle_repy/vesselinfo";

/// Writes vesselinfo byte for byte as the legacy CIB did: per vessel a `Percent` line, an
/// `Owner` line and one `User` line per user; the reserved vessel last; lines joined by `\n`
/// with no newline at the end. Fails with the names of the users who have no key yet.
pub fn write(description: &BuildDescription) -> Result<String, Vec<String>> {
    let key_of = |name: &str| {
        description
            .user(name)
            .and_then(|u| u.public_key.as_ref())
            .map(|k| k.to_string())
    };
    let mut missing: Vec<String> = Vec::new();
    let mut lines = Vec::new();
    for vessel in &description.vessels {
        lines.push(format!("Percent {}", vessel.percent));
        for (label, name) in std::iter::once(("Owner", &vessel.owner))
            .chain(vessel.users.iter().map(|u| ("User", u)))
        {
            match key_of(name) {
                Some(key) => lines.push(format!("{label} {key}")),
                None if !missing.contains(name) => missing.push(name.clone()),
                None => {}
            }
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    lines.push(format!("Percent {RESERVED_PERCENT}"));
    lines.push(format!("Owner {}", RESERVED_OWNER_KEY.trim()));
    Ok(lines.join("\n"))
}

/// A vessel as the Seattle installer reads it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstalledVessel {
    pub percent: i64,
    pub owner: String,
    pub users: Vec<String>,
}

/// Reads vesselinfo the way `seattleinstaller.py` does, and applies its acceptance rules
/// (whole tens, total 100), so tests can check that what we write is what it takes.
pub fn read_as_installer(text: &str) -> Result<Vec<InstalledVessel>, String> {
    let mut vessels: Vec<InstalledVessel> = Vec::new();
    for (number, line) in text.split('\n').enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let place = format!("line {}", number + 1);
        let key = || match words.get(1..3) {
            Some([e, n]) if words.len() == 3 => Ok(format!("{e} {n}")),
            _ => Err(format!("{place}: a key is two numbers")),
        };
        match words.first() {
            None => return Err(format!("{place}: empty line")),
            Some(&"Percent") => {
                let percent = words
                    .get(1)
                    .and_then(|w| w.parse::<i64>().ok())
                    .ok_or_else(|| format!("{place}: Percent needs an integer"))?;
                vessels.push(InstalledVessel {
                    percent,
                    owner: String::new(),
                    users: Vec::new(),
                });
            }
            Some(&"Owner") => {
                let vessel = vessels
                    .last_mut()
                    .ok_or(format!("{place}: Owner before Percent"))?;
                vessel.owner = key()?;
            }
            Some(&"User") => {
                let vessel = vessels
                    .last_mut()
                    .ok_or(format!("{place}: User before Percent"))?;
                vessel.users.push(key()?);
            }
            Some(_) => {}
        }
    }
    if vessels.is_empty() {
        return Err("no vessel".into());
    }
    if let Some(i) = vessels.iter().position(|v| v.owner.is_empty()) {
        return Err(format!("vessel {} has no owner", i + 1));
    }
    if let Some(v) = vessels
        .iter()
        .find(|v| v.percent % 10 != 0 || !(10..=100).contains(&v.percent))
    {
        return Err(format!(
            "percent {} is not one of 10, 20, ..., 100",
            v.percent
        ));
    }
    let total: i64 = vessels.iter().map(|v| v.percent).sum();
    if total != 100 {
        return Err(format!("vessels total {total}, not 100"));
    }
    Ok(vessels)
}

#[cfg(test)]
mod tests {
    use super::read_as_installer;

    #[test]
    fn the_installer_reading_accepts_what_it_should() {
        let text = "Percent 60\nOwner 17 3233\nUser 3 3127\nPercent 20\nOwner 7 4087\nPercent 20\nOwner 5 77";
        let vessels = read_as_installer(text).unwrap();
        assert_eq!(vessels.len(), 3);
        assert_eq!(vessels[0].users, ["3 3127"]);
        // Unknown first words are ignored, as the installer does.
        assert!(read_as_installer("Percent 100\n# note\nOwner 1 2").is_ok());
    }

    #[test]
    fn the_installer_reading_refuses_what_it_should() {
        for (text, why) in [
            ("", "empty line"),
            ("Percent 100\nOwner 1 2\n", "empty line"),
            ("Owner 1 2", "Owner before Percent"),
            ("Percent 100", "has no owner"),
            ("Percent ten\nOwner 1 2", "integer"),
            (
                "Percent 55\nOwner 1 2\nPercent 45\nOwner 1 2",
                "not one of 10",
            ),
            ("Percent 80\nOwner 1 2", "total 80"),
            ("Percent 100\nOwner 1", "two numbers"),
            ("percent 100\nOwner 1 2", "Owner before Percent"),
        ] {
            let err = read_as_installer(text).unwrap_err();
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }
}
