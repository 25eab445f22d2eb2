//! Key comparisons for the hot loops of a lookup (block search, index and
//! level search), inlined and eight bytes at a time.
//!
//! They order exactly like `<[u8]>::cmp` and
//! [`crate::record::compare_internal_keys`]; they only avoid a call into
//! the C library's `memcmp` for keys of a few bytes, where the call costs
//! more than the comparison.

use std::cmp::Ordering;

use crate::record::TRAILER_BYTES;

/// Orders `a` and `b` as `a.cmp(b)` does.
#[inline]
pub(crate) fn compare_bytes(a: &[u8], b: &[u8]) -> Ordering {
    let n = a.len().min(b.len());
    let (a_head, b_head) = (a.get(..n).unwrap_or(a), b.get(..n).unwrap_or(b));
    let mut a_words = a_head.chunks_exact(8);
    let mut b_words = b_head.chunks_exact(8);
    // Both heads are `n` bytes long: they have as many words.
    for (x, y) in (&mut a_words).zip(&mut b_words) {
        let (x, y) = (word(x), word(y));
        if x != y {
            return x.cmp(&y);
        }
    }
    // The tails (under eight bytes) are equally long: byte by byte.
    for (x, y) in a_words.remainder().iter().zip(b_words.remainder()) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

/// Eight bytes as a big-endian integer.
#[inline]
fn word(bytes: &[u8]) -> u64 {
    <[u8; 8]>::try_from(bytes).map_or(0, u64::from_be_bytes)
}

/// An internal key's user key and trailer, split as
/// [`crate::record::user_key`] splits it (a key shorter than a trailer has
/// an empty user key and trailer 0).
#[inline]
fn split(internal: &[u8]) -> (&[u8], u64) {
    let at = internal.len().saturating_sub(TRAILER_BYTES);
    let (user, trailer) = internal.split_at(at);
    let trailer = <[u8; 8]>::try_from(trailer).map_or(0, u64::from_le_bytes);
    (user, trailer)
}

/// Orders internal keys as [`crate::record::compare_internal_keys`] does:
/// user key ascending, then trailer descending.
#[inline]
pub(crate) fn compare_internal(a: &[u8], b: &[u8]) -> Ordering {
    let ((ua, ta), (ub, tb)) = (split(a), split(b));
    compare_bytes(ua, ub).then_with(|| tb.cmp(&ta))
}

/// Binary search over `len` sorted keys known by their inline `prefixes`:
/// the first index whose key is not below the target (prefix `target`),
/// or `len`. Full keys are looked at (`full_below(i)`: key `i` is below
/// the target) only where a prefix ties with the target's.
pub(crate) fn first_not_below<P: Ord>(
    len: usize,
    prefixes: &[P],
    target: &P,
    full_below: impl Fn(usize) -> bool,
) -> usize {
    let below = |i: usize| match prefixes.get(i).map(|p| p.cmp(target)) {
        Some(Ordering::Less) => true,
        Some(Ordering::Equal) => full_below(i),
        _ => false,
    };
    let (mut low, mut high) = (0, len);
    while low < high {
        let mid = low + (high - low) / 2;
        if below(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{compare_internal_keys, internal_key, ValueKind};

    fn samples() -> Vec<Vec<u8>> {
        let mut keys: Vec<Vec<u8>> = vec![vec![], vec![0], vec![0, 0], vec![0xff; 9]];
        for text in [
            "a",
            "ab",
            "abc",
            "abcdefg",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefgi",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "abcdefghijklmnopq",
            "b",
            "zzzzz",
        ] {
            keys.push(text.as_bytes().to_vec());
        }
        keys
    }

    #[test]
    fn bytes_order_like_slices() {
        let keys = samples();
        for a in &keys {
            for b in &keys {
                assert_eq!(compare_bytes(a, b), a.cmp(b), "{a:?} vs {b:?}");
            }
        }
    }

    #[test]
    fn internal_keys_order_like_the_record_comparison() {
        let mut keys = samples();
        for user in samples() {
            for (seq, kind) in [
                (1, ValueKind::Put),
                (7, ValueKind::Delete),
                (7, ValueKind::Put),
            ] {
                keys.push(internal_key(&user, seq, kind));
            }
        }
        for a in &keys {
            for b in &keys {
                assert_eq!(
                    compare_internal(a, b),
                    compare_internal_keys(a, b),
                    "{a:?} vs {b:?}"
                );
            }
        }
    }
}
