//! The scan view: the merging iterator's sources with what each gave, and
//! the entries in the order the merge yields them — returned, shadowed
//! versions and tombstones skipped.

use strata_engine::event::ScanDecision;
use yew::prelude::*;

use super::Shared;
use crate::model::format::{quoted, table};
use crate::model::i18n::{tr, Msg};
use crate::model::views::scan::{ScanColumn, ScanView, SourceKind};

/// The scan view's properties.
#[derive(Properties, PartialEq)]
pub struct ScanProps {
    /// The scan shown.
    pub scan: Shared<ScanView>,
}

fn source_name(index: usize, kind: &SourceKind) -> String {
    match kind {
        SourceKind::Memtable => tr(&Msg::ScanSourceMemtable),
        SourceKind::Immutable => tr(&Msg::ScanSourceImmutable),
        SourceKind::Table { level, file_number } => tr(&Msg::ScanSourceTable {
            level: *level,
            table: &table(*file_number),
        }),
        SourceKind::Level { level, tables } => tr(&Msg::ScanSourceLevel {
            level: *level,
            tables: *tables,
        }),
        SourceKind::Unknown => tr(&Msg::ScanSourceUnknown { index }),
    }
}

fn decision_class(d: ScanDecision) -> &'static str {
    match d {
        ScanDecision::Returned => "returned",
        ScanDecision::Shadowed => "shadowed",
        ScanDecision::Tombstone => "tombstone",
        ScanDecision::Invisible => "invisible",
        ScanDecision::Expired => "expired",
    }
}

/// The scan of the operation shown, in the read path's place.
#[component]
pub fn ScanPanel(props: &ScanProps) -> Html {
    let scan = &props.scan;
    let latest = scan.entries.last().map(|e| e.order);
    let sources = scan.sources.iter().enumerate().map(|(i, s)| {
        let level = match s.kind {
            SourceKind::Table { level, .. } | SourceKind::Level { level, .. } => Some(level),
            _ => None,
        };
        let fresh = scan
            .entries
            .last()
            .is_some_and(|e| e.source as usize == i);
        html! {
            <li class={classes!("stop", "scan-source", level.map(|l| format!("lvl-{l}")), fresh.then_some("fresh"))} data-source={i.to_string()}>
                <span class="where"><span class="swatch"></span>{ format!("{} · {}", i, source_name(i, &s.kind)) }</span>
                <span class="what">{ tr(&Msg::ScanSourceCounts { returned: s.returned, shadowed: s.shadowed, tombstones: s.tombstones, invisible: s.invisible }) }</span>
            </li>
        }
    });
    let hidden = scan.met.saturating_sub(scan.entries.len() as u64);
    let entries = scan.entries.iter().rev().map(|e| {
        let class = decision_class(e.decision);
        html! {
            <tr class={classes!(class, (Some(e.order) == latest).then_some("latest"))} data-decision={class} data-source={e.source.to_string()}>
                <td>{ e.order }</td><td>{ quoted(&e.key) }</td><td>{ e.seq }</td><td>{ e.source }</td>
                <td>{ tr(&Msg::ScanDid { decision: e.decision }) }</td>
            </tr>
        }
    });
    html! {
        <section class="panel read-path scan" aria-labelledby="scan-h">
            <h2 id="scan-h">{ tr(&Msg::ScanHeading) }</h2>
            <p class="get">{ tr(&Msg::ScanSummary { sources: scan.sources.len(), snapshot: scan.snapshot_seq, reverse: scan.reverse }) }</p>
            <h3>{ tr(&Msg::ScanSourcesHeading) }</h3>
            <ol class="stops scan-sources">{ for sources }</ol>
            <h3>{ tr(&Msg::ScanOrderHeading) }</h3>
            <div class="scan-scroll" tabindex="0" role="region" aria-label={tr(&Msg::ScanOrderHeading)}>
                <table class="scan-entries">
                    <thead><tr>{ for ScanColumn::ALL.iter().map(|&column| html! { <th scope="col">{ tr(&Msg::ScanColumnName { column }) }</th> }) }</tr></thead>
                    <tbody>
                        { for entries }
                        if hidden > 0 {
                            <tr class="earlier"><td colspan="5">{ tr(&Msg::ScanEarlier { count: hidden }) }</td></tr>
                        }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
