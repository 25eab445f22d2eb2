//! The memtable: Strata's in-memory sorted buffer of recent writes.
//!
//! Every write lands here (after the write-ahead log) as a record keyed by
//! its internal key. When the memtable grows past
//! [`crate::Options::memtable_bytes_max`] it is frozen and flushed to a
//! level-0 table. The records sit in a [`skiplist::SkipList`] behind a
//! `RwLock`: the single writer takes the write lock for the moment of an
//! insert; gets and cursors take the read lock and run alongside it.
//!
//! Range tombstones are few and wide, so they do not go into the skiplist:
//! they sit in a small list of their own, sorted by start key; gets
//! consult it, scans and flushes copy it whole.

mod filter;
pub mod skiplist;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::{Deserialize, Serialize};

use crate::bloom::key_hash;
use crate::error::Result;
use crate::iter::InternalIterator;
use crate::range_tombstone::RangeTombstone;
use crate::record::{
    internal_key, parse_internal_key, user_key, SeqNo, ValueKind, KIND_FOR_SEEK, MAX_SEQNO,
};
use filter::KeyFilter;
use skiplist::{NodeId, SkipList};

/// An in-memory sorted set of records. `Send + Sync`: one writer inserts
/// while any number of readers look up keys and iterate.
#[derive(Debug)]
pub struct MemTable {
    list: RwLock<SkipList>,
    /// Which user keys the list may hold, checked before a search.
    keys: KeyFilter,
    /// Range tombstones, sorted by (start, seq).
    range_dels: RwLock<Vec<RangeTombstone>>,
    /// Whether `range_dels` holds any: most memtables hold none, and their
    /// gets skip its lock.
    has_range_dels: AtomicBool,
}

/// Bytes a range tombstone adds to [`MemTable::approximate_bytes`] beyond
/// its keys: its sequence number and list slot.
const RANGE_TOMBSTONE_OVERHEAD_BYTES: u64 = 64;

/// One skiplist node as the visualizer draws it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TowerView {
    /// The user key.
    #[serde(with = "crate::key_text")]
    pub key: Vec<u8>,
    /// The record's sequence number.
    pub seq: SeqNo,
    /// Put or delete.
    pub kind: ValueKind,
    /// Height of the node's tower (1 = level 0 only).
    pub height: u8,
}

