//! The read path: where a get looked, why each table was skipped, where it
//! stopped.

use strata_engine::event::{BloomVerdict, GetOutcome, GetSource, MemtableSlot};
use strata_engine::ValueKind;
use yew::prelude::*;

use super::labs::LabBadges;
use super::Shared;
use crate::model::format::{plural, quoted, table};
use crate::model::i18n::shown;
use crate::model::labs::LabPanel;
use crate::model::views::read_path::{ReadPathView, ReadStop, TableVisit};

#[derive(Properties, PartialEq)]
pub struct ReadPathProps {
    pub read: Shared<ReadPathView>,
}

fn stop(s: &ReadStop) -> Html {
    match s {
        ReadStop::Memtable { slot, found } => {
            let name = match slot {
                MemtableSlot::Active => "memtable",
                MemtableSlot::Immutable => "immutable memtable",
            };
            let (class, what) = match found {
                None => ("miss", "no record".to_owned()),
                Some(ValueKind::Put) => ("answer", "found a value — stop".to_owned()),
                Some(ValueKind::Delete) => ("answer", "found a tombstone — stop".to_owned()),
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
                Some(BloomVerdict::DefinitelyAbsent) => "bloom: definitely absent → ",
                Some(BloomVerdict::MaybePresent) => "bloom: maybe → ",
                None => "",
            };
            let (class, what) = match visit {
                TableVisit::SkippedKeyRange => {
                    ("skipped", "key outside its range — skipped".to_owned())
                }
                TableVisit::Probing => ("probing", "range covers the key".to_owned()),
                TableVisit::FilteredOut => ("filtered", "skipped, no block read".to_owned()),
                TableVisit::IndexSearched { block: Some(b) } => {
                    ("probing", format!("index → block {b}"))
                }
                TableVisit::IndexSearched { block: None } => {
                    ("miss", "past its last block".to_owned())
                }
                TableVisit::BlockRead { block } => ("read", format!("block {block} read")),
                TableVisit::FalsePositive => (
                    "false-positive",
                    "block read for nothing: false positive".to_owned(),
                ),
                TableVisit::Answer => ("answer", "the key is here — stop".to_owned()),
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
            html! { <p class="empty">{ "No get yet. Try " }<code>{ "get apple" }</code>{ "." }</p> }
        }
        Some(k) => {
            let answer = read.outcome.map(|(outcome, source)| {
                let what = match outcome {
                    GetOutcome::Found => "found",
                    GetOutcome::Deleted => "deleted",
                    GetOutcome::NotFound => "not found",
                };
                let place = match source {
                    GetSource::Memtable { .. } => " in a memtable".to_owned(),
                    GetSource::Table { level, file_number } => format!(" in L{level} {}", table(file_number)),
                    GetSource::Nowhere => String::new(),
                };
                html! {
                    <p class={classes!("answer", format!("outcome-{what}").replace(' ', "-"))} data-outcome={what}>
                        { format!("→ {what}{place} · {} read", plural(u64::from(read.tables_probed), "table", "tables")) }
                    </p>
                }
            });
            html! {
                <>
                    <p class="get">{ format!("get {} at sequence {}", quoted(k), read.snapshot_seq) }</p>
                    <ol class="stops">{ for read.stops.iter().map(stop) }</ol>
                    { for answer }
                </>
            }
        }
    };
    html! {
        <section class="panel read-path" aria-labelledby="read-h">
            <h2 id="read-h">{ "Read path" }</h2>
            <LabBadges panel={LabPanel::ReadPath} lang={shown()} />
            { body }
        </section>
    }
}
