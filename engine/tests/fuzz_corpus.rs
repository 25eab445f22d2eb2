//! The fuzz targets' seed corpus (`fuzz/corpus/<target>/`): real files the
//! engine wrote, and every committed input run through the targets' checks
//! on stable Rust, so `cargo test` catches a regression on any of them.
//!
//! The seeds are checked against what the engine writes today; regenerate
//! them with `STRATA_WRITE_CORPUS=1 cargo test -p strata-engine --test fuzz_corpus`.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod fuzz_harness;

use std::path::PathBuf;
use std::sync::Arc;

use strata_engine::bloom::BloomFilter;
use strata_engine::range_tombstone::RangeTombstone;
use strata_engine::record::internal_key;
use strata_engine::sstable::BlockBuilder;
use strata_engine::sstable::RangeDelBlock;
use strata_engine::trace::{TraceOp, TraceRunner};
use strata_engine::{
    Compression, Db, MaintenanceMode, Options, ValueKind, WriteBatch, WriteOptions,
};
use strata_storage::{MemStorage, Storage};

type Target = (&'static str, fn(&[u8]));

const TARGETS: [Target; 9] = [
    ("wal_reader", fuzz_harness::wal_reader),
    ("table", fuzz_harness::table),
    ("bloom", fuzz_harness::bloom),
    ("manifest", fuzz_harness::manifest),
    ("batch", fuzz_harness::batch),
    ("trace", fuzz_harness::trace),
    ("block", fuzz_harness::block),
    ("directory", fuzz_harness::whole_db::directory),
    ("operations", fuzz_harness::whole_db::operations),
];

fn corpus_dir(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target)
}

/// The whole-database checks on pseudo-random inputs, and on random
/// mutations of a real database image: a short stable-Rust stand-in for
/// the fuzzers (`STRATA_FUZZ_INPUTS` sets how many, default 60).
#[test]
fn whole_database_checks_hold_on_random_inputs() {
    let count = std::env::var("STRATA_FUZZ_INPUTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60u64);
    let real = fuzz_harness::whole_db::encode_directory(&database_files(Compression::None, 10));
    let mut rng = strata_engine::rng::SeededRng::new(99);
    for i in 0..count {
        let len = (rng.next_u64() % 2000) as usize;
        let random: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        fuzz_harness::whole_db::operations(&random);
        let mut mutated = real.clone();
        for _ in 0..=(i % 8) {
            let at = (rng.next_u64() as usize) % mutated.len();
            mutated[at] ^= 1 << (rng.next_u64() % 8);
        }
        fuzz_harness::whole_db::directory(&mutated);
        fuzz_harness::whole_db::directory(&random);
    }
}

#[test]
fn every_corpus_input_passes_the_fuzz_checks() {
    let mut inputs = 0;
    for (target, check) in TARGETS {
        let Ok(dir) = std::fs::read_dir(corpus_dir(target)) else {
            continue;
        };
        for entry in dir {
            let path = entry.unwrap().path();
            check(&std::fs::read(&path).unwrap());
            inputs += 1;
        }
    }
    println!("{inputs} corpus inputs checked");
}

/// Files of a small database: logs, tables (with and without filters and
/// compression) and a manifest with flushes and compactions.
fn database_files(compression: Compression, bloom_bits_per_key: u32) -> Vec<(String, Vec<u8>)> {
    let storage = MemStorage::new();
    let options = Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        l0_compaction_trigger: 2,
        compression,
        bloom_bits_per_key,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    };
    let db = Db::open(Arc::new(storage.clone()), options).unwrap();
    for i in 0..120u32 {
        let mut batch = WriteBatch::new();
        batch.put(
            format!("key{:04}", i % 70),
            format!("value {i} {}", "ab".repeat((i % 13) as usize)),
        );
        if i % 9 == 0 {
            batch.delete(format!("key{:04}", i / 2));
        }
        db.write_opt(&batch, WriteOptions { sync: i % 5 == 0 })
            .unwrap();
        if i == 100 {
            db.flush().unwrap();
            while db.maintenance_step().unwrap().is_some() {}
        }
    }
    drop(db);
    storage.files()
}

/// Checks a committed seed against what the engine writes today, or with
/// `STRATA_WRITE_CORPUS=1` writes it.
fn write_seed(target: &str, name: &str, data: &[u8]) {
    let dir = corpus_dir(target);
    let path = dir.join(name);
    if std::env::var_os("STRATA_WRITE_CORPUS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(path, data).unwrap();
    } else {
        let committed = std::fs::read(&path).unwrap_or_default();
        assert!(
            committed == data,
            "{} differs from what the engine writes now; regenerate with \
             STRATA_WRITE_CORPUS=1 cargo test -p strata-engine --test fuzz_corpus",
            path.display()
        );
    }
}

