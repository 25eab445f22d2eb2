//! Amplification figures, bloom counters and their history.

use yew::prelude::*;

use crate::model::i18n::ui::{ui, Ui};

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
            <h2 id="stats-h">{ ui(&Ui::Statistics) }<TermLink term={Term::Amplification} /></h2>
            <dl class="figures">
                <dt title={ui(&Ui::WriteAmpHow)}>{ ui(&Ui::WriteAmp) }</dt><dd class="wa">{ ratio(f64::from(now.write_amp)) }</dd>
                <dt title={ui(&Ui::ReadAmpHow)}>{ ui(&Ui::ReadAmp) }</dt><dd class="ra">{ ratio(f64::from(now.read_amp)) }</dd>
                <dt title={ui(&Ui::SpaceAmpHow)}>{ ui(&Ui::SpaceAmp) }</dt><dd class="sa">{ ratio(f64::from(now.space_amp)) }</dd>
                <dt>{ ui(&Ui::BlocksPerGet) }</dt><dd>{ ratio(f64::from(now.blocks_per_get)) }</dd>
                <dt>{ ui(&Ui::BloomFpRate) }</dt><dd>{ percent(f64::from(now.bloom_fp_rate)) }</dd>
                <dt>{ ui(&Ui::LiveData) }</dt><dd>{ format!("{} / {}", bytes(now.live_bytes), bytes(now.table_bytes)) }</dd>
            </dl>
            <div class="chart-wrap">
            <svg class="chart" viewBox={format!("0 -2 {WIDTH} {}", HEIGHT + 4.0)} role="img"
                aria-label={ui(&Ui::AmpChart { ops: view.ops, max: &y_max.to_string() })}>
                <line class="axis" x1="0" y1={HEIGHT.to_string()} x2={WIDTH.to_string()} y2={HEIGHT.to_string()} />
                { line(&wa, "wa") }
                { line(&ra, "ra") }
                { line(&sa, "sa") }
            </svg>
            <p class="chart-key"><span class="wa">{ ui(&Ui::ChartKey { line: 0 }) }</span>{ " " }<span class="ra">{ ui(&Ui::ChartKey { line: 1 }) }</span>{ " " }<span class="sa">{ ui(&Ui::ChartKey { line: 2 }) }</span>{ ui(&Ui::ChartScale { max: &y_max.to_string() }) }</p>
            </div>
            <table class="level-stats">
                <thead><tr><th scope="col">{ ui(&Ui::ColLevel) }</th><th scope="col">{ ui(&Ui::ColTables) }</th><th scope="col">{ ui(&Ui::ColBytes) }</th><th scope="col">{ ui(&Ui::ColTarget) }</th></tr></thead>
                <tbody>
                    { for levels.map(|l| html! {
                        <tr class={format!("lvl-{}", l.level)}>
                            <td><span class="swatch"></span>{ format!("L{}", l.level) }</td>
                            <td>{ l.live_tables() }</td>
                            <td>{ bytes(l.bytes) }</td>
                            <td>{ if l.tiered { ui(&Ui::Runs { runs: l.run_trigger }) } else { bytes(l.target_bytes) } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
