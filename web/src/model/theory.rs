//! Theory beside measurement: what `strata_engine::theory` predicts for
//! the options shown and the levels in use, the bloom false-positive curve
//! with the observed point, and why the measured figures differ where they
//! do. The formulas and their assumptions are in the engine module; this
//! one only picks their inputs from the options and the sample.

use strata_engine::theory::{bloom_false_positive_rate, predict, Prediction, Shape};
use strata_engine::{CompactionStrategy, Options};

use super::i18n::{tr, Msg};
use super::views::stats::Sample;

/// Bits per key the bloom curve covers.
pub const BLOOM_CURVE_BITS: u32 = 20;
/// Measured over predicted beyond this factor (either way) needs a reason.
const OFF_BY: f64 = 1.25;

/// Why a measurement and its prediction differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// Measured WA is below the estimate, which assumes every write is a
    /// new key and every level full.
    FewerRewrites,
    /// L0 holds tables of recent versions the leveled formula leaves out.
    L0Tables {
        /// Tables in L0.
        tables: u16,
    },
    /// The last level is less than `T` times the level above (static level
    /// targets), so the upper levels hold more of the data.
    LastLevelNotFull,
    /// Measured SA is above the estimate: table bytes also count keys'
    /// trailers, block headers, indexes and filters.
    TableOverheads,
    /// The tiered space figure is a worst case (every run of a full level
    /// holding the same keys); measured SA is below it.
    TieredWorstCase,
}

impl Reason {
    /// The sentence for the panel.
    pub fn text(self) -> String {
        tr(&Msg::TheoryReason { reason: self })
    }
}

/// What the statistics panel draws beside the measurement.
#[derive(Clone, Debug, PartialEq)]
pub struct TheoryView {
    /// The tree the prediction is for.
    pub shape: Shape,
    /// The prediction.
    pub predicted: Prediction,
    /// The bloom false-positive rate for 0..=[`BLOOM_CURVE_BITS`] bits per
    /// key.
    pub bloom_curve: Vec<(u32, f64)>,
    /// The options' bits per key and the observed false-positive rate,
    /// once a get has run (the rate stays 0 until a filter has answered
    /// for a key its table does not hold).
    pub bloom_observed: Option<(u32, f64)>,
    /// Why measurement and prediction differ.
    pub reasons: Vec<Reason>,
}

/// The theory for `options` at `sample`.
pub fn theory_view(options: &Options, sample: &Sample) -> TheoryView {
    let shape = Shape {
        strategy: options.compaction_strategy,
        levels: levels_in_use(sample),
        size_ratio: options.level_size_ratio,
        runs: options.l0_compaction_trigger,
        bloom_bits_per_key: options.bloom_bits_per_key,
    };
    let predicted = predict(&shape);
    TheoryView {
        shape,
        predicted,
        bloom_curve: (0..=BLOOM_CURVE_BITS)
            .map(|b| (b, bloom_false_positive_rate(b)))
            .collect(),
        bloom_observed: (sample.gets > 0)
            .then_some((options.bloom_bits_per_key, f64::from(sample.bloom_fp_rate))),
        reasons: reasons(&shape, &predicted, sample),
    }
}

/// Levels down to the deepest one holding a table, L0 included (at least
/// L0 and L1, as the formulas need a level below L0).
fn levels_in_use(sample: &Sample) -> usize {
    sample
        .level_tables
        .iter()
        .rposition(|&n| n > 0)
        .map_or(2, |i| (i + 1).max(2))
}

fn reasons(shape: &Shape, predicted: &Prediction, sample: &Sample) -> Vec<Reason> {
    let mut out = Vec::new();
    if sample.tables == 0 {
        return out;
    }
    let wa = f64::from(sample.write_amp);
    let sa = f64::from(sample.space_amp);
    if wa * OFF_BY < predicted.write_amp {
        out.push(Reason::FewerRewrites);
    }
    let tiered = shape.strategy == CompactionStrategy::SizeTiered;
    if tiered && sa * OFF_BY < predicted.space_amp {
        out.push(Reason::TieredWorstCase);
    }
    if sa > predicted.space_amp * OFF_BY {
        let l0 = sample.level_tables.first().copied().unwrap_or(0);
        if !tiered && l0 > 0 {
            out.push(Reason::L0Tables { tables: l0 });
        }
        if !tiered && last_level_not_full(sample, shape.size_ratio) {
            out.push(Reason::LastLevelNotFull);
        }
        out.push(Reason::TableOverheads);
    }
    out
}

