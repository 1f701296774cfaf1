//! The one check on names inside a base installer: every entry stays inside the archive's folder.

/// Linux's PATH_MAX: longer names are refused by the system's calls, so no extractor could
/// write such an entry (real installers' names are under 200 bytes).
const MAX_NAME_BYTES: usize = 4096;

/// The name without a leading `./`, with `\` read as `/` (zips made on Windows use it), or why it
/// would extract outside the folder the archive is extracted into.
pub fn check(raw: &[u8]) -> Result<String, String> {
    if raw.len() > MAX_NAME_BYTES {
        return Err(format!(
            "entry {:?}... has a name {} bytes long, longer than the {MAX_NAME_BYTES} any \
             system extracts",
            String::from_utf8_lossy(&raw[..64]),
            raw.len()
        ));
    }
    let name = std::str::from_utf8(raw).map_err(|_| {
        format!(
            "entry {:?} has a name that is not UTF-8",
            String::from_utf8_lossy(raw)
        )
    })?;
    if name.contains('\0') {
        return Err(format!("entry {name:?} has a NUL byte in its name"));
    }
    let unified = name.replace('\\', "/");
    let bytes = unified.as_bytes();
    let drive = bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic();
    if unified.starts_with('/') || drive {
        return Err(format!("entry {name:?} has an absolute path"));
    }
    if unified.split('/').any(|part| part == "..") {
        return Err(format!(
            "entry {name:?} would extract outside the archive's folder"
        ));
    }
    let mut normalized = unified.as_str();
    while let Some(rest) = normalized.strip_prefix("./") {
        normalized = rest;
    }
    Ok(normalized.to_string())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn keeps_names_inside_the_folder() {
        assert_eq!(check(b"seattle/install.sh").unwrap(), "seattle/install.sh");
        assert_eq!(check(b"./seattle/x").unwrap(), "seattle/x");
        assert_eq!(check(b"seattle\\win.bat").unwrap(), "seattle/win.bat");
        assert_eq!(check(b"seattle/a..b").unwrap(), "seattle/a..b");
        for bad in [
            &b"../x"[..],
            b"seattle/../../x",
            b"/etc/passwd",
            b"C:\\x",
            b"c:x",
            b"a\\..\\..\\b",
            b"a\0b",
            b"\xff",
            "d/".repeat(3000).as_bytes(),
        ] {
            assert!(check(bad).is_err(), "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
