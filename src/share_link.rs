//! The share link: a complete build description and the chosen platforms, carried in a URL's
//! fragment (`#...`, which browsers never send to a server), so that whoever opens it rebuilds
//! the very same installers. Public keys only: the types here cannot hold a private key.
//!
//! Format 1, before base64url without padding:
//!
//! ```text
//! format (1)  platforms (bit i = Platform::ALL[i])
//! user count, then per user:   name length, name (UTF-8), e length, e, n length, n (big-endian)
//! vessel count, then per vessel: percentage in tens (one byte), owner (user index),
//!                                 user count, user indices
//! ```
//!
//! Lengths, counts and indices are LEB128 varints. Order is kept everywhere, so the vesselinfo
//! written from a decoded link is byte for byte the first one.

use crate::build_description::{BuildDescription, User};
use crate::natural::Natural;
use crate::platform::Platform;
use crate::problem::{LinkPart, ProblemKind};
use crate::public_key::{PublicKey, MAX_MODULUS_BITS};
use crate::vessel::{check_count, Vessel, MAX_VESSELS, PERCENT_STEP};
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::{DecodeError, Engine};

/// The format this cib writes; a link with a higher one came from a newer cib.
pub const FORMAT: u8 = 1;
/// Formats grow by one; a first byte beyond this is damage (or not a link at all) rather than
/// a future format, so that garbage is not blamed on a newer cib.
const LAST_PLAUSIBLE_FORMAT: u8 = 15;
/// Far more users than a page or a clearinghouse gives one installer, and every index fits in
/// one varint byte.
pub const MAX_USERS: usize = 128;
/// 40 characters (the name rule's most) of up to 4 UTF-8 bytes: longer cannot be a name.
const MAX_NAME_BYTES: usize = 160;
/// The longest modulus a public key may have; the exponent is below it.
const MAX_KEY_BYTES: usize = MAX_MODULUS_BITS / 8;

/// base64url without padding. Reading is lenient where it costs nothing: a copy that gained
/// `=` still reads, and a link cut short says "ends early" rather than failing on its last
/// character's spare bits.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// What a share link carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    /// Every user has a public key.
    pub description: BuildDescription,
    /// In [`Platform::ALL`] order, each once (the link keeps a set).
    pub platforms: Vec<Platform>,
}

/// [`encode_typed`], with the problem in English.
pub fn encode(shared: &Shared) -> Result<String, String> {
    encode_typed(shared).map_err(String::from)
}

/// The fragment (without `#`) for a description in which every user has a public key.
pub fn encode_typed(shared: &Shared) -> Result<String, ProblemKind> {
    let description = &shared.description;
    let users = &description.users;
    let without_key: Vec<String> = description
        .users_without_key()
        .map(|u| u.name.clone())
        .collect();
    if !without_key.is_empty() {
        return Err(ProblemKind::LinkKeysMissing { names: without_key });
    }
    if users.len() > MAX_USERS {
        return Err(ProblemKind::LinkTooManyUsers { users: users.len() });
    }
    if let Some(problem) = check_count(description.vessels.len()) {
        return Err(problem);
    }
    let mut out = vec![FORMAT, platform_bits(&shared.platforms)];
    put_count(&mut out, users.len());
    for user in users {
        put_bytes(&mut out, user.name.as_bytes());
        let key = user.public_key.as_ref().expect("checked above");
        put_bytes(&mut out, &key.e().to_bytes_be());
        put_bytes(&mut out, &key.n().to_bytes_be());
    }
    let index = |name: &str| {
        users
            .iter()
            .position(|u| u.name == name)
            .ok_or_else(|| ProblemKind::LinkUserUnknown { name: name.into() })
    };
    put_count(&mut out, description.vessels.len());
    for vessel in &description.vessels {
        let tens = u8::try_from(vessel.percent / PERCENT_STEP)
            .ok()
            .filter(|_| vessel.percent % PERCENT_STEP == 0)
            .ok_or(ProblemKind::LinkPercentNotTen {
                percent: vessel.percent,
            })?;
        out.push(tens);
        put_count(&mut out, index(&vessel.owner)?);
        put_count(&mut out, vessel.users.len());
        for name in &vessel.users {
            put_count(&mut out, index(name)?);
        }
    }
    Ok(BASE64.encode(out))
}

/// [`decode_typed`], with the problem in English.
pub fn decode(link: &str) -> Result<Shared, String> {
    decode_typed(link).map_err(String::from)
}

/// Reads a link: its fragment, with or without `#`, or the whole URL. Every problem is a
/// message a person can act on; the description is checked by the same rules as a JSON one.
pub fn decode_typed(link: &str) -> Result<Shared, ProblemKind> {
    let link = link.trim();
    let fragment = match link.split_once('#') {
        Some((_, fragment)) => fragment,
        // base64url has no ':', so this is a URL without a fragment (a char search is far
        // smaller in the page's module than a substring search).
        None if link.contains(':') => return Err(ProblemKind::LinkNoFragment),
        None => link,
    };
    if fragment.is_empty() {
        return Err(ProblemKind::LinkNothingAfterHash);
    }
    let bytes = BASE64.decode(fragment).map_err(base64_problem)?;
    let mut reader = Reader { bytes: &bytes };
    let format = reader.byte(LinkPart::Format)?;
    if format > LAST_PLAUSIBLE_FORMAT {
        return Err(ProblemKind::LinkNoSuchFormat { format });
    }
    if format > FORMAT {
        return Err(ProblemKind::LinkNewerFormat { format });
    }
    if format == 0 {
        return Err(ProblemKind::LinkFormatZero);
    }
    let platforms = platforms_of(reader.byte(LinkPart::Platforms)?)?;
    let user_count = reader.count(LinkPart::UserCount, MAX_USERS)?;
    let mut users = Vec::with_capacity(user_count);
    for i in 1..=user_count {
        users.push(reader.user(i)?);
    }
    let vessel_count = reader.count(LinkPart::VesselCount, MAX_VESSELS)?;
    let mut vessels = Vec::with_capacity(vessel_count);
    for i in 1..=vessel_count {
        vessels.push(reader.vessel(i, &users)?);
    }
    if !reader.bytes.is_empty() {
        return Err(ProblemKind::LinkTrailingBytes {
            bytes: reader.bytes.len(),
        });
    }
    let description = BuildDescription { vessels, users }
        .checked()
        .map_err(|problems| ProblemKind::LinkInvalidDescription { problems })?;
    Ok(Shared {
        description,
        platforms,
    })
}

