//! The bloom filter of the table a get probed: its bits, the bits the key
//! tested, the verdict, and the false-positive rate against theory.

use std::fmt::Write as _;

use strata_engine::event::BloomVerdict;
use yew::prelude::*;

use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{shown, tr, Msg};
use crate::model::labs::LabPanel;

use super::labs::LabBadges;

use super::glossary::TermLink;
use crate::model::glossary::Term;

use super::Shared;
use crate::model::format::{percent, quoted, table};
use crate::model::views::bloom::{BloomView, Probe};

/// Most cells per row of the bit grid.
const MAX_COLUMNS: u64 = 64;
/// Most cells drawn; larger filters fold several bits into a cell.
const MAX_CELLS: u64 = 4096;
/// Cell size in SVG units.
const CELL: u64 = 8;

#[derive(Properties, PartialEq)]
pub struct BloomProps {
    pub bloom: Shared<BloomView>,
}

fn state_class(set: Option<bool>) -> &'static str {
    match set {
        Some(true) => "set",
        Some(false) => "clear",
        None => "unknown",
    }
}

fn grid(probe: &Probe) -> Html {
    let per_cell = probe.bits.div_ceil(MAX_CELLS).max(1);
    let cells = probe.bits.div_ceil(per_cell);
    // A grid four times wider than tall: small filters get big cells.
    let columns = (((cells * 4) as f64).sqrt().ceil() as u64).clamp(8, MAX_COLUMNS);
    let rows = cells.div_ceil(columns);
    let mut set = String::new();
    for cell in 0..cells {
        let lit = (cell * per_cell..((cell + 1) * per_cell).min(probe.bits))
            .any(|p| probe.bit(p) == Some(true));
        if lit {
            let (x, y) = ((cell % columns) * CELL, (cell / columns) * CELL);
            let _ = write!(set, "M{x} {y}h{w}v{w}h-{w}z", w = CELL - 1);
        }
    }
    let tested = probe.tested.iter().map(|b| {
        let cell = b.position / per_cell;
        let (x, y) = ((cell % columns) * CELL, (cell / columns) * CELL);
        html! {
            <rect class={classes!("tested", state_class(b.set))} x={x.to_string()} y={y.to_string()}
                width={(CELL - 1).to_string()} height={(CELL - 1).to_string()}>
                <title>{ ui(&Ui::Bit { position: b.position, set: b.set }) }</title>
            </rect>
        }
    });
    let view_box = format!("-1 -1 {} {}", columns * CELL + 2, rows * CELL + 2);
    html! {
        <svg class="bits" viewBox={view_box} role="img" preserveAspectRatio="xMinYMin meet"
            aria-label={ui(&Ui::BitArray { bits: probe.bits, per_cell, tested: probe.tested.len() })}>
            <path class="set" d={set}></path>
            { for tested }
        </svg>
    }
}

/// The bloom view.
#[component]
pub fn BloomPanel(props: &BloomProps) -> Html {
    let bloom = &props.bloom;
    let c = bloom.counters;
    let probe = match &bloom.probe {
        None => {
            let text = match bloom.get_key() {
                Some(key) => tr(&Msg::BloomNoProbeForGet { key: &quoted(key) }),
                None => tr(&Msg::BloomNoProbeYet),
            };
            html! { <p class="empty">{ text }</p> }
        }
        Some(p) => {
            let class = match (p.verdict, p.false_positive) {
                (BloomVerdict::DefinitelyAbsent, _) => "absent",
                (BloomVerdict::MaybePresent, true) => "false-positive",
                (BloomVerdict::MaybePresent, false) => "maybe",
            };
            let verdict = ui(&Ui::Verdict {
                absent: p.verdict == BloomVerdict::DefinitelyAbsent,
                false_positive: p.false_positive,
            });
            let set = p
                .set_bits()
                .map(|n| {
                    ui(&Ui::BitsSet {
                        set: n,
                        bits: p.bits,
                    })
                })
                .unwrap_or_default();
            html! {
                <>
                    <p class="probe">{ ui(&Ui::ProbeLine { key: &quoted(&p.key), table: &table(p.file_number), probes: p.tested.len() as u64 }) }{ set }</p>
                    { grid(p) }
                    <p class={classes!("verdict", class)} data-verdict={class}>{ verdict }</p>
                </>
            }
        }
    };
    let observed = c.observed_rate();
    let theory = c.theoretical_rate();
    html! {
        <section class="panel bloom" aria-labelledby="bloom-h">
            <h2 id="bloom-h">{ ui(&Ui::BloomFilter) }<TermLink term={Term::Bloom} /></h2>
            <LabBadges panel={LabPanel::Bloom} lang={shown()} />
            { probe }
            <dl class="counters">
                <dt>{ ui(&Ui::Probes) }</dt><dd>{ c.probes }</dd>
                <dt>{ ui(&Ui::DefinitelyAbsent) }</dt><dd>{ c.negatives }</dd>
                <dt>{ ui(&Ui::FalsePositives) }</dt><dd>{ c.false_positives }</dd>
                <dt>{ ui(&Ui::FpObserved) }</dt><dd>{ observed.map_or("–".to_owned(), percent) }</dd>
                <dt>{ ui(&Ui::FpTheory { bits_per_key: &c.bits_per_key.to_string() }) }</dt><dd>{ theory.map_or_else(|| ui(&Ui::NoFilter), percent) }</dd>
            </dl>
        </section>
    }
}
