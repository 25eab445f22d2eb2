//! Abbreviated keys: the first 16 bytes of a user key as two integers, so
//! a search can order most keys without following a pointer to their
//! bytes (memtable nodes and table index entries keep one inline).

use std::cmp::Ordering;

use crate::record::{compare_internal_keys, user_key};

/// The first 16 bytes of a user key, zero-padded, as two big-endian
/// integers. If two keys' prefixes differ, they order the keys as the full
/// bytes would: either a real byte differs first, or the shorter key ran
/// out (a padding zero against a real, nonzero, byte) and sorts first
/// anyway. Equal prefixes say nothing, and the full keys are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct KeyPrefix(u64, u64);

impl KeyPrefix {
    /// The prefix of `user_key`.
    pub(crate) fn of(user_key: &[u8]) -> Self {
        let mut bytes = [0u8; 16];
        for (slot, b) in bytes.iter_mut().zip(user_key) {
            *slot = *b;
        }
        let (hi, lo) = bytes.split_at(8);
        let word = |half: &[u8]| half.try_into().map_or(0, u64::from_be_bytes);
        KeyPrefix(word(hi), word(lo))
    }
}

/// Orders the internal key `key`, whose user key has prefix `prefix`,
/// against `target` (prefix `target_prefix`): by the prefixes when they
/// differ, by the full internal keys otherwise.
pub(crate) fn compare_prefixed(
    prefix: KeyPrefix,
    key: &[u8],
    target_prefix: KeyPrefix,
    target: &[u8],
) -> Ordering {
    match prefix.cmp(&target_prefix) {
        Ordering::Equal => compare_internal_keys(key, target),
        order => order,
    }
}

/// The prefix of an internal key's user key.
pub(crate) fn internal_key_prefix(internal_key: &[u8]) -> KeyPrefix {
    KeyPrefix::of(user_key(internal_key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_order_keys_like_their_bytes_or_tie() {
        let keys: [&[u8]; 10] = [
            b"",
            b"\0",
            b"a",
            b"a\0",
            b"ab",
            b"0123456789abcdef",
            b"0123456789abcdef\0",
            b"0123456789abcdefz",
            b"0123456789abcdeg",
            &[0xff; 20],
        ];
        for a in keys {
            for b in keys {
                let (pa, pb) = (KeyPrefix::of(a), KeyPrefix::of(b));
                if pa != pb {
                    assert_eq!(pa.cmp(&pb), a.cmp(b), "{a:?} vs {b:?}");
                }
            }
        }
    }
}
