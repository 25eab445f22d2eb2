//! The detail view of one table: its blocks, records (tombstones marked,
//! sequence numbers) and filter, opened by clicking a table.

use std::rc::Rc;

use yew::prelude::*;

use super::glossary::TermLink;
use crate::model::controller::Action;
use crate::model::format::{bytes, quoted, table};
use crate::model::glossary::Term;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{tr, Msg};
use crate::model::table_detail::TableDetail;

/// The view's properties.
#[derive(Properties)]
pub struct TableDetailProps {
    /// The table.
    pub detail: Rc<TableDetail>,
    /// Where actions go.
    pub act: Callback<Action>,
}

impl PartialEq for TableDetailProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.detail, &other.detail) && self.act == other.act
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
