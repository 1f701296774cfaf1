//! Reading vesselinfo back as Seattle's installer does (`read_vesselinfo_from_file` and the
//! checks of `main` in create_installer_state.py, keys through `rsa_string_to_publickey`), so
//! that what it grants can be shown and whether it would install can be told. Every problem is
//! reported, not only the first one the installer would stop at.

use crate::decimal;
use crate::problem::{Place, ProblemKind, Problems};
use crate::public_key::{self, PublicKey};
use crate::vessel::{PERCENT_STEP, RESERVED_OWNER_KEY, RESERVED_PERCENT};

/// The installer's vessels must share out exactly this much.
const INSTALLER_TOTAL: i64 = 100;

/// What a vesselinfo file grants, as the installer reads it, and everything it would refuse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vesselinfo {
    pub vessels: Vec<ReadVessel>,
    /// Empty when Seattle's installer accepts the file. Places are `line N`, or empty for the
    /// whole file.
    pub problems: Problems,
    /// Keys the installer takes but that are no RSA public key the node manager can use.
    pub unusable_keys: Vec<UnusableKey>,
}

/// One vessel: from its `Percent` line to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadVessel {
    /// The line of its `Percent`.
    pub line: usize,
    /// `None` when the percentage is not a whole number, or too far out of range to hold.
    pub percent: Option<i64>,
    pub owner: Option<VesselKey>,
    pub users: Vec<VesselKey>,
}

/// A key as the installer holds it: `e` and `n` as Python's `long()` reads them, written back
/// in plain decimal (`e n`), which is how the node manager writes keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VesselKey {
    pub line: usize,
    pub text: String,
}

/// A key the installer accepts that cannot be an RSA public key, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnusableKey {
    pub line: usize,
    pub key: String,
    pub why: ProblemKind,
}

impl VesselKey {
    pub fn fingerprint(&self) -> String {
        public_key::fingerprint(&self.text)
    }

    /// The modulus's bit length, when `n` is a positive number of a size keys have.
    pub fn bits(&self) -> Option<usize> {
        let n = self.text.split(' ').nth(1)?;
        decimal::parse(n).ok().map(|n| n.bits())
    }

    /// The key, if it is one the node manager can use.
    pub fn public_key(&self) -> Result<PublicKey, ProblemKind> {
        PublicKey::parse_typed(&self.text)
    }
}

impl Vesselinfo {
    /// Reads vesselinfo bytes; never fails, since what is wrong is part of the answer.
    pub fn parse(bytes: &[u8]) -> Vesselinfo {
        let mut read = Vesselinfo::default();
        // Whether the vessel being read has had an `Owner` line, even one refused, so that a
        // bad key is not also reported as a missing owner.
        let mut owner_seen = false;
        // Python reads lines up to each `\n`; a final `\n` ends the last line, it opens no new one.
        // An empty file has no line at all.
        let text = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let lines = text.split(|&b| b == b'\n').filter(|_| !bytes.is_empty());
        for (index, line) in lines.enumerate() {
            let number = index + 1;
            let place = Place::Line(number);
            let words: Vec<&[u8]> = line
                .split(|b| is_python_space(*b))
                .filter(|w| !w.is_empty())
                .collect();
            match words.first().copied() {
                None => read.problems.push(place, ProblemKind::VesselinfoBlankLine),
                Some(b"Percent") => {
                    read.close_vessel(owner_seen);
                    owner_seen = false;
                    let percent = match words.get(1) {
                        None => Err(ProblemKind::VesselinfoPercentMissing),
                        Some(word) => percent(word),
                    };
                    let percent = percent
                        .map_err(|why| read.problems.push(place.clone(), why))
                        .ok();
                    read.vessels.push(ReadVessel {
                        line: number,
                        percent,
                        owner: None,
                        users: Vec::new(),
                    });
                }
                Some(label @ (b"Owner" | b"User")) => {
                    let label = if label == b"Owner" { "Owner" } else { "User" };
                    let key = key(label, &words, number);
                    let Some(vessel) = read.vessels.last_mut() else {
                        read.problems
                            .push(place, ProblemKind::VesselinfoKeyBeforePercent { label });
                        continue;
                    };
                    owner_seen |= label == "Owner";
                    match key {
                        Err(why) => read.problems.push(place, why),
                        Ok(key) if label == "Owner" => vessel.owner = Some(key),
                        Ok(key) => vessel.users.push(key),
                    }
                }
                Some(_) => {}
            }
        }
        read.close_vessel(owner_seen);
        read.check_shares();
        read.unusable_keys = read
            .vessels
            .iter()
            .flat_map(|v| v.owner.iter().chain(&v.users))
            .filter_map(|key| {
                let why = key.public_key().err()?;
                Some(UnusableKey {
                    line: key.line,
                    key: key.text.clone(),
                    why,
                })
            })
            .collect();
        read
    }

