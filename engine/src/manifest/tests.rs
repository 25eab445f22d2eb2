#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use strata_storage::{MemStorage, Storage};

use super::*;
use crate::filename::MAX_FILE_NUMBER;
use crate::record::{internal_key, ValueKind, MAX_INTERNAL_KEY_BYTES, MAX_SEQNO};
use crate::table_meta::TableMeta;
use crate::wal::LogWriter;

fn table(file_number: u64, smallest: &str, largest: &str) -> TableMeta {
    TableMeta {
        file_number,
        size_bytes: 1000 + file_number,
        entries: 10,
        smallest: internal_key(smallest.as_bytes(), 5, ValueKind::Put),
        largest: internal_key(largest.as_bytes(), 1, ValueKind::Delete),
        smallest_seq: 1,
        largest_seq: file_number,
    }
}

fn base_edit() -> VersionEdit {
    VersionEdit {
        log_number: Some(4),
        next_file_number: Some(20),
        last_seq: Some(100),
        added: vec![
            (0, table(7, "a", "z")),
            (1, table(5, "a", "f")),
            (1, table(6, "g", "m")),
        ],
        ..VersionEdit::default()
    }
}

fn corruption_in(result: crate::Result<RecoveredManifest>, name: &str) -> u64 {
    match result {
        Err(crate::Error::Corruption { file, offset, .. }) => {
            assert_eq!(file, name);
            offset
        }
        other => panic!("expected corruption, got {other:?}"),
    }
}

fn arb_table() -> impl Strategy<Value = TableMeta> {
    let key = proptest::collection::vec(any::<u8>(), 0..40);
    let seqs = (0..=MAX_SEQNO, 0..=MAX_SEQNO);
    (
        0..=MAX_FILE_NUMBER,
        any::<u64>(),
        any::<u64>(),
        key.clone(),
        key,
        seqs,
    )
        .prop_map(|(f, s, e, a, b, (lo, hi))| TableMeta {
            file_number: f,
            size_bytes: s,
            entries: e,
            smallest: a,
            largest: b,
            smallest_seq: lo,
            largest_seq: hi,
        })
}

