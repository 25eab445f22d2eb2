//! The panels in Simplified Chinese.

use strata_engine::event::{EntryFate, GetOutcome};
use strata_engine::CompactionStrategy;

use super::Ui;
use crate::model::i18n::count::{count_in, Noun};
use crate::model::i18n::Lang;
use crate::model::views::structure::TableMark;

fn n(value: u64, noun: Noun) -> String {
    count_in(Lang::Zh, value, noun)
}

fn mark(mark: TableMark) -> &'static str {
    match mark {
        TableMark::Normal => "",
        TableMark::New => " · 刚刚加入",
        TableMark::Input => " · 合并的输入",
        TableMark::Fading => " · 已移除，正在淡出",
        TableMark::SkippedRange => " · get 跳过了它：键不在它的范围内",
        TableMark::FilteredOut => " · get 跳过了它：布隆过滤器说不存在",
        TableMark::Read => " · get 读了它的一个数据块",
        TableMark::FalsePositive => " · 布隆过滤器假阳性",
        TableMark::Answer => " · get 的答案在这里",
        TableMark::KeepsTombstone => " · 下层有旧数据：墓碑必须保留",
        TableMark::HiddenByRange => " · 范围删除：它在该范围内的版本被隐藏",
    }
}

fn legend_mark(mark: TableMark) -> &'static str {
    match mark {
        TableMark::Normal => "一张表",
        TableMark::New => "刚由清单文件变更加入",
        TableMark::Input => "合并的输入",
        TableMark::Fading => "已移除，正在淡出",
        TableMark::SkippedRange => "get：键不在范围内",
        TableMark::FilteredOut => "get：布隆过滤器说不存在",
        TableMark::Read => "get：读了数据块",
        TableMark::FalsePositive => "get：布隆过滤器假阳性",
        TableMark::Answer => "get：答案在这里",
        TableMark::KeepsTombstone => "下层有旧数据：保留墓碑",
        TableMark::HiddenByRange => "范围删除：范围内的版本被隐藏",
    }
}

fn fate(fate: EntryFate) -> &'static str {
    match fate {
        EntryFate::Kept => "保留：最新版本",
        EntryFate::Shadowed => "丢弃：被较新的版本遮蔽",
        EntryFate::TombstoneDroppedAtBottom => "墓碑在最底层被丢弃",
        EntryFate::TombstoneKeptOlderDataBelow => "墓碑保留：下层有旧数据",
        EntryFate::KeptForSnapshot => "为快照保留",
        EntryFate::CoveredByRangeTombstone => "丢弃：被范围墓碑覆盖",
    }
}

fn fate_short(fate: EntryFate) -> &'static str {
    match fate {
        EntryFate::Kept => "保留",
        EntryFate::Shadowed => "被遮蔽",
        EntryFate::TombstoneDroppedAtBottom => "墓碑丢弃",
        EntryFate::TombstoneKeptOlderDataBelow => "墓碑保留",
        EntryFate::KeptForSnapshot => "为快照保留",
        EntryFate::CoveredByRangeTombstone => "范围删除",
    }
}

fn kind(tombstone: bool) -> &'static str {
    if tombstone {
        "墓碑"
    } else {
        "put"
    }
}

/// The Chinese text of `ui`.
pub fn text(ui: &Ui) -> String {
    match *ui {
        Ui::IgnoredQuery { error } => format!("忽略了链接中的查询参数：{error}"),
        Ui::LinkUnreadableFallback { error } => {
            format!("无法读取这个链接：{error}。改为显示第一个场景。")
        }
        Ui::LinkUnreadable { error } => format!("无法读取这个链接：{error}"),
        Ui::Timeline => "时间线".to_owned(),
        Ui::Pause => "暂停（空格）".to_owned(),
        Ui::PlayKey => "播放（空格）".to_owned(),
        Ui::Play => "播放".to_owned(),
        Ui::ToStart => "回到开头（Home）".to_owned(),
        Ui::PreviousOp => "上一个操作（shift+←）".to_owned(),
        Ui::StepBack => "后退一步（←）".to_owned(),
        Ui::StepForward => "前进一步（→）".to_owned(),
        Ui::NextOp => "下一个操作（shift+→）".to_owned(),
        Ui::ToEnd => "跳到末尾（End）".to_owned(),
        Ui::Frame => "帧".to_owned(),
        Ui::FrameOf { pos, total } => format!("第 {pos} 帧，共 {total} 帧"),
        Ui::FrameShort { pos, total } => format!("帧 {pos} / {total}"),
        Ui::OpOf { op, ops } => format!("操作 {op} / {ops}"),
        Ui::Opening => "打开中".to_owned(),
        Ui::Speed => "速度".to_owned(),
        Ui::FramesPerSecond => "每秒帧数".to_owned(),
        Ui::PerSecond { speed } => format!("{speed} 帧/秒"),
        Ui::EventOf { event, events } => format!("事件 {event} / {events}"),
        Ui::NoEvents => "没有事件".to_owned(),
        Ui::WhatHappens => "发生了什么".to_owned(),
        Ui::OpenTheDatabase => "打开数据库".to_owned(),
        Ui::OpenAndEmpty => "数据库已打开，还是空的。".to_owned(),
        _ => structure(ui),
    }
}