    /// Whether Seattle's installer would install this vesselinfo.
    pub fn seattle_accepts(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether the last vessel is the one every Seattle installer reserves: 20%, owned by the
    /// Seattle project's key, with no users.
    pub fn ends_with_reserved_vessel(&self) -> bool {
        self.vessels.last().is_some_and(|v| {
            v.percent == Some(i64::from(RESERVED_PERCENT))
                && v.owner
                    .as_ref()
                    .is_some_and(|o| o.text == RESERVED_OWNER_KEY.trim())
                && v.users.is_empty()
        })
    }

    /// Every vessel needs an owner: the installer checks when the next vessel starts, and at
    /// the end of the file.
    fn close_vessel(&mut self, owner_seen: bool) {
        if let Some(vessel) = self.vessels.last() {
            if !owner_seen {
                self.problems
                    .push(Place::Line(vessel.line), ProblemKind::VesselinfoNoOwner);
            }
        }
    }

    /// The checks of the installer's `main`: each percentage one of 10, 20, ..., 100, and all
    /// of them together exactly 100.
    fn check_shares(&mut self) {
        if self.vessels.is_empty() {
            self.problems
                .push(Place::None, ProblemKind::VesselinfoNoVessel);
            return;
        }
        let step = i64::from(PERCENT_STEP);
        for vessel in &self.vessels {
            if let Some(percent) = vessel.percent {
                if !(step..=INSTALLER_TOTAL).contains(&percent) || percent % step != 0 {
                    self.problems.push(
                        Place::Line(vessel.line),
                        ProblemKind::VesselinfoPercentNotAllowed {
                            percent: percent.to_string(),
                        },
                    );
                }
            }
        }
        let percents: Option<Vec<i64>> = self.vessels.iter().map(|v| v.percent).collect();
        if let Some(percents) = percents {
            let total: i128 = percents.iter().map(|&p| i128::from(p)).sum();
            if total != i128::from(INSTALLER_TOTAL) {
                self.problems
                    .push(Place::None, ProblemKind::VesselinfoWrongTotal { total });
            }
        }
    }
}

/// The bytes Python 2's `str.split()` splits at.
fn is_python_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// A `Percent` line's percentage, read as Python 2's `int()`.
fn percent(word: &[u8]) -> Result<i64, ProblemKind> {
    let text = python_integer(word, false)
        .ok_or_else(|| ProblemKind::VesselinfoPercentNotWhole { word: shown(word) })?;
    text.parse()
        .map_err(|_| ProblemKind::VesselinfoPercentNotAllowed { percent: text })
}

/// The key of an `Owner` or `User` line: its second and third words, each read as Python 2's
/// `long()`; any further words are ignored, as the installer ignores them.
fn key(label: &'static str, words: &[&[u8]], line: usize) -> Result<VesselKey, ProblemKind> {
    let (Some(e), Some(n)) = (words.get(1), words.get(2)) else {
        return Err(ProblemKind::VesselinfoKeyMissing { label });
    };
    let number = |name: &'static str, word: &[u8]| {
        python_integer(word, true).ok_or_else(|| ProblemKind::VesselinfoKeyNumberNotWhole {
            label,
            name,
            word: shown(word),
        })
    };
    let e = number("e", e)?;
    let n = number("n", n)?;
    Ok(VesselKey {
        line,
        text: format!("{e} {n}"),
    })
}

/// A word of base-10 digits as Python 2's `int()` (`long_suffix` false) or `long()` reads it:
/// an optional sign, leading zeros allowed, no `_`; `long()` also takes a trailing `L` or `l`.
/// Returns the number in plain decimal: `-` for a negative one, no leading zeros.
fn python_integer(word: &[u8], long_suffix: bool) -> Option<String> {
    let (negative, unsigned) = match word.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, word),
    };
    let digits = match unsigned.split_last() {
        Some((b'L' | b'l', rest)) if long_suffix => rest,
        _ => unsigned,
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let significant = match digits.iter().position(|&d| d != b'0') {
        Some(first) => &digits[first..],
        None => return Some("0".into()),
    };
    let sign = if negative { "-" } else { "" };
    Some(format!("{sign}{}", String::from_utf8_lossy(significant)))
}

/// A word for a message: quoted, its odd bytes escaped, a long one cut short.
fn shown(word: &[u8]) -> String {
    const SHOWN: usize = 40;
    let text = String::from_utf8_lossy(&word[..word.len().min(SHOWN)]).into_owned();
    let more = if word.len() > SHOWN { "..." } else { "" };
    format!("{text:?}{more}")
}