fn arb_edit() -> impl Strategy<Value = VersionEdit> {
    let level = 0..NUM_LEVELS as u32;
    (
        proptest::option::of(0..=MAX_FILE_NUMBER),
        proptest::option::of(0..=MAX_FILE_NUMBER),
        proptest::option::of(0..=MAX_SEQNO),
        proptest::collection::vec((level.clone(), arb_table()), 0..5),
        proptest::collection::vec((level.clone(), 0..=MAX_FILE_NUMBER), 0..5),
        proptest::collection::vec((level, proptest::collection::vec(any::<u8>(), 0..30)), 0..3),
        proptest::option::of(1..=NUM_LEVELS as u32),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(
            |(l, n, s, added, removed, compact_pointers, tiered_levels, write_times)| VersionEdit {
                log_number: l,
                next_file_number: n,
                last_seq: s,
                added,
                removed,
                compact_pointers,
                tiered_levels,
                write_times,
            },
        )
}

proptest! {
    #[test]
    fn edits_round_trip(edit in arb_edit()) {
        prop_assert_eq!(VersionEdit::decode(&edit.encode()), Ok(edit));
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = VersionEdit::decode(&bytes);
    }
}

/// A counter past its limit is refused when read, so it can never wrap
/// once incremented.
#[test]
fn counters_past_their_limits_do_not_decode() {
    let too_far = [
        VersionEdit {
            next_file_number: Some(MAX_FILE_NUMBER + 1),
            ..VersionEdit::default()
        },
        VersionEdit {
            log_number: Some(u64::MAX),
            ..VersionEdit::default()
        },
        VersionEdit {
            last_seq: Some(MAX_SEQNO + 1),
            ..VersionEdit::default()
        },
        VersionEdit {
            added: vec![(0, table(MAX_FILE_NUMBER + 1, "a", "b"))],
            ..VersionEdit::default()
        },
    ];
    for edit in too_far {
        let decoded = VersionEdit::decode(&edit.encode());
        assert!(decoded.is_err(), "{edit:?} decoded as {decoded:?}");
    }
    let at_limit = VersionEdit {
        next_file_number: Some(MAX_FILE_NUMBER),
        last_seq: Some(MAX_SEQNO),
        ..VersionEdit::default()
    };
    assert_eq!(VersionEdit::decode(&at_limit.encode()), Ok(at_limit));
}

#[test]
fn malformed_edits_are_refused() {
    assert!(VersionEdit::decode(&[99])
        .unwrap_err()
        .contains("unknown tag"));
    let mut bad_level = vec![5];
    bad_level.extend_from_slice(&(NUM_LEVELS as u32).to_le_bytes());
    bad_level.extend_from_slice(&1u64.to_le_bytes());
    assert!(VersionEdit::decode(&bad_level).is_err());
    let mut long_key = vec![6, 0, 0, 0, 0];
    long_key.extend_from_slice(&(MAX_INTERNAL_KEY_BYTES as u32 + 1).to_le_bytes());
    assert!(VersionEdit::decode(&long_key).is_err());
    let once = VersionEdit {
        log_number: Some(1),
        ..VersionEdit::default()
    }
    .encode();
    let twice = [once.clone(), once].concat();
    assert!(VersionEdit::decode(&twice).is_err());
    let bytes = base_edit().encode();
    for cut in 1..bytes.len() {
        // Prefixes ending inside a field fail; none panic.
        let _ = VersionEdit::decode(&bytes[..cut]);
    }
    assert!(VersionEdit::decode(&bytes[..bytes.len() - 1]).is_err());
}

#[test]
fn apply_orders_level0_newest_first_and_deeper_levels_by_key() {
    let mut edit = VersionEdit::default();
    edit.add_table(0, table(3, "a", "c"))
        .add_table(0, table(9, "b", "d"))
        .add_table(0, table(4, "a", "z"))
        .add_table(2, table(8, "p", "q"))
        .add_table(2, table(2, "a", "b"));
    let v = Version::default().apply(&edit).unwrap();
    let numbers = |level| {
        v.level(level)
            .iter()
            .map(|t| t.file_number)
            .collect::<Vec<_>>()
    };
    assert_eq!(numbers(0), [9, 4, 3]);
    assert_eq!(numbers(2), [2, 8]);
    assert_eq!(v.table_count(), 5);
    assert_eq!(v.level_bytes(2), 1002 + 1008);
    assert_eq!(
        v.live_files().into_iter().collect::<Vec<_>>(),
        [2, 3, 4, 8, 9]
    );
    assert_eq!(
        v.tables().next().map(|(l, t)| (l, t.file_number)),
        Some((0, 9))
    );
    assert!(v.level(NUM_LEVELS).is_empty());
    v.check_invariants().unwrap();
}

#[test]
fn apply_refuses_absent_removals_and_duplicate_additions() {
    let v = Version::default().apply(&base_edit()).unwrap();
    let mut remove_absent = VersionEdit::default();
    remove_absent.remove_table(2, 5);
    assert!(
        v.apply(&remove_absent).is_err(),
        "table 5 is at level 1, not 2"
    );
    let mut duplicate = VersionEdit::default();
    duplicate.add_table(3, table(6, "x", "y"));
    assert!(v.apply(&duplicate).is_err());
    let mut bad_level = VersionEdit::default();
    bad_level.add_table(NUM_LEVELS as u32, table(30, "x", "y"));
    assert!(v.apply(&bad_level).is_err());
    // Moving a table down a level in one edit is fine.
    let mut moved = VersionEdit::default();
    moved.remove_table(1, 6).add_table(2, table(6, "g", "m"));
    let v2 = v.apply(&moved).unwrap();
    assert_eq!(v2.level(2)[0].file_number, 6);
    assert_eq!(v.level(1).len(), 2, "the old version is unchanged");
}

#[test]
fn overlapping_tables_below_level0_break_the_invariants() {
    let mut edit = VersionEdit::default();
    edit.add_table(1, table(1, "a", "k"))
        .add_table(1, table(2, "k", "z"));
    let v = Version::default().apply(&edit).unwrap();
    assert!(v.check_invariants().unwrap_err().contains("overlap"));
    let mut reversed = VersionEdit::default();
    reversed.add_table(3, table(1, "z", "a"));
    assert!(Version::default()
        .apply(&reversed)
        .unwrap()
        .check_invariants()
        .is_err());
}

#[test]
fn snapshot_edit_recreates_the_version() {
    let v = Version::default().apply(&base_edit()).unwrap();
    let copy = Version::default().apply(&v.snapshot_edit()).unwrap();
    assert_eq!(copy.snapshot_edit(), v.snapshot_edit());
    assert_eq!(v.snapshot_edit().added.len(), 3);
}

#[test]
fn manifest_create_append_replay() -> crate::Result<()> {
    let storage = MemStorage::new();
    let mut writer = ManifestWriter::create(&storage, 2, &base_edit())?;
    assert_eq!(read_current(&storage)?, Some(2));
    let mut flush = VersionEdit {
        log_number: Some(21),
        next_file_number: Some(23),
        last_seq: Some(250),
        compact_pointers: vec![(1, b"m".to_vec())],
        ..VersionEdit::default()
    };
    flush.add_table(0, table(22, "c", "d"));
    writer.append(&flush)?;
    let mut compaction = VersionEdit {
        compact_pointers: vec![(1, b"q".to_vec()), (2, b"a".to_vec())],
        ..VersionEdit::default()
    };
    compaction
        .remove_table(0, 7)
        .remove_table(1, 5)
        .add_table(2, table(8, "a", "z"));
    writer.append(&compaction)?;
    assert_eq!(
        (writer.file_number(), writer.size_bytes()),
        (2, storage.len("MANIFEST-000002").unwrap())
    );
    drop(writer);
    storage.crash();

    let r = replay_manifest(&storage, 2)?;
    assert_eq!(
        (r.log_number, r.next_file_number, r.last_seq, r.edits),
        (21, 23, 250, 3)
    );
    assert_eq!(r.compact_pointers, [(1, b"q".to_vec()), (2, b"a".to_vec())]);
    assert_eq!(
        r.version.live_files().into_iter().collect::<Vec<_>>(),
        [6, 8, 22]
    );
    assert!(!r.torn_tail);
    Ok(())
}

#[test]
fn new_manifest_takes_over_current() -> crate::Result<()> {
    let storage = MemStorage::new();
    ManifestWriter::create(&storage, 2, &base_edit())?;
    let v = replay_manifest(&storage, 2)?.version;
    let base = VersionEdit {
        log_number: Some(4),
        next_file_number: Some(31),
        last_seq: Some(100),
        ..v.snapshot_edit()
    };
    ManifestWriter::create(&storage, 30, &base)?;
    storage.crash();
    assert_eq!(read_current(&storage)?, Some(30));
    let r = replay_manifest(&storage, 30)?;
    assert_eq!((r.edits, r.version.table_count()), (1, 3));
    Ok(())
}

#[test]
fn torn_last_edit_is_ignored() -> crate::Result<()> {
    let storage = MemStorage::new();
    let mut writer = ManifestWriter::create(&storage, 2, &base_edit())?;
    let intact_len = writer.size_bytes();
    let mut edit = VersionEdit {
        last_seq: Some(500),
        ..VersionEdit::default()
    };
    edit.add_table(0, table(11, "b", "c"));
    writer.append(&edit)?;
    let full_len = writer.size_bytes();
    drop(writer);
    for cut in intact_len + 1..full_len {
        let copy = storage.snapshot();
        copy.truncate("MANIFEST-000002", cut).unwrap();
        let r = replay_manifest(&copy, 2)?;
        assert_eq!(
            (r.edits, r.last_seq, r.torn_tail, r.valid_end),
            (1, 100, true, intact_len)
        );
    }
    Ok(())
}

#[test]
fn damage_before_an_intact_edit_is_corruption() -> crate::Result<()> {
    let storage = MemStorage::new();
    let mut writer = ManifestWriter::create(&storage, 2, &base_edit())?;
    writer.append(&VersionEdit {
        last_seq: Some(101),
        ..VersionEdit::default()
    })?;
    drop(writer);
    storage.corrupt_byte("MANIFEST-000002", 20, 0x10).unwrap();
    assert_eq!(
        corruption_in(replay_manifest(&storage, 2), "MANIFEST-000002"),
        0
    );
    Ok(())
}

/// A manifest holding `base_edit()` and then `payload` as raw records.
fn manifest_with_raw_record(payload: &[u8]) -> (MemStorage, u64) {
    let storage = MemStorage::new();
    ManifestWriter::create(&storage, 2, &base_edit()).unwrap();
    let file = storage.open_append("MANIFEST-000002").unwrap();
    let mut log = LogWriter::new(file, 2);
    let info = log.add_record(payload).unwrap();
    (storage, info.offset)
}

#[test]
fn undecodable_or_inapplicable_edits_are_corruption() {
    let (storage, offset) = manifest_with_raw_record(&[42, 1, 2]);
    assert_eq!(
        corruption_in(replay_manifest(&storage, 2), "MANIFEST-000002"),
        offset
    );

    let mut remove_absent = VersionEdit::default();
    remove_absent.remove_table(3, 99);
    let (storage, offset) = manifest_with_raw_record(&remove_absent.encode());
    assert_eq!(
        corruption_in(replay_manifest(&storage, 2), "MANIFEST-000002"),
        offset
    );

    let mut overlapping = VersionEdit::default();
    overlapping.add_table(1, table(12, "b", "c"));
    let (storage, offset) = manifest_with_raw_record(&overlapping.encode());
    assert_eq!(
        corruption_in(replay_manifest(&storage, 2), "MANIFEST-000002"),
        offset
    );
}

#[test]
fn manifest_missing_counters_is_corruption() {
    let storage = MemStorage::new();
    let base = VersionEdit {
        next_file_number: None,
        ..base_edit()
    };
    ManifestWriter::create(&storage, 2, &base).unwrap();
    corruption_in(replay_manifest(&storage, 2), "MANIFEST-000002");

    let stale = VersionEdit {
        next_file_number: Some(7),
        ..base_edit()
    };
    ManifestWriter::create(&storage, 3, &stale).unwrap();
    corruption_in(replay_manifest(&storage, 3), "MANIFEST-000003");

    corruption_in(replay_manifest(&storage, 9), "MANIFEST-000009");
}

#[test]
fn current_round_trips_and_is_absent_in_an_empty_directory() -> crate::Result<()> {
    let storage = MemStorage::new();
    assert_eq!(read_current(&storage)?, None);
    set_current(&storage, 1_234_567)?;
    assert_eq!(read_current(&storage)?, Some(1_234_567));
    storage.crash();
    assert_eq!(
        read_current(&storage)?,
        Some(1_234_567),
        "CURRENT is durable"
    );
    Ok(())
}

#[test]
fn malformed_current_is_corruption() {
    for content in [
        &b""[..],
        b"MANIFEST-000002",
        b"MANIFEST-2\n",
        b"000002.log\n",
        b"MANIFEST-000002\n\n",
        b"\xff\n",
        &[b'x'; 100],
    ] {
        let storage = MemStorage::new();
        strata_storage::write_atomic(&storage, "CURRENT", content).unwrap();
        let err = read_current(&storage).unwrap_err();
        assert!(
            matches!(&err, crate::Error::Corruption { file, .. } if file == "CURRENT"),
            "{content:?}: {err}"
        );
    }
}