fn structure(ui: &Ui) -> String {
    match *ui {
        Ui::Structure => "结构".to_owned(),
        Ui::MergeCursorAt { key } => format!("归并游标位于 {key}"),
        Ui::TablesBeingWritten => "正在写入的表".to_owned(),
        Ui::TableWritten {
            table,
            level,
            bytes,
        } => {
            format!("{table}（写入 L{level}）：已写完并同步，{bytes}")
        }
        Ui::TableWriting {
            table,
            level,
            blocks,
            bytes,
        } => {
            format!(
                "{table}（写入 L{level}）：写入中，{}，{bytes}",
                n(blocks, Noun::Block)
            )
        }
        Ui::NoLog => "没有日志".to_owned(),
        Ui::WriteAheadLog => "预写日志".to_owned(),
        Ui::WalHeading => "预写日志".to_owned(),
        Ui::WalRecord {
            offset,
            bytes,
            records,
            seq,
        } => {
            format!(
                "偏移 {offset} · {bytes} · {}，起始序列号 {seq}",
                n(records, Noun::Record)
            )
        }
        Ui::WalWritten { bytes } => format!("已写入 {bytes}"),
        Ui::WalSyncedTo { bytes } => format!(" · 已同步到 {bytes}"),
        Ui::WalKeptFor { logs } => format!(" · 为不可变内存表保留：{logs}"),
        Ui::Memtable => "内存表".to_owned(),
        Ui::MemtableMeta {
            records,
            bytes,
            capacity,
        } => {
            format!("{} · {bytes} / {capacity}", n(records, Noun::Record))
        }
        Ui::MemtableFill => "内存表的填充程度".to_owned(),
        Ui::SkiplistNodes => "跳表节点，按键排序，附塔高".to_owned(),
        Ui::Node {
            key,
            seq,
            tombstone,
            height,
        } => {
            format!("{key} · 序列号 {seq} · {} · 塔高 {height}", kind(tombstone))
        }
        Ui::More { count } => format!("还有 {count} 个"),
        Ui::ImmutableMemtable => "不可变内存表".to_owned(),
        Ui::NoneWaiting => "没有等待刷写的".to_owned(),
        Ui::ImmutableMeta { records, bytes } => format!("{} · {bytes}", n(records, Noun::Record)),
        Ui::ItsLog { wal } => format!("它的日志：{wal}"),
        Ui::FlushingInto { table } => format!("正在刷写为 {table} →"),
        Ui::Mark(m) => mark(m).to_owned(),
        Ui::TableTitle {
            table,
            level,
            bytes,
            records,
            first,
            last,
            mark: m,
            tombstones,
            range_tombstones,
        } => {
            let mut title = format!(
                "{table} · L{level} · {bytes} · {} · {first}…{last}{}",
                n(records, Noun::Record),
                mark(m)
            );
            if tombstones > 0 {
                title.push_str(&format!(" · {}", n(tombstones, Noun::Tombstone)));
            }
            if range_tombstones > 0 {
                title.push_str(&format!(" · {}", n(range_tombstones, Noun::RangeTombstone)));
            }
            title
        }
        Ui::RangeTombstone { start, end, seq } => format!("范围墓碑 [{start}, {end}) · #{seq}"),
        Ui::RangeTombstoneAnswers { seq } => {
            format!("范围墓碑（#{seq}）覆盖了这个键——已删除，停止")
        }
        Ui::RangeTombstones => "内存表中的范围墓碑".to_owned(),
        Ui::RangeDeleteHides { start, end, tables } => format!("范围墓碑 [{start}, {end})：从现在起，范围内每个键的所有较旧版本都被隐藏——涉及 {tables}。之后由合并把它们丢弃。"),
        Ui::RangeDeleteHidesNothing { start, end } => format!("范围墓碑 [{start}, {end})：还没有哪张表存有这个范围的键；被隐藏的只有内存表里的较旧版本。"),
        Ui::RunsOf { live, trigger } => format!("{live} / {trigger} 个有序段"),
        Ui::SizeOf { bytes, target } => format!("{bytes} / {target}"),
        Ui::LevelLabel {
            level,
            tables,
            target,
            tiered,
        } => format!(
            "L{level}：{}，{target}，{}",
            n(tables as u64, Noun::Table),
            if tiered {
                "分级（有序段之间可能重叠）"
            } else {
                "分层（有序且互不重叠）"
            }
        ),
        Ui::FillOfTrigger { percent } => format!("达到触发阈值的 {percent}%"),
        Ui::KeyAxis => "键轴 →".to_owned(),
        Ui::LevelsOnAxis => "各层，画在同一条键轴上".to_owned(),
        _ => compaction(ui),
    }
}

