//! The structure view: WAL tail, memtable skiplist, immutable memtable and
//! the levels on one key axis.

use std::rc::Rc;

use strata_engine::event::FragmentKind;
use strata_engine::ValueKind;
use yew::prelude::*;

use super::glossary::TermLink;
use crate::model::axis::KeyAxis;
use crate::model::glossary::Term;
use crate::model::i18n::ui::{ui, Ui};
use crate::model::i18n::{tr, Msg};

use super::Shared;
use crate::model::format::{bytes, key, quoted, table};
use crate::model::views::structure::{
    Activity, ImmutableView, LevelView, LevelsView, MemtableView, TableView, WalView,
};

/// Rows drawn for a tiered level before runs share rows.
const MAX_RUN_ROWS: usize = 8;
/// Narrowest table drawn, in percent of the axis.
const MIN_TABLE_WIDTH: f64 = 0.6;
/// Narrowest table drawn, in pixels: a one-key table stays visible and
/// clickable however wide the key axis is.
const MIN_TABLE_PX: u32 = 10;

/// The inline position of a table box: `left`/`width` in percent of the axis,
/// never narrower than [`MIN_TABLE_PX`] and never past the axis' right end.
fn box_position(left: f64, width: f64) -> String {
    format!(
        "left:min({left:.3}%, calc(100% - {MIN_TABLE_PX}px));width:max({width:.3}%, {MIN_TABLE_PX}px)"
    )
}

#[derive(Properties, PartialEq)]
pub struct StructureProps {
    pub wal: Shared<WalView>,
    pub memtable: Shared<MemtableView>,
    pub immutable: Option<ImmutableView>,
    pub levels: Shared<LevelsView>,
    pub activity: Shared<Activity>,
}

/// The whole structure.
#[component]
pub fn StructurePanel(props: &StructureProps) -> Html {
    html! {
        <section class="panel structure" aria-labelledby="structure-h">
            <h2 id="structure-h">{ ui(&Ui::Structure) }</h2>
            <div class="write-path">
                <WalPanel wal={props.wal.clone()} />
                <MemtablePanel memtable={props.memtable.clone()} />
                <ImmutablePanel immutable={props.immutable.clone()} />
            </div>
            <div class="levels-wrap">
                <LevelsPanel levels={props.levels.clone()} also={deepest_activity(&props.activity)} growing={growing(&props.activity)} />
                <ActivityOverlay activity={props.activity.clone()} />
            </div>
            <WritingList activity={props.activity.clone()} />
            if let Some(r) = &props.activity.range_delete {
                <p class="range-delete" role="status">
                    <TermLink term={Term::Tombstone} />{ " " }
                    { if r.hides.is_empty() {
                        ui(&Ui::RangeDeleteHidesNothing { start: &quoted(&r.start), end: &quoted(&r.end) })
                    } else {
                        ui(&Ui::RangeDeleteHides {
                            start: &quoted(&r.start),
                            end: &quoted(&r.end),
                            tables: &r.hides.iter().map(|(l, f)| format!("{} (L{l})", table(*f))).collect::<Vec<_>>().join(", "),
                        })
                    } }
                </p>
            }
            if let Some(kept) = &props.activity.kept_tombstone {
                <p class="kept-tombstone" role="status">
                    <TermLink term={Term::Tombstone} />{ " " }
                    { tr(&Msg::TombstoneKeptBecause {
                        key: &quoted(&kept.key),
                        tables: &kept.below.iter().map(|(l, f)| format!("{} (L{l})", table(*f))).collect::<Vec<_>>().join(", "),
                    }) }
                </p>
            }
        </section>
    }
}

/// The tables being written, as they grow in the level they will join:
/// (level, file number, left, right), on the key axis.
fn growing(a: &Activity) -> Rc<Vec<(u32, u64, f64, f64)>> {
    Rc::new(
        a.writing
            .iter()
            .filter_map(|w| w.span.map(|(x0, x1)| (w.level, w.file_number, x0, x1)))
            .collect(),
    )
}

fn deepest_activity(a: &Activity) -> Option<u32> {
    a.writing
        .iter()
        .map(|w| w.level)
        .chain(a.output_level)
        .max()
}

#[derive(Properties, PartialEq)]
struct ActivityProps {
    activity: Shared<Activity>,
}

