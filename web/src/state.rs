//! What the person entered: users, vessels, platforms and the form being filled in. Every
//! change goes through a method here, so the rules (vessels total 80, whole tens, at most 8)
//! hold whatever the order of clicks; `update::Model` holds it with the rest of the builder's
//! state, and the DOM is only ever a picture of that.

use crate::key_size::{self, KeyOrigin};
use crate::words::{text, Said};
use cib_core::share_link::Shared;
use cib_core::vessel::{DEFINED_TOTAL, MAX_VESSELS, PERCENT_STEP};
use cib_core::{BuildDescription, KeyBits, KeyPair, Platform, Problems, PublicKey};

/// The fast lane's one user, named as the legacy builder's fast lane named it.
pub const QUICK_USER: &str = "user";

/// Where a user's key comes from.
#[derive(Debug, Clone)]
pub enum UserKey {
    /// Given by the person (pasted or from a `.publickey` file).
    Own(PublicKey),
    /// To be generated at build time.
    Missing,
    /// Generated on this page; the private half exists only here until downloaded.
    Generated(KeyPair),
}

#[derive(Debug, Clone)]
pub struct UserEntry {
    pub name: String,
    pub key: UserKey,
}

impl UserEntry {
    pub fn public_key(&self) -> Option<&PublicKey> {
        match &self.key {
            UserKey::Own(key) => Some(key),
            UserKey::Generated(pair) => Some(&pair.public),
            UserKey::Missing => None,
        }
    }

