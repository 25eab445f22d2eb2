//! Records and internal keys.
//!
//! Every write becomes a record: the user key, a 56-bit sequence number, a
//! kind (put or delete) and, for puts, a value. Inside memtables and tables
//! records are ordered by their *internal key*: user key ascending, then
//! sequence number descending, so the newest version of a key comes first.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// A sequence number: 56 bits, assigned in write order.
pub type SeqNo = u64;

/// The largest sequence number (2^56 - 1).
pub const MAX_SEQNO: SeqNo = (1 << 56) - 1;
/// The longest user key accepted, in bytes.
pub const MAX_KEY_BYTES: usize = 16 * 1024;
/// The longest value accepted, in bytes.
pub const MAX_VALUE_BYTES: usize = 8 * 1024 * 1024;
/// Length of the internal key trailer: sequence number and kind.
pub const TRAILER_BYTES: usize = 8;
/// The longest internal key: a maximal user key plus the trailer.
pub const MAX_INTERNAL_KEY_BYTES: usize = MAX_KEY_BYTES + TRAILER_BYTES;

/// What a record does to its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// A tombstone: the key is deleted as of this sequence number.
    Delete = 0,
    /// The key holds the record's value.
    Put = 1,
}

impl ValueKind {
    /// Decodes the kind byte.
    pub fn from_byte(b: u8) -> Option<Self> {
        match b {
            0 => Some(ValueKind::Delete),
            1 => Some(ValueKind::Put),
            _ => None,
        }
    }
}

/// The kind that sorts first among records with equal user key and
/// sequence number: used to build seek targets.
pub const KIND_FOR_SEEK: ValueKind = ValueKind::Put;

/// An internal key split into its parts.
///
/// ## Format
/// - user key: the key's bytes
/// - trailer: u64 LE = `seq << 8 | kind`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParsedKey<'a> {
    /// The user's key.
    pub user_key: &'a [u8],
    /// Sequence number of the write.
    pub seq: SeqNo,
    /// Put or delete.
    pub kind: ValueKind,
}

/// Appends the internal key for (`user_key`, `seq`, `kind`) to `out`.
pub fn encode_internal_key(out: &mut Vec<u8>, user_key: &[u8], seq: SeqNo, kind: ValueKind) {
    out.extend_from_slice(user_key);
    out.extend_from_slice(&((seq << 8) | kind as u64).to_le_bytes());
}

/// The internal key for (`user_key`, `seq`, `kind`).
pub fn internal_key(user_key: &[u8], seq: SeqNo, kind: ValueKind) -> Vec<u8> {
    let mut out = Vec::with_capacity(user_key.len() + TRAILER_BYTES);
    encode_internal_key(&mut out, user_key, seq, kind);
    out
}

/// Splits an internal key; `None` if it is too short or its kind is unknown.
pub fn parse_internal_key(key: &[u8]) -> Option<ParsedKey<'_>> {
    let split = key.len().checked_sub(TRAILER_BYTES)?;
    let (user_key, trailer) = key.split_at(split);
    let trailer = u64::from_le_bytes(trailer.try_into().ok()?);
    let kind = ValueKind::from_byte((trailer & 0xff) as u8)?;
    Some(ParsedKey {
        user_key,
        seq: trailer >> 8,
        kind,
    })
}

/// The user-key part of an internal key (the whole slice if it is too short).
pub fn user_key(internal: &[u8]) -> &[u8] {
    internal
        .get(..internal.len().saturating_sub(TRAILER_BYTES))
        .unwrap_or(internal)
}

fn trailer(internal: &[u8]) -> u64 {
    let start = internal.len().saturating_sub(TRAILER_BYTES);
    internal
        .get(start..)
        .and_then(|t| t.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// Orders internal keys: user key ascending, then trailer (sequence number,
/// kind) descending. Malformed keys compare by their bytes, never panic.
pub fn compare_internal_keys(a: &[u8], b: &[u8]) -> Ordering {
    user_key(a)
        .cmp(user_key(b))
        .then_with(|| trailer(b).cmp(&trailer(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_versions_of_a_key_sort_first() {
        let old = internal_key(b"k", 5, ValueKind::Put);
        let new = internal_key(b"k", 9, ValueKind::Delete);
        let other = internal_key(b"ka", 1, ValueKind::Put);
        assert_eq!(compare_internal_keys(&new, &old), Ordering::Less);
        assert_eq!(compare_internal_keys(&old, &other), Ordering::Less);
    }

    #[test]
    fn internal_keys_round_trip() {
        let k = internal_key(b"abc", MAX_SEQNO, ValueKind::Delete);
        let p = parse_internal_key(&k);
        assert_eq!(
            p,
            Some(ParsedKey {
                user_key: b"abc",
                seq: MAX_SEQNO,
                kind: ValueKind::Delete
            })
        );
        assert_eq!(parse_internal_key(b"short"), None);
    }
}
