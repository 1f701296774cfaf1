//! How numbers and the core's messages read to a person. Text the page shows is shaped here, so
//! that the page's wording has one home (and, later, one catalog).

/// The core's messages start in lower case to fit after a place name; alone they need a capital
/// and a full stop. They are English, so an ASCII capital will do: Unicode's case tables would
/// add 14 KB to the module.
pub fn sentence(message: &str) -> String {
    let mut out = message.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// "3.4 MB", "612 kB", "900 bytes": sizes as a person reads them.
pub fn size(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} bytes"),
        // Integer arithmetic: formatting floats would add the float printer to the module.
        1_000..=999_499 => format!("{} kB", (bytes + 500) / 1_000),
        _ => {
            let tenths = (bytes + 50_000) / 100_000;
            format!("{}.{} MB", tenths / 10, tenths % 10)
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_sentences_read_as_a_person_reads_them() {
        assert_eq!(size(900), "900 bytes");
        assert_eq!(size(612_400), "612 kB");
        assert_eq!(size(3_449_999), "3.4 MB");
        assert_eq!(sentence("no key"), "No key.");
        assert_eq!(sentence("Done."), "Done.");
    }
}
