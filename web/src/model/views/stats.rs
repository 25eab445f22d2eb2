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
    /// Tables in the tree.
    pub tables: u32,
    /// Bytes of live keys and values.
    pub live_bytes: u64,
}

impl Sample {
    /// The figures of `stats`, with `live_bytes` of live data.
    pub fn of(stats: &Stats, live_bytes: u64) -> Self {
        Self {
            write_amp: stats.write_amplification() as f32,
            read_amp: stats.read_amplification() as f32,
            space_amp: stats.space_amplification(live_bytes) as f32,
            tables: stats.levels.iter().map(|l| l.tables).sum::<u64>() as u32,
            live_bytes,
        }
    }
}

/// What the statistics view draws.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StatsView {
    /// The engine's counters at the boundary shown.
    pub stats: Stats,
    /// Live data bytes at the boundary.
    pub live_bytes: u64,
    /// One sample per operation up to the boundary (shared with the session).
    pub history: Rc<Vec<Sample>>,
    /// How many of `history`'s samples are up to the boundary.
    pub upto: usize,
}

impl StatsView {
    /// Space amplification now.
    pub fn space_amp(&self) -> f64 {
        self.stats.space_amplification(self.live_bytes)
    }

    /// The samples the chart shows.
    pub fn samples(&self) -> &[Sample] {
        self.history.get(..self.upto).unwrap_or(&self.history)
    }
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
    let picks = (0..n).step_by(step).chain((!last.is_multiple_of(step)).then_some(last));
    for i in picks {
        let v = values.get(i).copied().unwrap_or(0.0);
        let x = if last == 0 { 0.0 } else { i as f32 / last as f32 * width };
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
