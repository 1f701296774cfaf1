//! The languages the page speaks, and which one a person gets. The words themselves are data:
//! one catalog per language in `web/i18n/` (see docs/i18n.md), English built into the module,
//! the others fetched when chosen (`catalog`).

/// Every language with a catalog: its tag (the catalog's file name) and its own name, as the
/// language menu shows it.
pub const LANGUAGES: [(&str, &str); 6] = [
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("pt-BR", "Português (Brasil)"),
    ("zh-CN", "简体中文"),
];

pub const ENGLISH: &str = "en";

/// English, the catalog every other falls back to, message by message.
pub const ENGLISH_CATALOG: &str = include_str!("../i18n/en.json");

/// Where a catalog's language is remembered once chosen from the menu.
pub const REMEMBERED: &str = "cib-language";

/// The page's language for a tag a person or a browser asked for: the same tag, else one of the
/// same language (`es-ES` is `es`, `pt` is `pt-BR`, `zh` is `zh-CN`).
pub fn known(tag: &str) -> Option<&'static str> {
    let tag = tag.trim();
    let primary = |t: &str| {
        t.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    LANGUAGES
        .iter()
        .find(|(ours, _)| ours.eq_ignore_ascii_case(tag))
        .or_else(|| {
            let wanted = primary(tag);
            LANGUAGES.iter().find(|(ours, _)| primary(ours) == wanted)
        })
        .map(|(ours, _)| *ours)
}

/// The language of a builder. A choice made for this page (an element's `lang`, `?lang=`, the
/// menu's remembered choice) is kept even when unknown, and then means English; otherwise the
/// first of the browser's languages that the page speaks.
pub fn choose<'a>(
    chosen: impl IntoIterator<Item = Option<&'a str>>,
    browser: &[String],
) -> &'static str {
    if let Some(tag) = chosen.into_iter().flatten().find(|t| !t.trim().is_empty()) {
        return known(tag).unwrap_or(ENGLISH);
    }
    browser.iter().find_map(|tag| known(tag)).unwrap_or(ENGLISH)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
