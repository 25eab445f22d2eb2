//! The compaction view: why, inputs, the merge, each record's fate,
//! outputs and totals.

use strata_engine::event::CompactionTrigger;
use strata_engine::ValueKind;
use yew::prelude::*;

use super::glossary::TermLink;
use super::labs::LabBadges;
use crate::model::glossary::Term;
use crate::model::i18n::shown;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::labs::LabPanel;

use super::Shared;
use crate::model::format::{bytes, key, table};
use crate::model::views::compaction::{fate_label, fate_name, fate_short, CompactionView, FATES};

#[derive(Properties, PartialEq)]
pub struct CompactionProps {
    pub compaction: Shared<CompactionView>,
}

/// The latest compaction.
#[component]
pub fn CompactionPanel(props: &CompactionProps) -> Html {
    let c = &props.compaction;
    let Some(p) = &c.picked else {
        return html! {
            <section class="panel compaction" aria-labelledby="compaction-h">
                <h2 id="compaction-h">{ ui(&Ui::Compaction) }<TermLink term={Term::Compaction} /></h2>
                <LabBadges panel={LabPanel::Compaction} lang={shown()} />
                <p class="empty">{ ui(&Ui::NoCompactionYet) }<code>{ "step" }</code>{ ui(&Ui::NoCompactionYetAfter) }</p>
            </section>
        };
    };
    let why = match p.trigger {
        CompactionTrigger::RunCount { runs, threshold } => ui(&Ui::DueRuns {
            level: p.level,
            runs,
            threshold,
        }),
        CompactionTrigger::LevelSize {
            bytes: b,
            target_bytes,
        } => ui(&Ui::DueSize {
            level: p.level,
            bytes: &bytes(b),
            target: &bytes(target_bytes),
        }),
        CompactionTrigger::Manual { target_level } => ui(&Ui::DueManual { target_level }),
        CompactionTrigger::SpaceAmplification {
            percent,
            max_percent,
        } => ui(&Ui::DueSpaceAmplification {
            percent,
            max_percent,
        }),
        CompactionTrigger::SizeRatio { runs, .. } => ui(&Ui::DueSizeRatio { runs }),
    };
    let total_in: u64 = p.inputs.iter().map(|t| t.entries).sum();
    let seen = c.entries_seen();
    let last = c.entries.len().saturating_sub(1);
    let levels = [p.level, p.output_level];
    html! {
        <section class="panel compaction" aria-labelledby="compaction-h">
            <h2 id="compaction-h">{ ui(&Ui::Compaction) }<TermLink term={Term::Compaction} /></h2>
            <LabBadges panel={LabPanel::Compaction} lang={shown()} />
            <p class="why">
                <strong>{ format!("L{} → L{}", p.level, p.output_level) }</strong>
                { format!(" · {} · {why} · {}", ui(&Ui::Strategy(p.strategy)), ui(&Ui::Score { score: p.score })) }
                if p.trivial_move { <span class="trivial">{ ui(&Ui::TrivialMove) }</span> }
            </p>
            <div class="inputs">
                { for levels.iter().enumerate().filter(|(i, l)| *i == 0 || **l != p.level).map(|(_, l)| {
                    let tables: Vec<_> = p.inputs.iter().filter(|t| t.level == *l).collect();
                    html! {
                        <p class={classes!("chips", format!("lvl-{l}"))}>
                            <span class="chip-head">{ ui(&Ui::InputsOf { level: *l }) }</span>
                            if tables.is_empty() { <span class="meta">{ ui(&Ui::NoInputs) }</span> }
                            { for tables.iter().map(|t| html! { <span class="chip" data-file={t.file_number.to_string()}>{ t.file_number }</span> }) }
                        </p>
                    }
                }) }
            </div>
            if !p.trivial_move {
                <div class="merge">
                    <progress max={total_in.max(1).to_string()} value={seen.to_string()} aria-label={ui(&Ui::RecordsMerged)}></progress>
                    <span class="meta">
                        { ui(&Ui::MergedOf { seen, total: total_in }) }
                        { c.cursor().map(|k| ui(&Ui::CursorAt { key: &key(k) })).unwrap_or_default() }
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
                    <thead><tr><th scope="col">{ ui(&Ui::ColKey) }</th><th scope="col">{ ui(&Ui::ColSeq) }</th><th scope="col">{ ui(&Ui::ColKind) }</th><th scope="col">{ ui(&Ui::ColFate) }</th></tr></thead>
                    <tbody>
                        { for c.entries.iter().enumerate().map(|(i, e)| html! {
                            <tr class={classes!(format!("fate-{}", fate_name(e.fate)), (i == last).then_some("current"))} data-fate={fate_name(e.fate)}>
                                <td class="k">{ key(&e.key) }</td>
                                <td>{ e.seq }</td>
                                <td>{ ui(&Ui::Kind { tombstone: e.kind == ValueKind::Delete }) }</td>
                                <td title={fate_label(e.fate)}><span class="swatch"></span>{ fate_short(e.fate) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            if !c.notable.is_empty() {
                <ul class="notable" aria-label={ui(&Ui::Notable)}>
                    { for c.notable.iter().map(|e| html! {
                        <li class={format!("fate-{}", fate_name(e.fate))} data-fate={fate_name(e.fate)}>
                            { ui(&Ui::NotableEntry { key: &key(&e.key), seq: e.seq, tombstone: e.kind == ValueKind::Delete, fate: e.fate }) }
                        </li>
                    }) }
                </ul>
            }
            if !c.outputs.is_empty() {
                <p class={classes!("chips", format!("lvl-{}", p.output_level))}>
                    <span class="chip-head">{ ui(&Ui::OutputsIn { level: p.output_level }) }</span>
                    { for c.outputs.iter().map(|t| html! { <span class="chip" title={format!("{} · {}", table(t.file_number), bytes(t.size_bytes))}>{ t.file_number }</span> }) }
                </p>
            }
            if let Some(f) = c.finished {
                <p class="done">{
                    if p.trivial_move {
                        ui(&Ui::InstalledMove)
                    } else {
                        ui(&Ui::Installed { read: &bytes(f.bytes_read), wrote: &bytes(f.bytes_written), records_in: f.entries_in, records_out: f.entries_out })
                    }
                }</p>
            }
        </section>
    }
}
