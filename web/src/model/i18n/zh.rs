//! The Simplified Chinese catalogue (简体中文). Terms follow the edition's
//! one term per concept (the tutorials' glossary): compaction is 合并,
//! never 压缩, which means compression.

use strata_engine::event::ScanDecision;

use super::{Lang, Msg};
use crate::model::compare::diff::Measure;
use crate::model::glossary::Term;
use crate::model::labs::LabPart;
use crate::model::theory::Reason;
use crate::model::views::scan::ScanColumn;

/// The Chinese text of `msg`.
pub fn text(msg: &Msg) -> String {
    match msg {
        Msg::AskHeading => "先预测，再播放".to_owned(),
        Msg::AskNumberLabel => "你的答案（一个数）".to_owned(),
        Msg::AskCheckAndPlay => "核对并播放".to_owned(),
        Msg::AskGiven { given } => {
            format!("你的答案是 {given}。继续播放：命令执行后会显示正确答案。")
        }
        Msg::AskRight { answer } => format!("答对了：{answer}，与轨迹一致。"),
        Msg::AskWrong { given, answer } => {
            format!("不太对：你的答案是 {given}，轨迹显示的是 {answer}。")
        }
        Msg::AskSkipped { answer } => format!("没有作答就继续播放了：答案是 {answer}。"),
        Msg::AskNotANumber { given } => format!("“{given}”不是一个数。"),
        Msg::PauseBeforeCompaction => "每次合并前暂停".to_owned(),
        Msg::PauseBeforeCompactionHint => {
            "输入的命令会把到期的刷写（flush）和合并（compaction）作为单独的步骤执行；打开此项后，播放会在每次合并前停下，方便你先观察。"
                .to_owned()
        }
        Msg::PausedBeforeCompaction => "已在一次合并前暂停：先看看各层，再继续播放。".to_owned(),
        Msg::Tables { count } => format!("{count} 张表"),
        Msg::BloomNoProbeYet => {
            "还没有探测过任何过滤器：到达某张表的点查会检验它的布隆过滤器。".to_owned()
        }
        Msg::BloomNoProbeForGet { key } => format!(
            "对 {key} 的点查（还）没有检验任何过滤器：它在到达表之前就得到了答案，或者每张表的键范围都不包含它。"
        ),
        Msg::CommandErrorAt { column, message } => format!("第 {column} 个字符处：{message}"),
        Msg::ScanRangeEmpty { start, end } => format!(
            "从 {start} 到 {end} 的范围是空的：范围扫描的起点要在终点之前（是不是想写 scan {end} {start}？）"
        ),
        Msg::WriteRunsMaintenance => {
            "已写入；内存表已满，返回前会先刷写（并合并）".to_owned()
        }
        Msg::BlurbThenYours { commands } => {
            format!("之后又执行了你输入的 {commands} 条命令：现在看到的可能有所不同。")
        }
        Msg::MenuWithYours { title, commands } => {
            format!("{title}，之后是你输入的 {commands} 条命令")
        }
        Msg::MenuOwn => "— 你自己的操作 —".to_owned(),
        Msg::SceneTitle { number, chapter } => format!("《{chapter}》的场景 {number}"),
        Msg::SceneBlurb => "——本章的脚本，以及它设置的选项。先预测，再播放。".to_owned(),
        Msg::OwnOperations => "你自己的操作".to_owned(),
        Msg::TombstoneKeptBecause { key, tables } => format!(
            "{key} 的墓碑被保留了：下层的 {tables} 覆盖了 {key}，那里可能还有更旧的值；丢掉墓碑会让旧值重新出现。"
        ),
        Msg::TableSummary {
            bytes,
            records,
            tombstones,
            blocks,
        } => format!("{bytes} · {records} 条记录，其中 {tombstones} 条是墓碑 · {blocks} 个数据块"),
        Msg::TableBloom { bits, set, hashes } => {
            format!("布隆过滤器：{bits} 位中有 {set} 位被置 1，每个键用 {hashes} 个哈希函数。")
        }
        Msg::TableNoBloom => "没有布隆过滤器（bloom_bits_per_key=0）。".to_owned(),
        Msg::TableClose => "关闭这张表".to_owned(),
        Msg::TableRecords => "这张表的记录（按键排序）".to_owned(),
        Msg::TableTombstone => "墓碑（删除）".to_owned(),
        Msg::TableHint => "点击一张表，查看它的记录。".to_owned(),
        Msg::CommandBarLabel => "执行一条命令".to_owned(),
        Msg::StartHere => "从这里开始".to_owned(),
        Msg::TourOffer => {
            "第一次接触 LSM 树？两分钟的导览会一步一步地展示一次写入如何从日志走到磁盘上的表。"
                .to_owned()
        }
        Msg::TourNoThanks => "不用了".to_owned(),
        Msg::TourHeading { step, steps } => format!("导览 · 第 {} 步，共 {steps} 步", step + 1),
        Msg::TourNext => "下一步".to_owned(),
        Msg::TourFinish => "结束导览".to_owned(),
        Msg::TourClose => "关闭导览".to_owned(),
        Msg::TourWal => {
            "一次 put 首先被追加到磁盘上的预写日志（WAL）：如果机器此刻崩溃，这次写入可以从日志中重放。"
                .to_owned()
        }
        Msg::TourMemtable => {
            "然后它进入内存表（memtable），一张在内存中排好序的表：写入这里很便宜，读取也先查这里。"
                .to_owned()
        }
        Msg::TourFrozen => {
            "内存表满了：它被冻结（只读），由一张新的内存表接收后续写入，所以写入方从不需要等待磁盘。"
                .to_owned()
        }
        Msg::TourFlush => {
            "刷写（flush）把冻结的内存表写成一个有序、不可变的文件，即一张 SSTable，放入第 0 层（L0）。"
                .to_owned()
        }
        Msg::TourManifest => {
            "清单文件（MANIFEST）记下这张新表；直到此时读取才能找到它，它所取代的 WAL 也才可以删除。"
                .to_owned()
        }
        Msg::TourGet => {
            "点查（get）先查内存表，再从新到旧依次查各张表，找到第一个答案就停下。".to_owned()
        }
        Msg::TourBloom => {
            "在从磁盘读取一张表之前，它的布隆过滤器会回答“可能在这里”或“肯定不在”：回答“不在”就省下一次磁盘读取。"
                .to_owned()
        }
        Msg::Glossary => "术语表".to_owned(),
        Msg::GlossaryOpen => "术语表".to_owned(),
        Msg::GlossaryClose => "关闭术语表".to_owned(),
        Msg::TermName(term) => term_name(*term).to_owned(),
        Msg::TermDefinition(term) => term.definition_in(Lang::Zh),
        Msg::TermExplain(term) => format!("什么是{}？", term_name(*term)),
        Msg::CompareRatio {
            side,
            base,
            measure,
            ratio,
        } => compare_ratio(side, base, *measure, ratio),
        Msg::CompareSame {
            side,
            base,
            measure,
        } => compare_same(side, base, *measure),
        Msg::CompareOnlyOne {
            side,
            base,
            measure,
        } => compare_only_one(side, base, *measure),
        Msg::CompareNothingYet { measure } => compare_nothing_yet(*measure),
        Msg::InvariantsHold => "不变量成立".to_owned(),
        Msg::InvariantBroken {
            side,
            after_op,
            message,
        } => format!(
            "{side}：第 {} 个操作之后有不变量被破坏：{message}。播放已停止。",
            after_op + 1
        ),
        Msg::TheoryReason { reason } => theory_reason(*reason),
        Msg::Compare(t) => super::compare::zh(t),
        Msg::LanguageChoice => "语言".to_owned(),
        Msg::Tagline => "一棵看得见的 LSM 树——真正的引擎，编译成 WebAssembly".to_owned(),
        Msg::ScenarioLabel => "场景".to_owned(),
        Msg::DismissMessage => "关闭这条消息".to_owned(),
        Msg::PanelsRegion => "读路径、布隆过滤器、合并与统计".to_owned(),
        Msg::TutorialOpen => "教程".to_owned(),
        Msg::TutorialHide => "隐藏教程".to_owned(),
        Msg::ChapterClose => "关闭本章".to_owned(),
        Msg::ChapterList => "章节".to_owned(),
        Msg::ChapterNumber { position, chapters } => format!("第 {position} 章，共 {chapters} 章"),
        Msg::ChapterContents { chapters } => format!("目录（共 {chapters} 章）"),
        Msg::ChapterPrevious { title } => format!("上一章：{title}"),
        Msg::ChapterNext { title } => format!("下一章：{title}"),
        Msg::ChapterSteps { bottom } => format!("上一章与下一章（{}）", if *bottom { "底部" } else { "顶部" }),
        // 保存到 IndexedDB。
        Msg::SaveSaving => "正在保存到 IndexedDB…".to_owned(),
        Msg::SaveSaved => "已保存到 IndexedDB".to_owned(),
        Msg::SaveReopened => "已从 IndexedDB 重新打开".to_owned(),
        Msg::SaveRetrying { failures, max, reason } => format!(
            "尚未保存（{reason}）；正在重试（{max} 次尝试中已失败 {failures} 次）。"
        ),
        Msg::SaveStopped { max, reason } => format!(
            "保存到 IndexedDB 连续失败 {max} 次（{reason}）。为免丢失更多数据，写入已停止：请重新加载页面，或把数据库留在内存中继续。"
        ),
        Msg::SaveLocked => "这个数据库已在另一个标签页中打开。请在那里关闭它（或继续在那个标签页中操作）；在这里，数据库留在内存中，不会被保存。".to_owned(),
        Msg::SaveUnavailable { reason } => format!(
            "IndexedDB 不可用（{reason}）；数据库留在内存中。"
        ),
        Msg::SaveOpening => "正在打开 IndexedDB…".to_owned(),
        // 表视图：逐位显示布隆过滤器。
        Msg::TableFilterGrid { bits, per_cell: 1 } => format!("过滤器共 {bits} 位，每格一位；置 1 的位已填充。"),
        Msg::TableFilterGrid { bits, per_cell } => format!("过滤器共 {bits} 位，每格 {per_cell} 位，颜色深浅表示其中置 1 的位数。"),
        Msg::TableProbeMaybe { key, hashes } => format!("上一次点查（get）在这里探测了 {key}：它的 {hashes} 个位全部为 1，所以键可能存在，接着查找这张表的索引块。"),
        Msg::TableProbeAbsent { key, probe, hashes, bit } => format!("上一次点查（get）在这里探测了 {key}：{hashes} 次探测中的第 {probe} 次发现第 {bit} 位为 0，所以键一定不存在，不读取任何数据块。"),
        Msg::TableTestedBit { bit, set: true } => format!("第 {bit} 位：1"),
        Msg::TableTestedBit { bit, set: false } => format!("第 {bit} 位：0"),
        // 范围扫描视图。
        Msg::ScanHeading => "范围扫描（scan）".to_owned(),
        Msg::ScanSummary { sources, snapshot, reverse } => format!("归并迭代器合并 {sources} 个来源，按序列号 {snapshot} 读取，{}。", if *reverse { "从大键到小键" } else { "从小键到大键" }),
        Msg::ScanSourcesHeading => "来源（新的在前）".to_owned(),
        Msg::ScanSourceMemtable => "内存表".to_owned(),
        Msg::ScanSourceImmutable => "不可变内存表".to_owned(),
        Msg::ScanSourceTable { level, table } => format!("L{level} 表 {table}"),
        Msg::ScanSourceLevel { level, tables } => format!("L{level}：一个游标依次读 {tables} 张表"),
        Msg::ScanSourceUnknown { index } => format!("第 {index} 个来源"),
        Msg::ScanSourceCounts { returned, shadowed, tombstones, invisible } => format!("返回 {returned} · 被遮蔽 {shadowed} · 墓碑 {tombstones} · 过新 {invisible}"),
        Msg::ScanOrderHeading => "归并按此顺序给出的记录".to_owned(),
        Msg::ScanDid { decision } => match decision {
            ScanDecision::Returned => "返回",
            ScanDecision::Shadowed => "被遮蔽的旧版本，跳过",
            ScanDecision::Tombstone => "墓碑：键已删除，跳过",
            ScanDecision::Invisible => "比快照新，跳过",
            ScanDecision::Expired => "已过期：超过存活时间，跳过",
        }
        .to_owned(),
        Msg::ScanEarlier { count } => format!("……前面还有 {count} 条记录未列出"),
        Msg::ScanColumnName { column } => match column {
            ScanColumn::Order => "序号",
            ScanColumn::Key => "键",
            ScanColumn::Seq => "序列号",
            ScanColumn::Source => "来源",
            ScanColumn::Did => "扫描的处理",
        }
        .to_owned(),
        // labs
        Msg::LabYours { part } => format!("你的{}", lab_part(*part)),
        Msg::LabYoursHint { part, file } => format!("此面板运行的是你在 {file} 中写的{}（可视化器以 --features labs 构建）。", lab_part(*part)),
        Msg::LabNotYours { part } => format!("引擎自带的{}：你的 {} 实验还不能运行", lab_part(*part), part.lab()),
        Msg::LabNotYoursHint { part, reason } => format!("你的 {} 实验还不能运行，所以由引擎自带的代码代替：{reason}。详见 tutorials/labs/README.md。", part.lab()),
        Msg::LabsNotProbed => "构建时没有探测各实验；请用 cargo run -p strata-site -- build --labs 构建页面".to_owned(),
    }
}

