//! Amplification figures, bloom counters and their history.

use yew::prelude::*;

use super::glossary::TermLink;
use crate::model::glossary::Term;

use super::Shared;
use crate::model::format::{bytes, percent, ratio};
use crate::model::views::stats::{polyline, Sample, StatsView};

const WIDTH: f32 = 300.0;
const HEIGHT: f32 = 90.0;

#[derive(Properties, PartialEq)]
pub struct StatsProps {
    pub stats: Shared<StatsView>,
    pub levels: Shared<crate::model::views::structure::LevelsView>,
}

/// The statistics view.
#[component]
pub fn StatsPanel(props: &StatsProps) -> Html {
    let view = &props.stats;
    let now = view.current;
    let samples = view.history.as_slice();
    let series = |f: fn(&Sample) -> f32| -> Vec<f32> { samples.iter().map(f).collect() };
    let wa = series(|x| x.write_amp);
    let ra = series(|x| x.read_amp);
    let sa = series(|x| x.space_amp);
    let y_max = wa
        .iter()
        .chain(&ra)
        .chain(&sa)
        .copied()
        .fold(1.0_f32, f32::max)
        .ceil();
    let line = |values: &[f32], class: &'static str| {
        html! { <polyline class={class} points={polyline(values, WIDTH, HEIGHT, y_max, 300)} /> }
    };
    let levels = props.levels.levels.iter().filter(|l| l.live_tables() > 0);
    html! {
        <section class="panel stats" aria-labelledby="stats-h">
            <h2 id="stats-h">{ "Statistics" }<TermLink term={Term::Amplification} /></h2>
            <dl class="figures">
                <dt title="(flush + compaction bytes) / user bytes">{ "write amplification" }</dt><dd class="wa">{ ratio(f64::from(now.write_amp)) }</dd>
                <dt title="tables probed per get">{ "read amplification" }</dt><dd class="ra">{ ratio(f64::from(now.read_amp)) }</dd>
                <dt title="table bytes / live data bytes">{ "space amplification" }</dt><dd class="sa">{ ratio(f64::from(now.space_amp)) }</dd>
                <dt>{ "blocks read per get" }</dt><dd>{ ratio(f64::from(now.blocks_per_get)) }</dd>
                <dt>{ "bloom FP rate" }</dt><dd>{ percent(f64::from(now.bloom_fp_rate)) }</dd>
                <dt>{ "live data / tables" }</dt><dd>{ format!("{} / {}", bytes(now.live_bytes), bytes(now.table_bytes)) }</dd>
            </dl>
            <div class="chart-wrap">
            <svg class="chart" viewBox={format!("0 -2 {WIDTH} {}", HEIGHT + 4.0)} role="img"
                aria-label={format!("Amplification over {} operations; scale 0 to {y_max}", view.ops)}>
                <line class="axis" x1="0" y1={HEIGHT.to_string()} x2={WIDTH.to_string()} y2={HEIGHT.to_string()} />
                { line(&wa, "wa") }
                { line(&ra, "ra") }
                { line(&sa, "sa") }
            </svg>
            <p class="chart-key"><span class="wa">{ "— WA" }</span>{ " " }<span class="ra">{ "— RA" }</span>{ " " }<span class="sa">{ "— SA" }</span>{ format!(" (0 … {y_max}, over the operations)") }</p>
            </div>
            <table class="level-stats">
                <thead><tr><th scope="col">{ "level" }</th><th scope="col">{ "tables" }</th><th scope="col">{ "bytes" }</th><th scope="col">{ "target" }</th></tr></thead>
                <tbody>
                    { for levels.map(|l| html! {
                        <tr class={format!("lvl-{}", l.level)}>
                            <td><span class="swatch"></span>{ format!("L{}", l.level) }</td>
                            <td>{ l.live_tables() }</td>
                            <td>{ bytes(l.bytes) }</td>
                            <td>{ if l.tiered { format!("{} runs", l.run_trigger) } else { bytes(l.target_bytes) } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
