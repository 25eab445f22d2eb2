//! One key axis shared by every level: where a key sits, as a fraction in
//! `0..=1`.
//!
//! Keys are arbitrary bytes, so the axis is ordinal: the distinct table
//! boundaries (smallest and largest keys) are spread evenly in key order,
//! and any other key sits between the boundaries around it. Tables that
//! do not overlap never overlap on screen, every level uses the same
//! scale, and a level of many small tables is as readable as one of few.

/// The axis for a set of keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KeyAxis {
    /// Distinct boundary keys, sorted.
    keys: Vec<Vec<u8>>,
}

impl KeyAxis {
    /// The axis through `keys` (any order, repeats allowed).
    pub fn spanning<'a>(keys: impl IntoIterator<Item = &'a [u8]>) -> KeyAxis {
        let mut keys: Vec<Vec<u8>> = keys.into_iter().map(<[u8]>::to_vec).collect();
        keys.sort_unstable();
        keys.dedup();
        KeyAxis { keys }
    }

    /// Where `key` sits: a boundary at its rank, any other key halfway
    /// between its neighbours; clamped to `0..=1`.
    pub fn position(&self, key: &[u8]) -> f64 {
        let n = self.keys.len();
        if n < 2 {
            return 0.5;
        }
        let last = (n - 1) as f64;
        let rank = match self.keys.binary_search_by(|k| k.as_slice().cmp(key)) {
            Ok(i) => i as f64,
            Err(0) => 0.0,
            Err(i) => match (self.keys.get(i - 1), self.keys.get(i)) {
                (Some(lo), Some(hi)) => (i - 1) as f64 + between(lo, hi, key),
                _ => last,
            },
        };
        (rank / last).clamp(0.0, 1.0)
    }

    /// Where the half-open key range `[start, end)` sits: its left and
    /// right edges.
    pub fn span(&self, start: &[u8], end: &[u8]) -> (f64, f64) {
        let (x0, x1) = (self.position(start), self.position(end));
        (x0.min(x1), x0.max(x1))
    }
}

/// Where `key` lies between `lo` and `hi` (`lo < key < hi`), as a
/// fraction: the bytes after their common prefix read as numbers, so that
/// a table being written grows smoothly between two boundaries.
fn between(lo: &[u8], hi: &[u8], key: &[u8]) -> f64 {
    let common = lo.iter().zip(hi).take_while(|(a, b)| a == b).count();
    let number = |k: &[u8]| {
        (0..6).fold(0u64, |n, i| {
            (n << 8) | u64::from(k.get(common + i).copied().unwrap_or(0))
        }) as f64
    };
    let (l, h, k) = (number(lo), number(hi), number(key));
    if h <= l {
        return 0.5;
    }
    ((k - l) / (h - l)).clamp(0.02, 0.98)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn positions_keep_key_order_and_span_the_axis() {
        let keys: Vec<Vec<u8>> = (0..50u32)
            .map(|i| format!("key{:06}", i * 37).into_bytes())
            .collect();
        let axis = KeyAxis::spanning(keys.iter().map(Vec::as_slice));
        let positions: Vec<f64> = keys.iter().map(|k| axis.position(k)).collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(positions.first(), Some(&0.0));
        assert_eq!(positions.last(), Some(&1.0));
        // Boundaries are evenly spread, whatever their bytes.
        assert!((axis.position(&keys[25]) - 25.0 / 49.0).abs() < 1e-9);
        // A key between two boundaries sits between them.
        let between = axis.position(b"key000040");
        assert!(positions[1] < between && between < positions[2]);
        // Nearer the boundary it is nearer to: 40 lies closer to 37 than
        // to 74, and 70 closer to 74.
        let near_high = axis.position(b"key000070");
        let middle = (positions[1] + positions[2]) / 2.0;
        assert!(
            between < middle && near_high > middle,
            "{between} {near_high}"
        );
        assert_eq!(axis.position(b"a"), 0.0);
        assert_eq!(axis.position(b"z"), 1.0);
    }

    #[test]
    fn one_key_or_none_sits_in_the_middle() {
        assert_eq!(KeyAxis::spanning([b"a".as_slice()]).position(b"a"), 0.5);
        assert_eq!(KeyAxis::spanning(std::iter::empty()).position(b"zzz"), 0.5);
    }
}
