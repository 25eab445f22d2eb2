#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::Arc;

use strata_storage::{MemStorage, Storage};

use super::*;
use crate::error::Error;

const NAME: &str = "000001.log";

/// Recognisable payload bytes: record `seed` of `len` bytes.
fn payload(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| seed.wrapping_mul(31).wrapping_add(i as u8))
        .collect()
}

/// A log of `records`, each synced after it is appended (so each later
/// fragment says the earlier records are durable).
fn write_log(records: &[Vec<u8>]) -> (MemStorage, Vec<AppendInfo>) {
    let storage = MemStorage::new();
    let mut writer = LogWriter::new(storage.create(NAME).unwrap(), 1);
    let infos = records
        .iter()
        .map(|r| {
            let info = writer.add_record(r).unwrap();
            writer.sync().unwrap();
            info
        })
        .collect();
    (storage, infos)
}

/// A log of `records` where only the first `synced` are synced.
fn write_log_synced_up_to(records: &[Vec<u8>], synced: usize) -> (MemStorage, Vec<AppendInfo>) {
    let storage = MemStorage::new();
    let mut writer = LogWriter::new(storage.create(NAME).unwrap(), 1);
    let infos = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let info = writer.add_record(r).unwrap();
            if i < synced {
                writer.sync().unwrap();
            }
            info
        })
        .collect();
    (storage, infos)
}

fn log_bytes(storage: &MemStorage) -> Vec<u8> {
    storage
        .files()
        .into_iter()
        .find(|(n, _)| n == NAME)
        .unwrap()
        .1
}

fn storage_with(bytes: &[u8]) -> MemStorage {
    let storage = MemStorage::new();
    storage.create(NAME).unwrap().append(bytes).unwrap();
    storage
}

/// Reads records until the end or an error.
fn read_log(storage: &MemStorage) -> (Vec<Vec<u8>>, crate::Result<()>, LogReader) {
    let mut reader = LogReader::new(storage.open(NAME).unwrap(), NAME.to_owned());
    let mut records = Vec::new();
    loop {
        match reader.read_record() {
            Ok(Some(r)) => records.push(r),
            Ok(None) => return (records, Ok(()), reader),
            Err(e) => return (records, Err(e), reader),
        }
    }
}

fn corruption_offset(result: crate::Result<()>) -> u64 {
    match result {
        Err(Error::Corruption { file, offset, .. }) => {
            assert_eq!(file, NAME);
            offset
        }
        other => panic!("expected corruption, got {other:?}"),
    }
}

#[test]
fn empty_and_one_byte_records_round_trip() {
    let records = vec![vec![], vec![7], vec![], payload(3, 100)];
    let (storage, infos) = write_log(&records);
    assert!(infos.iter().all(|i| i.fragments == [FragmentKind::Full]));
    assert_eq!(infos[1].offset, HEADER_BYTES as u64);
    assert_eq!(infos[1].bytes, HEADER_BYTES as u64 + 1);
    let (read, result, reader) = read_log(&storage);
    result.unwrap();
    assert_eq!(read, records);
    assert!(!reader.torn_tail());
    assert_eq!(reader.valid_end(), storage.len(NAME).unwrap());
    assert_eq!(reader.last_record_offset(), infos[3].offset);
}

#[test]
fn empty_log_has_no_records() {
    let (storage, _) = write_log(&[]);
    let (read, result, reader) = read_log(&storage);
    result.unwrap();
    assert!(read.is_empty());
    assert!(!reader.torn_tail());
}

#[test]
fn record_exactly_filling_a_block_is_one_full_fragment() {
    let records = vec![payload(1, BLOCK_SIZE_BYTES - HEADER_BYTES), payload(2, 10)];
    let (storage, infos) = write_log(&records);
    assert_eq!(infos[0].fragments, [FragmentKind::Full]);
    assert_eq!(infos[0].bytes, BLOCK_SIZE_BYTES as u64);
    assert_eq!(infos[1].offset, BLOCK_SIZE_BYTES as u64);
    assert_eq!(read_log(&storage).0, records);
}

