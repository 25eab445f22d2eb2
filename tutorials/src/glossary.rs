//! The glossary (中英术语表): every term the chapters teach, in both
//! languages, with a one-line definition and the chapter that teaches it.
//!
//! This list is the one source of truth: `chapters/glossary.md` and
//! `chapters/zh/glossary.md` show it as tables (`tests/glossary.rs` checks
//! that they list exactly these terms, in this order, and that each
//! chapter named here uses the term), and the visualizer reads it for its
//! term tooltips. The Chinese names are the edition's one term per concept.

use crate::{Chapter, Lang, chapter};

/// One term of the glossary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The English term, as the English chapters write it (`bloom filter`).
    pub en: &'static str,
    /// The Chinese term, as the Chinese chapters write it (`布隆过滤器`).
    pub zh: &'static str,
    /// The slug of the chapter that teaches the term (`bloom`).
    pub chapter: &'static str,
    /// One sentence in English saying what the term means.
    pub en_definition: &'static str,
    /// The same sentence in Chinese.
    pub zh_definition: &'static str,
}

impl Term {
    /// The term's name in `lang`.
    pub fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }

    /// The term's one-line definition in `lang`.
    pub fn definition(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en_definition,
            Lang::Zh => self.zh_definition,
        }
    }

    /// The chapter that teaches the term, in `lang`'s edition.
    pub fn chapter(&self, lang: Lang) -> Option<&'static Chapter> {
        let (i, _) = chapter(self.chapter)?;
        crate::chapters(lang).get(i)
    }
}

/// The term called `name` in either language (English ignoring ASCII
/// case), for a tooltip on a word in the visualizer.
pub fn term(name: &str) -> Option<&'static Term> {
    GLOSSARY
        .iter()
        .find(|t| t.en.eq_ignore_ascii_case(name) || t.zh == name)
}

