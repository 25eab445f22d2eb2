//! The narration in Simplified Chinese (terms as in the chapters'
//! glossary: 内存表, 刷写, 合并, 墓碑, 布隆过滤器, 预写日志).

use strata_engine::compaction::filter::{FilterOutcome, FilterReason};
use strata_engine::event::{EntryFate, GetOutcome, MemtableSlot, ScanDecision};
use strata_engine::ValueKind;

use super::{Due, Line, Place};
use crate::model::i18n::count::{count_in, list_in, Noun};
use crate::model::i18n::Lang;

fn n(value: u64, noun: Noun) -> String {
    count_in(Lang::Zh, value, noun)
}

fn slot(slot: MemtableSlot) -> &'static str {
    match slot {
        MemtableSlot::Active => "内存表",
        MemtableSlot::Immutable => "不可变内存表",
    }
}

fn kind(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Put => "put",
        ValueKind::Delete => "墓碑",
    }
}

fn record(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::Put => "一条 put 记录",
        ValueKind::Delete => "一个墓碑",
    }
}

fn fate(fate: EntryFate) -> &'static str {
    match fate {
        EntryFate::Kept => "保留——它是这个键最新的版本",
        EntryFate::Shadowed => "丢弃——较新的版本已对所有读取者遮蔽了它",
        EntryFate::TombstoneDroppedAtBottom => {
            "丢弃墓碑——下面没有更旧的数据，也没有快照需要它：这个键彻底消失了"
        }
        EntryFate::TombstoneKeptOlderDataBelow => {
            "保留墓碑——输出层之下的某一层可能还有这个键的旧版本"
        }
        EntryFate::KeptForSnapshot => "保留——仍有活跃的快照能看到它",
        EntryFate::CoveredByRangeTombstone => {
            "丢弃——一个更新的范围墓碑覆盖了它，能看到它的读取者也都看得到那个墓碑"
        }
    }
}

fn tables_at(tables: &[(String, u32)]) -> String {
    if tables.is_empty() {
        return "无".to_owned();
    }
    let names: Vec<String> = tables.iter().map(|(t, l)| format!("{t}（L{l}）")).collect();
    list_in(Lang::Zh, &names)
}

/// The Chinese text of `line`.
pub fn text(line: &Line) -> String {
    match *line {
        Line::OpBatch { writes } => format!("批量写入（{}）", n(writes, Noun::Write)),
        Line::OpGetAt { key, snapshot } => format!("get {key}（通过快照 {snapshot}）"),
        Line::OpScan {
            start,
            end,
            reverse,
        } => format!(
            "scan {}…{}{}",
            start.unwrap_or("开头"),
            end.unwrap_or("末尾"),
            if reverse { "（反向）" } else { "" }
        ),
        Line::OpRelease { id } => format!("释放快照 {id}"),
        Line::OpStep => "执行一步维护".to_owned(),
        Line::OpCompactRange { start, end } => format!(
            "对 {}…{} 做完全合并",
            start.unwrap_or("开头"),
            end.unwrap_or("末尾")
        ),
        Line::OutDone => "完成".to_owned(),
        Line::OutValue { value } => format!("→ {value}"),
        Line::OutNotFound => "→ 未找到".to_owned(),
        Line::OutEntries { entries } => format!("→ {}", n(entries, Noun::Entry)),
        Line::OutNothingDue => "没有到期的维护工作".to_owned(),
        Line::OutFlushed { table } => format!("已刷写为 {table}"),
        Line::OutCompacted { level, output } => format!("已合并 L{level} → L{output}"),
        Line::OutMaintenance => "维护完成".to_owned(),
        Line::OutFailed { message } => format!("失败：{message}"),
        Line::QuietOp { op, outcome } => format!("{op}：{outcome}。"),
        _ => writes(line),
    }
}