fn compaction(ui: &Ui) -> String {
    match *ui {
        Ui::Compaction => "合并".to_owned(),
        Ui::NoCompactionYet => "还没有合并。".to_owned(),
        Ui::NoCompactionYetAfter => " 会在某一层超过触发阈值时执行一次合并。".to_owned(),
        Ui::Strategy(s) => match s {
            CompactionStrategy::Leveled => "分层合并",
            CompactionStrategy::SizeTiered => "分级合并",
            CompactionStrategy::Hybrid => "混合策略",
            CompactionStrategy::Universal => "通用合并",
        }
        .to_owned(),
        Ui::DueRuns {
            level,
            runs,
            threshold,
        } => {
            format!("L{level} 有 {runs} 个有序段，触发阈值 {threshold}")
        }
        Ui::DueSize {
            level,
            bytes,
            target,
        } => format!("L{level} 有 {bytes}，目标 {target}"),
        Ui::DueManual { target_level } => {
            format!("键范围的完全合并，推到 L{target_level}")
        }
        Ui::DueSpaceAmplification {
            percent,
            max_percent,
        } => format!("较新的有序段为最老段的 {percent}%，上限 {max_percent}%"),
        Ui::DueSizeRatio { runs } => format!("{runs} 个大小相近的有序段"),
        Ui::Score { score } => format!("得分 {score:.2}"),
        Ui::TrivialMove => " · 平移：无需重写".to_owned(),
        Ui::InputsOf { level } => format!("L{level} 的输入："),
        Ui::NoInputs => " 无".to_owned(),
        Ui::RecordsMerged => "已归并的记录".to_owned(),
        Ui::MergedOf { seen, total } => format!("已归并 {seen} / {total} 条记录"),
        Ui::CursorAt { key } => format!(" · 游标位于 {key}"),
        Ui::Fate(f) => fate(f).to_owned(),
        Ui::FateShort(f) => fate_short(f).to_owned(),
        Ui::ColKey => "键".to_owned(),
        Ui::ColSeq => "序列号".to_owned(),
        Ui::ColKind => "类型".to_owned(),
        Ui::ColFate => "去向".to_owned(),
        Ui::ColBlock => "数据块".to_owned(),
        Ui::ColLevel => "层".to_owned(),
        Ui::ColTables => "表".to_owned(),
        Ui::ColBytes => "字节".to_owned(),
        Ui::ColTarget => "目标".to_owned(),
        Ui::Kind { tombstone } => kind(tombstone).to_owned(),
        Ui::PutOf { bytes } => format!("put，{bytes}"),
        Ui::Notable => "本次合并中的墓碑和为快照保留的记录".to_owned(),
        Ui::NotableEntry {
            key,
            seq,
            tombstone,
            fate: f,
        } => {
            format!("{key} 序列号 {seq}（{}）：{}", kind(tombstone), fate(f))
        }
        Ui::OutputsIn { level } => format!("L{level} 中的输出："),
        Ui::InstalledMove => "已生效：仅凭一次清单文件变更，这张表就移到了下一层。".to_owned(),
        Ui::Installed {
            read,
            wrote,
            records_in,
            records_out,
        } => format!(
            "已生效：读取 {read}，写入 {wrote}；输入 {records_in} 条记录，输出 {records_out} 条。"
        ),
        _ => read_path(ui),
    }
}