fn base64_problem(e: DecodeError) -> ProblemKind {
    match e {
        DecodeError::InvalidByte(at, byte) | DecodeError::InvalidLastSymbol(at, byte) => {
            ProblemKind::LinkBadCharacter {
                position: at + 1,
                character: char::from(byte),
            }
        }
        DecodeError::InvalidLength(_) => ProblemKind::LinkBadLength,
        DecodeError::InvalidPadding => ProblemKind::LinkBadEnd,
    }
}

fn platform_bits(platforms: &[Platform]) -> u8 {
    Platform::ALL
        .iter()
        .enumerate()
        .filter(|(_, p)| platforms.contains(p))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

fn platforms_of(bits: u8) -> Result<Vec<Platform>, ProblemKind> {
    if bits >> Platform::ALL.len() != 0 {
        return Err(ProblemKind::LinkUnknownPlatforms { bits });
    }
    Ok(Platform::ALL
        .into_iter()
        .enumerate()
        .filter(|(i, _)| bits & 1 << i != 0)
        .map(|(_, p)| p)
        .collect())
}

fn put_count(out: &mut Vec<u8>, mut value: usize) {
    loop {
        let low = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_count(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// The bytes not read yet; every read says what it was reading when the bytes ran out.
struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    fn byte(&mut self, part: LinkPart) -> Result<u8, ProblemKind> {
        let (&first, rest) = self
            .bytes
            .split_first()
            .ok_or(ProblemKind::LinkEndsEarly { part })?;
        self.bytes = rest;
        Ok(first)
    }

    /// A varint of at most `max`, refused before anything is allocated for it.
    fn count(&mut self, part: LinkPart, max: usize) -> Result<usize, ProblemKind> {
        let mut value: usize = 0;
        // Three varint bytes hold 2^21, far above every limit here.
        for shift in [0, 7, 14] {
            let byte = self.byte(part)?;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return match value <= max {
                    true => Ok(value),
                    false => Err(ProblemKind::LinkCountTooHigh { part, value, max }),
                };
            }
        }
        Err(ProblemKind::LinkCountTooLong { part })
    }

    fn take(&mut self, part: LinkPart, max: usize) -> Result<&'a [u8], ProblemKind> {
        let len = self.count(part.length(), max)?;
        if len > self.bytes.len() {
            return Err(ProblemKind::LinkEndsEarly { part });
        }
        let (taken, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(taken)
    }

    fn number(&mut self, part: LinkPart) -> Result<Natural, ProblemKind> {
        let bytes = self.take(part, MAX_KEY_BYTES)?;
        // One way to write each number, so one description has one link.
        if bytes.first().is_none_or(|&b| b == 0) {
            return Err(ProblemKind::LinkNumberUnusual { part });
        }
        Ok(Natural::from_bytes_be(bytes))
    }

    fn user(&mut self, i: usize) -> Result<User, ProblemKind> {
        let name = self.take(LinkPart::Name(i), MAX_NAME_BYTES)?;
        let name = String::from_utf8(name.to_vec()).map_err(|_| ProblemKind::LinkNotUtf8 {
            part: LinkPart::Name(i),
        })?;
        let e = self.number(LinkPart::Exponent(i))?;
        let n = self.number(LinkPart::Modulus(i))?;
        let key = PublicKey::from_parts(e, n).map_err(|problem| ProblemKind::LinkUserBadKey {
            name: name.clone(),
            problem: Box::new(problem),
        })?;
        Ok(User {
            name,
            public_key: Some(key),
        })
    }

    fn vessel(&mut self, i: usize, users: &[User]) -> Result<Vessel, ProblemKind> {
        let tens = self.byte(LinkPart::VesselPercent(i))?;
        let name_of = |index: usize| -> Result<String, ProblemKind> {
            users
                .get(index)
                .map(|u| u.name.clone())
                .ok_or(ProblemKind::LinkNoSuchUser {
                    vessel: i,
                    user: index + 1,
                    users: users.len(),
                })
        };
        let owner = name_of(self.count(LinkPart::VesselOwner(i), MAX_USERS)?)?;
        let count = self.count(LinkPart::VesselUserCount(i), users.len())?;
        let mut vessel_users = Vec::with_capacity(count);
        for _ in 0..count {
            vessel_users.push(name_of(self.count(LinkPart::VesselUsers(i), MAX_USERS)?)?);
        }
        Ok(Vessel {
            percent: u32::from(tens) * PERCENT_STEP,
            owner,
            users: vessel_users,
        })
    }
}

#[cfg(test)]
mod tests;
