//! The page's state rules: vessels stay whole tens totalling 80, at most 8; removing a user
//! flags the vessels that named them; a failed add keeps what was typed.

// These run in a browser (wasm-bindgen-test); natively there is nothing of them to build.
#![cfg(target_arch = "wasm32")]

use cib_core::vessel::RESERVED_OWNER_KEY;
use cib_core::Platform;
use cib_web::state::State;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn percents(state: &State) -> Vec<u32> {
    state.vessels.iter().map(|v| v.percent).collect()
}

fn with_users(names: &[&str]) -> State {
    let mut state = State::new(Platform::Linux);
    for name in names {
        state.form.name = name.to_string();
        assert!(state.add_user());
    }
    state
}

#[wasm_bindgen_test]
fn splits_merges_and_moves_tens() {
    let mut state = State::new(Platform::Linux);
    assert_eq!(percents(&state), [80]);
    assert!(!state.can_grow(0) && !state.can_shrink(0));
    state.split(0);
    assert_eq!(percents(&state), [40, 40]);
    state.split(1);
    assert_eq!(percents(&state), [40, 20, 20]);
    state.grow(2);
    assert_eq!(percents(&state), [40, 10, 30]);
    assert!(!state.can_grow(2));
    state.shrink(0);
    assert_eq!(percents(&state), [30, 20, 30]);
    state.split(2);
    assert_eq!(percents(&state), [30, 20, 20, 10]);
    state.merge(1);
    assert_eq!(percents(&state), [30, 40, 10]);
    for _ in 0..20 {
        let i = state
            .vessels
            .iter()
            .position(|v| v.percent > 10)
            .unwrap_or(0);
        state.split(i);
    }
    assert_eq!(percents(&state), [10; 8]);
    assert!(!state.can_split(0));
    assert!(!state.can_shrink(3));
}

#[wasm_bindgen_test]
fn removing_a_user_flags_their_vessels() {
    let mut state = with_users(&["alice", "bob"]);
    state.split(0);
    state.set_owner(0, "alice");
    state.set_owner(1, "bob");
    state.set_vessel_user(1, "alice", true);
    state.remove_user("alice");
    assert_eq!(state.vessels[0].owner, None);
    // Notices are words of the catalogs, said here in English (no builder is drawing).
    assert_eq!(
        state.vessels[0]
            .notice
            .as_ref()
            .map(|n| n.to_string())
            .as_deref(),
        Some("Owner alice was removed; choose another owner.")
    );
    assert!(state.vessels[1].users.is_empty());
    assert!(state.vessels[1]
        .notice
        .as_ref()
        .is_some_and(|n| n.to_string().contains("alice")));
    state.set_owner(0, "bob");
    assert_eq!(state.vessels[0].notice, None);
}

#[wasm_bindgen_test]
fn a_refused_user_keeps_the_form() {
    let mut state = with_users(&["alice"]);
    state.form.name = "alice".into();
    state.form.key_text = RESERVED_OWNER_KEY.into();
    assert!(!state.add_user());
    assert!(state
        .name_problem("alice")
        .is_some_and(|p| p.to_string().contains("already")));
    assert_eq!(state.form.key_text, RESERVED_OWNER_KEY);
    state.form.name = "carol".into();
    state.form.key_text = "65537 15".into();
    assert!(!state.add_user());
    assert_eq!(state.form.name, "carol");
    state.form.key_text = RESERVED_OWNER_KEY.into();
    assert!(state.add_user());
    assert!(state.form.name.is_empty());
}

#[wasm_bindgen_test]
fn the_description_is_what_the_core_accepts() {
    let mut state = with_users(&["alice", "bob"]);
    assert!(cib_core::BuildDescription::parse(&state.description_json()).is_err());
    state.set_owner(0, "alice");
    state.set_vessel_user(0, "bob", true);
    let description = cib_core::BuildDescription::parse(&state.description_json()).unwrap();
    assert_eq!(description.vessels[0].users, ["bob"]);
    assert_eq!(description.users_without_key().count(), 2);
}