fn read_path(ui: &Ui) -> String {
    match *ui {
        Ui::ReadPath => "读路径".to_owned(),
        Ui::NoGetYet => "还没有点查。试试 ".to_owned(),
        Ui::Slot { immutable: false } => "内存表".to_owned(),
        Ui::Slot { immutable: true } => "不可变内存表".to_owned(),
        Ui::NoRecord => "没有记录".to_owned(),
        Ui::FoundStop { tombstone: false } => "找到一个值——停止".to_owned(),
        Ui::FoundStop { tombstone: true } => "找到一个墓碑——停止".to_owned(),
        Ui::BloomSaid { absent: true } => "布隆过滤器：一定不存在 → ".to_owned(),
        Ui::BloomSaid { absent: false } => "布隆过滤器：可能存在 → ".to_owned(),
        Ui::OutsideRange => "键不在它的范围内——跳过".to_owned(),
        Ui::RangeCovers => "范围覆盖这个键".to_owned(),
        Ui::FilteredOut => "跳过，不读数据块".to_owned(),
        Ui::IndexToBlock { block } => format!("索引 → 数据块 {block}"),
        Ui::PastLastBlock => "超出最后一个数据块".to_owned(),
        Ui::BlockReadNo { block } => format!("读取了数据块 {block}"),
        Ui::ReadForNothing => "白读了一个数据块：假阳性".to_owned(),
        Ui::KeyIsHere => "键就在这里——停止".to_owned(),
        Ui::GetAt { key, seq } => format!("get {key}，按序列号 {seq}"),
        Ui::Answer {
            outcome,
            memtable,
            table,
            tables,
        } => {
            let what = match outcome {
                GetOutcome::Found => "找到",
                GetOutcome::Deleted => "已删除",
                GetOutcome::NotFound => "未找到",
                GetOutcome::Expired => "已过期",
            };
            let place = match (memtable, table) {
                (true, _) => "，位于内存表".to_owned(),
                (false, Some((level, t))) => format!("，位于 L{level} {t}"),
                (false, None) => String::new(),
            };
            format!("→ {what}{place} · 读了 {}", n(tables, Noun::Table))
        }
        _ => bloom(ui),
    }
}

fn bloom(ui: &Ui) -> String {
    match *ui {
        Ui::BloomFilter => "布隆过滤器".to_owned(),
        Ui::Bit { position, set } => format!(
            "第 {position} 位：{}",
            match set {
                Some(true) => "1",
                Some(false) => "0",
                None => "未知",
            }
        ),
        Ui::BitArray {
            bits,
            per_cell,
            tested,
        } => {
            let fold = if per_cell > 1 {
                format!("（每格 {per_cell} 位）")
            } else {
                String::new()
            };
            format!("{bits} 位的位数组{fold}；检查了 {tested} 位")
        }
        Ui::Verdict { absent: true, .. } => "一定不存在——不读数据块".to_owned(),
        Ui::Verdict {
            false_positive: true,
            ..
        } => "可能存在……但这是一次假阳性".to_owned(),
        Ui::Verdict { .. } => "可能存在——读取数据块".to_owned(),
        Ui::BitsSet { set, bits } => format!(" · {bits} 位中有 {set} 位为 1"),
        Ui::ProbeLine { key, table, probes } => {
            format!("{key} 在 {table} 中：{}", n(probes, Noun::Probe))
        }
        Ui::Probes => "探测次数".to_owned(),
        Ui::DefinitelyAbsent => "一定不存在".to_owned(),
        Ui::FalsePositives => "假阳性".to_owned(),
        Ui::FpObserved => "误判率（实测）".to_owned(),
        Ui::FpTheory { bits_per_key } => format!("误判率（理论，每键 {bits_per_key} 位）"),
        Ui::NoFilter => "没有过滤器".to_owned(),
        _ => stats(ui),
    }
}

fn stats(ui: &Ui) -> String {
    match *ui {
        Ui::Statistics => "统计".to_owned(),
        Ui::WriteAmp => "写放大".to_owned(),
        Ui::WriteAmpHow => "（刷写 + 合并写入的字节）/ 用户写入的字节".to_owned(),
        Ui::ReadAmp => "读放大".to_owned(),
        Ui::ReadAmpHow => "每次点查探测的表数".to_owned(),
        Ui::SpaceAmp => "空间放大".to_owned(),
        Ui::SpaceAmpHow => "表的字节 / 有效数据的字节".to_owned(),
        Ui::BlocksPerGet => "每次点查读的数据块".to_owned(),
        Ui::BloomFpRate => "布隆过滤器误判率".to_owned(),
        Ui::LiveData => "有效数据 / 表".to_owned(),
        Ui::AmpChart { ops, max } => format!("{ops} 个操作中的放大系数；刻度 0 到 {max}"),
        Ui::ChartScale { max } => format!("（0 … {max}，横轴为操作）"),
        Ui::ChartKey { line: 0 } => "— 写放大".to_owned(),
        Ui::ChartKey { line: 1 } => "— 读放大".to_owned(),
        Ui::ChartKey { .. } => "— 空间放大".to_owned(),
        Ui::Runs { runs } => format!("{runs} 个有序段"),
        Ui::Legend => "图例".to_owned(),
        Ui::Levels => "层".to_owned(),
        Ui::Tables => "表".to_owned(),
        Ui::Fates => "合并中记录的去向".to_owned(),
        Ui::LegendMark(m) => legend_mark(m).to_owned(),
        _ => console(ui),
    }
}

