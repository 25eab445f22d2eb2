//! The statistics view: write, read and space amplification, bloom
//! counters, and their history over the operations.

use std::rc::Rc;

use strata_engine::Stats;

/// The figures after one operation, kept for the chart.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sample {
    /// Write amplification.
    pub write_amp: f32,
    /// Read amplification (tables probed per get).
    pub read_amp: f32,
    /// Space amplification (table bytes / live data bytes).
    pub space_amp: f32,
    /// Data blocks read per get.
    pub blocks_per_get: f32,
    /// Observed bloom false-positive rate.
    pub bloom_fp_rate: f32,
    /// Tables in the tree.
    pub tables: u32,
    /// Bytes of live keys and values.
    pub live_bytes: u64,
    /// Bytes of all tables.
    pub table_bytes: u64,
    /// Gets served.
    pub gets: u64,
    /// Tables per level (L0 first; deeper levels than this are counted in
    /// the last).
    pub level_tables: [u16; LEVELS_SAMPLED],
}

/// Levels whose table counts a [`Sample`] keeps.
pub const LEVELS_SAMPLED: usize = 7;

impl Sample {
    /// The figures of `stats`, with `live_bytes` of live data.
    pub fn of(stats: &Stats, live_bytes: u64) -> Self {
        Self {
            write_amp: stats.write_amplification() as f32,
            read_amp: stats.read_amplification() as f32,
            space_amp: stats.space_amplification(live_bytes) as f32,
            blocks_per_get: stats.blocks_read_per_get() as f32,
            bloom_fp_rate: stats.bloom_false_positive_rate() as f32,
            tables: stats.levels.iter().map(|l| l.tables).sum::<u64>() as u32,
            live_bytes,
            table_bytes: stats.table_bytes(),
            gets: stats.gets,
            level_tables: level_tables(stats),
        }
    }
}

fn level_tables(stats: &Stats) -> [u16; LEVELS_SAMPLED] {
    let mut out = [0u16; LEVELS_SAMPLED];
    for (i, level) in stats.levels.iter().enumerate() {
        let slot = i.min(LEVELS_SAMPLED - 1);
        if let Some(n) = out.get_mut(slot) {
            *n = n.saturating_add(u16::try_from(level.tables).unwrap_or(u16::MAX));
        }
    }
    out
}

/// What the statistics view draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatsView {
    /// The figures now.
    pub current: Sample,
    /// Samples up to now, thinned for the chart (the last one is now).
    pub history: Rc<Vec<Sample>>,
    /// Operations the history covers.
    pub ops: usize,
    /// Samples the view was built from (the session's bookkeeping).
    pub upto: usize,
}

/// Points of a polyline over `values`, scaled into `width` × `height`
/// (y grows downwards); the chart's shape, computed here so that the view
/// only draws it. At most `max_points` points (evenly thinned).
pub fn polyline(values: &[f32], width: f32, height: f32, y_max: f32, max_points: usize) -> String {
    let n = values.len();
    if n == 0 || y_max <= 0.0 {
        return String::new();
    }
    let step = n.div_ceil(max_points.max(2)).max(1);
    let mut out = String::new();
    let last = n - 1;
    let picks = (0..n)
        .step_by(step)
        .chain((!last.is_multiple_of(step)).then_some(last));
    for i in picks {
        let v = values.get(i).copied().unwrap_or(0.0);
        let x = if last == 0 {
            0.0
        } else {
            i as f32 / last as f32 * width
        };
        let y = height - (v / y_max).clamp(0.0, 1.0) * height;
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&format!("{x:.1},{y:.1}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polylines_span_the_box_and_thin_long_series() {
        let points = polyline(&[0.0, 1.0, 2.0], 100.0, 50.0, 2.0, 100);
        assert_eq!(points, "0.0,50.0 50.0,25.0 100.0,0.0");
        let long: Vec<f32> = (0..10_000).map(|i| i as f32).collect();
        let thinned = polyline(&long, 100.0, 50.0, 10_000.0, 200);
        let count = thinned.split(' ').count();
        assert!((100..=201).contains(&count), "{count}");
        assert!(thinned.ends_with("100.0,0.0"), "the last point is kept");
        assert_eq!(polyline(&[], 1.0, 1.0, 1.0, 10), "");
    }
}
