//! Building tables and reading them back: round trips, lookups, events.

use std::sync::Arc;

use strata_storage::{MemStorage, Storage};

use crate::error::{Error, Result};
use crate::event::{BloomVerdict, Event, TraceRecorder, Tracer};
use crate::iter::InternalIterator;
use crate::options::{Compression, Options};
use crate::record::{internal_key, ValueKind, MAX_KEY_BYTES, MAX_VALUE_BYTES};
use crate::table_meta::TableMeta;

use super::{Table, TableBuilder, TableLookup};

pub(super) type Entry = (Vec<u8>, Vec<u8>);

pub(super) fn options(block_size_bytes: usize, compression: Compression) -> Options {
    Options {
        block_size_bytes,
        compression,
        ..Options::default()
    }
}

pub(super) fn build(
    storage: &MemStorage,
    number: u64,
    entries: &[Entry],
    options: &Options,
) -> Result<TableMeta> {
    let mut builder = TableBuilder::new(storage, number, 0, options, Tracer::off())?;
    for (k, v) in entries {
        builder.add(k, v)?;
    }
    builder.finish()
}

pub(super) fn numbered(n: u32) -> Vec<Entry> {
    (0..n)
        .map(|i| {
            let key = internal_key(
                format!("key{i:05}").as_bytes(),
                1000 + u64::from(i),
                ValueKind::Put,
            );
            (key, format!("value-{i}-").repeat(3).into_bytes())
        })
        .collect()
}

fn scan(table: &Arc<Table>) -> Result<Vec<Entry>> {
    let mut it = table.iter();
    let mut out = Vec::new();
    it.seek_to_first()?;
    while it.valid() {
        out.push((it.key().to_vec(), it.value().to_vec()));
        it.next()?;
    }
    Ok(out)
}

fn scan_backward(table: &Arc<Table>) -> Result<Vec<Entry>> {
    let mut it = table.iter();
    let mut out = Vec::new();
    it.seek_to_last()?;
    while it.valid() {
        out.push((it.key().to_vec(), it.value().to_vec()));
        it.prev()?;
    }
    out.reverse();
    Ok(out)
}

#[test]
fn empty_table_builds_and_opens() -> Result<()> {
    let storage = MemStorage::new();
    let meta = build(&storage, 1, &[], &Options::default())?;
    assert_eq!(
        (meta.entries, meta.smallest.len(), meta.largest.len()),
        (0, 0, 0)
    );
    let table = Table::open(&storage, 1)?;
    assert_eq!((table.entries(), table.data_block_count()), (0, 0));
    assert!(scan(&table)?.is_empty() && scan_backward(&table)?.is_empty());
    let lookup = table.get(b"k", u64::MAX, &Tracer::off())?;
    assert!(matches!(
        lookup,
        TableLookup::FilteredOut | TableLookup::NotFound { .. }
    ));
    Ok(())
}

#[test]
fn one_key_table_round_trips() -> Result<()> {
    let storage = MemStorage::new();
    let entries = vec![(internal_key(b"only", 5, ValueKind::Put), b"v".to_vec())];
    let meta = build(&storage, 2, &entries, &Options::default())?;
    assert_eq!(
        (meta.smallest_user_key(), meta.largest_user_key()),
        (&b"only"[..], &b"only"[..])
    );
    let table = Table::open(&storage, 2)?;
    assert_eq!(scan(&table)?, entries);
    assert_eq!(scan_backward(&table)?, entries);
    let found = table.get(b"only", 5, &Tracer::off())?;
    assert_eq!(
        found,
        TableLookup::Found {
            seq: 5,
            kind: ValueKind::Put,
            value: b"v".to_vec()
        }
    );
    Ok(())
}

#[test]
fn tables_round_trip_with_lz4_on_and_off() -> Result<()> {
    let entries = numbered(3000);
    let storage = MemStorage::new();
    let plain = build(&storage, 1, &entries, &options(4096, Compression::None))?;
    let packed = build(&storage, 2, &entries, &options(4096, Compression::Lz4))?;
    assert!(packed.size_bytes < plain.size_bytes * 3 / 4);
    for number in [1, 2] {
        let table = Table::open(&storage, number)?;
        assert_eq!(table.entries(), 3000);
        assert_eq!(scan(&table)?, entries);
        assert_eq!(scan_backward(&table)?, entries);
        let blocks = table.blocks()?;
        assert_eq!(blocks.len(), table.data_block_count() as usize);
        assert!(blocks.iter().all(|b| b.compressed == (number == 2)));
        assert_eq!(
            blocks.iter().map(|b| u64::from(b.entries)).sum::<u64>(),
            3000
        );
    }
    Ok(())
}

