//! One side of a comparison: its options, its invariant badge, its levels
//! on the shared key axis and its figures.

use std::rc::Rc;

use yew::prelude::*;

use super::t;
use crate::model::compare::player::SideFrame;
use crate::model::format::{bytes, percent, ratio};
use crate::model::i18n::CompareText;
use crate::ui::structure::LevelsPanel;
use crate::ui::Shared;

#[derive(Properties, PartialEq)]
pub struct SideProps {
    pub side: SideFrame,
    /// Whether the structure is drawn (`panels=` in an embed).
    pub structure: bool,
    /// Whether the figures are drawn.
    pub figures: bool,
}

/// A side's column.
#[component]
pub fn SideColumn(props: &SideProps) -> Html {
    let side = &props.side;
    let s = &side.sample;
    let options = if side.options.is_empty() {
        t(CompareText::SideOwnOptions)
    } else {
        side.options.clone()
    };
    let broken = side.invariants.is_broken();
    let badge = side.invariants.text(side.letter);
    let heading_id = format!("cmp-side-{}", side.letter);
    html! {
        <section class={classes!("panel", "cmp-side")} data-side={side.letter.to_string()} aria-labelledby={heading_id.clone()}>
            <header class="cmp-side-head">
                <h2 id={heading_id}>{ t(CompareText::Side { letter: side.letter }) }</h2>
                <code class="cmp-options">{ options }</code>
                <span class={classes!("cmp-invariants", broken.then_some("broken"))} role={if broken { "alert" } else { "status" }}
                    data-ok={(!broken).to_string()}>{ if broken { badge } else { format!("✓ {badge}") } }</span>
            </header>
            if props.structure {
                <div class="cmp-levels">
                    <LevelsPanel levels={Shared(side.levels.clone())} also={None::<u32>} growing={Rc::new(Vec::new())} />
                </div>
            }
            if props.figures {
                <dl class="figures cmp-figures">
                    <dt>{ t(CompareText::WriteAmp) }</dt><dd class="wa" data-figure="wa">{ ratio(f64::from(s.write_amp)) }</dd>
                    <dt>{ t(CompareText::ReadAmp) }</dt><dd class="ra" data-figure="ra">{ ratio(f64::from(s.read_amp)) }</dd>
                    <dt>{ t(CompareText::SpaceAmp) }</dt><dd class="sa" data-figure="sa">{ ratio(f64::from(s.space_amp)) }</dd>
                    <dt>{ t(CompareText::BlocksPerGet) }</dt><dd data-figure="blocks">{ ratio(f64::from(s.blocks_per_get)) }</dd>
                    <dt>{ t(CompareText::BloomFpRate) }</dt><dd data-figure="fp">{ percent(f64::from(s.bloom_fp_rate)) }</dd>
                    <dt>{ t(CompareText::TableBytes) }</dt><dd data-figure="bytes">{ bytes(s.table_bytes) }</dd>
                </dl>
            }
        </section>
    }
}