/// 学生在实验中写的部分（接在“你的”之后）。
fn lab_part(part: LabPart) -> &'static str {
    match part {
        LabPart::Bloom => "布隆过滤器",
        LabPart::Merge => "归并迭代器",
        LabPart::Picking => "合并选择器",
        LabPart::Fates => "记录去向判定",
    }
}

/// `B 写入的字节数是 A 的 2.4 倍。`
fn compare_ratio(side: &str, base: &str, measure: Measure, ratio: &str) -> String {
    match measure {
        Measure::BytesWritten => format!("{side} 写入的字节数是 {base} 的 {ratio} 倍。"),
        Measure::BytesStored => format!("{side} 存储的字节数是 {base} 的 {ratio} 倍。"),
        Measure::TablesPerGet => {
            format!("{side} 每次点查探测的表数是 {base} 的 {ratio} 倍。")
        }
        Measure::BlocksPerGet => {
            format!("{side} 每次点查读取的数据块数是 {base} 的 {ratio} 倍。")
        }
    }
}

fn compare_same(side: &str, base: &str, measure: Measure) -> String {
    match measure {
        Measure::BytesWritten => format!("{side} 写入的字节数与 {base} 相当。"),
        Measure::BytesStored => format!("{side} 存储的字节数与 {base} 相当。"),
        Measure::TablesPerGet => format!("{side} 每次点查探测的表数与 {base} 相当。"),
        Measure::BlocksPerGet => format!("{side} 每次点查读取的数据块数与 {base} 相当。"),
    }
}