#[test]
fn max_size_key_and_large_value_round_trip() -> Result<()> {
    let storage = MemStorage::new();
    let big_key = vec![b'k'; MAX_KEY_BYTES];
    let big_value: Vec<u8> = (0..MAX_VALUE_BYTES).map(|i| (i % 251) as u8).collect();
    let entries = vec![
        (internal_key(b"a", 1, ValueKind::Put), b"small".to_vec()),
        (internal_key(&big_key, 2, ValueKind::Put), big_value.clone()),
        (internal_key(b"z", 3, ValueKind::Delete), Vec::new()),
    ];
    for (number, compression) in [(1, Compression::None), (2, Compression::Lz4)] {
        build(&storage, number, &entries, &options(4096, compression))?;
        let table = Table::open(&storage, number)?;
        assert_eq!(scan(&table)?, entries);
        let found = table.get(&big_key, 10, &Tracer::off())?;
        assert_eq!(
            found,
            TableLookup::Found {
                seq: 2,
                kind: ValueKind::Put,
                value: big_value.clone()
            }
        );
    }
    Ok(())
}

#[test]
fn oversized_records_and_disorder_are_refused() -> Result<()> {
    let storage = MemStorage::new();
    let mut builder = TableBuilder::new(&storage, 1, 0, &Options::default(), Tracer::off())?;
    let too_long = internal_key(&vec![b'k'; MAX_KEY_BYTES + 1], 1, ValueKind::Put);
    assert!(matches!(
        builder.add(&too_long, b""),
        Err(Error::KeyTooLarge { .. })
    ));
    let big = vec![0; MAX_VALUE_BYTES + 1];
    assert!(matches!(
        builder.add(&internal_key(b"k", 1, ValueKind::Put), &big),
        Err(Error::ValueTooLarge { .. })
    ));
    builder.add(&internal_key(b"b", 5, ValueKind::Put), b"")?;
    for out_of_order in [
        internal_key(b"a", 9, ValueKind::Put),
        internal_key(b"b", 6, ValueKind::Put),
        internal_key(b"b", 5, ValueKind::Put),
    ] {
        assert!(builder.add(&out_of_order, b"").is_err());
    }
    assert!(builder.add(b"short", b"").is_err());
    builder.add(&internal_key(b"b", 4, ValueKind::Delete), b"")?;
    assert_eq!(builder.finish()?.entries, 2);
    Ok(())
}

/// Versions of "k" at seqs 100, 90, ..., 10, spread over several small
/// blocks, between neighbours "j" and "l".
fn versioned_table(storage: &MemStorage) -> Result<Arc<Table>> {
    let mut entries = vec![(internal_key(b"j", 50, ValueKind::Put), b"jj".to_vec())];
    for seq in (1..=10).rev().map(|s| s * 10) {
        let kind = if seq == 60 {
            ValueKind::Delete
        } else {
            ValueKind::Put
        };
        let value = if kind == ValueKind::Put {
            format!("k@{seq}-{}", "x".repeat(40)).into_bytes()
        } else {
            Vec::new()
        };
        entries.push((internal_key(b"k", seq, kind), value));
    }
    entries.push((internal_key(b"l", 70, ValueKind::Put), b"ll".to_vec()));
    build(storage, 7, &entries, &options(64, Compression::None))?;
    Table::open(storage, 7)
}

#[test]
fn get_returns_the_newest_version_visible_at_each_snapshot() -> Result<()> {
    let storage = MemStorage::new();
    let table = versioned_table(&storage)?;
    assert!(table.data_block_count() > 4, "versions should span blocks");
    let off = Tracer::off();
    for snapshot in 0..120 {
        let got = table.get(b"k", snapshot, &off)?;
        let expected = match snapshot / 10 * 10 {
            0 => TableLookup::NotFound {
                false_positive: false,
            },
            60 => TableLookup::Found {
                seq: 60,
                kind: ValueKind::Delete,
                value: Vec::new(),
            },
            s => {
                let s = s.min(100);
                let value = format!("k@{s}-{}", "x".repeat(40)).into_bytes();
                TableLookup::Found {
                    seq: s,
                    kind: ValueKind::Put,
                    value,
                }
            }
        };
        assert_eq!(got, expected, "snapshot {snapshot}");
    }
    assert_eq!(
        table.get(b"l", 69, &off)?,
        TableLookup::NotFound {
            false_positive: false
        }
    );
    Ok(())
}

