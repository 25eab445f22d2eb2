//! The bloom filter each table carries over its user keys.
//!
//! A get that reaches a table first asks the filter whether the key can be
//! there; when any tested bit is clear the key is certainly absent and no
//! block is read. Strata hashes each key once to 64 bits and derives every
//! probe from that hash by double hashing: probe `i` tests bit
//! `(h1 + i * h2) mod bits`. The hash is defined here, byte by byte, so a
//! filter written on one target answers the same on every other.

/// Fewest bits a filter holds, so tiny tables still get a useful filter.
pub const MIN_FILTER_BITS: u64 = 64;
/// Most hash functions (probes per key).
pub const MAX_HASH_COUNT: u32 = 30;
/// Largest encoded filter accepted, in bytes (hash count byte included).
pub const MAX_FILTER_BYTES: usize = 64 << 20;

/// A bloom filter over user keys.
///
/// ## Format
/// - `hash_count`: u8, probes per key, 1..=30
/// - `bits`: the bit array, `bits() / 8` bytes; bit `p` is bit `p % 8`
///   (least significant first) of byte `p / 8`. At least 8 bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BloomFilter {
    hash_count: u32,
    bytes: Vec<u8>,
}

/// The 64-bit key hash the filter probes from: FNV-1a over the bytes, then
/// a final avalanche (the SplitMix64 finaliser) so that every input bit
/// affects every output bit.
pub fn key_hash(key: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in key {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    avalanche(h)
}

fn avalanche(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The number of probes that minimises false positives for `bits_per_key`:
/// `round(bits_per_key * ln 2)`, clamped to `1..=30`.
pub fn optimal_hash_count(bits_per_key: u32) -> u32 {
    let k = (f64::from(bits_per_key) * std::f64::consts::LN_2).round();
    // In range after the clamp, so the cast is exact.
    (k.clamp(1.0, f64::from(MAX_HASH_COUNT))) as u32
}

/// The expected false positive rate `(1 - e^(-k/b))^k` of a filter with
/// `bits_per_key` bits per key and `hash_count` probes.
pub fn theoretical_false_positive_rate(bits_per_key: f64, hash_count: u32) -> f64 {
    let k = f64::from(hash_count);
    (1.0 - (-k / bits_per_key).exp()).powf(k)
}

/// The hash the probe step is taken from: probe `i` of a filter with
/// `bits` bits tests `(hash % bits + i * ((second_hash(hash) % bits) | 1))
/// % bits`.
pub fn second_hash(hash: u64) -> u64 {
    avalanche(hash ^ 0x5354_5241_5441_424c)
}

/// The probe positions for `hash` in a filter of `bits` bits.
fn probes(hash: u64, bits: u64, hash_count: u32) -> impl Iterator<Item = u64> {
    let bits = bits.max(1);
    let h1 = hash % bits;
    // An odd step (bits is a multiple of 8) cycles through many positions
    // before repeating.
    let h2 = (second_hash(hash) % bits) | 1;
    (0..u64::from(hash_count)).scan(h1, move |pos, _| {
        let here = *pos;
        // `(pos + h2) % bits` without a division: both are below `bits`,
        // so the sum wraps at most once.
        let next = *pos + h2;
        *pos = if next >= bits { next - bits } else { next };
        Some(here)
    })
}

/// The engine's own filter algorithm, on a filter's parts (its hash count
/// and bit array). [`BloomFilter`] uses it unless a course lab installs
/// another one (cargo feature `labs`, see `crate::labs`).
#[derive(Clone, Copy, Debug, Default)]
pub struct StandardBloom;

impl StandardBloom {
    /// The hash count and bit array of a filter over keys given by their
    /// [`key_hash`]es. The bit count is `keys * bits_per_key` rounded up to
    /// whole bytes, at least [`MIN_FILTER_BITS`] and capped so the encoding
    /// fits [`MAX_FILTER_BYTES`].
    pub fn build(hashes: &[u64], bits_per_key: u32) -> (u32, Vec<u8>) {
        let wanted_bits = (hashes.len() as u64).saturating_mul(u64::from(bits_per_key));
        let max_bytes = (MAX_FILTER_BYTES - 1) as u64;
        let byte_count = wanted_bits
            .div_ceil(8)
            .clamp(MIN_FILTER_BITS / 8, max_bytes);
        let hash_count = optimal_hash_count(bits_per_key);
        // byte_count <= MAX_FILTER_BYTES, which fits usize everywhere.
        let mut bytes = vec![0; byte_count as usize];
        let bits = byte_count * 8;
        for &hash in hashes {
            for pos in probes(hash, bits, hash_count) {
                if let Some(byte) = bytes.get_mut((pos / 8) as usize) {
                    *byte |= 1 << (pos % 8);
                }
            }
        }
        (hash_count, bytes)
    }

    /// Whether every probe of `hash` finds its bit set in `bytes`.
    #[inline]
    pub fn may_contain(hash_count: u32, bytes: &[u8], hash: u64) -> bool {
        probes(hash, (bytes.len() as u64) * 8, hash_count).all(|pos| bit_is_set(bytes, pos))
    }

    /// The bit positions `hash` tests in a filter of `bits` bits.
    pub fn positions(hash: u64, bits: u64, hash_count: u32) -> Vec<u64> {
        probes(hash, bits, hash_count).collect()
    }
}

fn bit_is_set(bytes: &[u8], pos: u64) -> bool {
    bytes
        .get((pos / 8) as usize)
        .is_some_and(|byte| byte & (1 << (pos % 8)) != 0)
}

impl BloomFilter {
    /// A filter over `user_keys` with about `bits_per_key` bits per key.
    pub fn build(user_keys: impl IntoIterator<Item = impl AsRef<[u8]>>, bits_per_key: u32) -> Self {
        let hashes: Vec<u64> = user_keys
            .into_iter()
            .map(|k| key_hash(k.as_ref()))
            .collect();
        Self::from_hashes(&hashes, bits_per_key)
    }

    /// A filter over keys given by their [`key_hash`]es. The bit count is
    /// `keys * bits_per_key` rounded up to whole bytes, at least
    /// [`MIN_FILTER_BITS`] and capped so the encoding fits
    /// [`MAX_FILTER_BYTES`].
    pub fn from_hashes(hashes: &[u64], bits_per_key: u32) -> Self {
        #[cfg(feature = "labs")]
        if let Some(lab) = crate::labs::current().bloom {
            let (hash_count, bytes) = (lab.build)(hashes, bits_per_key);
            return Self { hash_count, bytes };
        }
        let (hash_count, bytes) = StandardBloom::build(hashes, bits_per_key);
        Self { hash_count, bytes }
    }

    /// The bit positions tested for `user_key`, in probe order.
    pub fn bit_positions(&self, user_key: &[u8]) -> Vec<u64> {
        #[cfg(feature = "labs")]
        if let Some(lab) = crate::labs::current().bloom {
            return (lab.positions)(key_hash(user_key), self.bits(), self.hash_count);
        }
        StandardBloom::positions(key_hash(user_key), self.bits(), self.hash_count)
    }

    /// Whether `user_key` may be in the set: `false` means certainly not.
    pub fn may_contain(&self, user_key: &[u8]) -> bool {
        self.may_contain_hash(key_hash(user_key))
    }

    /// [`may_contain`](Self::may_contain) for a precomputed [`key_hash`].
    pub fn may_contain_hash(&self, hash: u64) -> bool {
        #[cfg(feature = "labs")]
        if let Some(lab) = crate::labs::current().bloom {
            return (lab.may_contain)(self.hash_count, &self.bytes, hash);
        }
        StandardBloom::may_contain(self.hash_count, &self.bytes, hash)
    }

    /// Bits in the filter.
    pub fn bits(&self) -> u64 {
        (self.bytes.len() as u64) * 8
    }

    /// Probes per key.
    pub fn hash_count(&self) -> u32 {
        self.hash_count
    }

    /// Size of the encoding in bytes.
    pub fn encoded_size_bytes(&self) -> usize {
        1 + self.bytes.len()
    }

    /// The encoding described on [`BloomFilter`].
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_size_bytes());
        // hash_count <= MAX_HASH_COUNT < 256.
        out.push(self.hash_count as u8);
        out.extend_from_slice(&self.bytes);
        out
    }

    /// Decodes a filter; `None` if the bytes are not a valid encoding.
    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let (&hash_count, bits) = bytes.split_first()?;
        let hash_count = u32::from(hash_count);
        let valid = (1..=MAX_HASH_COUNT).contains(&hash_count)
            && (MIN_FILTER_BITS / 8..MAX_FILTER_BYTES as u64).contains(&(bits.len() as u64));
        valid.then(|| Self {
            hash_count,
            bytes: bits.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(prefix: &str, i: u32) -> Vec<u8> {
        format!("{prefix}{i:08}").into_bytes()
    }

    #[test]
    fn false_positive_rate_is_close_to_theory_with_no_false_negatives() {
        let n = 100_000;
        let filter = BloomFilter::build((0..n).map(|i| key("present-", i)), 10);
        assert_eq!(filter.hash_count(), 7);
        assert!((0..n).all(|i| filter.may_contain(&key("present-", i))));
        let false_positives = (0..n)
            .filter(|&i| filter.may_contain(&key("absent-", i)))
            .count();
        let measured = false_positives as f64 / f64::from(n);
        let theory = theoretical_false_positive_rate(10.0, 7);
        let deviation = (measured - theory).abs() / theory;
        assert!(deviation < 0.25, "measured {measured}, theory {theory}");
    }

    #[test]
    fn hash_count_follows_bits_per_key() {
        assert_eq!(optimal_hash_count(0), 1);
        assert_eq!(optimal_hash_count(1), 1);
        assert_eq!(optimal_hash_count(10), 7);
        assert_eq!(optimal_hash_count(64), 30);
    }

    #[test]
    fn encoding_round_trips() {
        let filter = BloomFilter::build([b"a".as_slice(), b"bb", b"ccc"], 12);
        let decoded = BloomFilter::decode(&filter.encode());
        assert_eq!(decoded.as_ref(), Some(&filter));
        assert!(decoded.is_some_and(|f| f.may_contain(b"bb")));
    }

    #[test]
    fn tiny_filters_still_have_the_minimum_bits() {
        let filter = BloomFilter::build(std::iter::empty::<&[u8]>(), 10);
        assert_eq!(filter.bits(), MIN_FILTER_BITS);
        assert!(!filter.may_contain(b"anything"));
    }

    #[test]
    fn bit_positions_are_the_probes_tested() {
        let filter = BloomFilter::build([b"x"], 10);
        let positions = filter.bit_positions(b"x");
        assert_eq!(positions.len(), 7);
        assert!(positions
            .iter()
            .all(|&p| p < filter.bits() && bit_is_set(&filter.bytes, p)));
    }

    #[test]
    fn probes_step_by_h2_modulo_the_bit_count() {
        // The on-disk definition: probe i is (h1 + i * h2) mod bits.
        for bits in [8u64, 64, 1000, 4096, 1 << 20, 8 * 999_983] {
            for hash in [0u64, 1, 0xdead_beef, u64::MAX, key_hash(b"k")] {
                let h1 = hash % bits;
                let h2 = (second_hash(hash) % bits) | 1;
                let expected: Vec<u64> = (0..30u64)
                    .map(|i| {
                        ((u128::from(h1) + u128::from(i) * u128::from(h2)) % u128::from(bits))
                            as u64
                    })
                    .collect();
                assert_eq!(probes(hash, bits, 30).collect::<Vec<_>>(), expected);
            }
        }
    }

    #[test]
    fn key_hash_is_fixed_across_targets() {
        // Pinned values: a change here breaks filters already on disk.
        assert_eq!(key_hash(b""), 0xf52a_15e9_a9b5_e89b);
        assert_eq!(key_hash(b"strata"), 0xbdc7_f02a_3d84_e502);
        assert_ne!(key_hash(b"strata"), key_hash(b"Strata"));
    }

    #[test]
    fn malformed_encodings_are_rejected() {
        assert_eq!(BloomFilter::decode(&[]), None);
        assert_eq!(BloomFilter::decode(&[0; 9]), None);
        assert_eq!(BloomFilter::decode(&[31; 9]), None);
        assert_eq!(BloomFilter::decode(&[7; 8]), None);
        assert!(BloomFilter::decode(&[7; 9]).is_some());
    }
}
