//! The numbers of Seattle keys, and the little arithmetic the page's checks need on them:
//! reading and writing decimals and big-endian bytes, comparing, multiplying and taking a
//! remainder. Key generation and signing need far more (primes, modular powers) and use the
//! `rsa` crate; keeping these few routines here lets the page's module leave it out.

use std::cmp::Ordering;
use std::fmt;

/// A non-negative integer, as 32-bit limbs from the least significant, with no zero limb on
/// top (zero has none). u32 limbs keep every product inside a u64, which WebAssembly has.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Natural {
    limbs: Vec<u32>,
}

/// The largest power of ten in a limb: decimals are read and written nine digits at a time.
const DECIMAL_CHUNK: u32 = 1_000_000_000;
const DECIMAL_CHUNK_DIGITS: usize = 9;

impl Natural {
    fn normalized(mut limbs: Vec<u32>) -> Natural {
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
        Natural { limbs }
    }

    pub fn from_bytes_be(bytes: &[u8]) -> Natural {
        let limbs = bytes
            .rchunks(4)
            .map(|chunk| {
                chunk
                    .iter()
                    .fold(0u32, |limb, &b| (limb << 8) | u32::from(b))
            })
            .collect();
        Natural::normalized(limbs)
    }

    /// The shortest big-endian form: no leading zero byte, and `[0]` for zero.
    pub fn to_bytes_be(&self) -> Vec<u8> {
        let mut bytes = self.to_bytes_le();
        bytes.reverse();
        bytes
    }

    /// The shortest little-endian form, `[0]` for zero.
    pub fn to_bytes_le(&self) -> Vec<u8> {
        let mut bytes: Vec<u8> = self.limbs.iter().flat_map(|l| l.to_le_bytes()).collect();
        while bytes.len() > 1 && bytes.last() == Some(&0) {
            bytes.pop();
        }
        if bytes.is_empty() {
            bytes.push(0);
        }
        bytes
    }

    /// Reads ASCII decimal digits (the caller has checked that they are digits).
    pub(crate) fn from_decimal_digits(digits: &[u8]) -> Natural {
        let mut n = Natural::default();
        let head = digits.len() % DECIMAL_CHUNK_DIGITS;
        let chunks = std::iter::once(&digits[..head])
            .filter(|h| !h.is_empty())
            .chain(digits[head..].chunks(DECIMAL_CHUNK_DIGITS));
        for chunk in chunks {
            let value = chunk
                .iter()
                .fold(0u32, |v, &d| v * 10 + u32::from(d - b'0'));
            let scale = 10u32.pow(chunk.len() as u32);
            n.mul_add_small(scale, value);
        }
        n
    }

    pub fn bits(&self) -> usize {
        match self.limbs.last() {
            Some(top) => self.limbs.len() * 32 - top.leading_zeros() as usize,
            None => 0,
        }
    }

    pub fn is_even(&self) -> bool {
        self.limbs.first().is_none_or(|low| low & 1 == 0)
    }

    /// `self * factor + add`, in place.
    fn mul_add_small(&mut self, factor: u32, add: u32) {
        let mut carry = u64::from(add);
        for limb in &mut self.limbs {
            let wide = u64::from(*limb) * u64::from(factor) + carry;
            *limb = wide as u32;
            carry = wide >> 32;
        }
        if carry > 0 {
            self.limbs.push(carry as u32);
        }
    }

    /// Divides in place by `divisor` (not zero) and returns the remainder.
    fn div_rem_small(&mut self, divisor: u32) -> u32 {
        let mut rest = 0u64;
        for limb in self.limbs.iter_mut().rev() {
            let wide = (rest << 32) | u64::from(*limb);
            *limb = (wide / u64::from(divisor)) as u32;
            rest = wide % u64::from(divisor);
        }
        *self = Natural::normalized(std::mem::take(&mut self.limbs));
        rest as u32
    }

