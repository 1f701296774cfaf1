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

/// The fragment (without `#`) for a description in which every user has a public key.
pub fn encode(shared: &Shared) -> Result<String, String> {
    let description = &shared.description;
    let users = &description.users;
    let without_key: Vec<&str> = description
        .users_without_key()
        .map(|u| u.name.as_str())
        .collect();
    if !without_key.is_empty() {
        return Err(format!(
            "{} ha{} no public key; a link carries public keys only (build first, or give every user a key)",
            without_key.join(", "),
            if without_key.len() == 1 { "s" } else { "ve" }
        ));
    }
    if users.len() > MAX_USERS {
        return Err(format!(
            "a link holds at most {MAX_USERS} users; this description has {}",
            users.len()
        ));
    }
    if let Some(message) = check_count(description.vessels.len()) {
        return Err(message);
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
            .ok_or_else(|| format!("{name:?} is in a vessel but not among the users"))
    };
    put_count(&mut out, description.vessels.len());
    for vessel in &description.vessels {
        let tens = u8::try_from(vessel.percent / PERCENT_STEP)
            .ok()
            .filter(|_| vessel.percent % PERCENT_STEP == 0)
            .ok_or_else(|| format!("percentage {} is not a whole ten", vessel.percent))?;
        out.push(tens);
        put_count(&mut out, index(&vessel.owner)?);
        put_count(&mut out, vessel.users.len());
        for name in &vessel.users {
            put_count(&mut out, index(name)?);
        }
    }
    Ok(BASE64.encode(out))
}

/// Reads a link: its fragment, with or without `#`, or the whole URL. Every problem is a
/// message a person can act on; the description is checked by the same rules as a JSON one.
pub fn decode(link: &str) -> Result<Shared, String> {
    let link = link.trim();
    let fragment = match link.split_once('#') {
        Some((_, fragment)) => fragment,
        // base64url has no ':', so this is a URL without a fragment (a char search is far
        // smaller in the page's module than a substring search).
        None if link.contains(':') => {
            return Err("this link has no '#' and no build description after it".into())
        }
        None => link,
    };
    if fragment.is_empty() {
        return Err("this link holds no build description (nothing follows '#')".into());
    }
    let bytes = BASE64
        .decode(fragment)
        .map_err(|e| damaged(&base64_problem(e)))?;
    let mut reader = Reader { bytes: &bytes };
    let format = reader.byte("the format")?;
    if format > LAST_PLAUSIBLE_FORMAT {
        return Err(damaged(&format!(
            "it starts with {format}, which is no format of a cib link"
        )));
    }
    if format > FORMAT {
        return Err(format!(
            "this link was made by a newer version of cib (format {format}); this one reads format {FORMAT}"
        ));
    }
    if format == 0 {
        return Err(damaged("its format is 0"));
    }
    let platforms = platforms_of(reader.byte("the platforms")?)?;
    let user_count = reader.count("the number of users", MAX_USERS)?;
    let mut users = Vec::with_capacity(user_count);
    for i in 1..=user_count {
        users.push(reader.user(i)?);
    }
    let vessel_count = reader.count("the number of vessels", MAX_VESSELS)?;
    let mut vessels = Vec::with_capacity(vessel_count);
    for i in 1..=vessel_count {
        vessels.push(reader.vessel(i, &users)?);
    }
    if !reader.bytes.is_empty() {
        return Err(damaged(&match reader.bytes.len() {
            1 => "1 byte follows the end of the description".to_string(),
            n => format!("{n} bytes follow the end of the description"),
        }));
    }
    let description = BuildDescription { vessels, users }
        .checked()
        .map_err(|problems| {
            let list: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
            format!(
                "this link's build description is not valid: {}",
                list.join("; ")
            )
        })?;
    Ok(Shared {
        description,
        platforms,
    })
}

fn damaged(detail: &str) -> String {
    format!("this link is damaged: {detail}")
}