fn compare_only_one(side: &str, base: &str, measure: Measure) -> String {
    match measure {
        Measure::BytesWritten => format!("{side} 已向存储写入数据；{base} 还没有。"),
        Measure::BytesStored => format!("{side} 已有表；{base} 还没有。"),
        Measure::TablesPerGet => format!("{side} 的点查探测过表；{base} 的没有。"),
        Measure::BlocksPerGet => format!("{side} 的点查读取过数据块；{base} 的没有。"),
    }
}

fn theory_reason(reason: Reason) -> String {
    match reason {
        Reason::FewerRewrites => "实测的写放大低于估算：估算假设每次写入都是新键、每一层都是满的，而合并会丢掉被覆盖和被删除的版本。".to_owned(),
        Reason::L0Tables { tables } => format!("L0 中有 {tables} 张存放近期版本的表，分层估算没有把它们算进去。"),
        Reason::LastLevelNotFull => "层目标大小是静态的：最后一层不到上一层的 T 倍，所以上面几层存着大量数据的旧版本。".to_owned(),
        Reason::TableOverheads => "表的字节数还包括每个键的尾部信息、数据块头、索引和过滤器，估算没有把这些算进去。".to_owned(),
        Reason::TieredWorstCase => "分级合并的空间估算是最坏情况，即满层的每个有序段都存着相同的键；而各层并没有那么满。".to_owned(),
    }
}

fn compare_nothing_yet(measure: Measure) -> String {
    match measure {
        Measure::BytesWritten => "还没有向存储写入任何数据。".to_owned(),
        Measure::BytesStored => "还没有表。".to_owned(),
        Measure::TablesPerGet | Measure::BlocksPerGet => "还没有点查到达过任何表。".to_owned(),
    }
}

fn term_name(term: Term) -> &'static str {
    match term {
        Term::Wal => "预写日志（WAL）",
        Term::Memtable => "内存表（memtable）",
        Term::Sstable => "SSTable",
        Term::Level => "层",
        Term::Run => "有序段（run）",
        Term::Bloom => "布隆过滤器",
        Term::Tombstone => "墓碑",
        Term::Compaction => "合并（compaction）",
        Term::Amplification => "写放大、读放大与空间放大",
    }
}
