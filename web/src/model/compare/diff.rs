//! How the sides' figures differ: each side against the first, as ratios
//! ("B writes 2.4× the bytes of A"), computed here and put into words by
//! the message catalogue.

use crate::model::i18n::{tr, Msg};
use crate::model::views::stats::Sample;

/// A figure the sides are compared on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    /// Bytes written to storage (flushes and compactions). Every side
    /// wrote the same user bytes, so this is the ratio of write
    /// amplification.
    BytesWritten,
    /// Bytes of tables on storage.
    BytesStored,
    /// Tables probed per get.
    TablesPerGet,
    /// Data blocks read per get.
    BlocksPerGet,
}

/// Every measure, in the order the panel lists them.
pub const MEASURES: [Measure; 4] = [
    Measure::BytesWritten,
    Measure::BytesStored,
    Measure::TablesPerGet,
    Measure::BlocksPerGet,
];

impl Measure {
    /// The figure in `sample`.
    pub fn of(self, sample: &Sample) -> f64 {
        match self {
            Measure::BytesWritten => f64::from(sample.write_amp),
            Measure::BytesStored => sample.table_bytes as f64,
            Measure::TablesPerGet => f64::from(sample.read_amp),
            Measure::BlocksPerGet => f64::from(sample.blocks_per_get),
        }
    }
}

/// Ratios within this fraction of 1 read "about as many as".
const SAME_WITHIN: f64 = 0.05;

/// One side's figure against the first side's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    /// The side compared (index, ≥ 1).
    pub side: usize,
    /// The figure.
    pub measure: Measure,
    /// Side over first side; `None` when neither has any (no get yet).
    pub ratio: Option<f64>,
}

impl Difference {
    /// The sentence for it, with the sides' letters.
    pub fn text(&self, letters: &[char]) -> String {
        let side = letters.get(self.side).copied().unwrap_or('?').to_string();
        let base = letters.first().copied().unwrap_or('?').to_string();
        match self.ratio {
            None => tr(&Msg::CompareNothingYet {
                measure: self.measure,
            }),
            Some(r) if r.is_infinite() => tr(&Msg::CompareOnlyOne {
                side: &side,
                base: &base,
                measure: self.measure,
            }),
            Some(r) if (r - 1.0).abs() <= SAME_WITHIN => tr(&Msg::CompareSame {
                side: &side,
                base: &base,
                measure: self.measure,
            }),
            Some(r) => tr(&Msg::CompareRatio {
                side: &side,
                base: &base,
                measure: self.measure,
                ratio: &format!("{r:.1}"),
            }),
        }
    }
}

/// Each later side against the first, for every measure.
pub fn differences(samples: &[Sample]) -> Vec<Difference> {
    let Some((first, rest)) = samples.split_first() else {
        return Vec::new();
    };
    rest.iter()
        .enumerate()
        .flat_map(|(i, sample)| {
            MEASURES.iter().map(move |&measure| Difference {
                side: i + 1,
                measure,
                ratio: ratio(measure.of(sample), measure.of(first)),
            })
        })
        .collect()
}

/// `a / b`; equal when both are zero, infinite when only `b` is.
fn ratio(a: f64, b: f64) -> Option<f64> {
    match (a == 0.0, b == 0.0) {
        (true, true) => None,
        (false, true) => Some(f64::INFINITY),
        _ => Some(a / b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(write_amp: f32, table_bytes: u64) -> Sample {
        Sample {
            write_amp,
            table_bytes,
            ..Sample::default()
        }
    }

    #[test]
    fn ratios_are_against_the_first_side_and_read_as_sentences() {
        let diffs = differences(&[sample(2.0, 1000), sample(4.8, 1000)]);
        assert_eq!(diffs.len(), MEASURES.len());
        let writes = diffs
            .iter()
            .find(|d| d.measure == Measure::BytesWritten)
            .copied();
        assert_eq!(writes.map(|d| d.side), Some(1));
        let text = writes.map(|d| d.text(&['A', 'B'])).unwrap_or_default();
        assert_eq!(text, "B writes 2.4× the bytes A writes.");
        let stored = diffs.iter().find(|d| d.measure == Measure::BytesStored);
        let text = stored.map(|d| d.text(&['A', 'B'])).unwrap_or_default();
        assert_eq!(text, "B stores about as many bytes as A.");
        let gets = diffs.iter().find(|d| d.measure == Measure::TablesPerGet);
        assert_eq!(gets.and_then(|d| d.ratio), None);
    }
}
