//! What the donor's page says about the installers of a share link: what installing donates,
//! vessel by vessel, and whose keys those are. The words live here; `donor_view` draws them.

use cib_core::vessel::RESERVED_PERCENT;
use cib_core::BuildDescription;

pub const TITLE: &str = "Install Seattle";
pub const USERS_HEADING: &str = "Whose keys these installers hold";
pub const DOWNLOADS_HEADING: &str = "Download";
pub const OPEN_BUILDER: &str = "Open in the builder";
pub const OPEN_BUILDER_HINT: &str = "To change these installers (users, vessels, platforms), \
                                     open them in the builder.";

/// "a, b and c".
fn listed(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// What installing does, in one paragraph.
pub fn summary(description: &BuildDescription) -> String {
    let vessels: Vec<String> = description
        .vessels
        .iter()
        .map(|v| {
            let mut names = vec![format!("{} (owner)", v.owner)];
            names.extend(
                v.users
                    .iter()
                    .filter(|u| **u != v.owner)
                    .map(|u| format!("{u} (user)")),
            );
            format!(
                "{}% of that share goes to experiments controlled by {}",
                v.percent,
                listed(&names)
            )
        })
        .collect();
    format!(
        "Installing Seattle with this installer donates a share of this computer (its processor, \
         memory, disk and network) to the Seattle testbed. {}; {RESERVED_PERCENT}% is reserved \
         for the Seattle project.",
        vessels.join("; ")
    )
}

/// One line per user: the name, the key's fingerprint and its size.
pub fn users(description: &BuildDescription) -> Vec<String> {
    description
        .users
        .iter()
        .map(|u| match &u.public_key {
            Some(key) => format!(
                "{}: key fingerprint {}, {} bits",
                u.name,
                key.fingerprint(),
                key.modulus_bits()
            ),
            None => format!("{}: no key", u.name),
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_description_reads_vessel_by_vessel_with_each_key() {
        let key = "65537 ".to_string() + &"9".repeat(170) + "7";
        let json = format!(
            r#"{{"vessels": [{{"percentage": 50, "owner": "alice", "users": ["bob", "carol"]}},
                            {{"percentage": 30, "owner": "bob", "users": []}}],
                "user_data": {{"alice": {{"public_key": "{key}"}}, "bob": {{"public_key": "{key}"}},
                              "carol": {{"public_key": "{key}"}}}}}}"#
        );
        let description = BuildDescription::parse(&json).expect("a valid description");
        let text = summary(&description);
        assert!(text.contains(
            "50% of that share goes to experiments controlled by alice (owner), bob (user) and \
             carol (user); 30% of that share goes to experiments controlled by bob (owner); 20% \
             is reserved for the Seattle project."
        ));
        let lines = users(&description);
        assert_eq!(lines.len(), 3);
        let fingerprint = cib_core::public_key::fingerprint(&key);
        assert_eq!(
            lines[0],
            format!("alice: key fingerprint {fingerprint}, 569 bits")
        );
    }
}