fn option_label(name: &str) -> &str {
    match name {
        "memtable_bytes_max" => "内存表大小（字节）",
        "l0_compaction_trigger" => "L0 触发阈值（表数）",
        "level_size_ratio" => "层间大小比",
        "level_base_bytes" => "L1 目标大小（字节）",
        "target_file_size_bytes" => "表大小（字节）",
        "bloom_bits_per_key" => "布隆过滤器每键位数",
        "compaction_strategy" => "合并策略",
        "maintenance" => "维护方式",
        "seed" => "随机种子",
        other => other,
    }
}

fn console(ui: &Ui) -> String {
    match *ui {
        Ui::Operations => "操作".to_owned(),
        Ui::Command => "命令".to_owned(),
        Ui::Run => "运行".to_owned(),
        Ui::KeyField => "键".to_owned(),
        Ui::ValueField => "值".to_owned(),
        Ui::BulkLoad => "批量加载".to_owned(),
        Ui::Count => "数量".to_owned(),
        Ui::Seed => "种子".to_owned(),
        Ui::Keys => "键数".to_owned(),
        Ui::From => "从".to_owned(),
        Ui::To => "到".to_owned(),
        Ui::DeleteRange => "删除范围".to_owned(),
        Ui::CommandLanguage => "命令语言".to_owned(),
        Ui::KeysHelp => "键：不带引号的单词、\"带引号的字符串\"或 0x 十六进制。".to_owned(),
        Ui::Options => "选项".to_owned(),
        Ui::OptionsRestart => "修改任一选项都会从种子重新运行场景。".to_owned(),
        Ui::BackToPreset => "恢复场景自带的选项".to_owned(),
        Ui::DatabaseFiles => "数据库文件".to_owned(),
        Ui::InMemory => "在内存中".to_owned(),
        Ui::InIndexedDb => "在 IndexedDB 中（刷新后保留）".to_owned(),
        Ui::OptionLabel { name } => option_label(name).to_owned(),
        _ => sharing(ui),
    }
}

fn sharing(ui: &Ui) -> String {
    match *ui {
        Ui::TooLongForLink => "操作记录太长，放不进链接：请改为导出 trace。".to_owned(),
        Ui::LinkCopied => "链接已复制。".to_owned(),
        Ui::CouldNotCopy { error } => format!("无法复制（{error}）；链接就在地址栏里。"),
        Ui::TooLongToEmbed => "操作记录太长，无法嵌入：请改为导出 trace。".to_owned(),
        Ui::EmbedCopied => "嵌入代码已复制。".to_owned(),
        Ui::CopyEmbedByHand => "请从按钮下方的文本框复制嵌入代码。".to_owned(),
        Ui::CopyLink => "复制链接".to_owned(),
        Ui::CopyEmbed => "复制嵌入代码".to_owned(),
        Ui::EmbedCode => "嵌入代码".to_owned(),
        Ui::Trace => "事件记录（trace）".to_owned(),
        Ui::TraceHolds => "选项、操作和每一个事件，以 JSON 格式保存。".to_owned(),
        Ui::ExportTrace => "导出 trace".to_owned(),
        Ui::ImportTrace => "导入 trace…".to_owned(),
        Ui::CouldNotExport { error } => format!("无法导出：{error}"),
        Ui::CouldNotReadFile { error } => format!("无法读取文件：{error}"),
        Ui::Scene { number } => format!("场景 {number}"),
        Ui::RunSceneLabel { number } => format!("在可视化器中运行场景 {number}"),
        Ui::RunScene => "▶ 在可视化器中运行".to_owned(),
        Ui::SceneLoaded => {
            "已载入：可视化器停在第一条命令。先预测，再播放（空格）或单步（→）。".to_owned()
        }
        Ui::Colon => "：".to_owned(),
        Ui::BrowserRefused => "浏览器拒绝了这个操作".to_owned(),
        Ui::NoAnchor => "无法创建下载链接".to_owned(),
        Ui::FileNotText => "这个文件不是文本".to_owned(),
        _ => String::new(),
    }
}
