//! Strata's tutorials: chapters that teach the engine, compiled and run by
//! `cargo test`.
//!
//! Each chapter in `tutorials/chapters/` is included below as the
//! documentation of a module, so rustdoc runs its Rust code blocks as
//! doctests; `tests/scenes.rs` runs every `scene` block (see [`scene`]).
//! [`CHAPTERS`] exports the chapters for the web app, which shows one beside
//! the visualizer.
//!
//! The chapters come in two editions, English and Simplified Chinese
//! (`tutorials/chapters/zh/`, [`CHAPTERS_ZH`], [`chapters`]`(`[`Lang::Zh`]`)`).
//! The Chinese edition has the same files, headings, scenes and Rust blocks
//! (`tests/editions.rs` checks it), and its Rust blocks run as doctests too.
//! [`glossary::GLOSSARY`] holds the terms both editions teach, for the
//! glossary pages and the visualizer's term tooltips.
//!
//! Read them on a code host, with `mdbook serve tutorials`, or in the app.

pub mod edition;
pub mod glossary;
pub mod scene;

/// A tutorial chapter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chapter {
    /// Short name for links, e.g. `why-lsm` (the file is `NN-slug.md`).
    pub slug: &'static str,
    /// The chapter's file name in `tutorials/chapters/` (`06-bloom.md`):
    /// what links between chapters point at.
    pub file: &'static str,
    /// The chapter's title (its first heading).
    pub title: &'static str,
    /// The language the chapter is written in.
    pub lang: Lang,
    /// The chapter's Markdown.
    pub markdown: &'static str,
}

/// A language the chapters are written in. Both editions have the same
/// chapters, slugs and file names; only the prose differs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English, in `tutorials/chapters/`.
    En,
    /// Simplified Chinese, in `tutorials/chapters/zh/`.
    Zh,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The language's BCP 47 tag (`en`, `zh-CN`), as `book.toml` and HTML
    /// `lang` attributes spell it.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// The chapters' folder under `tutorials/chapters/` (`""` or `"zh/"`).
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::Zh => "zh/",
        }
    }
}

/// The chapters written in `lang`, in reading order.
pub fn chapters(lang: Lang) -> &'static [Chapter] {
    match lang {
        Lang::En => CHAPTERS,
        Lang::Zh => CHAPTERS_ZH,
    }
}

impl Chapter {
    /// The chapter's scene blocks, in order.
    pub fn scenes(&self) -> Vec<scene::SceneBlock> {
        scene::scene_blocks(self.markdown)
    }
}

/// The chapter with `slug` and its position in [`CHAPTERS`] (for previous
/// and next links).
pub fn chapter(slug: &str) -> Option<(usize, &'static Chapter)> {
    CHAPTERS.iter().enumerate().find(|(_, c)| c.slug == slug)
}

/// The chapter a link between chapters points at (`06-bloom.md`,
/// `./06-bloom.md#goals`; the `#` part is ignored).
pub fn chapter_by_file(link: &str) -> Option<(usize, &'static Chapter)> {
    let file = link.split('#').next().unwrap_or_default();
    let file = file.strip_prefix("./").unwrap_or(file);
    CHAPTERS.iter().enumerate().find(|(_, c)| c.file == file)
}

macro_rules! chapters {
    (
        $(#[$attr:meta])* $list:ident, $lang:ident, $dir:literal,
        $($module:ident $file:literal $slug:literal $title:literal;)*
    ) => {
        $(
            #[doc = include_str!(concat!("../chapters/", $dir, $file))]
            pub mod $module {}
        )*
        $(#[$attr])*
        pub const $list: &[Chapter] = &[$(
            Chapter {
                slug: $slug,
                file: $file,
                title: $title,
                lang: Lang::$lang,
                markdown: include_str!(concat!("../chapters/", $dir, $file)),
            },
        )*];
    };
}

chapters! {
    /// Every chapter, in reading order.
    CHAPTERS, En, "",
    ch01_why_lsm "01-why-lsm.md" "why-lsm" "Why LSM-trees";
    ch02_records "02-records.md" "records" "Records, sequence numbers and tombstones";
    ch03_memtable "03-memtable.md" "memtable" "The memtable and its skiplist";
    ch04_wal "04-wal.md" "wal" "The write-ahead log and crash recovery";
    ch05_sstable "05-sstable.md" "sstable" "The SSTable format";
    ch06_bloom "06-bloom.md" "bloom" "Bloom filters";
    ch07_read_path "07-read-path.md" "read-path" "The read path and merging iterators";
    ch08_flush "08-flush.md" "flush" "Flush and level 0";
    ch09_leveled_compaction "09-leveled-compaction.md" "leveled-compaction" "Leveled compaction";
    ch10_tombstones "10-tombstones.md" "tombstones" "Tombstones: when a delete can be forgotten";
    ch11_strategies "11-strategies.md" "strategies" "Compaction strategies and amplification";
    ch12_manifest "12-manifest.md" "manifest" "The manifest, versions and crash safety";
    ch13_snapshots "13-snapshots.md" "snapshots" "Snapshots and MVCC";
    ch14_measuring "14-measuring.md" "measuring" "Measuring and tuning";
    ch15_ttl "15-ttl.md" "ttl" "Time to live and compaction filters";
    ch16_case_study_qlsm "16-case-study-qlsm.md" "case-study-qlsm" "Case study: the qlsm benchmark";
}

/// The Chinese edition (`tutorials/chapters/zh/`), included like the
/// English one so its Rust blocks run as doctests too.
pub mod zh {
    use super::{Chapter, Lang};

    chapters! {
        /// The Chinese edition of [`CHAPTERS`](crate::CHAPTERS): the same
        /// slugs and file names in the same order, with Chinese titles.
        CHAPTERS_ZH, Zh, "zh/",
        ch01_why_lsm "01-why-lsm.md" "why-lsm" "为什么用 LSM 树";
        ch02_records "02-records.md" "records" "记录、序列号与墓碑";
        ch03_memtable "03-memtable.md" "memtable" "内存表与跳表";
        ch04_wal "04-wal.md" "wal" "预写日志与崩溃恢复";
        ch05_sstable "05-sstable.md" "sstable" "SSTable 格式";
        ch06_bloom "06-bloom.md" "bloom" "布隆过滤器";
        ch07_read_path "07-read-path.md" "read-path" "读路径与归并迭代器";
        ch08_flush "08-flush.md" "flush" "刷写与 L0 层";
        ch09_leveled_compaction "09-leveled-compaction.md" "leveled-compaction" "分层合并";
        ch10_tombstones "10-tombstones.md" "tombstones" "墓碑：删除何时可以被遗忘";
        ch11_strategies "11-strategies.md" "strategies" "合并策略与放大";
        ch12_manifest "12-manifest.md" "manifest" "清单文件、版本与崩溃安全";
        ch13_snapshots "13-snapshots.md" "snapshots" "快照与 MVCC";
        ch14_measuring "14-measuring.md" "measuring" "测量与调优";
        ch15_ttl "15-ttl.md" "ttl" "存活时间与合并过滤器";
        ch16_case_study_qlsm "16-case-study-qlsm.md" "case-study-qlsm" "案例研究：qlsm 基准测试";
    }
}

pub use zh::CHAPTERS_ZH;

/// The repository README, whose example runs as a doctest.
#[doc = include_str!("../../README.md")]
pub struct Readme;
