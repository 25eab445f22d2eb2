//! A table's bloom filter bit by bit, for the table view: a grid of its
//! `m` bits (set bits filled), and the `k` bits the last get tested in it
//! with the verdict they give.
//!
//! The tested positions come from the table's own filter
//! ([`BloomFilter::bit_positions`]), read from storage: the view never
//! hashes a key itself. A filter of more than [`MAX_CELLS`] bits is drawn
//! compactly: each cell stands for a run of consecutive bits and is
//! shaded by how many of them are set.

use strata_engine::bloom::BloomFilter;

use crate::model::views::read_path::{ReadPathView, ReadStop};

/// Cells drawn at most; a larger filter groups bits per cell.
pub const MAX_CELLS: u64 = 1024;

/// A table's filter, as the table view draws it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterBits {
    filter: BloomFilter,
    /// The bit array (bit `p` is bit `p % 8` of byte `p / 8`).
    bytes: Vec<u8>,
}

/// One cell of the grid: one bit, or a run of bits in a large filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BitCell {
    /// Its first bit.
    pub first: u64,
    /// Bits it stands for.
    pub bits: u64,
    /// How many of them are set.
    pub set: u64,
    /// Whether the last get tested a bit in it: `Some(true)` if every
    /// tested bit in it is set, `Some(false)` if one is clear.
    pub tested: Option<bool>,
}

/// The bits a get's key tests in one filter, in probe order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProbeMarks {
    /// The key.
    pub key: Vec<u8>,
    /// Each tested position and whether its bit is set.
    pub tested: Vec<(u64, bool)>,
}

impl ProbeMarks {
    /// Whether every tested bit is set: the key may be present.
    pub fn maybe_present(&self) -> bool {
        self.tested.iter().all(|&(_, set)| set)
    }

    /// The first clear bit, as (probe index from 1, position): why the
    /// key is definitely absent.
    pub fn first_clear(&self) -> Option<(usize, u64)> {
        self.tested
            .iter()
            .enumerate()
            .find(|(_, &(_, set))| !set)
            .map(|(i, &(pos, _))| (i + 1, pos))
    }
}

impl FilterBits {
    /// The view of `filter`.
    pub fn new(filter: BloomFilter) -> Self {
        let bytes = filter.encode().get(1..).unwrap_or_default().to_vec();
        Self { filter, bytes }
    }

    /// Bits in the filter (`m`).
    pub fn bits(&self) -> u64 {
        self.filter.bits()
    }

    /// Probes per key (`k`).
    pub fn hash_count(&self) -> u32 {
        self.filter.hash_count()
    }

    /// Bits set.
    pub fn set_count(&self) -> u64 {
        self.bytes.iter().map(|b| u64::from(b.count_ones())).sum()
    }

    /// Whether bit `pos` is set.
    pub fn is_set(&self, pos: u64) -> bool {
        self.bytes
            .get((pos / 8) as usize)
            .is_some_and(|b| b & (1 << (pos % 8)) != 0)
    }

    /// Bits each cell of the grid stands for: 1 up to [`MAX_CELLS`] bits.
    pub fn bits_per_cell(&self) -> u64 {
        self.bits().div_ceil(MAX_CELLS).max(1)
    }

    /// The bits `key` tests, from the filter itself.
    pub fn probe(&self, key: &[u8]) -> ProbeMarks {
        let tested = self
            .filter
            .bit_positions(key)
            .into_iter()
            .map(|p| (p, self.is_set(p)))
            .collect();
        ProbeMarks {
            key: key.to_vec(),
            tested,
        }
    }

    /// The grid, with the bits of `probe` marked.
    pub fn cells(&self, probe: Option<&ProbeMarks>) -> Vec<BitCell> {
        let per = self.bits_per_cell();
        let bits = self.bits();
        (0..bits.div_ceil(per))
            .map(|c| {
                let first = c * per;
                let end = (first + per).min(bits);
                let tested = probe.and_then(|p| {
                    let mut hits = p
                        .tested
                        .iter()
                        .filter(|(pos, _)| (first..end).contains(pos));
                    let one = hits.next()?;
                    Some(one.1 && hits.all(|h| h.1))
                });
                BitCell {
                    first,
                    bits: end - first,
                    set: (first..end).filter(|&p| self.is_set(p)).count() as u64,
                    tested,
                }
            })
            .collect()
    }

    /// The bits the latest get tested in table `file_number`, if the read
    /// path shows it tested this table's filter.
    pub fn probe_of_get(&self, file_number: u64, read: &ReadPathView) -> Option<ProbeMarks> {
        let key = read.key.as_ref()?;
        let tested = read.stops.iter().any(|s| {
            matches!(s, ReadStop::Table { file_number: f, bloom: Some(_), .. } if *f == file_number)
        });
        tested.then(|| self.probe(key))
    }
}

#[cfg(test)]
#[path = "filter_bits_tests.rs"]
mod tests;