#[test]
fn record_spanning_three_blocks_is_first_middle_last() {
    let records = vec![
        payload(1, 100),
        payload(2, 2 * BLOCK_SIZE_BYTES + 50),
        payload(3, 5),
    ];
    let (storage, infos) = write_log(&records);
    assert_eq!(
        infos[1].fragments,
        [
            FragmentKind::First,
            FragmentKind::Middle,
            FragmentKind::Last
        ]
    );
    let five_blocks = payload(4, 4 * BLOCK_SIZE_BYTES);
    let (storage2, infos2) = write_log(std::slice::from_ref(&five_blocks));
    assert_eq!(infos2[0].fragments.len(), 5);
    assert_eq!(infos2[0].fragments[2], FragmentKind::Middle);
    assert_eq!(read_log(&storage).0, records);
    assert_eq!(read_log(&storage2).0, vec![five_blocks]);
}

#[test]
fn header_that_would_straddle_a_block_end_is_padded() {
    let first_len = BLOCK_SIZE_BYTES - HEADER_BYTES - 3;
    let records = vec![payload(1, first_len), payload(2, 20)];
    let (storage, infos) = write_log(&records);
    assert_eq!(
        infos[1].offset, BLOCK_SIZE_BYTES as u64,
        "three padding bytes"
    );
    assert_eq!(infos[1].bytes, HEADER_BYTES as u64 + 20);
    let bytes = log_bytes(&storage);
    assert_eq!(&bytes[BLOCK_SIZE_BYTES - 3..BLOCK_SIZE_BYTES], &[0, 0, 0]);
    assert_eq!(read_log(&storage).0, records);
}

#[test]
fn exactly_a_header_left_in_a_block_starts_with_an_empty_first_fragment() {
    let records = vec![
        payload(1, BLOCK_SIZE_BYTES - 2 * HEADER_BYTES),
        payload(2, 20),
    ];
    let (storage, infos) = write_log(&records);
    assert_eq!(
        infos[1].fragments,
        [FragmentKind::First, FragmentKind::Last]
    );
    assert_eq!(read_log(&storage).0, records);
}

#[test]
fn reopened_writer_continues_mid_block() {
    let mut records = vec![payload(1, 1000), payload(2, BLOCK_SIZE_BYTES - 1010)];
    let (storage, _) = write_log(&records);
    let mut writer = LogWriter::new(storage.open_append(NAME).unwrap(), 1);
    for (i, len) in [(3, 5), (4, 40_000), (5, 0)] {
        let info = writer.add_record(&payload(i, len)).unwrap();
        assert!(info.offset >= 1000 + BLOCK_SIZE_BYTES as u64 - 1010);
        records.push(payload(i, len));
    }
    let (read, result, reader) = read_log(&storage);
    result.unwrap();
    assert_eq!(read, records);
    assert!(!reader.torn_tail());
}

#[test]
fn oversized_record_is_refused_before_writing() {
    let storage = MemStorage::new();
    let mut writer = LogWriter::new(storage.create(NAME).unwrap(), 1);
    let err = writer
        .add_record(&vec![0; MAX_RECORD_BYTES + 1])
        .unwrap_err();
    assert!(matches!(err, Error::BatchTooLarge { .. }));
    assert_eq!(writer.len(), 0);
}

/// Cuts the log at `cut` and checks that exactly the records before the
/// last one come back, with a torn tail ending where the last record began.
fn check_cut(bytes: &[u8], cut: usize, records: &[Vec<u8>], last_start: u64) {
    let storage = storage_with(&bytes[..cut]);
    let (read, result, reader) = read_log(&storage);
    result.unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
    assert_eq!(read, records[..records.len() - 1], "cut at {cut}");
    assert_eq!(
        reader.valid_end(),
        last_start.min(cut as u64),
        "cut at {cut}"
    );
    assert_eq!(reader.torn_tail(), cut as u64 > last_start, "cut at {cut}");
}

#[test]
fn torn_tail_at_every_byte_of_a_short_last_record_is_ignored() {
    let records = vec![payload(1, 50), payload(2, 300), payload(3, 120)];
    let (storage, infos) = write_log(&records);
    let bytes = log_bytes(&storage);
    let last_start = infos[2].offset;
    for cut in last_start as usize..bytes.len() {
        check_cut(&bytes, cut, &records, last_start);
    }
}

