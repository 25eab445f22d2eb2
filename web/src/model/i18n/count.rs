//! Counted nouns in both languages: "1 record" / "3 records" in English,
//! "1 条记录" / "3 条记录" in Chinese, where the measure word belongs to
//! the noun and nothing changes with the number.

use super::{shown, Lang};

/// A noun that is counted somewhere on the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noun {
    /// Records (key, sequence number, value or tombstone).
    Record,
    /// Keys.
    Key,
    /// Tables (SSTables).
    Table,
    /// Data blocks of a table.
    DataBlock,
    /// Blocks, where the kind is clear.
    Block,
    /// Version edits in a manifest.
    Edit,
    /// Write batches in a log.
    Batch,
    /// Sources merged by a scan.
    Source,
    /// Writes in a batch.
    Write,
    /// Entries a scan returned.
    Entry,
    /// Fragments of a log record.
    Fragment,
    /// Tombstones.
    Tombstone,
    /// Probes of a bloom filter.
    Probe,
    /// Operations of a run.
    Operation,
    /// Typed commands.
    Command,
    /// Bits of a filter.
    Bit,
    /// Range tombstones.
    RangeTombstone,
}

/// Every noun, for the completeness test.
pub const NOUNS: [Noun; 17] = [
    Noun::Record,
    Noun::Key,
    Noun::Table,
    Noun::DataBlock,
    Noun::Block,
    Noun::Edit,
    Noun::Batch,
    Noun::Source,
    Noun::Write,
    Noun::Entry,
    Noun::Fragment,
    Noun::Tombstone,
    Noun::Probe,
    Noun::Operation,
    Noun::Command,
    Noun::Bit,
    Noun::RangeTombstone,
];

fn english(noun: Noun) -> (&'static str, &'static str) {
    match noun {
        Noun::Record => ("record", "records"),
        Noun::Key => ("key", "keys"),
        Noun::Table => ("table", "tables"),
        Noun::DataBlock => ("data block", "data blocks"),
        Noun::Block => ("block", "blocks"),
        Noun::Edit => ("edit", "edits"),
        Noun::Batch => ("batch", "batches"),
        Noun::Source => ("source", "sources"),
        Noun::Write => ("write", "writes"),
        Noun::Entry => ("entry", "entries"),
        Noun::Fragment => ("fragment", "fragments"),
        Noun::Tombstone => ("tombstone", "tombstones"),
        Noun::Probe => ("probe", "probes"),
        Noun::Operation => ("operation", "operations"),
        Noun::Command => ("command", "commands"),
        Noun::Bit => ("bit", "bits"),
        Noun::RangeTombstone => ("range tombstone", "range tombstones"),
    }
}

/// The measure word and the noun.
fn chinese(noun: Noun) -> &'static str {
    match noun {
        Noun::Record => "条记录",
        Noun::Key => "个键",
        Noun::Table => "张表",
        Noun::DataBlock => "个数据块",
        Noun::Block => "个块",
        Noun::Edit => "次版本变更",
        Noun::Batch => "个批次",
        Noun::Source => "个来源",
        Noun::Write => "次写入",
        Noun::Entry => "个条目",
        Noun::Fragment => "个片段",
        Noun::Tombstone => "个墓碑",
        Noun::Probe => "次探测",
        Noun::Operation => "个操作",
        Noun::Command => "条命令",
        Noun::Bit => "位",
        Noun::RangeTombstone => "个范围墓碑",
    }
}

/// `n` of `noun` in `lang`.
pub fn count_in(lang: Lang, n: u64, noun: Noun) -> String {
    match lang {
        Lang::En => {
            let (one, many) = english(noun);
            format!("{n} {}", if n == 1 { one } else { many })
        }
        Lang::Zh => format!("{n} {}", chinese(noun)),
    }
}

/// `n` of `noun` in the language shown.
pub fn count(n: u64, noun: Noun) -> String {
    count_in(shown(), n, noun)
}

/// A list of names in `lang`: `a, b` / `a、b`.
pub fn list_in(lang: Lang, items: &[String]) -> String {
    match lang {
        Lang::En => items.join(", "),
        Lang::Zh => items.join("、"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_counts_take_the_plural_except_for_one() {
        assert_eq!(count_in(Lang::En, 1, Noun::Table), "1 table");
        assert_eq!(count_in(Lang::En, 0, Noun::Table), "0 tables");
        assert_eq!(count_in(Lang::En, 2, Noun::Entry), "2 entries");
        assert_eq!(count_in(Lang::En, 1, Noun::Batch), "1 batch");
    }

    #[test]
    fn chinese_counts_use_the_measure_word_of_the_noun() {
        assert_eq!(count_in(Lang::Zh, 1, Noun::Table), "1 张表");
        assert_eq!(count_in(Lang::Zh, 2, Noun::Table), "2 张表");
        assert_eq!(count_in(Lang::Zh, 3, Noun::Record), "3 条记录");
    }

    #[test]
    fn every_noun_has_distinct_words_in_both_languages() {
        for noun in NOUNS {
            let (one, many) = english(noun);
            assert_ne!(one, many, "{noun:?}");
            assert!(!chinese(noun).is_ascii(), "{noun:?}");
        }
    }
}
