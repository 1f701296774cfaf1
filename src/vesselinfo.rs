//! The vesselinfo file: what the Seattle installer reads to set up vessels.

mod read;

pub use read::{ReadVessel, UnusableKey, VesselKey, Vesselinfo};

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

#[cfg(test)]
mod tests;