#[test]
fn torn_tail_of_a_record_spanning_blocks_is_ignored() {
    // The last record starts just before a block end, after padding.
    let records = vec![
        payload(1, BLOCK_SIZE_BYTES - 200),
        payload(2, BLOCK_SIZE_BYTES + 600),
    ];
    let (storage, infos) = write_log(&records);
    let bytes = log_bytes(&storage);
    let last_start = infos[1].offset as usize;
    let near_boundary = |c: usize| {
        c < last_start + 64
            || (BLOCK_SIZE_BYTES * 2).abs_diff(c) < 64
            || BLOCK_SIZE_BYTES.abs_diff(c) < 64
    };
    let cuts = (last_start..bytes.len())
        .filter(|&c| near_boundary(c) || c % 97 == 0 || c + 16 > bytes.len());
    for cut in cuts {
        check_cut(&bytes, cut, &records, last_start as u64);
    }
}

#[test]
fn zeros_after_the_last_record_are_a_torn_tail() {
    for zeros in [1, HEADER_BYTES, 500, 2 * BLOCK_SIZE_BYTES + 3] {
        let records = vec![payload(1, 30), payload(2, 40)];
        let (storage, _) = write_log(&records);
        let mut bytes = log_bytes(&storage);
        let end = bytes.len() as u64;
        bytes.resize(bytes.len() + zeros, 0);
        let (read, result, reader) = read_log(&storage_with(&bytes));
        result.unwrap();
        assert_eq!(read, records);
        assert!(reader.torn_tail());
        assert_eq!(reader.valid_end(), end);
    }
}

#[test]
fn damaged_earlier_record_is_corruption_at_its_offset() {
    let records: Vec<_> = (0..6)
        .map(|i| payload(i, 40 + usize::from(i) * 10))
        .collect();
    let (storage, infos) = write_log(&records);
    let bytes = log_bytes(&storage);
    let damaged = &infos[2];
    for at in damaged.offset..damaged.offset + damaged.bytes {
        let mut copy = bytes.clone();
        copy[at as usize] ^= 0x40;
        let (read, result, _) = read_log(&storage_with(&copy));
        assert_eq!(corruption_offset(result), damaged.offset, "byte {at}");
        assert_eq!(read, records[..2]);
    }
}

#[test]
fn damage_followed_by_intact_blocks_is_corruption() {
    let records = vec![
        payload(1, 100),
        payload(2, 3 * BLOCK_SIZE_BYTES),
        payload(3, 10),
    ];
    let (storage, infos) = write_log(&records);
    // Damage the middle fragment (the start of block 2); the last fragment
    // and the next record in block 3 are intact.
    let block2 = 2 * BLOCK_SIZE_BYTES;
    storage.corrupt_byte(NAME, block2 + 100, 1).unwrap();
    let (read, result, _) = read_log(&storage);
    assert_eq!(corruption_offset(result), block2 as u64);
    assert_eq!(read, records[..1]);
    assert!(infos[1].fragments.len() == 4);
}

#[test]
fn record_without_its_last_fragment_before_an_intact_record_is_corruption() {
    let records = vec![payload(1, 10), payload(2, BLOCK_SIZE_BYTES + 10)];
    let (storage, infos) = write_log(&records);
    // Cut the last fragment off, then keep writing as if nothing happened.
    storage.truncate(NAME, BLOCK_SIZE_BYTES as u64).unwrap();
    let mut writer = LogWriter::new(storage.open_append(NAME).unwrap(), 1);
    writer.sync().unwrap();
    writer.add_record(b"later").unwrap();
    let (read, result, _) = read_log(&storage);
    assert_eq!(corruption_offset(result), infos[1].offset);
    assert_eq!(read, records[..1]);
}

#[test]
fn corruption_is_reported_again_on_the_next_read() {
    let (storage, infos) = write_log(&[payload(1, 10), payload(2, 10)]);
    storage.corrupt_byte(NAME, 9, 0xff).unwrap();
    let mut reader = LogReader::new(storage.open(NAME).unwrap(), NAME.to_owned());
    assert!(reader.read_record().unwrap_err().is_corruption());
    assert!(reader.read_record().unwrap_err().is_corruption());
    assert_eq!(infos[0].offset, 0);
}

