//! A JSON object read with its keys in order and its duplicates kept, so that a name given twice
//! (which serde_json would silently collapse to the last) can be reported.
//!
//! Read through one visitor that takes every kind of value serde_json hands over: a visitor
//! that refuses some kind calls serde's `invalid_type`, whose message can print a float, and
//! that alone would pull the float formatter into the page's module.

use serde::de::{Deserialize, Deserializer, Error, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

pub struct Entries<V>(pub Vec<(String, V)>);

/// A JSON value whose objects keep their entries, each entry's value read as `V`.
pub enum Member<V> {
    Object(Entries<V>),
    Other(Value),
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Member<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MemberVisitor(PhantomData))
    }
}

struct MemberVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for MemberVisitor<V> {
    type Value = Member<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member<V>, A::Error> {
        let mut entries = Vec::new();
        // Keys read as values: JSON's keys are strings anyway, and a string-typed read would
        // bring serde's messages for the other kinds back.
        while let Some((key, value)) = map.next_entry::<Value, V>()? {
            let Value::String(key) = key else {
                return Err(A::Error::custom("a key is not a string"));
            };
            entries.push((key, value));
        }
        Ok(Member::Object(Entries(entries)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member<V>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Member::Other(Value::Array(items)))
    }

    fn visit_unit<E: Error>(self) -> Result<Member<V>, E> {
        Ok(Member::Other(Value::Null))
    }

    fn visit_bool<E: Error>(self, b: bool) -> Result<Member<V>, E> {
        Ok(Member::Other(Value::Bool(b)))
    }

    fn visit_u64<E: Error>(self, n: u64) -> Result<Member<V>, E> {
        Ok(Member::Other(n.into()))
    }

    fn visit_i64<E: Error>(self, n: i64) -> Result<Member<V>, E> {
        Ok(Member::Other(n.into()))
    }

    fn visit_f64<E: Error>(self, n: f64) -> Result<Member<V>, E> {
        Ok(Member::Other(n.into()))
    }

    fn visit_str<E: Error>(self, s: &str) -> Result<Member<V>, E> {
        Ok(Member::Other(Value::String(s.into())))
    }
}

impl<V> Entries<V> {
    /// The keys that appear more than once, each named once.
    pub fn duplicate_keys(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        let mut duplicates = Vec::new();
        for (key, _) in &self.0 {
            if !seen.insert(key.as_str()) && !duplicates.contains(&key.as_str()) {
                duplicates.push(key.as_str());
            }
        }
        duplicates
    }
}