#[test]
fn gets_report_filter_index_and_block_steps() -> Result<()> {
    let storage = MemStorage::new();
    let table = versioned_table(&storage)?;
    let recorder = TraceRecorder::new();
    let tracer = Tracer::new(Some(recorder.clone()));
    table.get(b"k", 35, &tracer)?;
    let events = recorder.take();
    assert!(matches!(
        events.first(),
        Some(Event::BloomProbe {
            verdict: BloomVerdict::MaybePresent,
            file_number: 7,
            ..
        })
    ));
    assert!(matches!(
        events.get(1),
        Some(Event::IndexSearch {
            block_index: Some(_),
            ..
        })
    ));
    let reads = events
        .iter()
        .filter(|e| matches!(e, Event::BlockRead { .. }))
        .count();
    assert!(
        reads >= 2,
        "the wanted version lies past the first block: {events:?}"
    );

    // An absent key the filter lets through (if any) is a false positive.
    let bloom = table
        .bloom()
        .ok_or_else(|| Error::InvalidOptions("no filter".into()))?;
    let passing = (0..100_000)
        .map(|i| format!("zz{i}"))
        .find(|k| bloom.may_contain(k.as_bytes()));
    assert!(passing.is_some());
    if let Some(key) = passing {
        assert_eq!(
            table.get(key.as_bytes(), 99, &tracer)?,
            TableLookup::NotFound {
                false_positive: true
            }
        );
        let events = recorder.take();
        assert!(matches!(
            events.get(1),
            Some(Event::IndexSearch {
                block_index: None,
                ..
            })
        ));
        assert!(matches!(
            events.last(),
            Some(Event::BloomFalsePositive { file_number: 7 })
        ));
    }
    let rejected = (0..10_000)
        .map(|i| format!("gone{i}"))
        .find(|k| !bloom.may_contain(k.as_bytes()));
    assert!(rejected.is_some());
    if let Some(key) = rejected {
        assert_eq!(
            table.get(key.as_bytes(), 99, &tracer)?,
            TableLookup::FilteredOut
        );
        let events = recorder.take();
        assert!(
            matches!(events.as_slice(), [Event::BloomProbe { verdict: BloomVerdict::DefinitelyAbsent, bit_positions, .. }] if bit_positions.len() == 7)
        );
    }
    Ok(())
}

#[test]
fn building_reports_blocks_filter_and_summary() -> Result<()> {
    let storage = MemStorage::new();
    let recorder = TraceRecorder::new();
    let mut builder = TableBuilder::new(
        &storage,
        4,
        2,
        &options(256, Compression::Lz4),
        Tracer::new(Some(recorder.clone())),
    )?;
    for (k, v) in numbered(100) {
        builder.add(&k, &v)?;
    }
    let meta = builder.finish()?;
    let events = recorder.take();
    let blocks = events
        .iter()
        .filter(|e| matches!(e, Event::BlockWritten { .. }))
        .count();
    assert!(blocks > 5);
    assert!(matches!(
        events.get(blocks),
        Some(Event::BloomBuilt {
            keys: 100,
            hash_count: 7,
            ..
        })
    ));
    let Some(Event::TableFinished { table, data_blocks }) = events.last() else {
        return Err(Error::InvalidOptions(format!("no summary: {events:?}")));
    };
    assert_eq!(
        (
            table.level,
            table.file_number,
            table.entries,
            *data_blocks as usize
        ),
        (2, 4, 100, blocks)
    );
    assert_eq!(
        (table.smallest.as_slice(), table.largest.as_slice()),
        (&b"key00000"[..], &b"key00099"[..])
    );
    assert_eq!(table.size_bytes, meta.size_bytes);
    assert_eq!(
        storage.len("000004.sst").map_err(|e| Error::Io {
            file: String::new(),
            source: e
        })?,
        meta.size_bytes
    );
    Ok(())
}

#[test]
fn tables_without_a_filter_never_claim_false_positives() -> Result<()> {
    let storage = MemStorage::new();
    let opts = Options {
        bloom_bits_per_key: 0,
        ..Options::default()
    };
    build(&storage, 3, &numbered(10), &opts)?;
    let table = Table::open(&storage, 3)?;
    assert!(table.bloom().is_none());
    assert_eq!(
        table.get(b"key00003x", 99, &Tracer::off())?,
        TableLookup::NotFound {
            false_positive: false
        }
    );
    assert!(matches!(
        table.get(b"key00003", 2000, &Tracer::off())?,
        TableLookup::Found { seq: 1003, .. }
    ));
    Ok(())
}

/// Blocks of a file that lends its bytes are read in place and skip the
/// block cache, unless they are compressed: decompressing again on every
/// read would cost more than the cache saves.
#[test]
fn compressed_blocks_of_an_in_memory_file_go_through_the_cache() -> Result<()> {
    let entries = numbered(3000);
    let storage = MemStorage::new();
    build(&storage, 1, &entries, &options(4096, Compression::None))?;
    build(&storage, 2, &entries, &options(4096, Compression::Lz4))?;
    let key = internal_key(b"key01500", u64::MAX >> 8, ValueKind::Put);
    for (number, cached) in [(1, false), (2, true)] {
        let cache = Arc::new(super::BlockCache::new(1 << 20));
        let table = Table::open_cached(&storage, number, Some(Arc::clone(&cache)))?;
        for _ in 0..3 {
            let mut it = table.iter();
            it.seek(&key)?;
            assert!(it.valid());
        }
        assert_eq!(cache.hits() > 0, cached, "table {number}");
        assert_eq!(cache.used_bytes() > 0, cached, "table {number}");
    }
    Ok(())
}
