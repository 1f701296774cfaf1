//! The English catalog: every message the core says, by id. `Display` fills these patterns, so
//! they are exactly what the CLI, the XML-RPC faults and the logs say; `web/i18n/en.json`
//! holds them for the page (a test keeps the two equal).

use serde_json::{json, Map, Value};

/// A message's text, or its plural forms chosen by the argument `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    Text(&'static str),
    Plural {
        one: &'static str,
        other: &'static str,
    },
}

impl Pattern {
    /// The form for `count` by English's rule (one is 1, everything else is other).
    pub fn form(self, count: Option<i128>) -> &'static str {
        match self {
            Pattern::Text(text) => text,
            Pattern::Plural { one, .. } if count == Some(1) => one,
            Pattern::Plural { other, .. } => other,
        }
    }

    pub fn forms(self) -> Vec<&'static str> {
        match self {
            Pattern::Text(text) => vec![text],
            Pattern::Plural { one, other } => vec![one, other],
        }
    }
}

use Pattern::{Plural, Text};

/// Every message about a link that is not what cib writes starts the same way.
macro_rules! concat_damaged {
    ($text:literal) => {
        concat!("this link is damaged: ", $text)
    };
}

pub const ENGLISH: &[(&str, Pattern)] = &[
    ("problem-at", Text("{place}: {problem}")),
    // Places.
    ("place-build-description", Text("build description")),
    ("place-user-data", Text("user_data")),
    ("place-user", Text("user {name}")),
    ("place-user-key", Text("user {name}: public key")),
    ("place-vessels", Text("vessels")),
    ("place-vessel", Text("vessel {index}")),
    ("place-line", Text("line {line}")),
    ("problem-vesselinfo-blank-line", Text("the line is blank")),
    ("problem-vesselinfo-percent-missing", Text("Percent is not followed by a percentage")),
    ("problem-vesselinfo-percent-not-whole", Text("the percentage {word} is not a whole number")),
    ("problem-vesselinfo-percent-not-allowed", Text("the percentage {percent} is not one of 10, 20, ..., 100")),
    ("problem-vesselinfo-key-before-percent", Text("{label} comes before any Percent line")),
    ("problem-vesselinfo-key-missing", Text("{label} is not followed by a key (two numbers, e and n)")),
    ("problem-vesselinfo-key-number-not-whole", Text("{label}: the key's {name} {word} is not a whole number")),
    ("problem-vesselinfo-no-owner", Text("the vessel that starts here has no Owner line")),
    ("problem-vesselinfo-no-vessel", Text("there is no vessel: no line starts with Percent")),
    ("problem-vesselinfo-wrong-total", Text("the vessels total {total}%, not 100%")),
    // What was found instead.
    ("problem-found-null", Text("null")),
    ("problem-found-true", Text("true")),
    ("problem-found-false", Text("false")),
    ("problem-found-number", Text("the number {number}")),
    ("problem-found-fraction", Text("a number with a decimal point")),
    ("problem-found-string", Text("the string \"{text}\"")),
    ("problem-found-long-string", Text("a string")),
    ("problem-found-list", Text("a list")),
    ("problem-found-object", Text("an object")),
    // The build description.
    (
        "problem-description-not-json",
        Text("not a JSON object with \"vessels\" and \"user_data\": {detail}"),
    ),
    (
        "problem-description-not-object",
        Text("not a JSON object with \"vessels\" and \"user_data\": it is {found}"),
    ),
    ("problem-field-given-twice", Text("\"{field}\" is given twice")),
    (
        "problem-unknown-description-field",
        Text("unknown field \"{field}\"; expected \"vessels\" and \"user_data\""),
    ),
    ("problem-vessels-missing", Text("\"vessels\" is missing")),
    (
        "problem-user-data-not-object",
        Text("must be an object from user name to {\"public_key\": \"e n\"} or {}"),
    ),
    ("problem-user-given-twice", Text("user {name} is given twice")),
    (
        "problem-user-entry-not-object",
        Text("must be an object such as {\"public_key\": \"e n\"} or {}, not {found}"),
    ),
    (
        "problem-public-key-not-string",
        Text("must be a string \"e n\", not {found}"),
    ),
    (
        "problem-unknown-user-field",
        Text("unknown field \"{field}\"; expected \"public_key\""),
    ),
    ("problem-vessels-not-list", Text("must be a list of vessels")),
    ("problem-vessel-not-object", Text("must be an object, not {found}")),
    (
        "problem-unknown-vessel-field",
        Text("unknown field \"{field}\"; expected \"percentage\", \"owner\" and \"users\""),
    ),
    ("problem-vessel-no-percentage", Text("has no percentage")),
    (
        "problem-vessel-percent-not-whole",
        Text("percentage must be a whole number such as 40, not {found}"),
    ),
    ("problem-vessel-no-owner", Text("has no owner; every vessel needs one")),
    (
        "problem-vessel-owner-not-name",
        Text("owner must be a user name, not {found}"),
    ),
    (
        "problem-vessel-user-listed-twice",
        Text("user \"{name}\" is listed twice"),
    ),
    (
        "problem-vessel-user-not-name",
        Text("users must be user names, not {found}"),
    ),
    (
        "problem-vessel-users-not-list",
        Text("users must be a list of user names, not {found}"),
    ),
    // User names.
    (
        "problem-user-name-length",
        Text("user name \"{name}\" has {count} characters; it needs {min} to {max}"),
    ),
    (
        "problem-user-name-character",
        Text("user name \"{name}\" contains '{character}'; use only letters, digits and _"),
    ),
    (
        "problem-user-name-starts-with-underscore",
        Text("user name \"{name}\" starts with _; it must start with a letter or digit"),
    ),
    // Vessels.
    (
        "problem-vessel-percent-out-of-range",
        Text("percentage {percent} is out of range; it must be {min} to {max}"),
    ),
    (
        "problem-vessel-percent-not-multiple-of-ten",
        Text("percentage {percent} is not a multiple of {step}"),
    ),
    (
        "problem-too-many-vessels",
        Text("there are {count} vessels; at most {max} are allowed"),
    ),
    (
        "problem-no-vessels",
        Text("there are no vessels; define vessels that total {total}%"),
    ),
    (
        "problem-vessels-wrong-total",
        Text("vessel resources must total {required}% exactly; these total {total}% (the reserved {reserved}% is added by cib)"),
    ),
    // Key text.
    ("problem-key-number-missing", Text("a number is missing")),
    ("problem-key-number-negative", Text("a number is negative; it must be positive")),
    ("problem-key-not-a-digit", Text("'{character}' is not a decimal digit")),
    (
        "problem-key-too-many-digits",
        Text("a number has {count} digits; at most {max} are allowed"),
    ),
    ("problem-key-number-zero", Text("a number is 0; it must be positive")),
    ("problem-key-leading-zero", Text("a number starts with 0")),
    ("problem-key-not-a-number", Text("\"{text}\" is not a number")),
    ("problem-public-key-empty", Text("the public key is empty")),
    ("problem-private-key-empty", Text("the private key is empty")),
    (
        "problem-public-key-shape",
        Text("a public key is {count} numbers separated by one space"),
    ),
    (
        "problem-private-key-shape",
        Text("a private key is {count} numbers separated by one space"),
    ),
    (
        "problem-key-modulus-too-short",
        Text("the modulus has {count} bits; at least {min} are needed"),
    ),
    (
        "problem-key-modulus-too-long",
        Text("the modulus has {count} bits; at most {max} are allowed"),
    ),
    (
        "problem-key-modulus-even",
        Text("the modulus is even, so it is not a product of two odd primes"),
    ),
    ("problem-key-exponent-too-small", Text("the exponent is smaller than 3")),
    (
        "problem-key-exponent-even",
        Text("the exponent is even, so no private key can match it"),
    ),
    (
        "problem-key-exponent-not-below-modulus",
        Text("the exponent is not smaller than the modulus"),
    ),
    (
        "problem-private-key-modulus-mismatch",
        Text("p * q of the private key is not the public key's modulus n"),
    ),
    (
        "problem-private-key-exponent-mismatch",
        Text("d of the private key is not the inverse of the public key's exponent e"),
    ),
    // Making a share link.
    (
        "problem-link-keys-missing",
        Plural {
            one: "{names} has no public key; a link carries public keys only (build first, or give every user a key)",
            other: "{names} have no public key; a link carries public keys only (build first, or give every user a key)",
        },
    ),
    (
        "problem-link-too-many-users",
        Text("a link holds at most {max} users; this description has {count}"),
    ),
    (
        "problem-link-user-unknown",
        Text("\"{name}\" is in a vessel but not among the users"),
    ),
    (
        "problem-link-percent-not-ten",
        Text("percentage {percent} is not a whole ten"),
    ),
    // Reading a share link.
    (
        "problem-link-no-fragment",
        Text("this link has no '#' and no build description after it"),
    ),
    (
        "problem-link-nothing-after-hash",
        Text("this link holds no build description (nothing follows '#')"),
    ),
    (
        "problem-link-bad-character",
        Text(concat_damaged!("character {position} ('{character}') cannot be there in its text")),
    ),
    (
        "problem-link-bad-length",
        Text(concat_damaged!("its text has a character too many or too few (was it cut short?)")),
    ),
    ("problem-link-bad-end", Text(concat_damaged!("its text ends wrongly"))),
    (
        "problem-link-no-such-format",
        Text(concat_damaged!("it starts with {format}, which is no format of a cib link")),
    ),
    (
        "problem-link-newer-format",
        Text("this link was made by a newer version of cib (format {format}); this one reads format {supported}"),
    ),
    ("problem-link-format-zero", Text(concat_damaged!("its format is 0"))),
    (
        "problem-link-unknown-platforms",
        Text(concat_damaged!("it names platforms that do not exist (its platform byte is {bits})")),
    ),
    ("problem-link-ends-early", Text("this link ends early: {part} is cut off")),
    (
        "problem-link-count-too-high",
        Text(concat_damaged!("{part} is {value}; at most {max} can be")),
    ),
    ("problem-link-count-too-long", Text(concat_damaged!("{part} is too large"))),
    (
        "problem-link-number-unusual",
        Text(concat_damaged!("{part} is not written the usual way")),
    ),
    ("problem-link-not-utf8", Text(concat_damaged!("{part} is not UTF-8 text"))),
    (
        "problem-link-no-such-user",
        Text(concat_damaged!("vessel {vessel} names user {user}, but there are {count} users")),
    ),
    (
        "problem-link-user-bad-key",
        Text("this link's user \"{name}\" has a bad public key: {problem}"),
    ),
    (
        "problem-link-trailing-bytes",
        Plural {
            one: concat_damaged!("{count} byte follows the end of the description"),
            other: concat_damaged!("{count} bytes follow the end of the description"),
        },
    ),
    (
        "problem-link-invalid-description",
        Text("this link's build description is not valid: {problems}"),
    ),
    ("problem-link-part-format", Text("the format")),
    ("problem-link-part-platforms", Text("the platforms")),
    ("problem-link-part-user-count", Text("the number of users")),
    ("problem-link-part-vessel-count", Text("the number of vessels")),
    ("problem-link-part-name-length", Text("the length of user {user}'s name")),
    ("problem-link-part-name", Text("user {user}'s name")),
    (
        "problem-link-part-exponent-length",
        Text("the length of user {user}'s key exponent"),
    ),
    ("problem-link-part-exponent", Text("user {user}'s key exponent")),
    (
        "problem-link-part-modulus-length",
        Text("the length of user {user}'s key modulus"),
    ),
    ("problem-link-part-modulus", Text("user {user}'s key modulus")),
    ("problem-link-part-vessel-percent", Text("vessel {vessel}'s percentage")),
    ("problem-link-part-vessel-owner", Text("vessel {vessel}'s owner")),
    (
        "problem-link-part-vessel-user-count",
        Text("vessel {vessel}'s number of users"),
    ),
    ("problem-link-part-vessel-users", Text("vessel {vessel}'s users")),
    // The base installers' manifest.
    ("problem-manifest-not-json", Text("the manifest is not JSON: {detail}")),
    (
        "problem-manifest-no-installers",
        Text("the manifest has no \"installers\" object"),
    ),
    (
        "problem-manifest-field-missing",
        Text("the manifest's {platform} entry has no \"{field}\""),
    ),
    (
        "problem-manifest-bad-file-name",
        Text("the manifest's {platform} file name \"{file}\" is not a plain file name"),
    ),
    (
        "problem-manifest-size-not-number",
        Text("the manifest's {platform} size is not a number"),
    ),
    (
        "problem-manifest-bad-sha256",
        Text("the manifest's {platform} sha256 is not 64 hexadecimal digits"),
    ),
    // Base installers.
    ("problem-base-installer-empty", Text("the base installer is an empty file")),
    (
        "problem-base-installer-not-an-archive",
        Text("the base installer is neither a zip nor a gzip-compressed tar archive"),
    ),
    (
        "problem-base-installer-not-a-tar",
        Text("the base installer is gzip-compressed but not a tar archive"),
    ),
    (
        "problem-base-installer-corrupt",
        Text("the base installer is damaged or truncated: {detail}"),
    ),
    ("problem-base-installer-unsafe", Text("the base installer is unsafe: {detail}")),
    (
        "problem-base-installer-no-repy-folder",
        Text("the base installer has no {folder} folder, so it is not a Seattle installer"),
    ),
    (
        "problem-base-installer-too-large",
        Text("the base installer is too large: {detail}"),
    ),
    (
        "problem-base-installer-unsupported",
        Text("the base installer is not supported: {detail}"),
    ),
    ("problem-metainfo-missing", Text("the installer has no {path}")),
    ("problem-metainfo-not-text", Text("{path} is not text")),
    ("problem-metainfo-unreadable", Text("{path} cannot be read: {problem}")),
    ("problem-signed-no-bang", Text("it is not signed: it has no '!'")),
    (
        "problem-signed-parts-missing",
        Text(
            "it is not signed data: it needs the data, the signer's key, the time, the expiry, \
             a sequence number and a destination, each after a '!'",
        ),
    ),
    (
        "problem-signed-data-no-newline",
        Text("the data does not end with a newline before the signer's key"),
    ),
    ("problem-signed-bad-signer", Text("the signer's key: {problem}")),
    (
        "problem-signed-time-not-seconds",
        Text("the signing time: \"{text}\" is not a number of seconds"),
    ),
    (
        "problem-signed-expiry-not-seconds",
        Text("the expiry: \"{text}\" is not a number of seconds"),
    ),
    ("problem-signed-bad-signature", Text("the signature: {problem}")),
    (
        "problem-signature-not-one-number",
        Text("the signature is not one decimal number"),
    ),
    (
        "problem-signature-does-not-hold",
        Text(
            "the signature does not hold: the metainfo was changed after signing, or not signed \
             with the private key of {signer}",
        ),
    ),
    (
        "problem-signed-with-other-key",
        Text("signed with {signer}, not with the expected updater key {expected}"),
    ),
    (
        "problem-signed-in-future",
        Text(
            "signed at {at}, which is in the future: the updater would refuse every update \
             signed before then",
        ),
    ),
    (
        "problem-updater-key-missing",
        Text("{path} has no softwareupdatepublickey, so the nodes' updater key is unknown"),
    ),
    (
        "problem-updater-key-not-dict",
        Text("softwareupdatepublickey is not a dict of 'e' and 'n': {shown}..."),
    ),
    ("problem-updater-key-bad", Text("softwareupdatepublickey: {problem}")),
    (
        "problem-updater-key-differs",
        Text(
            "{path} trusts the updater key {trusted} but the metainfo is signed with {signer}: \
             nodes installed from it could never update. Sign with the key in \
             softwareupdater.py, or put the signing key in it",
        ),
    ),
    ("problem-in-file", Text("{path}: {problem}")),
    (
        "problem-metainfo-line-not-three-words",
        Text("metainfo line {line}: not a name, a SHA-1 and a size: \"{text}\""),
    ),
    (
        "problem-metainfo-line-size-not-number",
        Text("metainfo line {line}: the size is not a number: \"{text}\""),
    ),
    ("problem-listed-file-missing", Text("{path} is listed but missing")),
    (
        "problem-listed-file-differs",
        Text(
            "{path} differs: SHA-1 {hash} and {size} bytes in the installer, {listed_hash} and \
             {listed_size} in the metainfo",
        ),
    ),
];

pub(super) fn pattern(id: &str) -> Option<Pattern> {
    ENGLISH.iter().find(|(i, _)| *i == id).map(|(_, p)| *p)
}

/// The English catalog as the page's catalogs are written: one flat JSON object from id to
/// pattern, or to `{"one": ..., "other": ...}` for plural forms, sorted by id.
pub fn english_catalog_json() -> String {
    let catalog: Map<String, Value> = ENGLISH
        .iter()
        .map(|(id, pattern)| {
            let value = match pattern {
                Text(text) => json!(text),
                Plural { one, other } => json!({"one": one, "other": other}),
            };
            (id.to_string(), value)
        })
        .collect();
    serde_json::to_string_pretty(&catalog).expect("plain data always serializes") + "\n"
}