fn writes(line: &Line) -> String {
    match *line {
        Line::WalAppended { records, seq, wal, offset, bytes, fragments } => {
            let split = fragments
                .map(|f| format!("，拆成 {f} 个片段，跨越多个 32 KiB 的块"))
                .unwrap_or_default();
            format!(
                "向预写日志 {wal} 的偏移 {offset} 处追加了 {}（序列号 {seq}）：{bytes}{split}。",
                n(records, Noun::Record)
            )
        }
        Line::WalSynced { wal } => format!("已同步 {wal}：其中的内容现在能经受崩溃。"),
        Line::MemtableInsert { key, kind: k, seq, height, records, bytes } => format!(
            "把 {key}（{}，序列号 {seq}）插入内存表的跳表，塔高 {height}；内存表现有 {}，共 {bytes}。",
            kind(k),
            n(records, Noun::Record)
        ),
        Line::RangeDeleted { start, end, seq, bytes } => format!(
            "用一个范围墓碑（序列号 {seq}）删除从 {start} 到 {end}（不含）之间的所有键，它存放在跳表之外；内存表现有 {bytes}。"
        ),
        Line::RangeTombstoneCovers { seq, place } => {
            let at = match place {
                Place::Memtable(s) => slot(s).to_string(),
                Place::Table { level, table } => format!("L{level} 的表 {table}"),
                Place::Nowhere => String::new(),
            };
            format!("{at}里的一个范围墓碑（序列号 {seq}）覆盖了这个键，并且比那里的任何版本都新：无论过滤器怎么说，这个键都读作已删除。")
        }
        Line::MemtableFrozen { bytes, records, wal } => format!(
            "内存表已满（{bytes}，{}）：它被冻结为不可变内存表；新的写入进入新的内存表和 {wal}。",
            n(records, Noun::Record)
        ),
        Line::FlushStarted { records, table } => format!(
            "把不可变内存表（{}）刷写为 L0 中的表 {table}。",
            n(records, Noun::Record)
        ),
        Line::BlockWritten { block, table, records, first, last, bytes, compressed } => format!(
            "写入 {table} 的数据块 {block}：{}，从 {first} 到 {last}，{bytes}{}。",
            n(records, Noun::Record),
            if compressed { "，已压缩" } else { "" }
        ),
        Line::BloomBuilt { table, keys, bits, probes } => format!(
            "构建 {table} 的布隆过滤器：{} 共用 {bits} 位，每个键探测 {probes} 次。",
            n(keys, Noun::Key)
        ),
        Line::TableFinished { table, bytes, records, blocks, first, last } => format!(
            "表 {table} 已写完并同步：{bytes}，{}，{}，键范围 {first}…{last}。",
            n(records, Noun::Record),
            n(blocks, Noun::DataBlock)
        ),
        Line::FlushFinished { table } => {
            format!("刷写完成：{table} 已加入 L0，不可变内存表随之释放。")
        }
        Line::ManifestEdit { added, removed: [] } => format!(
            "清单文件变更已同步：新增 {}。新表从此成为数据库的一部分。",
            tables_at(added)
        ),
        Line::ManifestEdit { added, removed } => format!(
            "清单文件变更已同步：新增 {}；移除 {}。输入表逐渐淡出；等不再有读取者需要，它们的文件就会被删除。",
            tables_at(added),
            tables_at(removed)
        ),
        Line::WalRetired { wal } => format!("已删除 {wal}：它的记录已安全地保存在表中。"),
        Line::FileDeleted { name } => format!("已删除 {name}：不再有任何版本引用它。"),
        _ => reads(line),
    }
}

fn reads(line: &Line) -> String {
    match *line {
        Line::GetStarted { key, seq } => {
            format!("get {key}：按序列号 {seq} 读取，从最新的数据查起。")
        }
        Line::MemtableSearched { slot: s, found: None } => {
            format!("查找{}：没有这个键的记录。", slot(s))
        }
        Line::MemtableSearched { slot: s, found: Some(k) } => {
            format!("查找{}：找到{}，查找到此为止。", slot(s), record(k))
        }
        Line::TableSkipped { level, table, range } => match range {
            Some(r) => format!("跳过 L{level} 的表 {table}：键不在它的范围 {r} 内。"),
            None => format!("跳过 L{level} 的表 {table}：键不在它的范围内。"),
        },
        Line::TableProbed { level, table, range } => format!(
            "L{level} 的表 {table} 的范围（{}）覆盖这个键：进一步查看。",
            range.unwrap_or("未知")
        ),
        Line::BloomAbsent { table, tested, bits, clear } => format!(
            "{table} 的布隆过滤器：检查了 {bits} 位中的 {tested} 位{} → 一定不存在。不读任何数据块。",
            clear.map(|b| format!("（第 {b} 位为 0）")).unwrap_or_default()
        ),
        Line::BloomMaybe { table, tested } => format!(
            "{table} 的布隆过滤器：检查的 {tested} 位全部为 1 → 可能存在。读取索引。"
        ),
        Line::IndexPoints { table, block } => format!("{table} 的索引指向数据块 {block}。"),
        Line::IndexPast { table } => format!("这个键超出了 {table} 的最后一个数据块。"),
        Line::BlockRead { block, table, bytes, offset } => {
            format!("读取 {table} 的数据块 {block}（{bytes}，偏移 {offset}）。")
        }
        Line::FalsePositive { table } => format!(
            "假阳性：{table} 的过滤器说“可能存在”，但数据块里没有这个键。白读了一个数据块。"
        ),
        Line::GetFinished { key, outcome, place, probed } => {
            let answer = match outcome {
                GetOutcome::Found => "找到",
                GetOutcome::Deleted => "已删除（由墓碑给出答案）",
                GetOutcome::NotFound => "未找到",
                GetOutcome::Expired => "已过期（超过存活时间，被隐藏）",
            };
            let place = match place {
                Place::Memtable(s) => format!("，位于{}", slot(s)),
                Place::Table { level, table } => format!("，位于 L{level} 的表 {table}"),
                Place::Nowhere => String::new(),
            };
            format!("get {key} → {answer}{place}；探测了 {}。", n(probed, Noun::Table))
        }
        Line::ScanStarted { reverse, sources, seq } => format!(
            "{}范围扫描归并 {}，按序列号 {seq} 读取。",
            if reverse { "反向" } else { "" },
            n(sources, Noun::Source)
        ),
        Line::ScanStep { key, seq, decision } => format!(
            "扫描遇到 {key}（序列号 {seq}）：{}。",
            match decision {
                ScanDecision::Returned => "返回",
                ScanDecision::Shadowed => "被较新的版本遮蔽",
                ScanDecision::Tombstone => "已删除，跳过",
                ScanDecision::Invisible => "写于扫描的快照之后，跳过",
                ScanDecision::Expired => "已过期，跳过",
            }
        ),
        _ => maintenance(line),
    }
}

