//! The one-click builder's rules, natively: what a press, the host's manifest and a build's
//! reports do to its model, and what they ask the element to do.

use super::*;
use crate::words::english;
use cib_core::vessel::RESERVED_OWNER_KEY;

fn offer(platforms: Option<Vec<Platform>>, instructions: bool) -> Offer {
    let key = RESERVED_OWNER_KEY.trim();
    let request = Request::from_attributes(key, None, None).unwrap();
    Offer {
        vesselinfo: request.vesselinfo().unwrap(),
        platforms,
        instructions,
    }
}

fn download(file: &str) -> Download {
    Download {
        url: format!("blob:{file}"),
        file: file.into(),
        size: 3013,
    }
}

fn made(model: &mut Model, platform: Platform, file: &str) -> Vec<Effect> {
    model.update(Step::Made {
        platform,
        download: download(file),
        sha256: "ab".repeat(32),
    })
}

#[test]
fn an_offer_that_cannot_be_made_is_said_at_once_and_makes_nothing() {
    let key = RESERVED_OWNER_KEY.trim();
    let problems = Request::from_attributes("65537 12", Some(key), Some("linux beos")).unwrap_err();
    let said: Vec<String> = problems.iter().map(english).collect();
    assert_eq!(said.len(), 2, "{said:?}");
    assert!(said[0].starts_with("owner-key: "), "{said:?}");
    assert_eq!(
        said[1],
        "platforms: \"beos\" is not a platform; use linux, mac, windows or android."
    );
    let (mut model, effects) = Model::new(Err(problems));
    let [Effect::Error(error)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(
        english(error),
        format!("This installer cannot be made: {} {}", said[0], said[1])
    );
    assert!(model.update(Step::Make(Platform::Linux)).is_empty());
    assert!(model.status(Platform::Linux).is_none());
    assert!(model.buttons(Platform::Linux).is_empty());
    let none = Request::from_attributes(key, None, Some(" ")).unwrap_err();
    assert_eq!(
        english(&none[0]),
        "platforms: names no platform; use linux, mac, windows or android."
    );
}

#[test]
fn without_platforms_the_offer_waits_for_the_manifest() {
    let (mut model, effects) = Model::new(Ok(offer(None, true)));
    assert_eq!(effects, [Effect::LearnOffered]);
    assert!(model.buttons(Platform::Mac).is_empty());
    let offered = vec![Platform::Linux, Platform::Mac, Platform::Windows];
    assert!(model.update(Step::Offered(Ok(offered))).is_empty());
    assert_eq!(
        model.buttons(Platform::Mac),
        [Platform::Mac, Platform::Linux, Platform::Windows]
    );

    let (mut broken, _) = Model::new(Ok(offer(None, true)));
    let why = Said::text("the server answered 404");
    let effects = broken.update(Step::Offered(Err(why)));
    let said = "The list of installers could not be loaded: The server answered 404.";
    let [Effect::Error(error)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(english(error), said);
    assert_eq!(
        broken.announcement.as_ref().map(english).as_deref(),
        Some(said)
    );
    assert!(broken.buttons(Platform::Linux).is_empty());
}

#[test]
fn given_platforms_are_the_buttons_at_once() {
    let (model, effects) = Model::new(Ok(offer(Some(vec![Platform::Windows]), true)));
    assert!(effects.is_empty());
    assert_eq!(model.buttons(Platform::Linux), [Platform::Windows]);
}

#[test]
fn a_press_starts_one_build_and_a_second_press_while_it_works_is_ignored() {
    let (mut model, _) = Model::new(Ok(offer(Some(vec![Platform::Linux]), true)));
    assert_eq!(
        model.update(Step::Make(Platform::Linux)),
        [Effect::Make(Platform::Linux)]
    );
    assert!(model.working(Platform::Linux));
    assert!(model.update(Step::Make(Platform::Linux)).is_empty());
    model.update(Step::Progress {
        platform: Platform::Linux,
        received: 12_345_678,
        total: 30_000_000,
    });
    assert!(matches!(
        model.status(Platform::Linux),
        Some(Status::Fetching {
            received: 12_345_678,
            total: 30_000_000
        })
    ));
    assert_eq!(
        model.announcement.as_ref().map(english).as_deref(),
        Some("Linux: 12.3 MB of 30.0 MB")
    );
    model.update(Step::Customizing(Platform::Linux));
    assert!(model.update(Step::Make(Platform::Linux)).is_empty());
}

#[test]
fn a_made_installer_is_saved_announced_told_and_can_be_made_again() {
    let (mut model, _) = Model::new(Ok(offer(Some(vec![Platform::Linux]), true)));
    model.update(Step::Make(Platform::Linux));
    let effects = made(&mut model, Platform::Linux, "seattle_linux.tgz");
    assert_eq!(
        effects,
        [
            Effect::Save(Platform::Linux),
            Effect::Ready {
                platform: Platform::Linux,
                file: "seattle_linux.tgz".into(),
                size: 3013,
                sha256: "ab".repeat(32),
            }
        ]
    );
    assert_eq!(
        model.announcement.as_ref().map(english).as_deref(),
        Some("The Linux installer is ready: seattle_linux.tgz.")
    );
    assert!(model.shows_steps(Platform::Linux));
    assert!(!model.working(Platform::Linux));
    assert_eq!(
        model.update(Step::Make(Platform::Linux)),
        [Effect::Make(Platform::Linux)]
    );
    assert!(!model.shows_steps(Platform::Linux));
}

#[test]
fn instructions_off_leaves_the_steps_to_the_site() {
    let (mut model, _) = Model::new(Ok(offer(Some(vec![Platform::Mac]), false)));
    model.update(Step::Make(Platform::Mac));
    made(&mut model, Platform::Mac, "seattle_mac.tgz");
    assert!(!model.shows_steps(Platform::Mac));
}

#[test]
fn a_failed_build_is_said_and_told_and_only_its_platform_fails() {
    let offered = vec![Platform::Linux, Platform::Windows];
    let (mut model, _) = Model::new(Ok(offer(Some(offered), true)));
    model.update(Step::Make(Platform::Linux));
    model.update(Step::Make(Platform::Windows));
    let message = Said::id("ui-download-empty");
    let effects = model.update(Step::Failed {
        platform: Platform::Linux,
        message: message.clone(),
    });
    assert_eq!(effects, [Effect::Error(message.clone())]);
    assert_eq!(model.announcement, Some(message.clone()));
    assert!(matches!(model.status(Platform::Linux), Some(Status::Failed(m)) if *m == message));
    assert!(model.working(Platform::Windows));
    // A failed platform can be tried again.
    assert_eq!(
        model.update(Step::Make(Platform::Linux)),
        [Effect::Make(Platform::Linux)]
    );
}
