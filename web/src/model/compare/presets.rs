//! Presets built for comparison: one scene script on two option sets,
//! each stating its claim as data that a native test checks on the real
//! run ([`check`]).

use super::diff::Measure;
use super::{Comparison, SideSpec};
use crate::model::claims::{self, Claim};
use crate::model::presets::visualizer_options;

/// One checkable statement about a comparison's run, at the end of the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareClaim {
    /// Side `side`'s `measure` is at most `percent` % of side `other`'s.
    AtMostPercentOf {
        /// The side the claim is about.
        side: usize,
        /// The figure.
        measure: Measure,
        /// The side it is compared with.
        other: usize,
        /// The bound, in percent.
        percent: u16,
    },
    /// Side `side`'s `measure` is at least `percent` % of side `other`'s.
    AtLeastPercentOf {
        /// The side the claim is about.
        side: usize,
        /// The figure.
        measure: Measure,
        /// The side it is compared with.
        other: usize,
        /// The bound, in percent.
        percent: u16,
    },
    /// Side `side` uses more levels (down to its deepest non-empty one)
    /// than side `other`.
    DeeperThan {
        /// The deeper side.
        side: usize,
        /// The shallower side.
        other: usize,
    },
    /// A single-session claim of the preset mechanism, on one side.
    Side {
        /// The side.
        side: usize,
        /// The claim.
        claim: Claim,
    },
}

/// A comparison preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ComparePreset {
    /// Its id in links.
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// What to watch for; every number in it is a claim below.
    pub blurb: &'static str,
    /// The scene script every side runs (its `option` lines apply to all).
    pub script: &'static str,
    /// Each side's options on top of the script's: (name, value).
    pub sides: &'static [&'static [(&'static str, &'static str)]],
    /// What the blurb claims.
    pub claims: &'static [CompareClaim],
}

impl ComparePreset {
    /// The sides' specs.
    pub fn side_specs(&self) -> Vec<SideSpec> {
        self.sides.iter().map(|s| SideSpec::of(s)).collect()
    }

    /// Runs the script on every side.
    pub fn build(&self) -> Result<Comparison, String> {
        Comparison::from_script(self.script, &visualizer_options(), &self.side_specs())
    }
}

/// Uniform overwrites of a thousand keys, three writes per key: several
/// levels of each shape. Leveling at ratio 10 with 4 KiB tables keeps few
/// stale versions; tiering keeps runs of them.
const OVERWRITES: &str = "option maintenance=inline\noption level_size_ratio=10\n\
     option target_file_size_bytes=4096\nload random 3000 seed=5 keys=1000 value_bytes=24\n";

/// The same number of overwrites, skewed: 80 % to a fifth of the keys.
const SKEWED: &str = "option maintenance=inline\noption level_size_ratio=10\n\
     option target_file_size_bytes=4096\nload skewed 3000 seed=5 keys=1000 value_bytes=24\n";

