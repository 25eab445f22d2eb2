//! One key axis shared by every level: where a key sits between the
//! smallest and the largest key on screen, as a fraction in `0..=1`.
//!
//! Keys are bytes, so the axis strips the prefix every key shares and reads
//! the next [`AXIS_BYTES`] bytes as a base-256 fraction. The mapping keeps
//! key order (never puts a larger key left of a smaller one) and spaces
//! keys roughly by how far apart they are.

/// Bytes after the shared prefix that decide a key's position.
pub const AXIS_BYTES: usize = 6;

/// The axis for a set of keys.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyAxis {
    prefix_len: usize,
    low: f64,
    high: f64,
}

impl Default for KeyAxis {
    fn default() -> Self {
        Self {
            prefix_len: 0,
            low: 0.0,
            high: 1.0,
        }
    }
}

impl KeyAxis {
    /// The axis spanning `keys` (any order).
    pub fn spanning<'a>(keys: impl IntoIterator<Item = &'a [u8]>) -> KeyAxis {
        let mut min: Option<&[u8]> = None;
        let mut max: Option<&[u8]> = None;
        for k in keys {
            min = Some(min.map_or(k, |m| m.min(k)));
            max = Some(max.map_or(k, |m| m.max(k)));
        }
        let (Some(min), Some(max)) = (min, max) else {
            return KeyAxis::default();
        };
        // The smallest and largest keys share the prefix every key shares.
        let prefix_len = min.iter().zip(max).take_while(|(a, b)| a == b).count();
        let mut axis = KeyAxis {
            prefix_len,
            low: 0.0,
            high: 1.0,
        };
        axis.low = axis.raw(min);
        axis.high = axis.raw(max);
        axis
    }

    fn raw(&self, key: &[u8]) -> f64 {
        let mut value = 0.0;
        let mut scale = 1.0;
        for i in 0..AXIS_BYTES {
            scale /= 256.0;
            let byte = key.get(self.prefix_len + i).copied().unwrap_or(0);
            value += f64::from(byte) * scale;
        }
        value
    }

    /// Where `key` sits, clamped to `0..=1`.
    pub fn position(&self, key: &[u8]) -> f64 {
        let span = self.high - self.low;
        if span <= 0.0 {
            return 0.5;
        }
        ((self.raw(key) - self.low) / span).clamp(0.0, 1.0)
    }
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
        assert!(positions.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(positions.first(), Some(&0.0));
        assert_eq!(positions.last(), Some(&1.0));
    }

    #[test]
    fn one_key_or_none_sits_in_the_middle() {
        assert_eq!(KeyAxis::spanning([b"a".as_slice()]).position(b"a"), 0.5);
        let empty = KeyAxis::spanning(std::iter::empty());
        assert!((0.0..=1.0).contains(&empty.position(b"zzz")));
    }
}
