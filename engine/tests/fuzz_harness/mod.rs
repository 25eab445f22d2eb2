//! What each fuzz target does with its input, shared by the targets in
//! `fuzz/` (which include this file by path) and by the corpus test in
//! `tests/fuzz_corpus.rs`, which runs every committed corpus input through
//! the same code on stable Rust.
//!
//! Every function feeds bytes to one decoder and checks the one rule of
//! bad input: an error is `Error::Corruption` naming the file, never a
//! panic, never an unbounded allocation.
#![allow(dead_code, clippy::unwrap_used)]

pub mod whole_db;

use strata_engine::batch::WriteBatch;
use strata_engine::bloom::BloomFilter;
use strata_engine::event::Tracer;
use strata_engine::iter::InternalIterator;
use strata_engine::options::MaintenanceMode;
use strata_engine::sstable::Table;
use strata_engine::trace::Trace;
use strata_engine::wal::LogReader;
use strata_engine::Error;
use strata_storage::{MemStorage, Storage};

/// A memory storage holding one file.
fn storage_with(name: &str, data: &[u8]) -> MemStorage {
    let storage = MemStorage::new();
    let mut file = storage.create(name).unwrap();
    file.append(data).unwrap();
    file.sync().unwrap();
    storage
}

fn assert_corruption_in(e: &Error, name: &str) {
    match e {
        Error::Corruption { file, .. } if file == name => {}
        other => panic!("expected corruption in {name}, got {other}"),
    }
}

/// Reads every record of a log, decoding each as a write batch.
pub fn wal_reader(data: &[u8]) {
    let name = "000001.log";
    let storage = storage_with(name, data);
    let mut reader = LogReader::new(storage.open(name).unwrap(), name.to_owned());
    loop {
        match reader.read_record() {
            Ok(Some(record)) => {
                if let Err(e) = WriteBatch::decode(&record, name, reader.last_record_offset()) {
                    assert_corruption_in(&e, name);
                }
            }
            Ok(None) => {
                assert!(reader.valid_end() <= data.len() as u64);
                return;
            }
            Err(e) => return assert_corruption_in(&e, name),
        }
    }
}

/// Opens a table (footer, index, filter), walks it both ways and looks up
/// the keys it holds.
pub fn table(data: &[u8]) {
    let name = "000001.sst";
    let storage = storage_with(name, data);
    let table = match Table::open(&storage, 1) {
        Ok(table) => table,
        Err(e) => return assert_corruption_in(&e, name),
    };
    let mut keys = Vec::new();
    let mut it = table.iter();
    let mut walk = || -> strata_engine::Result<()> {
        it.seek_to_first()?;
        while it.valid() && keys.len() < 10_000 {
            keys.push(it.key().to_vec());
            it.next()?;
        }
        it.seek_to_last()?;
        for _ in 0..100 {
            if !it.valid() {
                break;
            }
            it.prev()?;
        }
        Ok(())
    };
    if let Err(e) = walk() {
        assert_corruption_in(&e, name);
    }
    for key in keys.iter().take(100) {
        let user_key = key.get(..key.len().saturating_sub(8)).unwrap_or_default();
        if let Err(e) = table.get(user_key, u64::MAX >> 8, &Tracer::off()) {
            assert_corruption_in(&e, name);
        }
    }
    if let Err(e) = table.blocks() {
        assert_corruption_in(&e, name);
    }
}

/// Decodes a bloom filter and probes it.
pub fn bloom(data: &[u8]) {
    if let Some(filter) = BloomFilter::decode(data) {
        for key in [&b""[..], b"a", b"key00042", data] {
            let positions = filter.bit_positions(key);
            assert!(positions.iter().all(|&p| p < filter.bits()));
            let _ = filter.may_contain(key);
        }
    }
}

/// Replays a manifest.
pub fn manifest(data: &[u8]) {
    let name = "MANIFEST-000001";
    let storage = storage_with(name, data);
    if let Err(e) = strata_engine::manifest::replay_manifest(&storage, 1) {
        assert_corruption_in(&e, name);
    }
}

/// Decodes a write batch payload; what decodes re-encodes to the same
/// bytes.
pub fn batch(data: &[u8]) {
    match WriteBatch::decode(data, "batch", 0) {
        Ok((first_seq, ops)) => {
            let mut batch = WriteBatch::new();
            for op in &ops {
                match op {
                    strata_engine::BatchOp::Put { key, value } => batch.put(key, value),
                    strata_engine::BatchOp::Delete { key } => batch.delete(key),
                    strata_engine::BatchOp::DeleteRange { start, end } => {
                        batch.delete_range(start, end)
                    }
                };
            }
            assert_eq!(batch.encode(first_seq), data, "decode then encode");
        }
        Err(e) => assert_corruption_in(&e, "batch"),
    }
}

/// Imports a trace, and replays short ones on a fresh database.
pub fn trace(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(trace) = Trace::from_json(text) else {
        return;
    };
    let small = trace.steps.len() <= 32
        && trace.options.memtable_bytes_max <= 1 << 20
        && trace.options.maintenance != MaintenanceMode::Background;
    if small {
        let _ = strata_engine::trace::replay(&trace);
    }
}

/// Decodes one table block below its checksum (the fuzzer rarely forges a
/// CRC32C, so `table` seldom gets this far) and walks it; decodes the
/// first bytes as a footer (of either version) and the whole as a
/// range-deletion block.
pub fn block(data: &[u8]) {
    use strata_engine::sstable::{Block, Footer, RangeDelBlock, FOOTER_BYTES, FOOTER_V2_BYTES};
    let name = "000001.sst";
    for len in [FOOTER_BYTES, FOOTER_V2_BYTES] {
        if let Some(footer) = data.get(..len) {
            if let Err(e) = Footer::decode(footer, name, 0) {
                assert_corruption_in(&e, name);
            }
        }
    }
    if let Err(e) = RangeDelBlock::decode(data, 1, 0) {
        assert_corruption_in(&e, name);
    }
    let block = match Block::new(data.to_vec(), 1, 0) {
        Ok(block) => block,
        Err(e) => return assert_corruption_in(&e, name),
    };
    let mut it = block.iter();
    let mut walk = || -> strata_engine::Result<usize> {
        let mut entries = 0;
        it.seek_to_first()?;
        while it.valid() && entries < 100_000 {
            entries += 1;
            it.next()?;
        }
        it.seek_to_last()?;
        while it.valid() && entries < 200_000 {
            entries += 1;
            it.prev()?;
        }
        it.seek(b"key00042\xff\xff\xff\xff\xff\xff\xff\xff")?;
        Ok(entries)
    };
    if let Err(e) = walk() {
        assert_corruption_in(&e, name);
    }
}