/// Every comparison preset, in menu order.
pub const COMPARE_PRESETS: &[ComparePreset] = &[
    ComparePreset {
        id: "cmp-leveled-tiered",
        title: "Leveled against size-tiered",
        blurb: "The same 3,000 uniform overwrites of 1,000 keys. Size-tiered (B) writes at most 0.6× the bytes leveled (A) writes, and keeps at least 1.5× the bytes on storage: runs of old versions wait in a level until it merges.",
        script: OVERWRITES,
        sides: &[
            &[("compaction_strategy", "leveled")],
            &[("compaction_strategy", "size_tiered")],
        ],
        claims: &[
            CompareClaim::AtMostPercentOf {
                side: 1,
                measure: Measure::BytesWritten,
                other: 0,
                percent: 60,
            },
            CompareClaim::AtLeastPercentOf {
                side: 1,
                measure: Measure::BytesStored,
                other: 0,
                percent: 150,
            },
        ],
    },
    ComparePreset {
        id: "cmp-strategies-skewed",
        title: "Leveled, size-tiered and hybrid on skewed overwrites",
        blurb: "3,000 overwrites, 80 % of them to a fifth of 1,000 keys. Size-tiered (B) writes at most 0.6× the bytes leveled (A) writes and stores at least 1.5× as many; hybrid (C) tiers only L0 and L1: it writes at most 0.8× leveled's bytes and stores at most 1.1× as many.",
        script: SKEWED,
        sides: &[
            &[("compaction_strategy", "leveled")],
            &[("compaction_strategy", "size_tiered")],
            &[("compaction_strategy", "hybrid")],
        ],
        claims: &[
            CompareClaim::AtMostPercentOf {
                side: 1,
                measure: Measure::BytesWritten,
                other: 0,
                percent: 60,
            },
            CompareClaim::AtLeastPercentOf {
                side: 1,
                measure: Measure::BytesStored,
                other: 0,
                percent: 150,
            },
            CompareClaim::AtMostPercentOf {
                side: 2,
                measure: Measure::BytesWritten,
                other: 0,
                percent: 80,
            },
            CompareClaim::AtMostPercentOf {
                side: 2,
                measure: Measure::BytesStored,
                other: 0,
                percent: 110,
            },
        ],
    },
    ComparePreset {
        id: "cmp-bloom-bits",
        title: "Bloom filters of 0, 5 and 10 bits per key",
        blurb: "Gets for keys that are not there, between keys that are. Without a filter (A) every table whose range covers the key reads a block; 5 bits per key (B) rule most of them out, 10 bits (C) almost all: A reads at least 5× the blocks C reads, and at least 3× the blocks B reads.",
        script: "option maintenance=inline\nload random 600 seed=3 keys=300 value_bytes=16\n\
                 get key000010x\nget key000025x\nget key000040x\nget key000055x\nget key000070x\n\
                 get key000085x\nget key000100x\nget key000115x\nget key000130x\nget key000145x\n\
                 get key000160x\nget key000175x\nget key000190x\nget key000205x\nget key000220x\n\
                 get key000235x\nget key000250x\nget key000265x\nget key000280x\nget key000295x\n",
        sides: &[
            &[("bloom_bits_per_key", "0")],
            &[("bloom_bits_per_key", "5")],
            &[("bloom_bits_per_key", "10")],
        ],
        claims: &[
            CompareClaim::AtLeastPercentOf {
                side: 0,
                measure: Measure::BlocksPerGet,
                other: 2,
                percent: 500,
            },
            CompareClaim::AtLeastPercentOf {
                side: 0,
                measure: Measure::BlocksPerGet,
                other: 1,
                percent: 300,
            },
            CompareClaim::Side {
                side: 2,
                claim: Claim::Trace("event bloom_probe verdict=definitely_absent"),
            },
        ],
    },
    ComparePreset {
        id: "cmp-size-ratio",
        title: "Size ratio 4 against 10",
        blurb: "Leveled compaction of the same overwrites with each level 4× (A) or 10× (B) the one above. The smaller ratio needs more levels; the larger one writes at least 1.1× the bytes, since a table moving down meets more of the level below, and stores at most 0.9× the bytes, since less stale data waits above the last level.",
        script: "option maintenance=inline\noption level_base_bytes=2048\n\
                 load random 3000 seed=5 keys=1000 value_bytes=24\n",
        sides: &[&[("level_size_ratio", "4")], &[("level_size_ratio", "10")]],
        claims: &[
            CompareClaim::DeeperThan { side: 0, other: 1 },
            CompareClaim::AtLeastPercentOf {
                side: 1,
                measure: Measure::BytesWritten,
                other: 0,
                percent: 110,
            },
            CompareClaim::AtMostPercentOf {
                side: 1,
                measure: Measure::BytesStored,
                other: 0,
                percent: 90,
            },
        ],
    },
];

/// The comparison preset with `id`.
pub fn compare_preset(id: &str) -> Option<&'static ComparePreset> {
    COMPARE_PRESETS.iter().find(|p| p.id == id)
}

/// Checks `claim` at the end of `comparison`'s log; the error says what the
/// run shows instead.
pub fn check(claim: &CompareClaim, comparison: &Comparison) -> Result<(), String> {
    let last = |side: usize| {
        comparison
            .sides()
            .get(side)
            .and_then(|s| s.session.samples().last().copied())
            .ok_or_else(|| format!("no side {side}"))
    };
    match *claim {
        CompareClaim::AtMostPercentOf {
            side,
            measure,
            other,
            percent,
        } => {
            let (a, b) = (measure.of(&last(side)?), measure.of(&last(other)?));
            if a <= b * f64::from(percent) / 100.0 {
                Ok(())
            } else {
                Err(format!("{measure:?}: {a:.3} against {b:.3}"))
            }
        }
        CompareClaim::AtLeastPercentOf {
            side,
            measure,
            other,
            percent,
        } => {
            let (a, b) = (measure.of(&last(side)?), measure.of(&last(other)?));
            if a >= b * f64::from(percent) / 100.0 {
                Ok(())
            } else {
                Err(format!("{measure:?}: {a:.3} against {b:.3}"))
            }
        }
        CompareClaim::DeeperThan { side, other } => {
            let (a, b) = (levels_used(&last(side)?), levels_used(&last(other)?));
            if a > b {
                Ok(())
            } else {
                Err(format!("{a} levels against {b}"))
            }
        }
        CompareClaim::Side { side, claim } => {
            let session = &comparison
                .sides()
                .get(side)
                .ok_or_else(|| format!("no side {side}"))?
                .session;
            claims::check(&claim, session, &|id| {
                Err(format!("{id}: a side claim compares with no preset"))
            })
        }
    }
}

/// Levels down to the deepest non-empty one, L0 included.
pub fn levels_used(sample: &crate::model::views::stats::Sample) -> usize {
    sample
        .level_tables
        .iter()
        .rposition(|&n| n > 0)
        .map_or(0, |i| i + 1)
}
