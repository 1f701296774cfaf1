//! What is wrong: one variant per message, holding the message's arguments.

use super::{count, number, quoted, quoted_char, text, Arg, Found, LinkPart, Localized, Problems};
use crate::base_installer::BaseInstallerError;
use crate::decimal::MAX_DIGITS;
use crate::platform::Platform;
use crate::public_key::{MAX_MODULUS_BITS, MIN_MODULUS_BITS};
use crate::share_link::{FORMAT, MAX_USERS};
use crate::user::{MAX_NAME_CHARS, MIN_NAME_CHARS};
use crate::vessel::{DEFINED_TOTAL, MAX_VESSELS, PERCENT_STEP, RESERVED_PERCENT};

/// Which kind of Seattle key text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyText {
    /// `e n`
    Public,
    /// `d p q`
    Private,
}

impl KeyText {
    /// How many numbers the text holds.
    pub fn numbers(self) -> usize {
        match self {
            KeyText::Public => 2,
            KeyText::Private => 3,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    // The build description's JSON. `detail` is the JSON parser's own (English) account of
    // the syntax error; the page writes its descriptions itself, so only the CLI and the
    // XML-RPC clients, which read English, see it.
    DescriptionNotJson {
        detail: String,
    },
    /// Valid JSON, but not an object.
    DescriptionNotObject {
        found: Found,
    },
    FieldGivenTwice {
        field: String,
    },
    UnknownDescriptionField {
        field: String,
    },
    VesselsMissing,
    UserDataNotObject,
    UserGivenTwice {
        name: String,
    },
    UserEntryNotObject {
        found: Found,
    },
    PublicKeyNotString {
        found: Found,
    },
    UnknownUserField {
        field: String,
    },
    VesselsNotList,
    VesselNotObject {
        found: Found,
    },
    UnknownVesselField {
        field: String,
    },
    NoPercentage,
    PercentNotWhole {
        found: Found,
    },
    NoOwner,
    OwnerNotName {
        found: Found,
    },
    VesselUserTwice {
        name: String,
    },
    VesselUserNotName {
        found: Found,
    },
    VesselUsersNotList {
        found: Found,
    },

    // User names.
    NameLength {
        name: String,
        length: usize,
    },
    NameCharacter {
        name: String,
        character: char,
    },
    NameStartsWithUnderscore {
        name: String,
    },

    // Vessels.
    PercentOutOfRange {
        percent: i128,
    },
    PercentNotMultiple {
        percent: i128,
    },
    TooManyVessels {
        count: usize,
    },
    NoVessels,
    WrongTotal {
        total: u64,
    },

    // Key text.
    NumberMissing,
    NumberNegative,
    NotADigit {
        character: char,
    },
    TooManyDigits {
        digits: usize,
    },
    NumberIsZero,
    LeadingZero,
    NotANumber {
        text: String,
    },
    KeyEmpty {
        key: KeyText,
    },
    KeyShape {
        key: KeyText,
    },
    ModulusTooShort {
        bits: usize,
    },
    ModulusTooLong {
        bits: usize,
    },
    ModulusEven,
    ExponentTooSmall,
    ExponentEven,
    ExponentNotBelowModulus,
    PrivateModulusMismatch,
    PrivateExponentMismatch,

    // Making a share link.
    LinkKeysMissing {
        names: Vec<String>,
    },
    LinkTooManyUsers {
        users: usize,
    },
    LinkUserUnknown {
        name: String,
    },
    LinkPercentNotTen {
        percent: u32,
    },

    // Reading a share link.
    LinkNoFragment,
    LinkNothingAfterHash,
    /// `position` counts characters of the fragment from 1.
    LinkBadCharacter {
        position: usize,
        character: char,
    },
    LinkBadLength,
    LinkBadEnd,
    LinkNoSuchFormat {
        format: u8,
    },
    LinkNewerFormat {
        format: u8,
    },
    LinkFormatZero,
    LinkUnknownPlatforms {
        bits: u8,
    },
    LinkEndsEarly {
        part: LinkPart,
    },
    LinkCountTooHigh {
        part: LinkPart,
        value: usize,
        max: usize,
    },
    LinkCountTooLong {
        part: LinkPart,
    },
    LinkNumberUnusual {
        part: LinkPart,
    },
    LinkNotUtf8 {
        part: LinkPart,
    },
    /// `vessel` and `user` count from 1; `users` is how many the link has.
    LinkNoSuchUser {
        vessel: usize,
        user: usize,
        users: usize,
    },
    LinkUserBadKey {
        name: String,
        problem: Box<ProblemKind>,
    },
    LinkTrailingBytes {
        bytes: usize,
    },
    LinkInvalidDescription {
        problems: Problems,
    },

    // The base installers' manifest. `detail` is the JSON parser's (English) account.
    ManifestNotJson {
        detail: String,
    },
    ManifestNoInstallers,
    ManifestFieldMissing {
        platform: Platform,
        field: String,
    },
    ManifestBadFileName {
        platform: Platform,
        file: String,
    },
    ManifestSizeNotNumber {
        platform: Platform,
    },
    ManifestBadSha256 {
        platform: Platform,
    },

    BaseInstaller(BaseInstallerError),

    // Vesselinfo as Seattle's installer reads it. `word` is what the file holds, quoted and
    // cut short; `label` is the line's first word (`Owner`, `User`), a keyword of the file.
    VesselinfoBlankLine,
    VesselinfoPercentMissing,
    VesselinfoPercentNotWhole {
        word: String,
    },
    VesselinfoPercentNotAllowed {
        percent: String,
    },
    VesselinfoKeyBeforePercent {
        label: &'static str,
    },
    VesselinfoKeyMissing {
        label: &'static str,
    },
    VesselinfoKeyNumberNotWhole {
        label: &'static str,
        name: &'static str,
        word: String,
    },
    VesselinfoNoOwner,
    VesselinfoNoVessel,
    VesselinfoWrongTotal {
        total: i128,
    },

    // A base installer's metainfo, as Seattle's software updater relies on it. `path` is an
    // archive path; keys are written abbreviated (`PublicKey::abbreviated`), texts as they are.
    MetainfoMissing {
        path: &'static str,
    },
    MetainfoNotText {
        path: &'static str,
    },
    MetainfoUnreadable {
        path: &'static str,
        problem: Box<ProblemKind>,
    },
    SignedNoBang,
    SignedPartsMissing,
    SignedDataNoNewline,
    SignedBadSigner {
        problem: Box<ProblemKind>,
    },
    SignedTimeNotSeconds {
        text: String,
    },
    SignedExpiryNotSeconds {
        text: String,
    },
    SignedBadSignature {
        problem: Box<ProblemKind>,
    },
    SignatureNotOneNumber,
    SignatureDoesNotHold {
        signer: String,
    },
    SignedWithOtherKey {
        signer: String,
        expected: String,
    },
    SignedInFuture {
        at: String,
    },
    UpdaterKeyMissing {
        path: &'static str,
    },
    UpdaterKeyNotDict {
        shown: String,
    },
    UpdaterKeyBad {
        problem: Box<ProblemKind>,
    },
    UpdaterKeyDiffers {
        path: &'static str,
        trusted: String,
        signer: String,
    },
    InFile {
        path: &'static str,
        problem: Box<ProblemKind>,
    },
    MetainfoLineNotThreeWords {
        line: usize,
        text: String,
    },
    MetainfoLineSizeNotNumber {
        line: usize,
        text: String,
    },
    ListedFileMissing {
        path: String,
    },
    ListedFileDiffers {
        path: String,
        sha1: String,
        size: u64,
        listed_sha1: String,
        listed_size: u64,
    },
}

impl From<BaseInstallerError> for ProblemKind {
    fn from(e: BaseInstallerError) -> Self {
        ProblemKind::BaseInstaller(e)
    }
}

impl Localized for ProblemKind {
    fn id(&self) -> &'static str {
        use ProblemKind::*;
        match self {
            DescriptionNotJson { .. } => "problem-description-not-json",
            DescriptionNotObject { .. } => "problem-description-not-object",
            FieldGivenTwice { .. } => "problem-field-given-twice",
            UnknownDescriptionField { .. } => "problem-unknown-description-field",
            VesselinfoBlankLine => "problem-vesselinfo-blank-line",
            VesselinfoPercentMissing => "problem-vesselinfo-percent-missing",
            VesselinfoPercentNotWhole { .. } => "problem-vesselinfo-percent-not-whole",
            VesselinfoPercentNotAllowed { .. } => "problem-vesselinfo-percent-not-allowed",
            VesselinfoKeyBeforePercent { .. } => "problem-vesselinfo-key-before-percent",
            VesselinfoKeyMissing { .. } => "problem-vesselinfo-key-missing",
            VesselinfoKeyNumberNotWhole { .. } => "problem-vesselinfo-key-number-not-whole",
            VesselinfoNoOwner => "problem-vesselinfo-no-owner",
            VesselinfoNoVessel => "problem-vesselinfo-no-vessel",
            VesselinfoWrongTotal { .. } => "problem-vesselinfo-wrong-total",
            VesselsMissing => "problem-vessels-missing",
            UserDataNotObject => "problem-user-data-not-object",
            UserGivenTwice { .. } => "problem-user-given-twice",
            UserEntryNotObject { .. } => "problem-user-entry-not-object",
            PublicKeyNotString { .. } => "problem-public-key-not-string",
            UnknownUserField { .. } => "problem-unknown-user-field",
            VesselsNotList => "problem-vessels-not-list",
            VesselNotObject { .. } => "problem-vessel-not-object",
            UnknownVesselField { .. } => "problem-unknown-vessel-field",
            NoPercentage => "problem-vessel-no-percentage",
            PercentNotWhole { .. } => "problem-vessel-percent-not-whole",
            NoOwner => "problem-vessel-no-owner",
            OwnerNotName { .. } => "problem-vessel-owner-not-name",
            VesselUserTwice { .. } => "problem-vessel-user-listed-twice",
            VesselUserNotName { .. } => "problem-vessel-user-not-name",
            VesselUsersNotList { .. } => "problem-vessel-users-not-list",
            NameLength { .. } => "problem-user-name-length",
            NameCharacter { .. } => "problem-user-name-character",
            NameStartsWithUnderscore { .. } => "problem-user-name-starts-with-underscore",
            PercentOutOfRange { .. } => "problem-vessel-percent-out-of-range",
            PercentNotMultiple { .. } => "problem-vessel-percent-not-multiple-of-ten",
            TooManyVessels { .. } => "problem-too-many-vessels",
            NoVessels => "problem-no-vessels",
            WrongTotal { .. } => "problem-vessels-wrong-total",
            NumberMissing => "problem-key-number-missing",
            NumberNegative => "problem-key-number-negative",
            NotADigit { .. } => "problem-key-not-a-digit",
            TooManyDigits { .. } => "problem-key-too-many-digits",
            NumberIsZero => "problem-key-number-zero",
            LeadingZero => "problem-key-leading-zero",
            NotANumber { .. } => "problem-key-not-a-number",
            KeyEmpty {
                key: KeyText::Public,
            } => "problem-public-key-empty",
            KeyEmpty {
                key: KeyText::Private,
            } => "problem-private-key-empty",
            KeyShape {
                key: KeyText::Public,
            } => "problem-public-key-shape",
            KeyShape {
                key: KeyText::Private,
            } => "problem-private-key-shape",
            ModulusTooShort { .. } => "problem-key-modulus-too-short",
            ModulusTooLong { .. } => "problem-key-modulus-too-long",
            ModulusEven => "problem-key-modulus-even",
            ExponentTooSmall => "problem-key-exponent-too-small",
            ExponentEven => "problem-key-exponent-even",
            ExponentNotBelowModulus => "problem-key-exponent-not-below-modulus",
            PrivateModulusMismatch => "problem-private-key-modulus-mismatch",
            PrivateExponentMismatch => "problem-private-key-exponent-mismatch",
            LinkKeysMissing { .. } => "problem-link-keys-missing",
            LinkTooManyUsers { .. } => "problem-link-too-many-users",
            LinkUserUnknown { .. } => "problem-link-user-unknown",
            LinkPercentNotTen { .. } => "problem-link-percent-not-ten",
            LinkNoFragment => "problem-link-no-fragment",
            LinkNothingAfterHash => "problem-link-nothing-after-hash",
            LinkBadCharacter { .. } => "problem-link-bad-character",
            LinkBadLength => "problem-link-bad-length",
            LinkBadEnd => "problem-link-bad-end",
            LinkNoSuchFormat { .. } => "problem-link-no-such-format",
            LinkNewerFormat { .. } => "problem-link-newer-format",
            LinkFormatZero => "problem-link-format-zero",
            LinkUnknownPlatforms { .. } => "problem-link-unknown-platforms",
            LinkEndsEarly { .. } => "problem-link-ends-early",
            LinkCountTooHigh { .. } => "problem-link-count-too-high",
            LinkCountTooLong { .. } => "problem-link-count-too-long",
            LinkNumberUnusual { .. } => "problem-link-number-unusual",
            LinkNotUtf8 { .. } => "problem-link-not-utf8",
            LinkNoSuchUser { .. } => "problem-link-no-such-user",
            LinkUserBadKey { .. } => "problem-link-user-bad-key",
            LinkTrailingBytes { .. } => "problem-link-trailing-bytes",
            LinkInvalidDescription { .. } => "problem-link-invalid-description",
            ManifestNotJson { .. } => "problem-manifest-not-json",
            ManifestNoInstallers => "problem-manifest-no-installers",
            ManifestFieldMissing { .. } => "problem-manifest-field-missing",
            ManifestBadFileName { .. } => "problem-manifest-bad-file-name",
            ManifestSizeNotNumber { .. } => "problem-manifest-size-not-number",
            ManifestBadSha256 { .. } => "problem-manifest-bad-sha256",
            BaseInstaller(e) => e.id(),
            MetainfoMissing { .. } => "problem-metainfo-missing",
            MetainfoNotText { .. } => "problem-metainfo-not-text",
            MetainfoUnreadable { .. } => "problem-metainfo-unreadable",
            SignedNoBang => "problem-signed-no-bang",
            SignedPartsMissing => "problem-signed-parts-missing",
            SignedDataNoNewline => "problem-signed-data-no-newline",
            SignedBadSigner { .. } => "problem-signed-bad-signer",
            SignedTimeNotSeconds { .. } => "problem-signed-time-not-seconds",
            SignedExpiryNotSeconds { .. } => "problem-signed-expiry-not-seconds",
            SignedBadSignature { .. } => "problem-signed-bad-signature",
            SignatureNotOneNumber => "problem-signature-not-one-number",
            SignatureDoesNotHold { .. } => "problem-signature-does-not-hold",
            SignedWithOtherKey { .. } => "problem-signed-with-other-key",
            SignedInFuture { .. } => "problem-signed-in-future",
            UpdaterKeyMissing { .. } => "problem-updater-key-missing",
            UpdaterKeyNotDict { .. } => "problem-updater-key-not-dict",
            UpdaterKeyBad { .. } => "problem-updater-key-bad",
            UpdaterKeyDiffers { .. } => "problem-updater-key-differs",
            InFile { .. } => "problem-in-file",
            MetainfoLineNotThreeWords { .. } => "problem-metainfo-line-not-three-words",
            MetainfoLineSizeNotNumber { .. } => "problem-metainfo-line-size-not-number",
            ListedFileMissing { .. } => "problem-listed-file-missing",
            ListedFileDiffers { .. } => "problem-listed-file-differs",
        }
    }

    fn args(&self) -> Vec<(&'static str, Arg)> {
        use ProblemKind::*;
        let found = |found: &Found| vec![("found", Arg::Message(found.message()))];
        let part = |part: &LinkPart| ("part", Arg::Message(part.message()));
        match self {
            DescriptionNotJson { detail } | ManifestNotJson { detail } => {
                vec![("detail", text(detail))]
            }
            FieldGivenTwice { field }
            | UnknownDescriptionField { field }
            | UnknownUserField { field }
            | UnknownVesselField { field } => vec![("field", quoted(field))],
            UserGivenTwice { name } => vec![("name", text(name))],
            DescriptionNotObject { found: f }
            | UserEntryNotObject { found: f }
            | PublicKeyNotString { found: f }
            | VesselNotObject { found: f }
            | PercentNotWhole { found: f }
            | OwnerNotName { found: f }
            | VesselUserNotName { found: f }
            | VesselUsersNotList { found: f } => found(f),
            VesselUserTwice { name }
            | NameStartsWithUnderscore { name }
            | LinkUserUnknown { name } => vec![("name", quoted(name))],
            NameLength { name, length } => vec![
                ("name", quoted(name)),
                ("count", count(*length)),
                ("min", count(MIN_NAME_CHARS)),
                ("max", count(MAX_NAME_CHARS)),
            ],
            NameCharacter { name, character } => vec![
                ("name", quoted(name)),
                ("character", quoted_char(*character)),
            ],
            PercentOutOfRange { percent } => vec![
                ("percent", number(*percent)),
                ("min", number(PERCENT_STEP)),
                ("max", number(DEFINED_TOTAL)),
            ],
            PercentNotMultiple { percent } => {
                vec![
                    ("percent", number(*percent)),
                    ("step", number(PERCENT_STEP)),
                ]
            }
            TooManyVessels { count: n } => vec![("count", count(*n)), ("max", count(MAX_VESSELS))],
            NoVessels => vec![("total", number(DEFINED_TOTAL))],
            WrongTotal { total } => vec![
                ("required", number(DEFINED_TOTAL)),
                ("total", number(*total)),
                ("reserved", number(RESERVED_PERCENT)),
            ],
            NotADigit { character } => vec![("character", quoted_char(*character))],
            TooManyDigits { digits } => vec![("count", count(*digits)), ("max", count(MAX_DIGITS))],
            NotANumber { text } => vec![("text", quoted(text))],
            KeyShape { key } => vec![("count", count(key.numbers()))],
            ModulusTooShort { bits } => {
                vec![("count", count(*bits)), ("min", count(MIN_MODULUS_BITS))]
            }
            ModulusTooLong { bits } => {
                vec![("count", count(*bits)), ("max", count(MAX_MODULUS_BITS))]
            }
            LinkKeysMissing { names } => vec![
                ("names", Arg::Text(names.join(", "))),
                ("count", count(names.len())),
            ],
            LinkTooManyUsers { users } => vec![("count", count(*users)), ("max", count(MAX_USERS))],
            LinkPercentNotTen { percent } => vec![("percent", number(*percent))],
            LinkBadCharacter {
                position,
                character,
            } => vec![
                ("position", count(*position)),
                ("character", quoted_char(*character)),
            ],
            LinkNoSuchFormat { format } => vec![("format", number(*format))],
            LinkNewerFormat { format } => {
                vec![("format", number(*format)), ("supported", number(FORMAT))]
            }
            LinkUnknownPlatforms { bits } => vec![("bits", number(*bits))],
            LinkEndsEarly { part: p }
            | LinkCountTooLong { part: p }
            | LinkNumberUnusual { part: p }
            | LinkNotUtf8 { part: p } => vec![part(p)],
            LinkCountTooHigh {
                part: p,
                value,
                max,
            } => vec![part(p), ("value", count(*value)), ("max", count(*max))],
            LinkNoSuchUser {
                vessel,
                user,
                users,
            } => vec![
                ("vessel", count(*vessel)),
                ("user", count(*user)),
                ("count", count(*users)),
            ],
            LinkUserBadKey { name, problem } => vec![
                ("name", quoted(name)),
                ("problem", Arg::Message(problem.message())),
            ],
            LinkTrailingBytes { bytes } => vec![("count", count(*bytes))],
            LinkInvalidDescription { problems } => {
                vec![("problems", Arg::List(problems.messages()))]
            }
            ManifestFieldMissing { platform, field } => vec![
                ("platform", text(platform.name())),
                ("field", quoted(field)),
            ],
            ManifestBadFileName { platform, file } => {
                vec![("platform", text(platform.name())), ("file", quoted(file))]
            }
            ManifestSizeNotNumber { platform } | ManifestBadSha256 { platform } => {
                vec![("platform", text(platform.name()))]
            }
            BaseInstaller(e) => e.args(),
            MetainfoMissing { path } | MetainfoNotText { path } | UpdaterKeyMissing { path } => {
                vec![("path", text(path))]
            }
            MetainfoUnreadable { path, problem } | InFile { path, problem } => {
                vec![("path", text(path)), ("problem", said(problem))]
            }
            SignedNoBang | SignedPartsMissing | SignedDataNoNewline | SignatureNotOneNumber => {
                vec![]
            }
            SignedBadSigner { problem }
            | SignedBadSignature { problem }
            | UpdaterKeyBad { problem } => vec![("problem", said(problem))],
            SignedTimeNotSeconds { text: t } | SignedExpiryNotSeconds { text: t } => {
                vec![("text", quoted(t))]
            }
            SignatureDoesNotHold { signer } => vec![("signer", text(signer))],
            SignedWithOtherKey { signer, expected } => {
                vec![("signer", text(signer)), ("expected", text(expected))]
            }
            SignedInFuture { at } => vec![("at", text(at))],
            UpdaterKeyNotDict { shown } => vec![("shown", text(shown))],
            UpdaterKeyDiffers {
                path,
                trusted,
                signer,
            } => vec![
                ("path", text(path)),
                ("trusted", text(trusted)),
                ("signer", text(signer)),
            ],
            MetainfoLineNotThreeWords { line, text: t }
            | MetainfoLineSizeNotNumber { line, text: t } => {
                vec![("line", count(*line)), ("text", quoted(t))]
            }
            ListedFileMissing { path } => vec![("path", text(path))],
            ListedFileDiffers {
                path,
                sha1,
                size,
                listed_sha1,
                listed_size,
            } => vec![
                ("path", text(path)),
                ("hash", text(sha1)),
                ("size", number(*size)),
                ("listed_hash", text(listed_sha1)),
                ("listed_size", number(*listed_size)),
            ],
            VesselsMissing
            | UserDataNotObject
            | VesselsNotList
            | NoPercentage
            | NoOwner
            | NumberMissing
            | NumberNegative
            | NumberIsZero
            | LeadingZero
            | KeyEmpty { .. }
            | ModulusEven
            | ExponentTooSmall
            | ExponentEven
            | ExponentNotBelowModulus
            | PrivateModulusMismatch
            | PrivateExponentMismatch
            | LinkNoFragment
            | LinkNothingAfterHash
            | LinkBadLength
            | LinkBadEnd
            | LinkFormatZero
            | ManifestNoInstallers
            | VesselinfoBlankLine
            | VesselinfoPercentMissing
            | VesselinfoNoOwner
            | VesselinfoNoVessel => vec![],
            VesselinfoPercentNotWhole { word } => vec![("word", text(word))],
            VesselinfoPercentNotAllowed { percent } => vec![("percent", text(percent))],
            VesselinfoKeyBeforePercent { label } | VesselinfoKeyMissing { label } => {
                vec![("label", text(label))]
            }
            VesselinfoKeyNumberNotWhole { label, name, word } => vec![
                ("label", text(label)),
                ("name", text(name)),
                ("word", text(word)),
            ],
            VesselinfoWrongTotal { total } => vec![("total", number(*total))],
        }
    }
}

impl ProblemKind {
    /// One of each kind (both forms of a plural), with plausible arguments, for checking that
    /// a catalog says every message with the same placeholders as English.
    pub fn samples() -> Vec<ProblemKind> {
        use ProblemKind::*;
        let bob = || "bob".to_string();
        let found = || Found::Number(5);
        let linux = Platform::Linux;
        let mut samples = vec![
            VesselinfoBlankLine,
            VesselinfoPercentMissing,
            VesselinfoPercentNotWhole {
                word: "\"8O\"".into(),
            },
            VesselinfoPercentNotAllowed {
                percent: "85".into(),
            },
            VesselinfoKeyBeforePercent { label: "User" },
            VesselinfoKeyMissing { label: "Owner" },
            VesselinfoKeyNumberNotWhole {
                label: "Owner",
                name: "n",
                word: "\"12x\"".into(),
            },
            VesselinfoNoOwner,
            VesselinfoNoVessel,
            VesselinfoWrongTotal { total: 90 },
            MetainfoMissing {
                path: "seattle/seattle_repy/metainfo",
            },
            MetainfoNotText {
                path: "seattle/seattle_repy/metainfo",
            },
            MetainfoUnreadable {
                path: "seattle/seattle_repy/metainfo",
                problem: Box::new(SignedNoBang),
            },
            SignedNoBang,
            SignedPartsMissing,
            SignedDataNoNewline,
            SignedBadSigner {
                problem: Box::new(ModulusEven),
            },
            SignedTimeNotSeconds {
                text: "soon".into(),
            },
            SignedExpiryNotSeconds {
                text: "later".into(),
            },
            SignedBadSignature {
                problem: Box::new(NumberNegative),
            },
            SignatureNotOneNumber,
            SignatureDoesNotHold {
                signer: "65537 12345678...87654321".into(),
            },
            SignedWithOtherKey {
                signer: "65537 12345678...87654321".into(),
                expected: "65537 23456789...98765432".into(),
            },
            SignedInFuture {
                at: "99999999999.0".into(),
            },
            UpdaterKeyMissing {
                path: "seattle/seattle_repy/softwareupdater.py",
            },
            UpdaterKeyNotDict {
                shown: "{'e': 65537".into(),
            },
            UpdaterKeyBad {
                problem: Box::new(ModulusEven),
            },
            UpdaterKeyDiffers {
                path: "seattle/seattle_repy/softwareupdater.py",
                trusted: "65537 12345678...87654321".into(),
                signer: "65537 23456789...98765432".into(),
            },
            InFile {
                path: "seattle/seattle_repy/softwareupdater.py",
                problem: Box::new(UpdaterKeyNotDict { shown: "{}".into() }),
            },
            MetainfoLineNotThreeWords {
                line: 3,
                text: "nmmain.py abc".into(),
            },
            MetainfoLineSizeNotNumber {
                line: 4,
                text: "nmmain.py abc ten".into(),
            },
            ListedFileMissing {
                path: "nmmain.py".into(),
            },
            ListedFileDiffers {
                path: "nmmain.py".into(),
                sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709".into(),
                size: 0,
                listed_sha1: "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12".into(),
                listed_size: 43,
            },
            DescriptionNotJson {
                detail: "expected value at line 1 column 1".into(),
            },
            DescriptionNotObject { found: found() },
            FieldGivenTwice {
                field: "vessels".into(),
            },
            UnknownDescriptionField {
                field: "color".into(),
            },
            VesselsMissing,
            UserDataNotObject,
            UserGivenTwice { name: bob() },
            UserEntryNotObject { found: found() },
            PublicKeyNotString { found: found() },
            UnknownUserField {
                field: "color".into(),
            },
            VesselsNotList,
            VesselNotObject { found: found() },
            UnknownVesselField {
                field: "color".into(),
            },
            NoPercentage,
            PercentNotWhole {
                found: Found::Fraction,
            },
            NoOwner,
            OwnerNotName { found: found() },
            VesselUserTwice { name: bob() },
            VesselUserNotName { found: found() },
            VesselUsersNotList { found: found() },
            NameLength {
                name: "ab".into(),
                length: 2,
            },
            NameCharacter {
                name: "a b".into(),
                character: ' ',
            },
            NameStartsWithUnderscore {
                name: "_bob".into(),
            },
            PercentOutOfRange { percent: 90 },
            PercentNotMultiple { percent: 55 },
            TooManyVessels { count: 9 },
            NoVessels,
            WrongTotal { total: 70 },
            NumberMissing,
            NumberNegative,
            NotADigit { character: 'x' },
            TooManyDigits { digits: 5001 },
            NumberIsZero,
            LeadingZero,
            NotANumber { text: "12".into() },
            KeyEmpty {
                key: KeyText::Public,
            },
            KeyEmpty {
                key: KeyText::Private,
            },
            KeyShape {
                key: KeyText::Public,
            },
            KeyShape {
                key: KeyText::Private,
            },
            ModulusTooShort { bits: 511 },
            ModulusTooLong { bits: 16385 },
            ModulusEven,
            ExponentTooSmall,
            ExponentEven,
            ExponentNotBelowModulus,
            PrivateModulusMismatch,
            PrivateExponentMismatch,
            LinkKeysMissing { names: vec![bob()] },
            LinkKeysMissing {
                names: vec![bob(), "carol".into()],
            },
            LinkTooManyUsers { users: 129 },
            LinkUserUnknown { name: bob() },
            LinkPercentNotTen { percent: 55 },
            LinkNoFragment,
            LinkNothingAfterHash,
            LinkBadCharacter {
                position: 3,
                character: '!',
            },
            LinkBadLength,
            LinkBadEnd,
            LinkNoSuchFormat { format: 200 },
            LinkNewerFormat { format: 2 },
            LinkFormatZero,
            LinkUnknownPlatforms { bits: 255 },
            LinkEndsEarly {
                part: LinkPart::Format,
            },
            LinkCountTooHigh {
                part: LinkPart::UserCount,
                value: 200,
                max: 128,
            },
            LinkCountTooLong {
                part: LinkPart::UserCount,
            },
            LinkNumberUnusual {
                part: LinkPart::Modulus(1),
            },
            LinkNotUtf8 {
                part: LinkPart::Name(1),
            },
            LinkNoSuchUser {
                vessel: 1,
                user: 3,
                users: 2,
            },
            LinkUserBadKey {
                name: bob(),
                problem: Box::new(ModulusEven),
            },
            LinkTrailingBytes { bytes: 1 },
            LinkTrailingBytes { bytes: 2 },
            LinkInvalidDescription {
                problems: Problems(vec![super::Problem::new(super::Place::Vessel(1), NoOwner)]),
            },
            ManifestNotJson {
                detail: "expected value at line 1 column 1".into(),
            },
            ManifestNoInstallers,
            ManifestFieldMissing {
                platform: linux,
                field: "size".into(),
            },
            ManifestBadFileName {
                platform: linux,
                file: "../x.tgz".into(),
            },
            ManifestSizeNotNumber { platform: linux },
            ManifestBadSha256 { platform: linux },
        ];
        samples.extend(BaseInstallerError::samples().into_iter().map(BaseInstaller));
        samples
    }
}

/// A problem inside another, as an argument of its message.
fn said(problem: &ProblemKind) -> Arg {
    Arg::Message(problem.message())
}