    pub fn mul(&self, other: &Natural) -> Natural {
        let mut product = vec![0u32; self.limbs.len() + other.limbs.len()];
        for (i, &a) in self.limbs.iter().enumerate() {
            let mut carry = 0u64;
            for (j, &b) in other.limbs.iter().enumerate() {
                let wide = u64::from(a) * u64::from(b) + u64::from(product[i + j]) + carry;
                product[i + j] = wide as u32;
                carry = wide >> 32;
            }
            product[i + other.limbs.len()] = carry as u32;
        }
        Natural::normalized(product)
    }

    /// `self - 1`; zero stays zero.
    pub fn minus_one(&self) -> Natural {
        let mut limbs = self.limbs.clone();
        for limb in &mut limbs {
            let (less, borrowed) = limb.overflowing_sub(1);
            *limb = less;
            if !borrowed {
                break;
            }
        }
        Natural::normalized(limbs)
    }

    /// `self mod modulus`, bit by bit: a key check takes a few of these, so plain shifting and
    /// subtracting is fast enough and has nothing to get wrong. Zero for a zero modulus.
    pub fn rem(&self, modulus: &Natural) -> Natural {
        if modulus.limbs.is_empty() {
            return Natural::default();
        }
        let mut rest = Natural::default();
        for bit in (0..self.bits()).rev() {
            rest.shift_left_one((self.limbs[bit / 32] >> (bit % 32)) & 1);
            if rest >= *modulus {
                rest.subtract(modulus);
            }
        }
        rest
    }

    fn shift_left_one(&mut self, low_bit: u32) {
        let mut carry = low_bit;
        for limb in &mut self.limbs {
            let top = *limb >> 31;
            *limb = (*limb << 1) | carry;
            carry = top;
        }
        if carry > 0 {
            self.limbs.push(carry);
        }
    }

    /// `self -= other`, where `other <= self`.
    fn subtract(&mut self, other: &Natural) {
        let mut borrow = false;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let subtrahend = other.limbs.get(i).copied().unwrap_or(0);
            let (a, b1) = limb.overflowing_sub(subtrahend);
            let (a, b2) = a.overflowing_sub(u32::from(borrow));
            *limb = a;
            borrow = b1 || b2;
        }
        *self = Natural::normalized(std::mem::take(&mut self.limbs));
    }
}

impl From<u32> for Natural {
    fn from(value: u32) -> Natural {
        Natural::normalized(vec![value])
    }
}

impl Ord for Natural {
    fn cmp(&self, other: &Natural) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

impl PartialOrd for Natural {
    fn partial_cmp(&self, other: &Natural) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Natural {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.clone();
        let mut chunks = Vec::new();
        loop {
            chunks.push(rest.div_rem_small(DECIMAL_CHUNK));
            if rest.limbs.is_empty() {
                break;
            }
        }
        let mut text = String::with_capacity(chunks.len() * DECIMAL_CHUNK_DIGITS);
        let mut chunks = chunks.iter().rev();
        if let Some(top) = chunks.next() {
            push_digits(&mut text, *top, false);
        }
        for chunk in chunks {
            push_digits(&mut text, *chunk, true);
        }
        f.write_str(&text)
    }
}

/// A chunk's digits; `padded` writes all nine (a chunk below the top one).
fn push_digits(text: &mut String, mut chunk: u32, padded: bool) {
    let mut digits = [b'0'; DECIMAL_CHUNK_DIGITS];
    let mut used = 0;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (chunk % 10) as u8;
        chunk /= 10;
        used += 1;
        if chunk == 0 && !padded {
            break;
        }
    }
    let digits = &digits[DECIMAL_CHUNK_DIGITS - used..];
    text.extend(digits.iter().map(|&d| char::from(d)));
}

/// The `rsa` crate's numbers, for key generation and signatures.
#[cfg(feature = "rsa")]
impl From<&Natural> for rsa::BigUint {
    fn from(n: &Natural) -> rsa::BigUint {
        rsa::BigUint::from_slice(&n.limbs)
    }
}

#[cfg(feature = "rsa")]
impl From<&rsa::BigUint> for Natural {
    fn from(n: &rsa::BigUint) -> Natural {
        Natural::from_bytes_be(&n.to_bytes_be())
    }
}

impl fmt::Debug for Natural {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(all(test, feature = "rsa"))]
mod tests;
