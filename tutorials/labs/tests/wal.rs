//! Lab 2 — WAL framing: round trips, byte-identical output, every
//! truncation, every flipped byte, and logs the engine itself wrote (a
//! write-ahead log and a manifest, which shares the format).

mod common;

use std::sync::Arc;

use common::Data;
use strata_engine::batch::WriteBatch;
use strata_engine::filename::{parse, FileKind};
use strata_engine::manifest::VersionEdit;
use strata_engine::wal::{LogReader, LogWriter};
use strata_engine::{Db, Options};
use strata_labs::wal::{encode_record, read_log, LogEnd, BLOCK_SIZE_BYTES, HEADER_BYTES};
use strata_storage::{MemStorage, Storage};

/// Every third record is synced after it is appended: the logs mix
/// fragments that say earlier records are durable with ones that do not.
fn synced_after(index: usize) -> bool {
    index % 3 == 2
}

/// The log the student's writer makes of `records`, and each record's end.
fn student_log(records: &[Vec<u8>]) -> (Vec<u8>, Vec<u64>) {
    let mut log = Vec::new();
    let mut ends = Vec::new();
    let mut synced_len = 0;
    for (i, record) in records.iter().enumerate() {
        let bytes = encode_record(log.len() as u64, synced_len, record);
        log.extend_from_slice(&bytes);
        ends.push(log.len() as u64);
        if synced_after(i) {
            synced_len = log.len() as u64;
        }
    }
    (log, ends)
}

/// The engine's own log of `records`.
fn engine_log(records: &[Vec<u8>]) -> Vec<u8> {
    let storage = MemStorage::new();
    let file = storage.create("oracle.log").expect("create");
    let mut writer = LogWriter::new(file, 1);
    for (i, record) in records.iter().enumerate() {
        writer.add_record(record).expect("append");
        if synced_after(i) {
            writer.sync().expect("sync");
        }
    }
    let len = writer.len() as usize;
    drop(writer);
    let mut bytes = strata_storage::read_all(&storage, "oracle.log").expect("read");
    bytes.truncate(len);
    bytes
}

/// What the engine's reader makes of `log`: the records, and the offset of
/// damage or the end of the intact part.
fn engine_read(log: &[u8]) -> (Vec<Vec<u8>>, LogEnd) {
    let storage = MemStorage::new();
    let mut file = storage.create("oracle.log").expect("create");
    file.append(log).expect("append");
    let mut reader = LogReader::new(storage.open("oracle.log").expect("open"), "o".into());
    let mut records = Vec::new();
    loop {
        match reader.read_record() {
            Ok(Some(r)) => records.push(r),
            Ok(None) if reader.torn_tail() => {
                let valid_end = reader.valid_end();
                return (records, LogEnd::TornTail { valid_end });
            }
            Ok(None) => return (records, LogEnd::Clean),
            Err(strata_engine::Error::Corruption { offset, .. }) => {
                return (records, LogEnd::Damaged { offset })
            }
            Err(e) => panic!("oracle: {e}"),
        }
    }
}

/// Records of awkward sizes: empty, tiny, exactly filling a block's rest,
/// several blocks long.
fn awkward_records() -> Vec<Vec<u8>> {
    let mut data = Data::new(17);
    let sizes = [
        0,
        1,
        100,
        BLOCK_SIZE_BYTES - 2 * HEADER_BYTES - 101,
        3,
        2 * BLOCK_SIZE_BYTES + 5,
        BLOCK_SIZE_BYTES - HEADER_BYTES,
        10,
    ];
    sizes.iter().map(|&n| data.bytes(n)).collect()
}

fn small_records(n: usize) -> Vec<Vec<u8>> {
    let mut data = Data::new(5);
    (0..n)
        .map(|_| {
            let len = data.below(120) as usize;
            data.bytes(len)
        })
        .collect()
}

#[test]
fn records_round_trip_through_the_block_format() {
    let records = awkward_records();
    let (log, _) = student_log(&records);
    assert_eq!(
        read_log(&log),
        (records, LogEnd::Clean),
        "wal lab: read_log must return every record written by encode_record"
    );
}

#[test]
fn the_writer_is_byte_identical_to_the_engine() {
    for records in [awkward_records(), small_records(300)] {
        let (ours, _) = student_log(&records);
        let theirs = engine_log(&records);
        let first_difference = ours.iter().zip(&theirs).position(|(a, b)| a != b);
        assert!(
            ours == theirs,
            "wal lab: encode_record differs from the engine's log writer (lengths {} vs {}, \
             first different byte at {first_difference:?})",
            ours.len(),
            theirs.len()
        );
    }
}

