//! The choice of generated keys' size, drawn where a person decides to generate (beside "Add
//! user" and the quick installer), wired to `Action::SetKeyBits`; its words are `key_size`'s.

use crate::key_size::{option_label, DEFAULT, OFFERED};
use crate::action::Action;
use crate::catalog::{message, t};
use crate::dom::{El, Root};
use crate::state::State;
use web_sys::HtmlSelectElement;

/// The choice for the users of step 1.
pub const USERS: &str = "cib-key-bits";
/// The same choice beside the quick installer.
pub const QUICK: &str = "cib-quick-key-bits";

/// A labelled choice of size, wired to `Action::SetKeyBits`.
pub fn choice(id: &str) -> El {
    let hint = format!("{id}-hint");
    let options = OFFERED.map(|bits| {
        El::new("option")
            .attr("value", &bits.bits().to_string())
            .flag("selected", bits == DEFAULT)
            .text(&message(&option_label(bits)))
    });
    El::new("div").class("field").children([
        El::new("label")
            .attr("for", id)
            .text(&t("ui-key-size-label")),
        El::new("select")
            .attr("id", id)
            .attr("aria-describedby", &hint)
            .action(&Action::SetKeyBits(DEFAULT))
            .children(options),
        El::new("p")
            .attr("id", &hint)
            .class("hint")
            .text(&t("ui-key-size-hint")),
    ])
}

/// Both choices show the builder's size.
pub fn render(root: &Root, state: &State) {
    let value = state.key_bits.bits().to_string();
    for id in [USERS, QUICK] {
        if let Some(select) = root.by_id::<HtmlSelectElement>(id) {
            if select.value() != value {
                select.set_value(&value);
            }
        }
    }
}