    /// How this user's key reads in step 1, a key still to be generated at the `chosen` size.
    pub fn key_said(&self, chosen: KeyBits) -> Said {
        let key = match &self.key {
            UserKey::Own(key) => Some((KeyOrigin::Own, key)),
            UserKey::Generated(pair) => Some((KeyOrigin::Generated, &pair.public)),
            UserKey::Missing => None,
        };
        key_size::user_key(key, chosen)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VesselEntry {
    pub percent: u32,
    pub owner: Option<String>,
    pub users: Vec<String>,
    /// Why the person should look at this vessel again (a removed owner or user).
    pub notice: Option<Said>,
}

impl VesselEntry {
    fn new(percent: u32) -> Self {
        VesselEntry {
            percent,
            owner: None,
            users: Vec::new(),
            notice: None,
        }
    }
}

/// The fields of the "add a user" form, kept here so a failed add loses nothing.
#[derive(Debug, Clone, Default)]
pub struct UserForm {
    pub name: String,
    pub key_text: String,
    /// Set once the person tried to add, so an empty name is only reported when it matters.
    pub tried: bool,
    /// Why a chosen or dropped key file could not be used (until the key field changes).
    pub file_problem: Option<Said>,
}

#[derive(Debug, Clone)]
pub struct State {
    pub users: Vec<UserEntry>,
    pub vessels: Vec<VesselEntry>,
    pub platforms: Vec<Platform>,
    pub form: UserForm,
    /// Counts edits, so a build that finishes after the description changed is not offered.
    pub revision: u64,
    /// The users whose generated private keys the person has downloaded.
    pub saved_private: Vec<String>,
    /// Why the share link the page was opened with could not be used.
    pub link_problem: Option<Said>,
    /// The size of the key pairs generated for users without a key (no edit of the
    /// description: a pair already generated is kept).
    pub key_bits: KeyBits,
}

impl State {
    pub fn new(own_platform: Platform) -> Self {
        State {
            users: Vec::new(),
            vessels: vec![VesselEntry::new(DEFINED_TOTAL)],
            platforms: vec![own_platform],
            form: UserForm::default(),
            revision: 0,
            saved_private: Vec::new(),
            link_problem: None,
            key_bits: key_size::DEFAULT,
        }
    }

    /// The builder as a share link describes it: its users (each with their own public key),
    /// vessels and platforms, in their order, so a build gives the very same installers.
    pub fn from_shared(shared: Shared) -> Self {
        let Shared {
            description,
            platforms,
        } = shared;
        let mut state = State::new(Platform::Linux);
        state.platforms = platforms;
        state.users = description
            .users
            .into_iter()
            .map(|u| UserEntry {
                name: u.name,
                key: u.public_key.map_or(UserKey::Missing, UserKey::Own),
            })
            .collect();
        state.vessels = description
            .vessels
            .into_iter()
            .map(|v| VesselEntry {
                owner: Some(v.owner),
                users: v.users,
                ..VesselEntry::new(v.percent)
            })
            .collect();
        state
    }

    /// The state as a build description, checked by the core (once per render: the build step
    /// and the share link both read it).
    pub fn description(&self) -> Result<BuildDescription, Problems> {
        BuildDescription::parse(&self.description_json())
    }

    /// What a share link carries, once the description is complete and every user has a public
    /// key (never a private one: a `Shared` cannot hold it).
    pub fn shared(&self, description: &BuildDescription) -> Option<Shared> {
        let complete = description.users_without_key().next().is_none();
        (complete && !self.platforms.is_empty()).then(|| Shared {
            description: description.clone(),
            platforms: self.platforms.clone(),
        })
    }

    /// The fast lane: one 80% vessel owned by a user named `user`, whose key pair the build
    /// generates. Only on an empty builder, so nothing the person entered is replaced.
    pub fn quick(&mut self) -> bool {
        if !self.users.is_empty() {
            return false;
        }
        self.users.push(UserEntry {
            name: QUICK_USER.into(),
            key: UserKey::Missing,
        });
        self.vessels = vec![VesselEntry {
            owner: Some(QUICK_USER.into()),
            ..VesselEntry::new(DEFINED_TOTAL)
        }];
        self.form = UserForm::default();
        self.edited();
        true
    }

    fn edited(&mut self) {
        self.revision += 1;
    }

    pub fn user(&self, name: &str) -> Option<&UserEntry> {
        self.users.iter().find(|u| u.name == name)
    }

    /// The problem with the name being typed, if any: the core's rule, then uniqueness.
    pub fn name_problem(&self, name: &str) -> Option<Said> {
        if name.is_empty() {
            return Some(Said::id("ui-name-empty"));
        }
        if let Err(problem) = cib_core::user::check_name_typed(name) {
            return Some(Said::sentence(Said::of(&problem)));
        }
        self.user(name)
            .map(|_| Said::new("ui-name-taken", vec![("name", text(name))]))
    }

    /// The public key being entered: `Ok(None)` when empty (one will be generated).
    pub fn form_key(&self) -> Result<Option<PublicKey>, Said> {
        let typed = self.form.key_text.trim();
        if typed.is_empty() {
            return Ok(None);
        }
        PublicKey::parse_typed(typed).map(Some).map_err(|problem| {
            Said::new(
                "ui-key-unusable",
                vec![("problem", Said::of(&problem).into())],
            )
        })
    }

    /// Adds the user of the form; false when something is to fix (the messages say what; the
    /// form is kept).
    pub fn add_user(&mut self) -> bool {
        self.form.tried = true;
        let name = self.form.name.trim().to_string();
        let key = self.form_key();
        if self.name_problem(&name).is_some() || key.is_err() {
            return false;
        }
        let key = key.ok().flatten().map_or(UserKey::Missing, UserKey::Own);
        self.users.push(UserEntry { name, key });
        self.form = UserForm::default();
        self.edited();
        true
    }

    /// Removes a user, and flags each vessel that named them so the person sees what changed.
    pub fn remove_user(&mut self, name: &str) {
        self.users.retain(|u| u.name != name);
        for vessel in &mut self.vessels {
            if vessel.owner.as_deref() == Some(name) {
                vessel.owner = None;
                vessel.notice = Some(Said::new("ui-owner-removed", vec![("name", text(name))]));
            }
            if vessel.users.iter().any(|u| u == name) {
                vessel.users.retain(|u| u != name);
                if vessel.notice.is_none() {
                    vessel.notice = Some(Said::new("ui-user-removed", vec![("name", text(name))]));
                }
            }
        }
        self.edited();
    }

    pub fn can_split(&self, i: usize) -> bool {
        self.vessels.len() < MAX_VESSELS
            && self
                .vessels
                .get(i)
                .is_some_and(|v| v.percent > PERCENT_STEP)
    }

    /// Splits a vessel into two whole tens, the larger first (80 → 40 + 40, 30 → 20 + 10). The
    /// new vessel keeps the owner and users, so a split never makes the description invalid.
    pub fn split(&mut self, i: usize) {
        if !self.can_split(i) {
            return;
        }
        let tens = self.vessels[i].percent / PERCENT_STEP;
        let second = tens / 2 * PERCENT_STEP;
        self.vessels[i].percent -= second;
        let mut new = self.vessels[i].clone();
        new.percent = second;
        new.notice = None;
        self.vessels.insert(i + 1, new);
        self.edited();
    }

    /// Merges vessel `i` with the next one; the first one's owner wins, users are joined.
    pub fn merge(&mut self, i: usize) {
        if i + 1 >= self.vessels.len() {
            return;
        }
        let next = self.vessels.remove(i + 1);
        let vessel = &mut self.vessels[i];
        vessel.percent += next.percent;
        if vessel.owner.is_none() {
            vessel.owner = next.owner;
        }
        for user in next.users {
            if !vessel.users.contains(&user) {
                vessel.users.push(user);
            }
        }
        self.edited();
    }

    /// The vessel that gives or takes the 10% when vessel `i` grows or shrinks: the next one, or
    /// the previous one for the last.
    fn neighbour(&self, i: usize) -> Option<usize> {
        if i + 1 < self.vessels.len() {
            Some(i + 1)
        } else {
            i.checked_sub(1)
        }
    }

    pub fn can_grow(&self, i: usize) -> bool {
        self.neighbour(i)
            .is_some_and(|n| self.vessels[n].percent > PERCENT_STEP)
    }

    pub fn can_shrink(&self, i: usize) -> bool {
        self.neighbour(i).is_some() && self.vessels[i].percent > PERCENT_STEP
    }

    pub fn grow(&mut self, i: usize) {
        if let (true, Some(n)) = (self.can_grow(i), self.neighbour(i)) {
            self.vessels[n].percent -= PERCENT_STEP;
            self.vessels[i].percent += PERCENT_STEP;
            self.edited();
        }
    }

    pub fn shrink(&mut self, i: usize) {
        if let (true, Some(n)) = (self.can_shrink(i), self.neighbour(i)) {
            self.vessels[i].percent -= PERCENT_STEP;
            self.vessels[n].percent += PERCENT_STEP;
            self.edited();
        }
    }

    pub fn set_owner(&mut self, i: usize, owner: &str) {
        if let Some(vessel) = self.vessels.get_mut(i) {
            vessel.owner = (!owner.is_empty()).then(|| owner.to_string());
            vessel.notice = None;
            self.edited();
        }
    }

    pub fn set_vessel_user(&mut self, i: usize, user: &str, on: bool) {
        if let Some(vessel) = self.vessels.get_mut(i) {
            vessel.users.retain(|u| u != user);
            if on {
                // Keep the users in the order of the user list, so vesselinfo does not depend
                // on the order of clicks.
                vessel.users.push(user.to_string());
                let order = |name: &String| self.users.iter().position(|u| &u.name == name);
                vessel.users.sort_by_key(order);
            }
            vessel.notice = None;
            self.edited();
        }
    }

    pub fn set_platform(&mut self, platform: Platform, on: bool) {
        self.platforms.retain(|p| *p != platform);
        if on {
            self.platforms.push(platform);
            self.platforms.sort();
        }
        self.edited();
    }

    /// Keeps the key pairs generated for users, so a second build uses the same keys.
    pub fn set_generated(&mut self, name: &str, pair: KeyPair) {
        if let Some(user) = self.users.iter_mut().find(|u| u.name == name) {
            user.key = UserKey::Generated(pair);
        }
    }

    pub fn generated_users(&self) -> impl Iterator<Item = (&str, &KeyPair)> {
        self.users.iter().filter_map(|u| match &u.key {
            UserKey::Generated(pair) => Some((u.name.as_str(), pair)),
            _ => None,
        })
    }

    /// True while some generated private key exists only in this page.
    pub fn unsaved_private_keys(&self) -> bool {
        self.generated_users()
            .any(|(name, _)| !self.saved_private.iter().any(|s| s == name))
    }

    pub fn private_keys_saved(&mut self) {
        self.saved_private = self
            .generated_users()
            .map(|(name, _)| name.to_string())
            .collect();
    }

    /// The build description in the legacy API's JSON, from the state as it is; the core
    /// writes it and, reading it back, checks it.
    pub fn description_json(&self) -> String {
        let description = cib_core::BuildDescription {
            vessels: self
                .vessels
                .iter()
                .map(|v| cib_core::Vessel {
                    percent: v.percent,
                    owner: v.owner.clone().unwrap_or_default(),
                    users: v.users.clone(),
                })
                .collect(),
            users: self
                .users
                .iter()
                .map(|u| cib_core::User {
                    name: u.name.clone(),
                    public_key: u.public_key().cloned(),
                })
                .collect(),
        };
        description.to_json()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::words::english;
    use cib_core::share_link::Shared;
    use cib_core::vessel::RESERVED_OWNER_KEY;

    fn with_users(names: &[&str]) -> State {
        let mut state = State::new(Platform::Linux);
        for name in names {
            state.form.name = name.to_string();
            assert!(state.add_user(), "{name} is added");
        }
        state
    }

    #[test]
    fn a_split_keeps_owner_and_users_and_a_merge_joins_them() {
        let mut state = with_users(&["alice", "bob", "carol"]);
        state.set_owner(0, "alice");
        state.set_vessel_user(0, "bob", true);
        state.split(0);
        assert_eq!(state.vessels[1].owner.as_deref(), Some("alice"));
        assert_eq!(state.vessels[1].users, ["bob"]);
        state.set_owner(1, "carol");
        state.set_vessel_user(1, "carol", true);
        state.merge(0);
        assert_eq!(state.vessels.len(), 1);
        assert_eq!(state.vessels[0].percent, DEFINED_TOTAL);
        // The first vessel's owner wins; users are joined in the user list's order.
        assert_eq!(state.vessels[0].owner.as_deref(), Some("alice"));
        assert_eq!(state.vessels[0].users, ["bob", "carol"]);
        assert!(state.description().is_ok());
    }

    #[test]
    fn a_vessel_moves_tens_to_its_neighbour_and_never_below_ten() {
        let mut state = State::new(Platform::Linux);
        state.split(0);
        assert_eq!(state.vessels.len(), 2);
        for _ in 0..5 {
            state.grow(1);
        }
        let percents: Vec<u32> = state.vessels.iter().map(|v| v.percent).collect();
        assert_eq!(percents, [PERCENT_STEP, DEFINED_TOTAL - PERCENT_STEP]);
        assert!(!state.can_shrink(0) && !state.can_grow(1));
        let revision = state.revision;
        state.shrink(0);
        assert_eq!(state.revision, revision, "a refused move is no edit");
    }

    #[test]
    fn users_are_checked_and_ordered_and_their_removal_is_flagged() {
        let mut state = with_users(&["bob", "alice"]);
        state.set_vessel_user(0, "alice", true);
        state.set_vessel_user(0, "bob", true);
        assert_eq!(state.vessels[0].users, ["bob", "alice"]);
        state.set_vessel_user(0, "bob", false);
        assert_eq!(state.vessels[0].users, ["alice"]);
        state.form.name = "alice".into();
        assert!(!state.add_user());
        assert_eq!(
            state.name_problem("alice").map(|p| english(&p)).as_deref(),
            Some("There is already a user named alice; names must be unique.")
        );
        assert_eq!(
            state.name_problem("a b").map(|p| english(&p)).as_deref(),
            Some("User name \"a b\" contains ' '; use only letters, digits and _.")
        );
        state.remove_user("alice");
        assert_eq!(
            state.vessels[0].notice.as_ref().map(english).as_deref(),
            Some("User alice was removed from this vessel.")
        );
        state.set_vessel_user(0, "bob", true);
        assert_eq!(state.vessels[0].notice, None);
    }

    #[test]
    fn a_shared_builder_is_the_one_that_was_shared() {
        let mut state = with_users(&[]);
        state.form.name = "alice".into();
        state.form.key_text = RESERVED_OWNER_KEY.trim().into();
        assert!(state.add_user());
        state.set_owner(0, "alice");
        state.set_platform(Platform::Android, true);
        let description = state.description().expect("a complete description");
        let shared: Shared = state.shared(&description).expect("every user has a key");
        let again = State::from_shared(shared);
        assert_eq!(again.vessels, state.vessels);
        assert_eq!(again.platforms, [Platform::Linux, Platform::Android]);
        assert_eq!(again.description_json(), state.description_json());
        // A user whose key is still to be generated has no share link.
        let mut missing = again.clone();
        missing.form.name = "bob".into();
        assert!(missing.add_user());
        let description = missing.description().expect("still complete");
        assert!(missing.shared(&description).is_none());
    }
}