fn maintenance(line: &Line) -> String {
    match *line {
        Line::CompactionPicked { level, output, due, score, inputs, trivial_move } => {
            let why = match due {
                Due::RunCount { level, runs, threshold } => {
                    format!("L{level} 有 {runs} 个有序段，触发阈值为 {threshold}")
                }
                Due::LevelSize { level, bytes, target } => {
                    format!("L{level} 有 {bytes}，目标大小为 {target}")
                }
                Due::Manual { target_level } => {
                    format!("对一个键范围做完全合并，把它一直推到 L{target_level}")
                }
                Due::SpaceAmplification { percent, max_percent } => format!(
                    "比最老有序段新的那些有序段共占其字节数的 {percent}%，超过 {max_percent}% 的上限：所有有序段合并为一"
                ),
                Due::SizeRatio { runs, size_ratio_percent } => format!(
                    "{runs} 个大小相近的相邻有序段（每个不超过前面各段之和的 {size_ratio_percent}%）"
                ),
            };
            let names: Vec<String> = inputs.iter().map(|(t, l)| format!("{t}（L{l}）")).collect();
            let how = if trivial_move {
                "下层没有重叠的表：这张表直接下移（平移）。"
            } else {
                ""
            };
            format!(
                "选中合并 L{level} → L{output}：{why}（得分 {score:.2}）。输入：{}。{how}",
                list_in(Lang::Zh, &names)
            )
        }
        Line::CompactionEntry { key, kind: k, seq, fate: f } => {
            format!("{key}（{}，序列号 {seq}）：{}。", kind(k), fate(f))
        }
        Line::CompactionRangeTombstone { start, end, seq, fate: f } => {
            format!("范围墓碑 {start}..{end}（序列号 {seq}）：{}。", fate(f))
        }
        Line::CompactionFinished { level, output, tables_in, tables_out, read, wrote, records_in, records_out } => format!(
            "合并 L{level} → L{output} 已生效：输入 {}，输出 {}；读取 {read}，写入 {wrote}；输入 {}，输出 {records_out} 条。",
            n(tables_in, Noun::Table),
            n(tables_out, Noun::Table),
            n(records_in, Noun::Record)
        ),
        Line::RecoveryStarted { existing: true } => "打开：发现已有的数据库，正在恢复。".to_owned(),
        Line::RecoveryStarted { existing: false } => "打开：还没有数据库，新建一个空库。".to_owned(),
        Line::ManifestReplayed { manifest, edits, tables } => format!(
            "重放了 MANIFEST-{manifest:06}：{}，得到 {}。",
            n(edits, Noun::Edit),
            n(tables, Noun::Table)
        ),
        Line::WalReplayed { wal, batches, records, torn_at } => format!(
            "重放了 {wal}：{}，{}{}。",
            n(batches, Noun::Batch),
            n(records, Noun::Record),
            torn_at
                .map(|o| format!("；残缺尾部（torn tail）在偏移 {o} 处被截掉"))
                .unwrap_or_default()
        ),
        Line::RecoveryFinished { seq, tables } => {
            format!("已打开：最后的序列号为 {seq}，{}。", n(tables, Noun::Table))
        }
        Line::CompactionFiltered { key, seq, outcome, reason } => {
            let why = match reason {
                FilterReason::Filter => "被合并过滤器处理",
                FilterReason::Expired => "已过期（超过存活时间）",
            };
            let what = match outcome {
                FilterOutcome::Dropped => "直接丢弃，不会有更旧的版本浮现",
                FilterOutcome::Tombstoned => "改写成墓碑，让更旧的版本继续被遮住",
                FilterOutcome::ValueChanged => "按过滤器给出的新值写出",
            };
            format!("{key}（序列号 {seq}）{why}：{what}。")
        }
        Line::TimeSet { now_ms, ttl_ms: Some(ttl) } => format!(
            "时间设为 {now_ms} 毫秒：写入已满 {ttl} 毫秒的记录从此过期。"
        ),
        Line::TimeSet { now_ms, ttl_ms: None } => {
            format!("时间设为 {now_ms} 毫秒（没有设置存活时间，记录不会过期）。")
        }
        _ => String::new(),
    }
}
