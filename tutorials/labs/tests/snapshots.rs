//! Lab 8 — snapshots: the visibility rule, a model test of the
//! multi-version map against `BTreeMap` copies taken at each snapshot, and
//! the same writes read through the engine's own snapshots.

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::Data;
use strata_engine::{Db, Options};
use strata_labs::snapshots::{is_visible, read_at, KeyVersion, SeqNo, ValueKind, VersionedMap};
use strata_storage::MemStorage;

fn version(seq: SeqNo, kind: ValueKind, value: &[u8]) -> KeyVersion {
    KeyVersion {
        seq,
        kind,
        value: value.to_vec(),
    }
}

#[test]
fn a_reader_sees_versions_at_or_below_its_sequence_number() {
    assert!(
        is_visible(5, 5),
        "snapshots lab: a version at the snapshot's own seq is seen"
    );
    assert!(is_visible(4, 5), "snapshots lab: older versions are seen");
    assert!(!is_visible(6, 5), "snapshots lab: newer versions are not");
}

#[test]
fn the_newest_visible_version_decides_and_a_tombstone_hides() {
    let versions = [
        version(9, ValueKind::Put, b"nine"),
        version(7, ValueKind::Delete, b""),
        version(3, ValueKind::Put, b"three"),
    ];
    let cases: [(SeqNo, Option<&[u8]>); 5] = [
        (2, None),
        (3, Some(b"three")),
        (6, Some(b"three")),
        (8, None),
        (100, Some(b"nine")),
    ];
    for (read_seq, expected) in cases {
        assert_eq!(
            read_at(&versions, read_seq),
            expected,
            "snapshots lab: read at {read_seq}"
        );
    }
    assert_eq!(
        read_at(&[], 5),
        None,
        "snapshots lab: a key with no versions"
    );
}

/// Random writes with snapshots taken along the way; returns the map, the
/// snapshots with the model copied at each, and the write log.
type Written = (
    VersionedMap,
    Vec<(SeqNo, BTreeMap<Vec<u8>, Vec<u8>>)>,
    Vec<(Vec<u8>, Option<Vec<u8>>)>,
);

fn written(seed: u64, writes: usize) -> Written {
    let mut data = Data::new(seed);
    let mut map = VersionedMap::new();
    let mut model = BTreeMap::new();
    let mut snapshots = Vec::new();
    let mut log = Vec::new();
    for i in 0..writes {
        let key = format!("k{:03}", data.below(60)).into_bytes();
        if data.below(4) == 0 {
            map.delete(&key);
            model.remove(&key);
            log.push((key, None));
        } else {
            let value = data.bytes_below(9);
            map.put(&key, &value);
            model.insert(key.clone(), value.clone());
            log.push((key, Some(value)));
        }
        assert_eq!(
            map.last_seq(),
            i as SeqNo + 1,
            "snapshots lab: one sequence number per write"
        );
        if data.below(25) == 0 {
            snapshots.push((map.last_seq(), model.clone()));
        }
    }
    snapshots.push((map.last_seq(), model));
    (map, snapshots, log)
}

#[test]
fn every_snapshot_reads_like_a_btreemap_copied_when_it_was_taken() {
    let (map, snapshots, _) = written(1, 2000);
    assert!(
        snapshots.len() > 20,
        "snapshots lab: the test took too few snapshots"
    );
    for (seq, model) in &snapshots {
        for i in 0..60 {
            let key = format!("k{i:03}").into_bytes();
            assert_eq!(
                map.get(&key, *seq),
                model.get(&key).map(Vec::as_slice),
                "snapshots lab: get({}) at snapshot {seq}",
                String::from_utf8_lossy(&key)
            );
        }
        let expected: Vec<(&[u8], &[u8])> = model
            .iter()
            .map(|(k, v)| (k.as_slice(), v.as_slice()))
            .collect();
        assert_eq!(
            map.scan(*seq),
            expected,
            "snapshots lab: scan at snapshot {seq}"
        );
    }
}

#[test]
fn reads_agree_with_the_engines_snapshots_on_the_same_writes() {
    let (map, _, log) = written(2, 1500);
    let db = Db::open(
        Arc::new(MemStorage::new()),
        Options {
            memtable_bytes_max: 4096,
            ..Options::deterministic()
        },
    )
    .expect("open");
    let mut snapshots = Vec::new();
    for (i, (key, value)) in log.iter().enumerate() {
        match value {
            Some(v) => db.put(key, v).expect("put"),
            None => db.delete(key).expect("delete"),
        }
        if i % 100 == 0 {
            snapshots.push(db.snapshot());
        }
    }
    for snapshot in &snapshots {
        for i in 0..60 {
            let key = format!("k{i:03}").into_bytes();
            assert_eq!(
                map.get(&key, snapshot.seq()).map(<[u8]>::to_vec),
                snapshot.get(&key).expect("get"),
                "snapshots lab: get({}) at seq {} differs from the engine's snapshot",
                String::from_utf8_lossy(&key),
                snapshot.seq()
            );
        }
    }
}