impl MemTable {
    /// An empty memtable whose skiplist towers are drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            list: RwLock::new(SkipList::new(seed)),
            keys: KeyFilter::new(),
            range_dels: RwLock::new(Vec::new()),
            has_range_dels: AtomicBool::new(false),
        }
    }

    /// Adds a range tombstone deleting `[start, end)` as of `seq`.
    pub fn insert_range_tombstone(&self, start: &[u8], end: &[u8], seq: SeqNo) {
        let tombstone = RangeTombstone::new(start, end, seq.min(MAX_SEQNO));
        let mut list = self
            .range_dels
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let at = list.partition_point(|t| t <= &tombstone);
        list.insert(at, tombstone);
        self.has_range_dels.store(true, Ordering::Release);
    }

    /// Every range tombstone, sorted by start key.
    pub fn range_tombstones(&self) -> Vec<RangeTombstone> {
        self.range_dels().clone()
    }

    /// Number of range tombstones.
    pub fn range_tombstone_count(&self) -> u64 {
        self.range_dels().len() as u64
    }

    /// The newest range tombstone covering `user_key` with a sequence number
    /// `<= snapshot_seq`, if any.
    pub fn range_tombstone_covering(&self, user_key: &[u8], snapshot_seq: SeqNo) -> Option<SeqNo> {
        if !self.has_range_dels.load(Ordering::Acquire) {
            return None;
        }
        let list = self.range_dels();
        let starts_at_or_before = list.partition_point(|t| t.start.as_slice() <= user_key);
        list.get(..starts_at_or_before)?
            .iter()
            .filter(|t| t.seq <= snapshot_seq && user_key < t.end.as_slice())
            .map(|t| t.seq)
            .max()
    }

    fn range_dels(&self) -> RwLockReadGuard<'_, Vec<RangeTombstone>> {
        self.range_dels
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds a record and returns the height of its new skiplist tower.
    ///
    /// `seq` must be unique per record (it is: the engine assigns one per
    /// write). Tombstones carry an empty `value`.
    pub fn insert(&self, user_key: &[u8], seq: SeqNo, kind: ValueKind, value: &[u8]) -> u8 {
        let key = internal_key(user_key, seq.min(MAX_SEQNO), kind);
        let mut list = self.write();
        // Under the write lock: the filter has one writer at a time.
        self.keys.add(user_key);
        list.insert(key, value.to_vec())
    }

    /// The newest record of `user_key` with a sequence number
    /// `<= snapshot_seq`: a put with its value, or a tombstone (with an
    /// empty value); a record older than a range tombstone covering the key
    /// (as of the snapshot) reads as a tombstone. `None` if the memtable
    /// holds no such record or tombstone.
    pub fn get(&self, user_key: &[u8], snapshot_seq: SeqNo) -> Option<(ValueKind, Vec<u8>)> {
        self.get_versioned(user_key, key_hash(user_key), snapshot_seq)
            .map(|(_, kind, value)| (kind, value))
    }

    /// [`MemTable::get`] for a key whose [`key_hash`] the caller computed
    /// (once for every memtable and table a get searches), with the
    /// sequence number of the answer: a record's, or that of the range
    /// tombstone that deletes the key.
    pub(crate) fn get_versioned(
        &self,
        user_key: &[u8],
        hash: u64,
        snapshot_seq: SeqNo,
    ) -> Option<(SeqNo, ValueKind, Vec<u8>)> {
        let covered = self.range_tombstone_covering(user_key, snapshot_seq);
        let found = if self.keys.may_contain_hash(hash) {
            let target = internal_key(user_key, snapshot_seq.min(MAX_SEQNO), KIND_FOR_SEEK);
            let list = self.read();
            list.seek(&target).and_then(|id| {
                let found = parse_internal_key(list.key(id))?;
                (found.user_key == user_key)
                    .then(|| (found.seq, found.kind, list.value(id).to_vec()))
            })
        } else {
            None
        };
        match (found, covered) {
            (Some(record), Some(t)) if record.0 > t => Some(record),
            (_, Some(t)) => Some((t, ValueKind::Delete, Vec::new())),
            (record, None) => record,
        }
    }

    /// Number of records (range tombstones not included).
    pub fn entries(&self) -> u64 {
        self.read().len()
    }

    /// Bytes of keys and values plus per-node overhead (node header and
    /// tower links), and of the range tombstones: what the freeze decision
    /// compares against the limit.
    pub fn approximate_bytes(&self) -> u64 {
        let tombstone_bytes: u64 = self
            .range_dels()
            .iter()
            .map(|t| (t.start.len() + t.end.len()) as u64 + RANGE_TOMBSTONE_OVERHEAD_BYTES)
            .sum();
        self.read().approximate_bytes() + tombstone_bytes
    }

    /// Whether the memtable holds no records and no range tombstones.
    pub fn is_empty(&self) -> bool {
        self.read().is_empty() && self.range_dels().is_empty()
    }

    /// A cursor over all records, unpositioned until a seek.
    pub fn iter(self: &Arc<Self>) -> MemTableIter {
        MemTableIter {
            table: Arc::clone(self),
            node: None,
            key: Vec::new(),
            value: Vec::new(),
        }
    }

    /// The first `limit` skiplist nodes in key order with their tower
    /// heights, for the visualizer.
    pub fn towers(&self, limit: usize) -> Vec<TowerView> {
        let list = self.read();
        let mut out = Vec::with_capacity(limit.min(list.len() as usize));
        let mut at = list.first();
        while let Some(id) = at.filter(|_| out.len() < limit) {
            if let Some(parsed) = parse_internal_key(list.key(id)) {
                out.push(TowerView {
                    key: parsed.user_key.to_vec(),
                    seq: parsed.seq,
                    kind: parsed.kind,
                    height: list.height(id),
                });
            }
            at = list.next(id);
        }
        out
    }

    // A panic while holding the lock cannot leave the list half-linked in a
    // way readers would trip over (links are set after the node is pushed),
    // so a poisoned lock is still safe to use.
    /// An independent copy, random generator state included: inserting the
    /// same records into both gives the same towers.
    pub fn duplicate(&self) -> MemTable {
        MemTable {
            list: RwLock::new(self.read().clone()),
            keys: self.keys.duplicate(),
            range_dels: RwLock::new(self.range_tombstones()),
            has_range_dels: AtomicBool::new(self.has_range_dels.load(Ordering::Acquire)),
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, SkipList> {
        self.list.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, SkipList> {
        self.list.write().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A cursor over a [`MemTable`] in internal-key order.
///
/// It remembers its place by skiplist node index, which stays valid while the
/// writer keeps inserting, and copies the current record into its own buffers
/// so `key`/`value` need no lock. Records inserted after the cursor was made
/// may or may not be visited (readers filter by sequence number); records
/// that were already there are visited exactly once in either direction.
#[derive(Debug)]
pub struct MemTableIter {
    table: Arc<MemTable>,
    node: Option<NodeId>,
    key: Vec<u8>,
    value: Vec<u8>,
}

impl MemTableIter {
    /// Moves to the node `pick` chooses under the read lock and copies its
    /// record out.
    fn move_to(&mut self, pick: impl FnOnce(&SkipList, Option<NodeId>) -> Option<NodeId>) {
        let list = self.table.read();
        self.node = pick(&list, self.node);
        self.key.clear();
        self.value.clear();
        if let Some(id) = self.node {
            self.key.extend_from_slice(list.key(id));
            self.value.extend_from_slice(list.value(id));
        }
    }

    /// The user key at the cursor (empty when invalid).
    pub fn user_key(&self) -> &[u8] {
        user_key(&self.key)
    }
}

impl InternalIterator for MemTableIter {
    fn valid(&self) -> bool {
        self.node.is_some()
    }

    fn key(&self) -> &[u8] {
        &self.key
    }

    fn value(&self) -> &[u8] {
        &self.value
    }

    fn seek_to_first(&mut self) -> Result<()> {
        self.move_to(|list, _| list.first());
        Ok(())
    }

    fn seek_to_last(&mut self) -> Result<()> {
        self.move_to(|list, _| list.last());
        Ok(())
    }

    fn seek(&mut self, target: &[u8]) -> Result<()> {
        self.move_to(|list, _| list.seek(target));
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        self.move_to(|list, at| at.and_then(|id| list.next(id)));
        Ok(())
    }

    fn prev(&mut self) -> Result<()> {
        self.move_to(|list, at| at.and_then(|id| list.prev(id)));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::cmp::Reverse;
    use std::collections::BTreeMap;
    use std::thread;

    use proptest::prelude::*;

    use super::*;
    use crate::record::compare_internal_keys;

    /// The reference: records keyed by (user key, newest first).
    type Model = BTreeMap<(Vec<u8>, Reverse<SeqNo>), (ValueKind, Vec<u8>)>;

    fn model_get(model: &Model, key: &[u8], snapshot: SeqNo) -> Option<(ValueKind, Vec<u8>)> {
        model
            .range((key.to_vec(), Reverse(snapshot))..)
            .next()
            .filter(|((k, _), _)| k == key)
            .map(|(_, v)| v.clone())
    }

    fn model_entries(model: &Model) -> Vec<(Vec<u8>, Vec<u8>)> {
        model
            .iter()
            .map(|((k, Reverse(seq)), (kind, v))| (internal_key(k, *seq, *kind), v.clone()))
            .collect()
    }

    fn collect_forward(it: &mut MemTableIter) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = Vec::new();
        it.seek_to_first()?;
        while it.valid() {
            out.push((it.key().to_vec(), it.value().to_vec()));
            it.next()?;
        }
        Ok(out)
    }

    fn collect_backward(it: &mut MemTableIter) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        let mut out = Vec::new();
        it.seek_to_last()?;
        while it.valid() {
            out.push((it.key().to_vec(), it.value().to_vec()));
            it.prev()?;
        }
        out.reverse();
        Ok(out)
    }

    /// Random records over a small key space, so keys get many versions.
    fn records() -> impl Strategy<Value = Vec<(Vec<u8>, bool, Vec<u8>)>> {
        let key = prop::collection::vec(b'a'..=b'e', 0..4);
        let value = prop::collection::vec(any::<u8>(), 0..8);
        prop::collection::vec((key, any::<bool>(), value), 0..200)
    }

    fn build(seed: u64, records: &[(Vec<u8>, bool, Vec<u8>)]) -> (Arc<MemTable>, Model) {
        let table = Arc::new(MemTable::new(seed));
        let mut model = Model::new();
        for (seq, (key, is_put, value)) in (1..).zip(records) {
            let (kind, value) = if *is_put {
                (ValueKind::Put, value.clone())
            } else {
                (ValueKind::Delete, Vec::new())
            };
            table.insert(key, seq, kind, &value);
            model.insert((key.clone(), Reverse(seq)), (kind, value));
        }
        (table, model)
    }

    proptest! {
        #[test]
        fn gets_match_the_model_at_every_snapshot(
            seed in any::<u64>(),
            records in records(),
            probes in prop::collection::vec((prop::collection::vec(b'a'..=b'e', 0..4), 0..220u64), 0..50),
        ) {
            let (table, model) = build(seed, &records);
            prop_assert_eq!(table.entries(), records.len() as u64);
            for (key, snapshot) in probes {
                prop_assert_eq!(table.get(&key, snapshot), model_get(&model, &key, snapshot));
            }
        }

        #[test]
        fn iteration_matches_the_model_both_ways(seed in any::<u64>(), records in records()) {
            let (table, model) = build(seed, &records);
            let expected = model_entries(&model);
            let mut it = table.iter();
            prop_assert_eq!(collect_forward(&mut it)?, expected.clone());
            prop_assert_eq!(collect_backward(&mut it)?, expected);
        }

        #[test]
        fn seek_matches_the_model(
            seed in any::<u64>(),
            records in records(),
            targets in prop::collection::vec((prop::collection::vec(b'a'..=b'e', 0..4), 0..220u64), 0..50),
        ) {
            let (table, model) = build(seed, &records);
            let expected = model_entries(&model);
            let mut it = table.iter();
            for (key, seq) in targets {
                let target = internal_key(&key, seq, KIND_FOR_SEEK);
                it.seek(&target)?;
                let want = expected
                    .iter()
                    .find(|(k, _)| compare_internal_keys(k, &target).is_ge());
                let got = it.valid().then(|| (it.key().to_vec(), it.value().to_vec()));
                prop_assert_eq!(got.as_ref(), want);
            }
        }
    }

    #[test]
    fn same_seed_builds_same_towers() {
        let towers = |seed| {
            let table = MemTable::new(seed);
            let heights: Vec<u8> = (0..300u64)
                .map(|i| {
                    table.insert(
                        format!("{:04}", i * 37 % 300).as_bytes(),
                        i,
                        ValueKind::Put,
                        b"v",
                    )
                })
                .collect();
            (heights, table.towers(usize::MAX))
        };
        assert_eq!(towers(1), towers(1));
        assert_ne!(towers(1).0, towers(2).0);
    }

    #[test]
    fn towers_are_in_key_order_and_limited() {
        let table = MemTable::new(4);
        let heights: Vec<u8> = ["c", "a", "b"]
            .iter()
            .zip(1..)
            .map(|(k, seq)| table.insert(k.as_bytes(), seq, ValueKind::Put, b""))
            .collect();
        let towers = table.towers(2);
        let keys: Vec<&[u8]> = towers.iter().map(|t| t.key.as_slice()).collect();
        assert_eq!(keys, [&b"a"[..], &b"b"[..]]);
        assert_eq!(
            towers.first().map(|t| (t.seq, t.height)),
            heights.get(1).map(|&h| (2, h))
        );
    }

    #[test]
    fn get_of_deleted_key_returns_the_tombstone() {
        let table = MemTable::new(0);
        table.insert(b"k", 1, ValueKind::Put, b"old");
        table.insert(b"k", 2, ValueKind::Delete, b"");
        table.insert(b"k", 3, ValueKind::Put, b"new");
        assert_eq!(table.get(b"k", 2), Some((ValueKind::Delete, Vec::new())));
        assert_eq!(table.get(b"k", 1), Some((ValueKind::Put, b"old".to_vec())));
        assert_eq!(
            table.get(b"k", MAX_SEQNO),
            Some((ValueKind::Put, b"new".to_vec()))
        );
        assert_eq!(
            table.get(b"k", u64::MAX),
            Some((ValueKind::Put, b"new".to_vec()))
        );
        assert_eq!(table.get(b"k", 0), None);
        assert_eq!(table.get(b"j", 9), None);
    }

    #[test]
    fn memory_accounting_grows_with_inserts() {
        let table = MemTable::new(0);
        assert!(table.is_empty());
        assert_eq!(table.approximate_bytes(), 0);
        let mut last = 0;
        for seq in 1..=100u64 {
            table.insert(b"key", seq, ValueKind::Put, &[0u8; 100]);
            let now = table.approximate_bytes();
            // At least the key, its trailer and the value.
            assert!(now >= last + 3 + 8 + 100, "{last} -> {now}");
            last = now;
        }
        assert_eq!(table.entries(), 100);
        assert!(!table.is_empty());
    }

    #[test]
    fn cursor_neither_skips_nor_repeats_when_inserts_interleave() -> Result<()> {
        let table = Arc::new(MemTable::new(8));
        for i in 0..200u64 {
            table.insert(
                format!("k{:04}", i * 2).as_bytes(),
                i + 1,
                ValueKind::Put,
                b"",
            );
        }
        let old: Vec<Vec<u8>> = collect_forward(&mut table.iter())?
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        let mut seq = 1000;
        let mut insert_around = |i: u64| {
            // A new key between every pair, plus newer versions of old keys.
            seq += 1;
            table.insert(
                format!("k{:04}", i * 2 + 1).as_bytes(),
                seq,
                ValueKind::Put,
                b"",
            );
            seq += 1;
            table.insert(
                format!("k{:04}", i * 2).as_bytes(),
                seq,
                ValueKind::Put,
                b"",
            );
        };
        for backward in [false, true] {
            let mut it = table.iter();
            let mut seen = Vec::new();
            if backward {
                it.seek_to_last()?
            } else {
                it.seek_to_first()?
            };
            for step in 0.. {
                if !it.valid() {
                    break;
                }
                if old.iter().any(|k| k.as_slice() == it.key()) {
                    seen.push(it.key().to_vec());
                }
                insert_around(step % 400);
                if backward {
                    it.prev()?
                } else {
                    it.next()?
                };
            }
            if backward {
                seen.reverse();
            }
            assert_eq!(seen, old, "backward: {backward}");
        }
        Ok(())
    }

    /// What a reader checks while the writer of
    /// `readers_run_alongside_one_writer` is busy.
    fn check_reader_round(table: &Arc<MemTable>, key_index: u64, seen: &mut usize) -> Result<()> {
        const SNAPSHOT: SeqNo = 2_500;
        // Once the writer has passed the snapshot, the answer is fixed: the
        // newest write of the key at or below it.
        let settled = table.entries() >= SNAPSHOT;
        let key = format!("k{key_index:03}");
        if let Some((kind, value)) = table.get(key.as_bytes(), SNAPSHOT) {
            let seq = u64::from_le_bytes(value.try_into().unwrap_or_default());
            assert_eq!(kind, ValueKind::Put);
            assert!(seq <= SNAPSHOT && seq % 500 == key_index, "{key}: {seq}");
            let newest = if key_index == 0 {
                SNAPSHOT
            } else {
                2_000 + key_index
            };
            assert!(!settled || seq == newest, "{key}: {seq}");
        } else {
            assert!(!settled, "{key} missing");
        }
        // A scan is strictly ascending and never shrinks between rounds.
        let entries = collect_forward(&mut table.iter())?;
        assert!(entries
            .windows(2)
            .all(|w| matches!(w, [(a, _), (b, _)] if compare_internal_keys(a, b).is_lt())));
        assert!(entries.len() >= *seen);
        *seen = entries.len();
        Ok(())
    }

    #[test]
    fn readers_run_alongside_one_writer() -> Result<()> {
        const WRITES: u64 = 5_000;
        let table = Arc::new(MemTable::new(77));
        let writer = {
            let table = Arc::clone(&table);
            thread::spawn(move || {
                for seq in 1..=WRITES {
                    let key = format!("k{:03}", seq % 500);
                    table.insert(key.as_bytes(), seq, ValueKind::Put, &seq.to_le_bytes());
                }
            })
        };
        let readers: Vec<_> = (0..2u64)
            .map(|r| {
                let table = Arc::clone(&table);
                thread::spawn(move || -> Result<()> {
                    let mut seen = 0;
                    // Keep reading until the writer is done, then a few more.
                    let mut round = 0u64;
                    while table.entries() < WRITES || round < 20 {
                        check_reader_round(&table, (round * 13 + r) % 500, &mut seen)?;
                        round += 1;
                    }
                    Ok(())
                })
            })
            .collect();
        assert!(writer.join().is_ok());
        for reader in readers {
            assert!(matches!(reader.join(), Ok(Ok(()))));
        }
        assert_eq!(table.entries(), WRITES);
        assert_eq!(collect_forward(&mut table.iter())?.len() as u64, WRITES);
        Ok(())
    }
}
