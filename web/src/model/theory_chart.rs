//! The theory panel's charts as coordinates: predicted WA and SA over the
//! number of levels for leveling and tiering at the options' size ratio
//! and fan-in, with the measured point at the levels in use; and the bloom
//! false-positive curve over bits per key on a log scale, with the
//! observed point. Every value comes from `strata_engine::theory` through
//! [`TheoryView`]; this module only places them.

use strata_engine::theory::{predict, Shape};
use strata_engine::CompactionStrategy;

use super::theory::TheoryView;
use super::views::stats::Sample;

/// Chart width in SVG units.
pub const CHART_W: f64 = 240.0;
/// Chart height in SVG units.
pub const CHART_H: f64 = 90.0;
/// Levels (L0 included) the amplification charts span.
pub const LEVELS_DRAWN: std::ops::RangeInclusive<usize> = 2..=7;
/// The bloom chart's floor: rates below this sit on the bottom edge.
pub const FP_FLOOR: f64 = 1e-4;

/// One chart: lines as SVG `points`, the measured point, the y scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// (class, points) of each line.
    pub lines: Vec<(&'static str, String)>,
    /// The measured (or observed) point, in SVG units.
    pub point: Option<(f64, f64)>,
    /// The value at the top edge.
    pub y_max: f64,
}

/// Which figure an amplification chart draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Figure {
    /// Write amplification.
    Write,
    /// Space amplification.
    Space,
}

fn x_of_levels(levels: usize) -> f64 {
    let (lo, hi) = (*LEVELS_DRAWN.start() as f64, *LEVELS_DRAWN.end() as f64);
    ((levels as f64).clamp(lo, hi) - lo) / (hi - lo) * CHART_W
}