#[test]
fn flipping_any_byte_never_panics_or_returns_wrong_records() {
    let records = vec![payload(1, 0), payload(2, 30), payload(3, 1), payload(4, 60)];
    let (storage, infos) = write_log(&records);
    let bytes = log_bytes(&storage);
    for at in 0..bytes.len() {
        for xor in [0x01, 0x80, 0xff] {
            let mut copy = bytes.clone();
            copy[at] ^= xor;
            let (read, result, reader) = read_log(&storage_with(&copy));
            assert_eq!(read, records[..read.len()], "byte {at} ^ {xor:#x}");
            let in_last = at as u64 >= infos[3].offset;
            match result {
                Ok(()) => assert!(in_last && reader.torn_tail(), "byte {at} ^ {xor:#x}"),
                Err(e) => assert!(e.is_corruption() && !in_last, "byte {at} ^ {xor:#x}: {e}"),
            }
        }
    }
}

#[test]
fn garbage_files_never_panic() {
    let mut rng = crate::rng::SeededRng::new(7);
    for len in [1, 6, 7, 8, 100, BLOCK_SIZE_BYTES - 1, BLOCK_SIZE_BYTES + 9] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        let (read, _, _) = read_log(&storage_with(&bytes));
        assert!(read.is_empty());
    }
    let file: Arc<dyn strata_storage::ReadableFile> = storage_with(&[1, 2, 3]).open(NAME).unwrap();
    let mut reader = LogReader::new(file, NAME.to_owned());
    assert!(reader.read_record().unwrap().is_none());
    assert!(reader.torn_tail());
}

#[test]
fn fragments_carry_the_length_at_the_last_sync() {
    let storage = MemStorage::new();
    let mut writer = LogWriter::new(storage.create(NAME).unwrap(), 1);
    let first = writer.add_record(b"one").unwrap();
    writer.sync().unwrap();
    let second = writer.add_record(b"two").unwrap();
    let third = writer.add_record(b"three").unwrap();
    assert_eq!(writer.synced_len(), second.offset);
    let bytes = log_bytes(&storage);
    let synced_at = |offset: u64| {
        let at = offset as usize + 7;
        u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap())
    };
    assert_eq!(synced_at(first.offset), 0);
    assert_eq!(synced_at(second.offset), second.offset);
    assert_eq!(synced_at(third.offset), second.offset);
}

/// A crash that wrote back a later unsynced record but not an earlier one
/// leaves a hole followed by intact records: a torn tail, never an error.
#[test]
fn intact_unsynced_records_after_a_hole_are_a_torn_tail() {
    let records: Vec<_> = (0..6).map(|i| payload(i, 200)).collect();
    let (storage, infos) = write_log_synced_up_to(&records, 2);
    let bytes = log_bytes(&storage);
    for (hole, fill) in [(2, 0u8), (3, 0), (4, 0xa5), (3, 0x5a)] {
        let mut copy = bytes.clone();
        let info = &infos[hole];
        let range = info.offset as usize..(info.offset + info.bytes) as usize;
        copy[range].fill(fill);
        let (read, result, reader) = read_log(&storage_with(&copy));
        result.unwrap_or_else(|e| panic!("hole in record {hole}: {e}"));
        assert_eq!(read, records[..hole], "hole in record {hole}");
        assert!(reader.torn_tail());
        assert_eq!(reader.valid_end(), info.offset);
    }
}

#[test]
fn a_hole_before_a_later_sync_is_corruption() {
    let records: Vec<_> = (0..6).map(|i| payload(i, 200)).collect();
    // Records 0..=3 synced: record 4 says 0..=3 are durable.
    let (storage, infos) = write_log_synced_up_to(&records, 4);
    let mut bytes = log_bytes(&storage);
    let info = &infos[2];
    bytes[info.offset as usize..(info.offset + info.bytes) as usize].fill(0);
    let (read, result, _) = read_log(&storage_with(&bytes));
    assert_eq!(corruption_offset(result), info.offset);
    assert_eq!(read, records[..2]);
}

#[test]
fn a_fragment_claiming_a_sync_past_its_own_start_is_damage() {
    let mut log = Vec::new();
    let (padding, _) = encode_fragments(&mut log, 0, 1, b"impossible");
    assert_eq!(padding, 0);
    let (read, result, reader) = read_log(&storage_with(&log));
    result.unwrap();
    assert!(read.is_empty());
    assert!(reader.torn_tail());
    assert_eq!(reader.valid_end(), 0);
}
