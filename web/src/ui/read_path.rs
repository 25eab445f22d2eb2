//! The read path: where a get looked, why each table was skipped, where it
//! stopped.

use strata_engine::event::{BloomVerdict, GetOutcome, GetSource, MemtableSlot};
use strata_engine::ValueKind;
use yew::prelude::*;

use super::labs::LabBadges;
use super::Shared;
use crate::model::format::{quoted, table};
use crate::model::i18n::shown;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::labs::LabPanel;
use crate::model::views::read_path::{ReadPathView, ReadStop, TableVisit};

#[derive(Properties, PartialEq)]
pub struct ReadPathProps {
    pub read: Shared<ReadPathView>,
}

fn stop(s: &ReadStop) -> Html {
    match s {
        ReadStop::Memtable {
            slot,
            range_seq: Some(seq),
            ..
        } => {
            let name = ui(&Ui::Slot {
                immutable: *slot == MemtableSlot::Immutable,
            });
            let what = ui(&Ui::RangeTombstoneAnswers { seq: *seq });
            html! { <li class={classes!("stop", "answer", "range-deleted")} data-visit="range-deleted"><span class="where">{ name }</span><span class="what">{ what }</span></li> }
        }
        ReadStop::Memtable { slot, found, .. } => {
            let name = ui(&Ui::Slot {
                immutable: *slot == MemtableSlot::Immutable,
            });
            let (class, what) = match found {
                None => ("miss", ui(&Ui::NoRecord)),
                Some(k) => (
                    "answer",
                    ui(&Ui::FoundStop {
                        tombstone: *k == ValueKind::Delete,
                    }),
                ),
            };
            html! { <li class={classes!("stop", class)} data-visit={class}><span class="where">{ name }</span><span class="what">{ what }</span></li> }
        }
        ReadStop::Table {
            level,
            file_number,
            visit,
            bloom,
        } => {
            let bloom_text = match bloom {
                Some(v) => ui(&Ui::BloomSaid {
                    absent: *v == BloomVerdict::DefinitelyAbsent,
                }),
                None => String::new(),
            };
            let (class, what) = match visit {
                TableVisit::SkippedKeyRange => ("skipped", ui(&Ui::OutsideRange)),
                TableVisit::Probing => ("probing", ui(&Ui::RangeCovers)),
                TableVisit::FilteredOut => ("filtered", ui(&Ui::FilteredOut)),
                TableVisit::IndexSearched { block: Some(b) } => {
                    ("probing", ui(&Ui::IndexToBlock { block: *b }))
                }
                TableVisit::IndexSearched { block: None } => ("miss", ui(&Ui::PastLastBlock)),
                TableVisit::BlockRead { block } => ("read", ui(&Ui::BlockReadNo { block: *block })),
                TableVisit::FalsePositive => ("false-positive", ui(&Ui::ReadForNothing)),
                TableVisit::Answer => ("answer", ui(&Ui::KeyIsHere)),
                TableVisit::RangeDeleted { seq } => (
                    "range-deleted",
                    ui(&Ui::RangeTombstoneAnswers { seq: *seq }),
                ),
            };
            html! {
                <li class={classes!("stop", class, format!("lvl-{level}"))} data-visit={class} data-file={file_number.to_string()}>
                    <span class="where"><span class="swatch"></span>{ format!("L{level} {}", table(*file_number)) }</span>
                    <span class="what">{ format!("{bloom_text}{what}") }</span>
                </li>
            }
        }
    }
}

/// The latest get's path.
#[component]
pub fn ReadPathPanel(props: &ReadPathProps) -> Html {
    let read = &props.read;
    let body = match &read.key {
        None => {
            html! { <p class="empty">{ ui(&Ui::NoGetYet) }<code>{ "get apple" }</code></p> }
        }
        Some(k) => {
            let answer = read.outcome.map(|(outcome, source)| {
                let what = match outcome {
                    GetOutcome::Found => "found",
                    GetOutcome::Deleted => "deleted",
                    GetOutcome::NotFound => "not found",
                    GetOutcome::Expired => "expired",
                };
                let name = match source {
                    GetSource::Table { level, file_number } => Some((level, table(file_number))),
                    GetSource::Memtable { .. } | GetSource::Nowhere => None,
                };
                let said = ui(&Ui::Answer {
                    outcome,
                    memtable: matches!(source, GetSource::Memtable { .. }),
                    table: name.as_ref().map(|(l, t)| (*l, t.as_str())),
                    tables: u64::from(read.tables_probed),
                });
                html! {
                    <p class={classes!("answer", format!("outcome-{what}").replace(' ', "-"))} data-outcome={what}>
                        { said }
                    </p>
                }
            });
            html! {
                <>
                    <p class="get">{ ui(&Ui::GetAt { key: &quoted(k), seq: read.snapshot_seq }) }</p>
                    <ol class="stops">{ for read.stops.iter().map(stop) }</ol>
                    { for answer }
                </>
            }
        }
    };
    html! {
        <section class="panel read-path" aria-labelledby="read-h">
            <h2 id="read-h">{ ui(&Ui::ReadPath) }</h2>
            <LabBadges panel={LabPanel::ReadPath} lang={shown()} />
            { body }
        </section>
    }
}