/// Every term, in the order of the chapters that teach them.
pub const GLOSSARY: &[Term] = &[
    Term {
        en: "LSM-tree",
        zh: "LSM 树",
        chapter: "why-lsm",
        en_definition: "A store that buffers writes in memory and merges them into sorted files on disk in the background, never updating in place.",
        zh_definition: "先在内存中缓冲写入、再在后台把它们合并进磁盘上有序文件的存储结构，从不原地更新。",
    },
    Term {
        en: "write amplification",
        zh: "写放大",
        chapter: "why-lsm",
        en_definition: "Bytes written to storage per byte the user wrote.",
        zh_definition: "用户每写一个字节，存储上实际写入的字节数。",
    },
    Term {
        en: "record",
        zh: "记录",
        chapter: "records",
        en_definition: "One write as the engine stores it: user key, sequence number, kind (put or delete) and value.",
        zh_definition: "引擎所存储的一次写：用户键、序列号、类型（put 或删除）和值。",
    },
    Term {
        en: "sequence number",
        zh: "序列号",
        chapter: "records",
        en_definition: "The 56-bit number that gives every write its place in history; larger is newer.",
        zh_definition: "给每次写在历史中排定位置的 56 位编号；越大越新。",
    },
    Term {
        en: "internal key",
        zh: "内部键",
        chapter: "records",
        en_definition: "The user key followed by an 8-byte trailer of sequence number and kind; sorts by key, then newest first.",
        zh_definition: "用户键后接存放序列号和类型的 8 字节尾标；先按键升序、再按从新到旧排列。",
    },
    Term {
        en: "memtable",
        zh: "内存表",
        chapter: "memtable",
        en_definition: "The sorted in-memory table that takes every write after the log.",
        zh_definition: "有序的内存结构，每次写在写完日志之后都落到这里。",
    },
    Term {
        en: "skiplist",
        zh: "跳表",
        chapter: "memtable",
        en_definition: "A sorted linked list with express lanes of random height; the memtable's structure.",
        zh_definition: "带有随机高度快车道的有序链表；内存表所用的结构。",
    },
    Term {
        en: "tower",
        zh: "塔",
        chapter: "memtable",
        en_definition: "A skiplist node's stack of links, one per level it takes part in; its height is drawn at random.",
        zh_definition: "跳表节点的一摞链接，每参与一层就有一个；其高度随机抽取。",
    },
    Term {
        en: "arena",
        zh: "内存池",
        chapter: "memtable",
        en_definition: "One growing vector that holds all skiplist nodes, which point at each other by index.",
        zh_definition: "存放全部跳表节点的一个不断增长的向量，节点之间用下标互相指向。",
    },
    Term {
        en: "write-ahead log",
        zh: "预写日志",
        chapter: "wal",
        en_definition: "The append-only file every batch is written to before the memtable, replayed after a crash.",
        zh_definition: "每个批次在进入内存表之前先追加写入的文件，崩溃后用来重放。",
    },
    Term {
        en: "torn tail",
        zh: "残缺尾部",
        chapter: "wal",
        en_definition: "A log record cut short by a crash in mid-append; recovery drops it silently.",
        zh_definition: "追加到一半时因崩溃而不完整的日志记录；恢复时静默丢弃。",
    },
    Term {
        en: "sync",
        zh: "同步",
        chapter: "wal",
        en_definition: "Asking storage to make appended bytes durable; a synced write survives any crash.",
        zh_definition: "要求存储把已追加的字节持久化；同步过的写能挺过任何崩溃。",
    },
    Term {
        en: "recovery",
        zh: "恢复",
        chapter: "wal",
        en_definition: "What opening a database does after a crash: read the manifest, replay the logs, cut torn tails.",
        zh_definition: "崩溃后打开数据库时所做的事：读取清单文件、重放日志、截掉残缺尾部。",
    },
    Term {
        en: "SSTable",
        zh: "SSTable",
        chapter: "sstable",
        en_definition: "A sorted, immutable table file of records with blocks, a filter, an index and a footer.",
        zh_definition: "由记录组成的有序、不可变的表文件，含数据块、过滤器、索引和尾部。",
    },
    Term {
        en: "block",
        zh: "数据块",
        chapter: "sstable",
        en_definition: "The unit an SSTable is read in, about `block_size_bytes` of prefix-compressed entries with a checksum.",
        zh_definition: "SSTable 的读取单位：约 `block_size_bytes` 大小、经过前缀压缩并带校验和的一组条目。",
    },
    Term {
        en: "prefix compression",
        zh: "前缀压缩",
        chapter: "sstable",
        en_definition: "Storing each key in a block as the bytes it does not share with the key before it.",
        zh_definition: "在数据块中只存储每个键与前一个键不同的那部分字节。",
    },
    Term {
        en: "restart point",
        zh: "重启点",
        chapter: "sstable",
        en_definition: "An entry that stores its key whole, so a seek can binary-search and start decoding there.",
        zh_definition: "完整存储自己键的条目，seek 可以在这些点上二分查找并从这里开始解码。",
    },
    Term {
        en: "index block",
        zh: "索引块",
        chapter: "sstable",
        en_definition: "The block mapping each data block's last key to its position, kept in memory.",
        zh_definition: "把每个数据块的最后一个键映射到其位置的块，常驻内存。",
    },
    Term {
        en: "footer",
        zh: "尾部",
        chapter: "sstable",
        en_definition: "The fixed 60 bytes at the end of a table that locate its index and filter.",
        zh_definition: "表末尾固定的 60 字节，指明索引和过滤器的位置。",
    },
    Term {
        en: "bloom filter",
        zh: "布隆过滤器",
        chapter: "bloom",
        en_definition: "A bit array per table that answers \"definitely not here\" or \"maybe\" without reading a block.",
        zh_definition: "每张表一个的位数组，不读数据块就能回答“一定不在”或“可能在”。",
    },
    Term {
        en: "false positive",
        zh: "假阳性",
        chapter: "bloom",
        en_definition: "A \"maybe\" from a bloom filter for a key the table does not hold; it costs a wasted block read.",
        zh_definition: "布隆过滤器对表中并不存在的键回答“可能在”；白白花掉一次数据块读取。",
    },
    Term {
        en: "false-positive rate",
        zh: "误判率",
        chapter: "bloom",
        en_definition: "The share of absent keys a filter lets through, (1 − e^(−k/b))^k; 0.82 % at 10 bits per key.",
        zh_definition: "过滤器放过的不存在键所占的比例，(1 − e^(−k/b))^k；每键 10 位时为 0.82 %。",
    },
    Term {
        en: "bits per key",
        zh: "每键位数",
        chapter: "bloom",
        en_definition: "The size of a bloom filter per key (`bloom_bits_per_key`, 10 by default).",
        zh_definition: "布隆过滤器为每个键分配的位数（`bloom_bits_per_key`，默认 10）。",
    },
    Term {
        en: "read path",
        zh: "读路径",
        chapter: "read-path",
        en_definition: "The order a get searches: memtables, every L0 table, then one table per deeper level.",
        zh_definition: "点查的查找顺序：内存表、每张 L0 表，然后更深的每层各一张表。",
    },
    Term {
        en: "merging iterator",
        zh: "归并迭代器",
        chapter: "read-path",
        en_definition: "A cursor that merges many sorted sources into one stream in internal-key order.",
        zh_definition: "把多个有序来源按内部键顺序归并成一个流的游标。",
    },
    Term {
        en: "shadowed version",
        zh: "被遮蔽的旧版本",
        chapter: "read-path",
        en_definition: "An older version of a key that a newer visible version hides from readers.",
        zh_definition: "被一个更新的可见版本挡住、读者看不到的旧版本。",
    },
    Term {
        en: "read amplification",
        zh: "读放大",
        chapter: "read-path",
        en_definition: "How many places (memtables, tables) one read has to look in.",
        zh_definition: "一次读需要查找的地方（内存表、表）的个数。",
    },
    Term {
        en: "immutable memtable",
        zh: "不可变内存表",
        chapter: "flush",
        en_definition: "A frozen memtable that takes no more writes and waits to be flushed.",
        zh_definition: "已冻结、不再接收写入、等待刷写的内存表。",
    },
    Term {
        en: "flush",
        zh: "刷写",
        chapter: "flush",
        en_definition: "Writing the immutable memtable out as a new L0 table and retiring its log.",
        zh_definition: "把不可变内存表写成一张新的 L0 表，并让它的日志退役。",
    },
    Term {
        en: "level",
        zh: "层",
        chapter: "leveled-compaction",
        en_definition: "One of L0 … L6; L0 holds overlapping flushed tables, each deeper level one sorted run.",
        zh_definition: "L0 … L6 之一；L0 存放相互重叠的刷写表，更深的每层是一个有序段。",
    },
    Term {
        en: "compaction",
        zh: "合并",
        chapter: "leveled-compaction",
        en_definition: "Merging tables into the next level in the background, dropping versions nobody can see.",
        zh_definition: "在后台把若干表合并进下一层，同时丢弃谁也看不到的版本。",
    },
    Term {
        en: "leveled compaction",
        zh: "分层合并",
        chapter: "leveled-compaction",
        en_definition: "The strategy that keeps each level below L0 one sorted run about ten times the one above.",
        zh_definition: "让 L0 以下每层都是一个有序段、且约为上一层十倍大的合并策略。",
    },
    Term {
        en: "trivial move",
        zh: "平移",
        chapter: "leveled-compaction",
        en_definition: "A compaction that moves a table to the next level by a manifest edit, without rewriting it.",
        zh_definition: "只通过一次清单变更把一张表移到下一层、而不重写它的合并。",
    },
    Term {
        en: "sub-compaction",
        zh: "子合并",
        chapter: "leveled-compaction",
        en_definition: "One key-range part of a compaction split for threads; the parts together write what one merge would.",
        zh_definition: "为了多线程而拆开的一次合并中按键范围划分的一部分；各部分合起来写出的就是一次合并本来会写的内容。",
    },
    Term {
        en: "tombstone",
        zh: "墓碑",
        chapter: "tombstones",
        en_definition: "The record a delete writes; it hides older versions until a compaction can prove none is left below it.",
        zh_definition: "删除所写入的记录；它遮住旧版本，直到某次合并能证明下面已没有更旧的版本。",
    },
    Term {
        en: "sorted run",
        zh: "有序段",
        chapter: "strategies",
        en_definition: "A set of tables whose key ranges do not overlap, read as one sorted sequence.",
        zh_definition: "键范围互不重叠、可当作一个有序序列来读的一组表。",
    },
    Term {
        en: "size-tiered compaction",
        zh: "分级合并",
        chapter: "strategies",
        en_definition: "The strategy that merges several runs of similar size into one bigger run.",
        zh_definition: "把若干大小相近的有序段合并成一个更大有序段的合并策略。",
    },
    Term {
        en: "size ratio",
        zh: "大小比",
        chapter: "strategies",
        en_definition: "How much larger each level (or tier) is than the one before it.",
        zh_definition: "每一层（或每一级）比前一层大多少倍。",
    },
    Term {
        en: "space amplification",
        zh: "空间放大",
        chapter: "strategies",
        en_definition: "Bytes on disk per byte of live data.",
        zh_definition: "磁盘上的字节数与有效数据字节数之比。",
    },
    Term {
        en: "manifest",
        zh: "清单文件",
        chapter: "manifest",
        en_definition: "The log of version edits that records which tables make up the database.",
        zh_definition: "记录数据库由哪些表组成的版本变更日志。",
    },
    Term {
        en: "version edit",
        zh: "版本变更",
        chapter: "manifest",
        en_definition: "One manifest record: tables added and removed, and the counters that moved.",
        zh_definition: "清单文件中的一条记录：增加和删除了哪些表，以及推进了哪些计数器。",
    },
    Term {
        en: "CURRENT",
        zh: "CURRENT 文件",
        chapter: "manifest",
        en_definition: "The one-line file naming the live manifest, replaced by an atomic rename.",
        zh_definition: "只有一行、指明当前清单文件的文件，通过原子 rename 替换。",
    },
    Term {
        en: "snapshot",
        zh: "快照",
        chapter: "snapshots",
        en_definition: "A remembered sequence number; reads through it see exactly the writes up to it.",
        zh_definition: "记住的一个序列号；通过它的读恰好看到截至该序列号的写。",
    },
    Term {
        en: "MVCC",
        zh: "多版本并发控制",
        chapter: "snapshots",
        en_definition: "Keeping several versions of a key so readers see a consistent state while a writer runs.",
        zh_definition: "为一个键保留多个版本，使读者在写者运行时也能看到一致的状态。",
    },
    Term {
        en: "throughput",
        zh: "吞吐量",
        chapter: "measuring",
        en_definition: "Operations completed per second.",
        zh_definition: "每秒完成的操作数。",
    },
    Term {
        en: "latency",
        zh: "延迟",
        chapter: "measuring",
        en_definition: "The time one operation takes, from call to return.",
        zh_definition: "一次操作从调用到返回所花的时间。",
    },
    Term {
        en: "compaction filter",
        zh: "合并过滤器",
        chapter: "ttl",
        en_definition: "A caller's rule that compaction applies to the newest version of a key no snapshot sees: keep it, remove it or change its value.",
        zh_definition: "调用方给出的规则，合并把它用在没有快照能看到的键的最新版本上：保留、移除或改值。",
    },
    Term {
        en: "time to live",
        zh: "存活时间",
        chapter: "ttl",
        en_definition: "How long a record stays visible after its write, by the time the caller sets; older records are hidden, then dropped by compaction.",
        zh_definition: "记录写入后保持可见的时长，按调用方设定的时间计算；超过它的记录先被隐藏，再由合并丢弃。",
    },
];