fn points(values: &[(f64, f64)]) -> String {
    values
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Predicted `figure` over [`LEVELS_DRAWN`] for leveling and tiering at
/// `view`'s size ratio and fan-in, and the measured point of `sample` at
/// the levels in use.
pub fn amplification_chart(view: &TheoryView, sample: &Sample, figure: Figure) -> Chart {
    let value = |strategy: CompactionStrategy, levels: usize| {
        let p = predict(&Shape {
            strategy,
            levels,
            ..view.shape
        });
        match figure {
            Figure::Write => p.write_amp,
            Figure::Space => p.space_amp,
        }
    };
    let measured = match figure {
        Figure::Write => f64::from(sample.write_amp),
        Figure::Space => f64::from(sample.space_amp),
    };
    let families = [
        ("leveled", CompactionStrategy::Leveled),
        ("tiered", CompactionStrategy::SizeTiered),
    ];
    let series: Vec<(&'static str, Vec<(usize, f64)>)> = families
        .iter()
        .map(|&(class, s)| (class, LEVELS_DRAWN.map(|l| (l, value(s, l))).collect()))
        .collect();
    let y_max = series
        .iter()
        .flat_map(|(_, v)| v.iter().map(|(_, y)| *y))
        .chain([measured, 1.0])
        .fold(0.0_f64, f64::max)
        .ceil();
    let y = |v: f64| CHART_H - v / y_max * CHART_H;
    let lines = series
        .iter()
        .map(|(class, v)| {
            let at: Vec<(f64, f64)> = v.iter().map(|&(l, a)| (x_of_levels(l), y(a))).collect();
            (*class, points(&at))
        })
        .collect();
    Chart {
        lines,
        point: (sample.tables > 0).then(|| (x_of_levels(view.shape.levels), y(measured))),
        y_max,
    }
}

/// `rate` on the bloom chart's log scale (1 at the top, [`FP_FLOOR`] at
/// the bottom).
fn y_of_rate(rate: f64) -> f64 {
    let decades = -FP_FLOOR.log10();
    let r = rate.clamp(FP_FLOOR, 1.0);
    -r.log10() / decades * CHART_H
}

/// The bloom false-positive curve over bits per key, and the observed
/// point at the options' bits.
pub fn bloom_chart(view: &TheoryView) -> Chart {
    let max_bits = view.bloom_curve.last().map_or(1, |(b, _)| *b).max(1);
    let x = |bits: u32| f64::from(bits) / f64::from(max_bits) * CHART_W;
    let curve: Vec<(f64, f64)> = view
        .bloom_curve
        .iter()
        .map(|&(b, r)| (x(b), y_of_rate(r)))
        .collect();
    Chart {
        lines: vec![("bloom", points(&curve))],
        point: view.bloom_observed.map(|(b, r)| (x(b), y_of_rate(r))),
        y_max: 1.0,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::model::presets::visualizer_options;
    use crate::model::theory::theory_view;
    use strata_engine::theory::{bloom_false_positive_rate, leveled_write_amp, tiered_write_amp};

    fn sample(write_amp: f32, level_tables: [u16; 7]) -> Sample {
        Sample {
            write_amp,
            space_amp: 1.5,
            tables: level_tables.iter().map(|&n| u32::from(n)).sum(),
            level_tables,
            ..Sample::default()
        }
    }

    fn ys(points: &str) -> Vec<f64> {
        points
            .split(' ')
            .map(|p| p.split_once(',').unwrap().1.parse().unwrap())
            .collect()
    }

    #[test]
    fn the_write_chart_draws_both_families_from_the_engine_formulas() {
        let options = visualizer_options();
        let s = sample(3.0, [1, 2, 5, 0, 0, 0, 0]);
        let view = theory_view(&options, &s);
        let chart = amplification_chart(&view, &s, Figure::Write);
        let t = options.level_size_ratio;
        let top = leveled_write_amp(7, t).ceil();
        assert_eq!(chart.y_max, top);
        let (class, leveled) = &chart.lines[0];
        assert_eq!(*class, "leveled");
        let expect: Vec<f64> = LEVELS_DRAWN
            .map(|l| CHART_H - leveled_write_amp(l, t) / top * CHART_H)
            .collect();
        for (got, want) in ys(leveled).iter().zip(&expect) {
            assert!((got - want).abs() < 0.06, "{got} against {want}");
        }
        let tiered = ys(&chart.lines[1].1);
        assert!((tiered[0] - (CHART_H - tiered_write_amp(2) / top * CHART_H)).abs() < 0.06);
        // Measured at three levels in use: the third x position.
        let (x, y) = chart.point.unwrap();
        assert!((x - CHART_W / 5.0).abs() < 1e-9);
        assert!((y - (CHART_H - 3.0 / top * CHART_H)).abs() < 1e-9);
    }

    #[test]
    fn an_empty_tree_has_no_measured_point() {
        let s = Sample::default();
        let view = theory_view(&visualizer_options(), &s);
        assert_eq!(amplification_chart(&view, &s, Figure::Space).point, None);
    }

    #[test]
    fn the_bloom_curve_falls_on_a_log_scale_and_holds_the_observed_point() {
        let mut s = sample(1.0, [2, 0, 0, 0, 0, 0, 0]);
        let view = theory_view(&visualizer_options(), &s);
        let chart = bloom_chart(&view);
        let curve = ys(&chart.lines[0].1);
        assert_eq!(curve.first().copied(), Some(0.0), "rate 1 at the top");
        assert!(curve.windows(2).all(|w| w[1] >= w[0]), "falls as bits grow");
        assert_eq!(chart.point, None, "no get yet");
        s.gets = 4;
        s.bloom_fp_rate = 0.01;
        let view = theory_view(&visualizer_options(), &s);
        let (x, y) = bloom_chart(&view).point.unwrap();
        let bits = visualizer_options().bloom_bits_per_key;
        assert!((x - f64::from(bits) / 20.0 * CHART_W).abs() < 1e-9);
        assert!(
            (y - CHART_H / 2.0).abs() < 1e-4,
            "1 % is two of four decades down"
        );
        assert!(bloom_false_positive_rate(bits) < 1.0);
    }
}
