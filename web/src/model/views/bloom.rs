//! The bloom view: the bit array of the table a get probed, the bits the
//! key tested, the verdict, and the running false-positive rate against
//! theory.

use std::rc::Rc;

use strata_engine::range_tombstone::RangeTombstone;

use strata_engine::bloom::{optimal_hash_count, theoretical_false_positive_rate};
use strata_engine::event::BloomVerdict;
use strata_engine::{Event, Stats};

/// One tested bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TestedBit {
    /// Its position.
    pub position: u64,
    /// Whether it was set (`None` if the filter could not be read).
    pub set: Option<bool>,
}

/// The latest probe.
#[derive(Clone, Debug, PartialEq)]
pub struct Probe {
    /// The table.
    pub file_number: u64,
    /// The key tested.
    pub key: Vec<u8>,
    /// Bits in the filter.
    pub bits: u64,
    /// The filter's bit array (bit `p` is bit `p % 8` of byte `p / 8`), if
    /// the table could be read.
    pub filter: Option<Rc<Vec<u8>>>,
    /// The bits the key tested, in probe order.
    pub tested: Vec<TestedBit>,
    /// The verdict.
    pub verdict: BloomVerdict,
    /// Set once the table turned out not to hold the key after a "maybe".
    pub false_positive: bool,
}

impl Probe {
    /// Whether bit `p` of the filter is set.
    pub fn bit(&self, p: u64) -> Option<bool> {
        let filter = self.filter.as_ref()?;
        filter
            .get((p / 8) as usize)
            .map(|b| b & (1 << (p % 8)) != 0)
    }

    /// Bits set in the whole filter.
    pub fn set_bits(&self) -> Option<u64> {
        let filter = self.filter.as_ref()?;
        Some(filter.iter().map(|b| u64::from(b.count_ones())).sum())
    }
}

/// Counters: probes, negatives and false positives, observed and expected.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BloomCounters {
    /// Filter tests so far.
    pub probes: u64,
    /// "Definitely absent" answers.
    pub negatives: u64,
    /// "Maybe" answers for keys the table did not hold.
    pub false_positives: u64,
    /// Bits per key the filters are built with.
    pub bits_per_key: u32,
}

impl BloomCounters {
    /// From the engine's counters.
    pub fn from_stats(stats: &Stats, bits_per_key: u32) -> Self {
        Self {
            probes: stats.bloom_probes,
            negatives: stats.bloom_negatives,
            false_positives: stats.bloom_false_positives,
            bits_per_key,
        }
    }

    /// Observed false-positive rate over tests of absent keys.
    pub fn observed_rate(&self) -> Option<f64> {
        let absent = self.negatives + self.false_positives;
        (absent > 0).then(|| self.false_positives as f64 / absent as f64)
    }

    /// The rate theory predicts for the configured bits per key.
    pub fn theoretical_rate(&self) -> Option<f64> {
        (self.bits_per_key > 0).then(|| {
            theoretical_false_positive_rate(
                f64::from(self.bits_per_key),
                optimal_hash_count(self.bits_per_key),
            )
        })
    }
}

/// Reads what the views show of a table's contents: its filter, and the
/// keys of its tombstones (the session does, from storage).
pub trait FilterSource {
    /// The bit array of table `file_number`'s filter, if it can be read.
    fn filter_bits(&self, file_number: u64) -> Option<Rc<Vec<u8>>>;

    /// The user keys of table `file_number`'s tombstones, if it can be
    /// read.
    fn tombstone_keys(&self, _file_number: u64) -> Option<Rc<Vec<Vec<u8>>>> {
        None
    }

    /// Table `file_number`'s range tombstones, if they can be read.
    fn range_tombstones(&self, _file_number: u64) -> Option<Rc<Vec<RangeTombstone>>> {
        None
    }
}

/// Everything the bloom view draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BloomView {
    /// The latest probe.
    pub probe: Option<Probe>,
    /// Counters.
    pub counters: BloomCounters,
    /// The key of the get under way.
    key: Vec<u8>,
}

impl BloomView {
    /// A view with counters from `stats`.
    pub fn new(stats: &Stats, bits_per_key: u32) -> Self {
        Self {
            counters: BloomCounters::from_stats(stats, bits_per_key),
            ..Self::default()
        }
    }

    /// The key of the latest get, if one ran (what an empty probe refers to).
    pub fn get_key(&self) -> Option<&[u8]> {
        (!self.key.is_empty()).then_some(self.key.as_slice())
    }

    /// Takes the probe and the get it belongs to from `other` (the
    /// counters stay).
    pub fn carry_probe(&mut self, other: &BloomView) {
        self.probe = other.probe.clone();
        self.key = other.key.clone();
    }

    /// Follows one event; `filters` reads the probed table's bits.
    pub fn reduce(&mut self, event: &Event, filters: &dyn FilterSource) -> bool {
        match event {
            // A new get: the probe shown is always one of the get the read
            // path shows, never an older one.
            Event::GetStarted { key, .. } => {
                self.key = key.clone();
                self.probe = None;
            }
            Event::BloomProbe {
                file_number,
                bit_positions,
                bits,
                verdict,
            } => {
                let filter = filters.filter_bits(*file_number);
                let mut probe = Probe {
                    file_number: *file_number,
                    key: self.key.clone(),
                    bits: *bits,
                    filter,
                    tested: Vec::new(),
                    verdict: *verdict,
                    false_positive: false,
                };
                probe.tested = bit_positions
                    .iter()
                    .map(|&position| TestedBit {
                        position,
                        set: probe.bit(position),
                    })
                    .collect();
                self.probe = Some(probe);
                self.counters.probes += 1;
                if *verdict == BloomVerdict::DefinitelyAbsent {
                    self.counters.negatives += 1;
                }
            }
            Event::BloomFalsePositive { file_number } => {
                if let Some(p) = self
                    .probe
                    .as_mut()
                    .filter(|p| p.file_number == *file_number)
                {
                    p.false_positive = true;
                }
                self.counters.false_positives += 1;
            }
            _ => return false,
        }
        true
    }
}