#[test]
fn every_truncation_keeps_the_whole_records_before_it() {
    let records = small_records(40);
    let (log, ends) = student_log(&records);
    for cut in 0..=log.len() {
        let (got, end) = read_log(&log[..cut]);
        let whole = ends.iter().filter(|&&e| e <= cut as u64).count();
        assert_eq!(
            got,
            records[..whole],
            "wal lab: a log cut at byte {cut} must give back the {whole} whole records before the cut"
        );
        assert_eq!(
            (got, end),
            engine_read(&log[..cut]),
            "wal lab: a log cut at byte {cut}: torn tail or clean end as the engine says"
        );
    }
}

#[test]
fn truncations_around_a_block_boundary_are_torn_tails() {
    let records = awkward_records();
    let (log, _) = student_log(&records);
    for cut in (BLOCK_SIZE_BYTES - 40..BLOCK_SIZE_BYTES + 40).chain(log.len() - 20..log.len()) {
        assert_eq!(
            read_log(&log[..cut]),
            engine_read(&log[..cut]),
            "wal lab: a log cut at byte {cut} (near a block boundary)"
        );
    }
}

#[test]
fn every_flipped_byte_is_damage_or_a_torn_tail_as_the_engine_says() {
    let records = small_records(25);
    let (log, _) = student_log(&records);
    for at in 0..log.len() {
        let mut bad = log.clone();
        bad[at] ^= 0x20;
        let (got, end) = read_log(&bad);
        assert!(
            records.starts_with(&got),
            "wal lab: byte {at} flipped: a damaged record must never be returned"
        );
        assert_eq!(
            (got, end),
            engine_read(&bad),
            "wal lab: byte {at} flipped: records and end must match the engine's reader \
             (damage before a fragment saying it was synced is Damaged, otherwise a TornTail)"
        );
    }
}

#[test]
fn the_engines_own_log_files_read_back_as_its_batches() {
    let storage = Arc::new(MemStorage::new());
    let db = Db::open(storage.clone(), Options::deterministic()).expect("open");
    let mut batches = 0;
    for i in 0..50u32 {
        let mut batch = WriteBatch::new();
        batch.put(format!("key{i}"), vec![b'v'; (i * 37) as usize]);
        if i % 5 == 0 {
            batch.delete(format!("key{}", i / 2));
        }
        db.write(&batch).expect("write");
        batches += 1;
    }
    let names = storage.list().expect("list");
    let wal = names
        .iter()
        .find(|n| matches!(parse(n), Some(FileKind::Wal(_))))
        .expect("a log file");
    let bytes = strata_storage::read_all(storage.as_ref(), wal).expect("read");
    let (got, end) = read_log(&bytes);
    assert!(
        matches!(end, LogEnd::Clean | LogEnd::TornTail { .. }),
        "wal lab: the engine's live log reads to its end, got {end:?}"
    );
    assert_eq!(got.len(), batches, "wal lab: one record per write batch");
    for (i, record) in got.iter().enumerate() {
        assert!(
            WriteBatch::decode(record, wal, 0).is_ok(),
            "wal lab: record {i} of the engine's log must be a whole write batch"
        );
    }
}

#[test]
fn the_engines_manifest_reads_back_as_version_edits() {
    let storage = Arc::new(MemStorage::new());
    let options = Options {
        memtable_bytes_max: 1024,
        ..Options::deterministic()
    };
    let db = Db::open(storage.clone(), options).expect("open");
    for i in 0..400u32 {
        db.put(format!("key{:03}", i % 97), [b'v'; 30])
            .expect("put");
    }
    db.flush().expect("flush");
    let names = storage.list().expect("list");
    let manifest = names
        .iter()
        .find(|n| matches!(parse(n), Some(FileKind::Manifest(_))))
        .expect("a manifest");
    let bytes = strata_storage::read_all(storage.as_ref(), manifest).expect("read");
    let (edits, end) = read_log(&bytes);
    assert!(
        matches!(end, LogEnd::Clean | LogEnd::TornTail { .. }),
        "wal lab: the manifest reads to its end, got {end:?}"
    );
    assert!(
        edits.len() > 2,
        "wal lab: the manifest holds an edit per flush"
    );
    for (i, edit) in edits.iter().enumerate() {
        assert!(
            VersionEdit::decode(edit).is_ok(),
            "wal lab: record {i} of the manifest must be a whole version edit"
        );
    }
}
