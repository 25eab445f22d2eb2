//! The structure view: WAL tail, memtable skiplist, immutable memtable and
//! the levels on one key axis.

use std::rc::Rc;

use strata_engine::event::FragmentKind;
use strata_engine::ValueKind;
use yew::prelude::*;

use super::glossary::TermLink;
use crate::model::axis::KeyAxis;
use crate::model::glossary::Term;
use crate::model::i18n::{tr, Msg};

use super::Shared;
use crate::model::format::{bytes, key, plural, quoted, table};
use crate::model::views::structure::{
    Activity, ImmutableView, LevelView, LevelsView, MemtableView, TableMark, TableView, WalView,
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
            <h2 id="structure-h">{ "Structure" }</h2>
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
        .map(|(k, x)| line("cursor", *x, format!("merge cursor at {}", quoted(k))));
    let get = a
        .get_key
        .as_ref()
        .map(|(k, x)| line("getkey", *x, format!("get {}", quoted(k))));
    html! { <div class="overlay" aria-hidden="true">{ for cursor }{ for get }</div> }
}

/// Tables being written (flushes and compaction outputs).
#[component]
fn WritingList(props: &ActivityProps) -> Html {
    let a = &props.activity;
    html! {
            <ul class="writing-list" aria-label="Tables being written">
                { for a.writing.iter().map(|w| {
                    let text = match &w.done {
                        Some(t) => format!("{} for L{}: written and synced, {}", table(w.file_number), w.level, bytes(t.size_bytes)),
                        None => format!("{} for L{}: writing, {} blocks, {}", table(w.file_number), w.level, w.blocks, bytes(w.bytes)),
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
        .map_or_else(|| "no log".to_owned(), crate::model::format::wal);
    let last = wal.tail.len().saturating_sub(1);
    html! {
        <div class="box wal" aria-label="Write-ahead log">
            <h3>{ "WAL" }<TermLink term={Term::Wal} />{ " " }<span class="file">{ name }</span></h3>
            <ol class="wal-tail">
                { for wal.tail.iter().enumerate().map(|(i, r)| html! {
                    <li class={classes!("wal-rec", (i == last && wal.just_appended).then_some("fresh"))}
                        title={format!("offset {} · {} · {} from seq {}", r.offset, bytes(r.bytes), plural(u64::from(r.count), "record", "records"), r.first_seq)}>
                        <span class="seq">{ format!("#{}", r.first_seq) }</span>
                        <span class="sz">{ format!("{}{}", bytes(r.bytes), fragments(&r.fragments)) }</span>
                    </li>
                }) }
            </ol>
            <p class="meta">
                { format!("{} written", bytes(wal.size_bytes)) }
                if wal.synced_bytes > 0 { { format!(" · synced to {}", bytes(wal.synced_bytes)) } }
                if !wal.older.is_empty() {
                    { format!(" · kept for the immutable memtable: {}", wal.older.iter().map(|n| crate::model::format::wal(*n)).collect::<Vec<_>>().join(", ")) }
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
        <div class="box memtable" aria-label="Memtable">
            <h3>{ "Memtable" }<TermLink term={Term::Memtable} />{ " " }<span class="meta">{ format!("{} · {} of {}", plural(mem.entries, "record", "records"), bytes(mem.bytes), bytes(mem.capacity_bytes)) }</span></h3>
            <div class="fill" role="meter" aria-label="Memtable fill" aria-valuemin="0" aria-valuemax="100" aria-valuenow={format!("{fill:.0}")}>
                <span style={format!("width:{fill:.1}%")}></span>
            </div>
            <ol class="skiplist" style={format!("--levels:{max_height}")} aria-label="Skiplist nodes in key order with their tower heights">
                { for mem.towers.iter().map(|t| {
                    let is_last = last.as_ref().is_some_and(|(k, s)| *k == t.key && *s == t.seq);
                    let kind = if t.kind == ValueKind::Delete { "tombstone" } else { "put" };
                    html! {
                        <li class={classes!("node", kind, is_last.then_some("last"))}
                            title={format!("{} · seq {} · {} · tower {}", quoted(&t.key), t.seq, kind, t.height)}>
                            <span class="tower" style={format!("--h:{}", t.height)}>
                                { for (0..t.height).map(|_| html! { <span class="lvl"></span> }) }
                            </span>
                            <span class="k">{ key(&t.key) }</span>
                        </li>
                    }
                }) }
                if mem.hidden() > 0 { <li class="more">{ format!("+{} more", mem.hidden()) }</li> }
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
            <div class="box immutable empty" aria-label="Immutable memtable">
                <h3>{ "Immutable memtable" }</h3>
                <p class="meta">{ "none waiting" }</p>
            </div>
        },
        Some(imm) => html! {
            <div class={classes!("box", "immutable", imm.flushing_into.is_some().then_some("flushing"))} aria-label="Immutable memtable">
                <h3>{ "Immutable memtable" }</h3>
                <p>{ format!("{} · {}", plural(imm.entries, "record", "records"), bytes(imm.bytes)) }</p>
                <p class="meta">
                    { imm.wal_file_number.map(|n| format!("its log: {}", crate::model::format::wal(n))).unwrap_or_default() }
                </p>
                if let Some(f) = imm.flushing_into { <p class="flush">{ format!("flushing into {} →", table(f)) }</p> }
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

fn mark_words(mark: TableMark) -> &'static str {
    match mark {
        TableMark::Normal => "",
        TableMark::New => " · just added",
        TableMark::Input => " · compaction input",
        TableMark::Fading => " · removed, fading out",
        TableMark::SkippedRange => " · get skipped it: key outside its range",
        TableMark::FilteredOut => " · get skipped it: bloom filter said absent",
        TableMark::Read => " · get read a block",
        TableMark::FalsePositive => " · bloom false positive",
        TableMark::Answer => " · the get's answer",
        TableMark::KeepsTombstone => " · older data below: keeps a tombstone alive",
    }
}

/// Tombstone marks drawn inside one table at most.
const MAX_TOMBSTONE_MARKS: usize = 12;

fn table_box(t: &TableView, level: u32, row: usize, axis: &KeyAxis) -> Html {
    let left = t.x0 * 100.0;
    let width = ((t.x1 - t.x0) * 100.0).max(MIN_TABLE_WIDTH);
    let left = left.min(100.0 - width);
    let describe = format!(
        "{} · L{level} · {} · {} · {}…{}{}",
        table(t.file_number),
        bytes(t.size_bytes),
        plural(t.entries, "record", "records"),
        quoted(&t.smallest),
        quoted(&t.largest),
        mark_words(t.mark)
    );
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
    let describe = if tombstones.is_empty() {
        describe
    } else {
        format!(
            "{describe} · {}",
            plural(tombstones.len() as u64, "tombstone", "tombstones")
        )
    };
    html! {
        <div class={classes!("sst", format!("mark-{}", t.mark.name()))} {style} title={describe.clone()}
            role="img" aria-label={describe} data-file={t.file_number.to_string()} data-mark={t.mark.name()}
            data-tombstones={tombstones.len().to_string()}>
            <span class="sst-label">{ t.file_number }</span>
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
        format!("{live} of {} runs", level.run_trigger)
    } else if level.target_bytes > 0 {
        format!("{} of {}", bytes(level.bytes), bytes(level.target_bytes))
    } else {
        bytes(level.bytes)
    };
    let label = format!(
        "L{}: {}, {}{}",
        level.level,
        tr(&Msg::Tables { count: live }),
        target,
        if level.tiered {
            ", tiered (runs may overlap)"
        } else {
            ", leveled (sorted, disjoint)"
        }
    );
    html! {
        <div class={classes!("level", format!("lvl-{}", level.level))} role="group" aria-label={label} data-level={level.level.to_string()}>
            <div class="level-head">
                <span class="level-name">{ format!("L{}", level.level) }</span>
                <span class="level-count">{ tr(&Msg::Tables { count: live }) }</span>
                <span class="level-fill" title={format!("{fill:.0}% of its trigger")}><span style={format!("width:{fill:.1}%")}></span></span>
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
        .map(|(lo, hi)| html! { <div class="axis"><span>{ key(lo) }</span><span>{ "key axis →" }</span><span>{ key(hi) }</span></div> });
    html! {
        <div class="levels" aria-label="Levels, on one key axis">
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