/// Whether the deepest level holds fewer than `T` times the tables of the
/// level above it (tables have one target size, so this compares bytes).
fn last_level_not_full(sample: &Sample, size_ratio: u32) -> bool {
    let levels: Vec<u32> = sample
        .level_tables
        .iter()
        .skip(1)
        .map(|&n| u32::from(n))
        .collect();
    let Some(last) = levels.iter().rposition(|&n| n > 0) else {
        return false;
    };
    match last.checked_sub(1).and_then(|i| levels.get(i)) {
        Some(&above) if above > 0 => {
            levels.get(last).copied().unwrap_or(0) < above.saturating_mul(size_ratio)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::model::presets::visualizer_options;

    fn sample(write_amp: f32, space_amp: f32, level_tables: [u16; 7]) -> Sample {
        Sample {
            write_amp,
            space_amp,
            tables: level_tables.iter().map(|&n| u32::from(n)).sum(),
            level_tables,
            ..Sample::default()
        }
    }

    #[test]
    fn the_prediction_follows_the_options_and_the_levels_in_use() {
        let options = visualizer_options();
        let view = theory_view(&options, &sample(3.0, 1.2, [2, 3, 9, 0, 0, 0, 0]));
        assert_eq!(view.shape.levels, 3);
        assert_eq!(view.shape.size_ratio, options.level_size_ratio);
        // Leveled, T = 4, three levels: 1 + 2 · 5 / 2.
        assert!((view.predicted.write_amp - 6.0).abs() < 1e-9);
        assert_eq!(view.bloom_curve.len(), 21);
        assert_eq!(view.bloom_curve.first(), Some(&(0, 1.0)));
        assert_eq!(view.bloom_observed, None);
    }

    #[test]
    fn reasons_name_what_the_sample_shows() {
        let options = visualizer_options();
        // Few rewrites, much space, L0 busy, L2 only twice L1.
        let view = theory_view(&options, &sample(2.0, 2.5, [3, 4, 8, 0, 0, 0, 0]));
        assert_eq!(
            view.reasons,
            vec![
                Reason::FewerRewrites,
                Reason::L0Tables { tables: 3 },
                Reason::LastLevelNotFull,
                Reason::TableOverheads
            ]
        );
        assert!(Reason::L0Tables { tables: 3 }.text().contains('3'));
        // Close to the prediction: nothing to explain.
        let view = theory_view(&options, &sample(6.0, 1.3, [0, 1, 4, 0, 0, 0, 0]));
        assert_eq!(view.reasons, vec![]);
        let tiered = Options {
            compaction_strategy: CompactionStrategy::SizeTiered,
            ..options
        };
        let view = theory_view(&tiered, &sample(3.0, 1.5, [1, 2, 1, 0, 0, 0, 0]));
        assert_eq!(view.reasons, vec![Reason::TieredWorstCase]);
    }

    #[test]
    fn the_observed_bloom_point_sits_at_the_options_bits() {
        let options = visualizer_options();
        let mut s = sample(1.0, 1.0, [1, 0, 0, 0, 0, 0, 0]);
        s.gets = 5;
        s.bloom_fp_rate = 0.01;
        let view = theory_view(&options, &s);
        let (bits, rate) = view.bloom_observed.unwrap();
        assert_eq!(bits, options.bloom_bits_per_key);
        assert!((rate - 0.01).abs() < 1e-6);
        let on_curve = view.bloom_curve.iter().find(|(b, _)| *b == bits).unwrap();
        assert!((on_curve.1 - bloom_false_positive_rate(bits)).abs() < 1e-12);
    }

    /// On the real runs of the leveled-against-tiered preset the theory
    /// orders the strategies as the measurement does.
    #[test]
    fn theory_and_measurement_agree_on_the_order_of_the_strategies() {
        let c = crate::model::compare::presets::compare_preset("cmp-leveled-tiered")
            .unwrap()
            .build()
            .unwrap();
        let both: Vec<(TheoryView, Sample)> = c
            .sides()
            .iter()
            .map(|side| {
                let last = side.session.samples().last().copied().unwrap();
                (theory_view(side.session.options(), &last), last)
            })
            .collect();
        let [(leveled, l), (tiered, t)] = both.as_slice() else {
            panic!("two sides");
        };
        eprintln!(
            "leveled: WA {:.2} (theory {:.2}), SA {:.2} (theory {:.2}), levels {}; tiered: WA {:.2} (theory {:.2}), SA {:.2} (theory {:.2}), levels {}",
            l.write_amp, leveled.predicted.write_amp, l.space_amp, leveled.predicted.space_amp, leveled.shape.levels,
            t.write_amp, tiered.predicted.write_amp, t.space_amp, tiered.predicted.space_amp, tiered.shape.levels,
        );
        eprintln!(
            "reasons: leveled {:?}, tiered {:?}",
            leveled.reasons, tiered.reasons
        );
        assert!(tiered.predicted.write_amp < leveled.predicted.write_amp);
        assert!(t.write_amp < l.write_amp);
        assert!(tiered.predicted.space_amp > leveled.predicted.space_amp);
        assert!(t.space_amp > l.space_amp);
        // Leveled space sits well above T / (T − 1) on a tree this small.
        assert!(
            leveled.reasons.contains(&Reason::TableOverheads),
            "{:?}",
            leveled.reasons
        );
    }
}