fn base64_problem(e: DecodeError) -> String {
    match e {
        DecodeError::InvalidByte(at, byte) | DecodeError::InvalidLastSymbol(at, byte) => format!(
            "character {} ({:?}) cannot be there in its text",
            at + 1,
            char::from(byte)
        ),
        DecodeError::InvalidLength(_) => {
            "its text has a character too many or too few (was it cut short?)".into()
        }
        DecodeError::InvalidPadding => "its text ends wrongly".into(),
    }
}

fn platform_bits(platforms: &[Platform]) -> u8 {
    Platform::ALL
        .iter()
        .enumerate()
        .filter(|(_, p)| platforms.contains(p))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

fn platforms_of(bits: u8) -> Result<Vec<Platform>, String> {
    if bits >> Platform::ALL.len() != 0 {
        return Err(damaged(&format!(
            "it names platforms that do not exist (its platform byte is {bits})"
        )));
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
    fn byte(&mut self, what: &str) -> Result<u8, String> {
        let (&first, rest) = self
            .bytes
            .split_first()
            .ok_or_else(|| format!("this link ends early: {what} is cut off"))?;
        self.bytes = rest;
        Ok(first)
    }

    /// A varint of at most `max`, refused before anything is allocated for it.
    fn count(&mut self, what: &str, max: usize) -> Result<usize, String> {
        let mut value: usize = 0;
        // Three varint bytes hold 2^21, far above every limit here.
        for shift in [0, 7, 14] {
            let byte = self.byte(what)?;
            value |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return match value <= max {
                    true => Ok(value),
                    false => Err(damaged(&format!("{what} is {value}; at most {max} can be"))),
                };
            }
        }
        Err(damaged(&format!("{what} is too large")))
    }

    fn take(&mut self, what: &str, max: usize) -> Result<&'a [u8], String> {
        let len = self.count(&format!("the length of {what}"), max)?;
        if len > self.bytes.len() {
            return Err(format!("this link ends early: {what} is cut off"));
        }
        let (taken, rest) = self.bytes.split_at(len);
        self.bytes = rest;
        Ok(taken)
    }

    fn number(&mut self, what: &str) -> Result<Natural, String> {
        let bytes = self.take(what, MAX_KEY_BYTES)?;
        // One way to write each number, so one description has one link.
        if bytes.first().is_none_or(|&b| b == 0) {
            return Err(damaged(&format!("{what} is not written the usual way")));
        }
        Ok(Natural::from_bytes_be(bytes))
    }

    fn user(&mut self, i: usize) -> Result<User, String> {
        let place = format!("user {i}");
        let name = self.take(&format!("{place}'s name"), MAX_NAME_BYTES)?;
        let name = String::from_utf8(name.to_vec())
            .map_err(|_| damaged(&format!("{place}'s name is not UTF-8 text")))?;
        let e = self.number(&format!("{place}'s key exponent"))?;
        let n = self.number(&format!("{place}'s key modulus"))?;
        let key = PublicKey::from_parts(e, n).map_err(|message| {
            format!("this link's user {name:?} has a bad public key: {message}")
        })?;
        Ok(User {
            name,
            public_key: Some(key),
        })
    }

    fn vessel(&mut self, i: usize, users: &[User]) -> Result<Vessel, String> {
        let place = format!("vessel {i}");
        let tens = self.byte(&format!("{place}'s percentage"))?;
        let name_of = |index: usize| -> Result<String, String> {
            users.get(index).map(|u| u.name.clone()).ok_or_else(|| {
                damaged(&format!(
                    "{place} names user {}, but there are {} users",
                    index + 1,
                    users.len()
                ))
            })
        };
        let owner = name_of(self.count(&format!("{place}'s owner"), MAX_USERS)?)?;
        let count = self.count(&format!("{place}'s number of users"), users.len())?;
        let mut vessel_users = Vec::with_capacity(count);
        for _ in 0..count {
            vessel_users.push(name_of(
                self.count(&format!("{place}'s users"), MAX_USERS)?,
            )?);
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