#[test]
fn the_seed_corpus_matches_what_the_engine_writes() {
    for (tag, compression, bits) in [
        ("plain", Compression::None, 10),
        ("lz4", Compression::Lz4, 10),
        ("nofilter", Compression::None, 0),
    ] {
        for (name, data) in database_files(compression, bits) {
            let target = match name.rsplit('.').next() {
                Some("log") => "wal_reader",
                Some("sst") => "table",
                _ if name.starts_with("MANIFEST") => "manifest",
                _ => continue,
            };
            if data.len() <= 16 << 10 {
                write_seed(target, &format!("{tag}-{name}"), &data);
            }
        }
    }
    let mut batch = WriteBatch::new();
    batch.put(b"apple", b"red").delete(b"banana").put(b"", b"");
    write_seed("batch", "three-ops", &batch.encode(42));
    let mut ranged = WriteBatch::new();
    ranged
        .put(b"a", b"1")
        .delete_range(b"b", b"m")
        .put(b"c", b"2");
    write_seed("batch", "range-delete", &ranged.encode(7));
    let block = RangeDelBlock {
        tombstones: vec![
            RangeTombstone::new(b"b".to_vec(), b"m".to_vec(), 9),
            RangeTombstone::new(b"d".to_vec(), b"z".to_vec(), 12),
        ],
    };
    write_seed("block", "range-del", &block.encode());
    for (name, data) in range_tombstone_tables() {
        write_seed("table", &format!("range-{name}"), &data);
    }
    write_seed("batch", "empty", &WriteBatch::new().encode(1));
    let keys: Vec<String> = (0..50).map(|i| format!("key{i}")).collect();
    write_seed("bloom", "ten-bits", &BloomFilter::build(&keys, 10).encode());
    write_seed(
        "bloom",
        "two-bits",
        &BloomFilter::build(&keys[..5], 2).encode(),
    );
    write_seed("trace", "small", small_trace().as_bytes());
    let files = database_files(Compression::None, 10);
    let image = fuzz_harness::whole_db::encode_directory(&files);
    write_seed("directory", "small-database", &image);
    let no_current: Vec<_> = files.into_iter().filter(|(n, _)| n != "CURRENT").collect();
    let image = fuzz_harness::whole_db::encode_directory(&no_current);
    write_seed("directory", "no-current", &image);
    let ops: Vec<u8> = (0..120u8)
        .flat_map(|i| [i.wrapping_mul(37) % 16, i, i.wrapping_mul(11)])
        .collect();
    write_seed("operations", "mixed", &[&[7, 0][..], &ops].concat());
    for (name, restart_interval) in [("restart-1", 1), ("restart-16", 16)] {
        let mut block = BlockBuilder::new(restart_interval);
        for i in 0..20u64 {
            let key = internal_key(format!("key{i:05}").as_bytes(), 100 - i, ValueKind::Put);
            block.add(&key, format!("value {i}").as_bytes());
        }
        write_seed("block", name, &block.finish());
    }
}

/// Tables holding range tombstones: flushed from a memtable and written by
/// a compaction that cut its outputs.
fn range_tombstone_tables() -> Vec<(String, Vec<u8>)> {
    let storage = MemStorage::new();
    let options = Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        target_file_size_bytes: 1024,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    };
    let db = Db::open(Arc::new(storage.clone()), options).unwrap();
    for i in 0..60u32 {
        db.put(
            format!("key{i:04}"),
            format!("value {i} {}", "cd".repeat(20)),
        )
        .unwrap();
    }
    let held = db.snapshot();
    db.delete_range("key0010", "key0040").unwrap();
    db.put("key0020", "again").unwrap();
    db.flush().unwrap();
    db.compact_range::<&[u8]>(..).unwrap();
    db.delete_range("key0045", "key0050").unwrap();
    db.flush().unwrap();
    drop(held);
    drop(db);
    storage
        .files()
        .into_iter()
        .filter(|(name, data)| {
            let number = name.strip_suffix(".sst").and_then(|n| n.parse().ok());
            number.is_some_and(|n| {
                data.len() <= 16 << 10
                    && !strata_engine::sstable::Table::read_range_tombstones(&storage, n)
                        .unwrap()
                        .is_empty()
            })
        })
        .collect()
}

fn small_trace() -> String {
    let options = Options {
        memtable_bytes_max: 1024,
        ..Options::deterministic()
    };
    let mut runner =
        TraceRunner::open(Arc::new(MemStorage::new()) as Arc<dyn Storage>, options).unwrap();
    let ops = [
        TraceOp::Put {
            key: b"a".to_vec(),
            value: b"1".to_vec(),
        },
        TraceOp::Snapshot,
        TraceOp::Delete { key: b"a".to_vec() },
        TraceOp::Get {
            key: b"a".to_vec(),
            snapshot: Some(0),
        },
        TraceOp::Flush,
        TraceOp::Scan {
            start: None,
            end: None,
            reverse: true,
            limit: Some(3),
        },
        TraceOp::Step,
    ];
    for op in ops {
        runner.apply(op);
    }
    runner.finish().to_json()
}
