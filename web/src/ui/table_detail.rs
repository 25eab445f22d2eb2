//! The detail view of one table: its blocks, records (tombstones marked,
//! sequence numbers) and filter, opened by clicking a table.

use std::rc::Rc;

use yew::prelude::*;

use super::glossary::TermLink;
use super::Shared;
use crate::model::controller::Action;
use crate::model::filter_bits::{FilterBits, ProbeMarks};
use crate::model::format::{bytes, quoted, table};
use crate::model::glossary::Term;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{tr, Msg};
use crate::model::table_detail::TableDetail;
use crate::model::views::read_path::ReadPathView;

/// The view's properties.
#[derive(Properties)]
pub struct TableDetailProps {
    /// The table.
    pub detail: Rc<TableDetail>,
    /// The latest get, whose filter test in this table is shown.
    pub read: Shared<ReadPathView>,
    /// Where actions go.
    pub act: Callback<Action>,
}

impl PartialEq for TableDetailProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.detail, &other.detail) && self.read == other.read && self.act == other.act
    }
}

/// One table, key by key.
#[component]
pub fn TableDetailPanel(props: &TableDetailProps) -> Html {
    let d = &props.detail;
    let node = use_node_ref();
    {
        // An opened table comes into view.
        let node = node.clone();
        use_effect_with(d.file_number, move |_| {
            if let Some(el) = node.cast::<web_sys::Element>() {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    let close = {
        let act = props.act.clone();
        Callback::from(move |_: MouseEvent| act.emit(Action::ShowTable(None)))
    };
    let bloom = match d.bloom {
        Some((bits, set, k)) => tr(&Msg::TableBloom {
            bits,
            set,
            hashes: k,
        }),
        None => tr(&Msg::TableNoBloom),
    };
    html! {
        <section class="panel table-detail" aria-labelledby="table-detail-h" ref={node}>
            <div class="glossary-head">
                <h2 id="table-detail-h">{ table(d.file_number) }<TermLink term={Term::Sstable} /></h2>
                <button type="button" class="dismiss" aria-label={tr(&Msg::TableClose)} onclick={close}>{ "×" }</button>
            </div>
            <p class="meta">{ tr(&Msg::TableSummary { bytes: &bytes(d.size_bytes), records: d.record_count, tombstones: d.tombstones, blocks: d.blocks.len() }) }</p>
            <p class="meta">{ bloom }</p>
            { for d.filter.as_ref().map(|f| filter_view(f, f.probe_of_get(d.file_number, &props.read))) }
            <div class="detail-scroll" tabindex="0" role="region" aria-label={tr(&Msg::TableRecords)}>
                <table class="records">
                    <thead><tr><th scope="col">{ ui(&Ui::ColBlock) }</th><th scope="col">{ ui(&Ui::ColKey) }</th><th scope="col">{ ui(&Ui::ColSeq) }</th><th scope="col">{ ui(&Ui::ColKind) }</th></tr></thead>
                    <tbody>
                        { for block_rows(d) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}

/// The records, each with the block it sits in.
fn block_rows(d: &TableDetail) -> Vec<Html> {
    let mut out = Vec::new();
    let mut block = 0usize;
    let mut left = d.blocks.first().map_or(0, |b| b.entries);
    for r in &d.records {
        while left == 0 && block + 1 < d.blocks.len() {
            block += 1;
            left = d.blocks.get(block).map_or(0, |b| b.entries);
        }
        left = left.saturating_sub(1);
        let kind = if r.tombstone { "tombstone" } else { "put" };
        out.push(html! {
            <tr class={classes!(r.tombstone.then_some("tombstone"))} data-kind={kind}>
                <td>{ block }</td><td>{ quoted(&r.key) }</td><td>{ r.seq }</td>
                <td>{ if r.tombstone { tr(&Msg::TableTombstone) } else { ui(&Ui::PutOf { bytes: &bytes(r.value_bytes as u64) }) } }</td>
            </tr>
        });
    }
    out
}

/// Cell size in SVG units.
const CELL: u64 = 8;
/// Cells per row of the grid.
const COLUMNS: u64 = 64;

/// The filter's bits as a grid, the bits the last get tested outlined,
/// and what they say.
fn filter_view(f: &FilterBits, probe: Option<ProbeMarks>) -> Html {
    let per_cell = f.bits_per_cell();
    let cells = f.cells(probe.as_ref());
    let rows = (cells.len() as u64).div_ceil(COLUMNS);
    let place = |i: usize| ((i as u64 % COLUMNS) * CELL, (i as u64 / COLUMNS) * CELL);
    let shaded = cells.iter().enumerate().filter(|(_, c)| c.set > 0).map(|(i, c)| {
        let (x, y) = place(i);
        let opacity = if per_cell == 1 { 1.0 } else { 0.2 + 0.8 * c.set as f64 / c.bits as f64 };
        html! { <rect class="set" x={x.to_string()} y={y.to_string()} width={(CELL - 1).to_string()} height={(CELL - 1).to_string()} fill-opacity={format!("{opacity:.2}")} /> }
    });
    let tested = cells.iter().enumerate().filter_map(|(i, c)| {
        let set = c.tested?;
        let (x, y) = place(i);
        Some(html! {
            <rect class={classes!("tested", if set { "set" } else { "clear" })} data-first={c.first.to_string()}
                x={x.to_string()} y={y.to_string()} width={(CELL - 1).to_string()} height={(CELL - 1).to_string()} />
        })
    });
    let view_box = format!("-1 -1 {} {}", COLUMNS * CELL + 2, rows * CELL + 2);
    let caption = tr(&Msg::TableFilterGrid {
        bits: f.bits(),
        per_cell,
    });
    let verdict = probe.as_ref().map(|p| {
        let key = quoted(&p.key);
        let (class, text) = match p.first_clear() {
            None => ("maybe", tr(&Msg::TableProbeMaybe { key: &key, hashes: p.tested.len() })),
            Some((probe, bit)) => ("absent", tr(&Msg::TableProbeAbsent { key: &key, probe, hashes: p.tested.len(), bit })),
        };
        html! {
            <>
                <p class={classes!("verdict", class)} data-verdict={class}>{ text }</p>
                <ol class="tested-bits">
                    { for p.tested.iter().map(|&(bit, set)| html! {
                        <li class={classes!(if set { "set" } else { "clear" })} data-bit={bit.to_string()}>{ tr(&Msg::TableTestedBit { bit, set }) }</li>
                    }) }
                </ol>
            </>
        }
    });
    html! {
        <figure class="filter-bits" data-bits={f.bits().to_string()} data-per-cell={per_cell.to_string()}>
            <svg class="bits" viewBox={view_box} role="img" preserveAspectRatio="xMinYMin meet" aria-label={caption.clone()}>
                { for shaded }
                { for tested }
            </svg>
            <figcaption class="meta">{ caption }</figcaption>
            { for verdict }
        </figure>
    }
}