/// The merge cursor, the key a get looks up, and the tables being written,
/// drawn over the levels.
#[component]
fn ActivityOverlay(props: &ActivityProps) -> Html {
    let a = &props.activity;
    let line = |class: &'static str, x: f64, title: String| {
        html! { <div class={class} style={format!("left:{:.3}%", x * 100.0)} {title}></div> }
    };
    let cursor = a
        .merge_cursor
        .as_ref()
        .map(|(k, x)| line("cursor", *x, ui(&Ui::MergeCursorAt { key: &quoted(k) })));
    let get = a
        .get_key
        .as_ref()
        .map(|(k, x)| line("getkey", *x, format!("get {}", quoted(k))));
    let band = a.range_delete.as_ref().map(|r| {
        let title = ui(&Ui::RangeTombstone {
            start: &quoted(&r.start),
            end: &quoted(&r.end),
            seq: r.seq,
        });
        let style = format!(
            "left:{:.3}%;width:max({:.3}%, 4px)",
            r.x0 * 100.0,
            (r.x1 - r.x0) * 100.0
        );
        html! { <div class="range-band" {style} {title}></div> }
    });
    html! { <div class="overlay" aria-hidden="true">{ for band }{ for cursor }{ for get }</div> }
}

/// Tables being written (flushes and compaction outputs).
#[component]
fn WritingList(props: &ActivityProps) -> Html {
    let a = &props.activity;
    html! {
            <ul class="writing-list" aria-label={ui(&Ui::TablesBeingWritten)}>
                { for a.writing.iter().map(|w| {
                    let text = match &w.done {
                        Some(t) => ui(&Ui::TableWritten { table: &table(w.file_number), level: w.level, bytes: &bytes(t.size_bytes) }),
                        None => ui(&Ui::TableWriting { table: &table(w.file_number), level: w.level, blocks: u64::from(w.blocks), bytes: &bytes(w.bytes) }),
                    };
                    html! { <li class={classes!("writing", format!("lvl-{}", w.level))}><span class="swatch"></span>{ text }</li> }
                }) }
            </ul>
    }
}

#[derive(Properties, PartialEq)]
struct WalProps {
    wal: Shared<WalView>,
}

fn fragments(f: &[FragmentKind]) -> String {
    if f.len() <= 1 {
        return String::new();
    }
    let letters: String = f
        .iter()
        .map(|k| match k {
            FragmentKind::Full => 'F',
            FragmentKind::First => 'f',
            FragmentKind::Middle => 'm',
            FragmentKind::Last => 'l',
        })
        .collect();
    format!(" [{letters}]")
}

