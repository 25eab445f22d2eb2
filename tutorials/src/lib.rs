//! Strata's tutorials: chapters that teach the engine, compiled and run by
//! `cargo test`.
//!
//! Each chapter in `tutorials/chapters/` is included below as the
//! documentation of a module, so rustdoc runs its Rust code blocks as
//! doctests; `tests/scenes.rs` runs every `scene` block (see [`scene`]).
//! [`CHAPTERS`] exports the chapters for the web app, which shows one beside
//! the visualizer.
//!
//! Read them on a code host, with `mdbook serve tutorials`, or in the app.

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
    /// The chapter's Markdown.
    pub markdown: &'static str,
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
    ($($module:ident $file:literal $slug:literal $title:literal;)*) => {
        $(
            #[doc = include_str!(concat!("../chapters/", $file))]
            pub mod $module {}
        )*
        /// Every chapter, in reading order.
        pub const CHAPTERS: &[Chapter] = &[$(
            Chapter {
                slug: $slug,
                file: $file,
                title: $title,
                markdown: include_str!(concat!("../chapters/", $file)),
            },
        )*];
    };
}

chapters! {
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
}

/// The repository README, whose example runs as a doctest.
#[doc = include_str!("../../README.md")]
pub struct Readme;
