//! Theory beside measurement: the prediction for the options shown, the
//! amplification curves over levels with the measured point, the bloom
//! curve with the observed point, and why the figures differ. Used in the
//! single view beside the statistics and on every side of a comparison.

use yew::prelude::*;

use super::t;
use crate::model::format::{percent, ratio};
use crate::model::i18n::CompareText;
use crate::model::theory::TheoryView;
use crate::model::theory_chart::{
    amplification_chart, bloom_chart, Chart, Figure, CHART_H, CHART_W,
};
use crate::model::views::stats::Sample;
use crate::ui::Shared;

#[derive(Properties, PartialEq)]
pub struct TheoryProps {
    pub theory: Shared<TheoryView>,
    pub sample: Sample,
    /// Tells one panel from another on the page (`A`, `B`, or empty).
    #[prop_or_default]
    pub id: String,
}

fn chart_svg(chart: &Chart, label: String, class: &'static str) -> Html {
    let point = chart.point.map(|(x, y)| {
        html! { <circle class="measured" cx={format!("{x:.1}")} cy={format!("{y:.1}")} r="3.5" /> }
    });
    html! {
        <svg class={classes!("chart", "theory-chart", class)} viewBox={format!("-4 -4 {} {}", CHART_W + 8.0, CHART_H + 8.0)} role="img" aria-label={label}>
            <line class="axis" x1="0" y1={CHART_H.to_string()} x2={CHART_W.to_string()} y2={CHART_H.to_string()} />
            { for chart.lines.iter().map(|(c, points)| html! { <polyline class={*c} points={points.clone()} /> }) }
            { for point }
        </svg>
    }
}

/// The theory panel.
#[component]
pub fn TheoryPanel(props: &TheoryProps) -> Html {
    let view = &props.theory;
    let s = &props.sample;
    let p = &view.predicted;
    let strategy = match view.shape.strategy {
        strata_engine::CompactionStrategy::Leveled => "leveled",
        strata_engine::CompactionStrategy::SizeTiered => "size_tiered",
        strata_engine::CompactionStrategy::Hybrid => "hybrid",
        strata_engine::CompactionStrategy::Universal => "universal",
    };
    let heading = format!("theory-h{}", props.id);
    let wa = amplification_chart(view, s, Figure::Write);
    let sa = amplification_chart(view, s, Figure::Space);
    let bloom = bloom_chart(view);
    let curves = t(CompareText::TheoryCurves {
        ratio: view.shape.size_ratio,
    });
    let observed = match view.bloom_observed {
        Some((_, rate)) => t(CompareText::BloomObserved {
            rate: &percent(rate),
        }),
        None => t(CompareText::BloomNoPoint),
    };
    let reasons: Vec<String> = view.reasons.iter().map(|r| r.text()).collect();
    html! {
        <section class="panel theory" aria-labelledby={heading.clone()}>
            <h2 id={heading}>{ t(CompareText::TheoryHeading) }</h2>
            <p class="theory-shape">{ t(CompareText::TheoryShape { strategy, levels: view.shape.levels, ratio: view.shape.size_ratio, runs: view.shape.runs }) }</p>
            <table class="theory-figures">
                <thead><tr><th scope="col"></th><th scope="col">{ t(CompareText::Measured) }</th><th scope="col">{ t(CompareText::Predicted) }</th></tr></thead>
                <tbody>
                    <tr data-figure="wa"><th scope="row">{ t(CompareText::WriteAmp) }</th><td>{ ratio(f64::from(s.write_amp)) }</td><td class="predicted">{ ratio(p.write_amp) }</td></tr>
                    <tr data-figure="sa"><th scope="row">{ t(CompareText::SpaceAmp) }</th><td>{ ratio(f64::from(s.space_amp)) }</td><td class="predicted">{ ratio(p.space_amp) }</td></tr>
                    <tr data-figure="runs"><th scope="row">{ t(CompareText::RunsPerAbsentGet) }</th><td>{ ratio(f64::from(s.read_amp)) }</td><td class="predicted">{ ratio(p.runs_probed) }</td></tr>
                    <tr data-figure="blocks"><th scope="row">{ t(CompareText::BlocksPerAbsentGet) }</th><td>{ ratio(f64::from(s.blocks_per_get)) }</td><td class="predicted">{ ratio(p.absent_blocks) }</td></tr>
                </tbody>
            </table>
            <div class="theory-charts">
                <figure>
                    { chart_svg(&wa, format!("{curves}: {}", t(CompareText::WriteAmp)), "wa-curves") }
                    <figcaption>{ format!("{} (0 … {})", t(CompareText::WriteAmp), wa.y_max) }</figcaption>
                </figure>
                <figure>
                    { chart_svg(&sa, format!("{curves}: {}", t(CompareText::SpaceAmp)), "sa-curves") }
                    <figcaption>{ format!("{} (0 … {})", t(CompareText::SpaceAmp), sa.y_max) }</figcaption>
                </figure>
                <figure>
                    { chart_svg(&bloom, t(CompareText::BloomCurve { bits: crate::model::theory::BLOOM_CURVE_BITS }), "bloom-curve") }
                    <figcaption>{ observed }</figcaption>
                </figure>
            </div>
            <p class="chart-key theory-key">
                <span class="leveled">{ format!("— {}", t(CompareText::CurveLeveled)) }</span>{ " " }
                <span class="tiered">{ format!("— {}", t(CompareText::CurveTiered)) }</span>{ " " }
                <span class="measured">{ format!("● {}", t(CompareText::CurveMeasured)) }</span>
                { format!(" · {curves}") }
            </p>
            <ul class="theory-reasons">
                if reasons.is_empty() && s.tables > 0 {
                    <li>{ t(CompareText::TheoryAgrees) }</li>
                }
                { for reasons.into_iter().map(|r| html! { <li>{ r }</li> }) }
            </ul>
        </section>
    }
}