#[component]
fn WalPanel(props: &WalProps) -> Html {
    let wal = &props.wal;
    let name = wal
        .file_number
        .map_or_else(|| ui(&Ui::NoLog), crate::model::format::wal);
    let last = wal.tail.len().saturating_sub(1);
    html! {
        <div class="box wal" aria-label={ui(&Ui::WriteAheadLog)}>
            <h3>{ ui(&Ui::WalHeading) }<TermLink term={Term::Wal} />{ " " }<span class="file">{ name }</span></h3>
            <ol class="wal-tail">
                { for wal.tail.iter().enumerate().map(|(i, r)| html! {
                    <li class={classes!("wal-rec", (i == last && wal.just_appended).then_some("fresh"))}
                        title={ui(&Ui::WalRecord { offset: r.offset, bytes: &bytes(r.bytes), records: u64::from(r.count), seq: r.first_seq })}>
                        <span class="seq">{ format!("#{}", r.first_seq) }</span>
                        <span class="sz">{ format!("{}{}", bytes(r.bytes), fragments(&r.fragments)) }</span>
                    </li>
                }) }
            </ol>
            <p class="meta">
                { ui(&Ui::WalWritten { bytes: &bytes(wal.size_bytes) }) }
                if wal.synced_bytes > 0 { { ui(&Ui::WalSyncedTo { bytes: &bytes(wal.synced_bytes) }) } }
                if !wal.older.is_empty() {
                    { ui(&Ui::WalKeptFor { logs: &wal.older.iter().map(|n| crate::model::format::wal(*n)).collect::<Vec<_>>().join(", ") }) }
                }
            </p>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct MemtableProps {
    memtable: Shared<MemtableView>,
}

#[component]
fn MemtablePanel(props: &MemtableProps) -> Html {
    let mem = &props.memtable;
    let fill = if mem.capacity_bytes > 0 {
        (mem.bytes as f64 / mem.capacity_bytes as f64 * 100.0).min(100.0)
    } else {
        0.0
    };
    let last = mem.last_insert.clone();
    let max_height = mem
        .towers
        .iter()
        .map(|t| t.height)
        .max()
        .unwrap_or(1)
        .max(4);
    html! {
        <div class="box memtable" aria-label={ui(&Ui::Memtable)}>
            <h3>{ ui(&Ui::Memtable) }<TermLink term={Term::Memtable} />{ " " }<span class="meta">{ ui(&Ui::MemtableMeta { records: mem.entries, bytes: &bytes(mem.bytes), capacity: &bytes(mem.capacity_bytes) }) }</span></h3>
            <div class="fill" role="meter" aria-label={ui(&Ui::MemtableFill)} aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{fill:.0}")}>
                <span style={format!("width:{fill:.1}%")}></span>
            </div>
            if !mem.range_tombstones.is_empty() {
                <ul class="range-tombstones" aria-label={ui(&Ui::RangeTombstones)}>
                    { for mem.range_tombstones.iter().map(|r| html! {
                        <li class="rtomb-item">{ ui(&Ui::RangeTombstone { start: &quoted(&r.start), end: &quoted(&r.end), seq: r.seq }) }</li>
                    }) }
                </ul>
            }
            <ol class="skiplist" style={format!("--levels:{max_height}")} aria-label={ui(&Ui::SkiplistNodes)}>
                { for mem.towers.iter().map(|t| {
                    let is_last = last.as_ref().is_some_and(|(k, s)| *k == t.key && *s == t.seq);
                    let kind = if t.kind == ValueKind::Delete { "tombstone" } else { "put" };
                    html! {
                        <li class={classes!("node", kind, is_last.then_some("last"))}
                            title={ui(&Ui::Node { key: &quoted(&t.key), seq: t.seq, tombstone: t.kind == ValueKind::Delete, height: t.height })}>
                            <span class="tower" style={format!("--h:{}", t.height)}>
                                { for (0..t.height).map(|_| html! { <span class="lvl"></span> }) }
                            </span>
                            <span class="k">{ key(&t.key) }</span>
                        </li>
                    }
                }) }
                if mem.hidden() > 0 { <li class="more">{ ui(&Ui::More { count: mem.hidden() }) }</li> }
            </ol>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ImmutableProps {
    immutable: Option<ImmutableView>,
}

#[component]
fn ImmutablePanel(props: &ImmutableProps) -> Html {
    match &props.immutable {
        None => html! {
            <div class="box immutable empty" aria-label={ui(&Ui::ImmutableMemtable)}>
                <h3>{ ui(&Ui::ImmutableMemtable) }</h3>
                <p class="meta">{ ui(&Ui::NoneWaiting) }</p>
            </div>
        },
        Some(imm) => html! {
            <div class={classes!("box", "immutable", imm.flushing_into.is_some().then_some("flushing"))} aria-label={ui(&Ui::ImmutableMemtable)}>
                <h3>{ ui(&Ui::ImmutableMemtable) }</h3>
                <p>{ ui(&Ui::ImmutableMeta { records: imm.entries, bytes: &bytes(imm.bytes) }) }</p>
                <p class="meta">
                    { imm.wal_file_number.map(|n| ui(&Ui::ItsLog { wal: &crate::model::format::wal(n) })).unwrap_or_default() }
                </p>
                if let Some(f) = imm.flushing_into { <p class="flush">{ ui(&Ui::FlushingInto { table: &table(f) }) }</p> }
            </div>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct LevelsProps {
    pub levels: Shared<LevelsView>,
    pub also: Option<u32>,
    pub growing: Rc<Vec<(u32, u64, f64, f64)>>,
}

/// Tombstone marks drawn inside one table at most.
const MAX_TOMBSTONE_MARKS: usize = 12;

fn table_box(t: &TableView, level: u32, row: usize, axis: &KeyAxis) -> Html {
    let left = t.x0 * 100.0;
    let width = ((t.x1 - t.x0) * 100.0).max(MIN_TABLE_WIDTH);
    let left = left.min(100.0 - width);
    let style = format!(
        "{};top:calc({row} * var(--row));height:calc(var(--row) - 2px)",
        box_position(left, width)
    );
    let span = (t.x1 - t.x0).max(1e-9);
    let tombstones = t.tombstones.as_deref().map_or(&[][..], Vec::as_slice);
    let marks = tombstones.iter().take(MAX_TOMBSTONE_MARKS).map(|k| {
        let at = ((axis.position(k) - t.x0) / span * 100.0).clamp(0.0, 100.0);
        html! { <span class="tomb" style={format!("left:{at:.2}%")}></span> }
    });
    let ranges = t.range_tombstones.as_deref().map_or(&[][..], Vec::as_slice);
    let bands = ranges.iter().take(MAX_TOMBSTONE_MARKS).map(|r| {
        let (x0, x1) = axis.span(&r.start, &r.end);
        let from = ((x0 - t.x0) / span * 100.0).clamp(0.0, 100.0);
        let to = ((x1 - t.x0) / span * 100.0).clamp(0.0, 100.0);
        let title = ui(&Ui::RangeTombstone { start: &quoted(&r.start), end: &quoted(&r.end), seq: r.seq });
        html! { <span class="rtomb" style={format!("left:{from:.2}%;width:{:.2}%", (to - from).max(2.0))} {title}></span> }
    });
    let describe = ui(&Ui::TableTitle {
        table: &table(t.file_number),
        level,
        bytes: &bytes(t.size_bytes),
        records: t.entries,
        first: &quoted(&t.smallest),
        last: &quoted(&t.largest),
        mark: t.mark,
        tombstones: tombstones.len() as u64,
        range_tombstones: ranges.len() as u64,
    });
    html! {
        <div class={classes!("sst", format!("mark-{}", t.mark.name()))} {style} title={describe.clone()}
            role="img" aria-label={describe} data-file={t.file_number.to_string()} data-mark={t.mark.name()}
            data-tombstones={tombstones.len().to_string()} data-range-tombstones={ranges.len().to_string()}>
            <span class="sst-label">{ t.file_number }</span>
            { for bands }
            { for marks }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LevelRowProps {
    levels: Shared<LevelsView>,
    index: usize,
    /// The tables being written into this level.
    growing: Vec<(u32, u64, f64, f64)>,
}

/// One level: a component of its own, so that a table growing in one level
/// redraws that level only.
#[component]
fn LevelRow(props: &LevelRowProps) -> Html {
    match props.levels.levels.get(props.index) {
        Some(level) => level_row(level, &props.growing, &props.levels.axis),
        None => Html::default(),
    }
}

fn level_row(level: &LevelView, growing: &[(u32, u64, f64, f64)], axis: &KeyAxis) -> Html {
    let live = level.live_tables();
    let rows = if level.tiered {
        level.tables.len().clamp(1, MAX_RUN_ROWS)
    } else {
        1
    };
    let fill = (level.fill() * 100.0).min(100.0);
    let target = if level.tiered {
        ui(&Ui::RunsOf {
            live,
            trigger: level.run_trigger,
        })
    } else if level.target_bytes > 0 {
        ui(&Ui::SizeOf {
            bytes: &bytes(level.bytes),
            target: &bytes(level.target_bytes),
        })
    } else {
        bytes(level.bytes)
    };
    let label = ui(&Ui::LevelLabel {
        level: level.level,
        tables: live,
        target: &target,
        tiered: level.tiered,
    });
    html! {
        <div class={classes!("level", format!("lvl-{}", level.level))} role="group" aria-label={label} data-level={level.level.to_string()}>
            <div class="level-head">
                <span class="level-name">{ format!("L{}", level.level) }</span>
                <span class="level-count">{ tr(&Msg::Tables { count: live }) }</span>
                <span class="level-fill" title={ui(&Ui::FillOfTrigger { percent: &format!("{fill:.0}") })}><span style={format!("width:{fill:.1}%")}></span></span>
                <span class="level-target">{ target }</span>
            </div>
            <div class="level-body" style={format!("--rows:{rows}")}>
                { for level.tables.iter().enumerate().map(|(i, t)| table_box(t, level.level, if level.tiered { i % MAX_RUN_ROWS } else { 0 }, axis)) }
                { for growing.iter().filter(|g| g.0 == level.level).map(|&(_, file, x0, x1)| {
                    let width = ((x1 - x0) * 100.0).max(MIN_TABLE_WIDTH);
                    let left = (x0 * 100.0).min(100.0 - width);
                    html! {
                        <div class="sst growing" data-growing={file.to_string()} aria-hidden="true"
                            style={format!("{};top:0;height:calc(var(--row) - 2px)", box_position(left, width))}>
                            <span class="sst-label">{ file }</span>
                        </div>
                    }
                }) }
            </div>
        </div>
    }
}

/// The levels on their key axis (compare mode draws each side's).
#[component]
pub fn LevelsPanel(props: &LevelsProps) -> Html {
    let view = &props.levels;
    let ends = view
        .axis_ends
        .as_ref()
        .map(|(lo, hi)| html! { <div class="axis"><span>{ key(lo) }</span><span>{ ui(&Ui::KeyAxis) }</span><span>{ key(hi) }</span></div> });
    html! {
        <div class="levels" aria-label={ui(&Ui::LevelsOnAxis)}>
            { for (0..view.shown(props.also).len()).map(|index| {
                let growing: Vec<(u32, u64, f64, f64)> = props
                    .growing
                    .iter()
                    .filter(|g| g.0 as usize == index)
                    .copied()
                    .collect();
                html! { <LevelRow key={index} levels={props.levels.clone()} {index} {growing} /> }
            }) }
            { for ends }
        </div>
    }
}
