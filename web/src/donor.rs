//! What the donor's page says about the installers of a share link: what installing donates,
//! vessel by vessel, and whose keys those are, as words of the catalogs; `donor_view` draws
//! them.

use crate::words::{count, listed, number, text, Said};
use cib_core::vessel::RESERVED_PERCENT;
use cib_core::BuildDescription;

/// What installing does, in one paragraph.
pub fn summary(description: &BuildDescription) -> Said {
    let vessels = description.vessels.iter().map(|v| {
        let named = |id, name: &str| Said::new(id, vec![("name", text(name))]);
        let mut names = vec![named("ui-donor-owner", &v.owner)];
        names.extend(
            v.users
                .iter()
                .filter(|u| **u != v.owner)
                .map(|u| named("ui-donor-user", u)),
        );
        Said::new(
            "ui-donor-vessel",
            vec![
                ("percent", number(v.percent)),
                (
                    "names",
                    listed(names, "ui-list-comma", "ui-list-and").into(),
                ),
            ],
        )
    });
    Said::new(
        "ui-donor-summary",
        vec![
            (
                "vessels",
                listed(vessels.collect(), "ui-list-semicolon", "ui-list-semicolon").into(),
            ),
            ("reserved", number(RESERVED_PERCENT)),
        ],
    )
}

/// One line per user: the name, the key's fingerprint and its size.
pub fn users(description: &BuildDescription) -> Vec<Said> {
    description
        .users
        .iter()
        .map(|u| match &u.public_key {
            Some(key) => Said::new(
                "ui-donor-user-key",
                vec![
                    ("name", text(&u.name)),
                    ("fingerprint", text(&key.fingerprint())),
                    ("bits", count(key.modulus_bits())),
                ],
            ),
            None => Said::new("ui-donor-user-no-key", vec![("name", text(&u.name))]),
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::words::english;

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
        let text = english(&summary(&description));
        assert!(text.contains(
            "50% of that share goes to experiments controlled by alice (owner), bob (user) and \
             carol (user); 30% of that share goes to experiments controlled by bob (owner); 20% \
             is reserved for the Seattle project."
        ));
        let lines: Vec<String> = users(&description).iter().map(english).collect();
        assert_eq!(lines.len(), 3);
        let fingerprint = cib_core::public_key::fingerprint(&key);
        assert_eq!(
            lines[0],
            format!("alice: key fingerprint {fingerprint}, 569 bits")
        );
    }
}
