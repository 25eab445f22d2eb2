//! The compaction view: why, inputs, the merge, each record's fate,
//! outputs and totals.

use strata_engine::event::CompactionTrigger;
use strata_engine::{CompactionStrategy, ValueKind};
use yew::prelude::*;

use super::glossary::TermLink;
use super::labs::LabBadges;
use crate::model::glossary::Term;
use crate::model::i18n::shown;
use crate::model::labs::LabPanel;

use super::Shared;
use crate::model::format::{bytes, key, table};
use crate::model::views::compaction::{fate_label, fate_name, fate_short, CompactionView, FATES};

#[derive(Properties, PartialEq)]
pub struct CompactionProps {
    pub compaction: Shared<CompactionView>,
}

fn strategy(s: CompactionStrategy) -> &'static str {
    match s {
        CompactionStrategy::Leveled => "leveled",
        CompactionStrategy::SizeTiered => "size-tiered",
        CompactionStrategy::Hybrid => "hybrid",
        CompactionStrategy::Universal => "universal",
    }
}

/// The latest compaction.
#[component]
pub fn CompactionPanel(props: &CompactionProps) -> Html {
    let c = &props.compaction;
    let Some(p) = &c.picked else {
        return html! {
            <section class="panel compaction" aria-labelledby="compaction-h">
                <h2 id="compaction-h">{ "Compaction" }<TermLink term={Term::Compaction} /></h2>
                <LabBadges panel={LabPanel::Compaction} lang={shown()} />
                <p class="empty">{ "No compaction yet. " }<code>{ "step" }</code>{ " runs one when a level is over its trigger." }</p>
            </section>
        };
    };
    let why = match p.trigger {
        CompactionTrigger::RunCount { runs, threshold } => {
            format!("L{} holds {runs} runs, trigger {threshold}", p.level)
        }
        CompactionTrigger::LevelSize {
            bytes: b,
            target_bytes,
        } => format!(
            "L{} holds {}, target {}",
            p.level,
            bytes(b),
            bytes(target_bytes)
        ),
        CompactionTrigger::Manual { target_level } => {
            format!("full compaction of a range, down to L{target_level}")
        }
        CompactionTrigger::SpaceAmplification {
            percent,
            max_percent,
        } => format!("newer runs {percent}% of the oldest, limit {max_percent}%"),
        CompactionTrigger::SizeRatio { runs, .. } => {
            format!("{runs} runs of similar size")
        }
    };
    let total_in: u64 = p.inputs.iter().map(|t| t.entries).sum();
    let seen = c.entries_seen();
    let last = c.entries.len().saturating_sub(1);
    let levels = [p.level, p.output_level];
    html! {
        <section class="panel compaction" aria-labelledby="compaction-h">
            <h2 id="compaction-h">{ "Compaction" }<TermLink term={Term::Compaction} /></h2>
            <LabBadges panel={LabPanel::Compaction} lang={shown()} />
            <p class="why">
                <strong>{ format!("L{} → L{}", p.level, p.output_level) }</strong>
                { format!(" · {} · {why} · score {:.2}", strategy(p.strategy), p.score) }
                if p.trivial_move { <span class="trivial">{ " · trivial move: no rewrite" }</span> }
            </p>
            <div class="inputs">
                { for levels.iter().enumerate().filter(|(i, l)| *i == 0 || **l != p.level).map(|(_, l)| {
                    let tables: Vec<_> = p.inputs.iter().filter(|t| t.level == *l).collect();
                    html! {
                        <p class={classes!("chips", format!("lvl-{l}"))}>
                            <span class="chip-head">{ format!("L{l} inputs:") }</span>
                            if tables.is_empty() { <span class="meta">{ " none" }</span> }
                            { for tables.iter().map(|t| html! { <span class="chip" data-file={t.file_number.to_string()}>{ t.file_number }</span> }) }
                        </p>
                    }
                }) }
            </div>
            if !p.trivial_move {
                <div class="merge">
                    <progress max={total_in.max(1).to_string()} value={seen.to_string()} aria-label="Records merged"></progress>
                    <span class="meta">
                        { format!("{seen} / {total_in} records merged") }
                        { c.cursor().map(|k| format!(" · cursor at {}", key(k))).unwrap_or_default() }
                    </span>
                </div>
                <ul class="fates">
                    { for FATES.iter().map(|f| html! {
                        <li class={classes!("fate", format!("fate-{}", fate_name(*f)))} data-fate={fate_name(*f)} data-count={c.count(*f).to_string()}>
                            <span class="swatch"></span>{ format!("{}: {}", fate_label(*f), c.count(*f)) }
                        </li>
                    }) }
                </ul>
                <table class="entries">
                    <thead><tr><th scope="col">{ "key" }</th><th scope="col">{ "seq" }</th><th scope="col">{ "kind" }</th><th scope="col">{ "fate" }</th></tr></thead>
                    <tbody>
                        { for c.entries.iter().enumerate().map(|(i, e)| html! {
                            <tr class={classes!(format!("fate-{}", fate_name(e.fate)), (i == last).then_some("current"))} data-fate={fate_name(e.fate)}>
                                <td class="k">{ key(&e.key) }</td>
                                <td>{ e.seq }</td>
                                <td>{ if e.kind == ValueKind::Delete { "tombstone" } else { "put" } }</td>
                                <td title={fate_label(e.fate)}><span class="swatch"></span>{ fate_short(e.fate) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !c.notable.is_empty() {
                <ul class="notable" aria-label="Tombstones and snapshot keeps in this compaction">
                    { for c.notable.iter().map(|e| html! {
                        <li class={format!("fate-{}", fate_name(e.fate))} data-fate={fate_name(e.fate)}>
                            { format!("{} seq {} ({}): {}", key(&e.key), e.seq, if e.kind == ValueKind::Delete { "tombstone" } else { "put" }, fate_label(e.fate)) }
                        </li>
                    }) }
                </ul>
            }
            if !c.outputs.is_empty() {
                <p class={classes!("chips", format!("lvl-{}", p.output_level))}>
                    <span class="chip-head">{ format!("outputs in L{}:", p.output_level) }</span>
                    { for c.outputs.iter().map(|t| html! { <span class="chip" title={format!("{} · {}", table(t.file_number), bytes(t.size_bytes))}>{ t.file_number }</span> }) }
                </p>
            }
            if let Some(f) = c.finished {
                <p class="done">{
                    if p.trivial_move {
                        "Installed: the table moved down by a manifest edit alone.".to_owned()
                    } else {
                        format!("Installed: read {}, wrote {}; {} records in, {} out.", bytes(f.bytes_read), bytes(f.bytes_written), f.entries_in, f.entries_out)
                    }
                }</p>
            }
        </section>
    }
}
