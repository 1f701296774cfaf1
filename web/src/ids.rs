//! Ids of the elements that more than one module names: the one drawing an element and the
//! ones that focus it, fill it or find files in it agree through these.

/// The polite live region through which the page tells what just happened.
pub const ANNOUNCE: &str = "cib-announce";
/// Step 1's name and key fields, the key file input, and the section files are dropped on.
pub const USERS: &str = "cib-users";
pub const NAME: &str = "cib-name";
pub const KEY: &str = "cib-key";
pub const KEY_FILE: &str = "cib-key-file";
/// The saved page's base installers: their input and the area they are dropped on.
pub const BASE_INSTALLERS: &str = "cib-base-installers";
pub const CHOSEN_AREA: &str = "cib-chosen";
/// Step 5's heading, which takes the focus when a build starts.
pub const RESULTS_HEADING: &str = "cib-results-heading";
/// The share link's field and where its state is said.
pub const SHARE: &str = "cib-share";
pub const SHARE_FIELD: &str = "cib-share-link";
