//! Reference solution of the snapshots lab. The engine decides visibility
//! inside its lookups (memtable, tables, merging iterator); this is the
//! rule on its own, over a multi-version map.

use std::collections::BTreeMap;

pub use strata_engine::record::{SeqNo, ValueKind};

/// One version of a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyVersion {
    /// Its sequence number.
    pub seq: SeqNo,
    /// Put or tombstone.
    pub kind: ValueKind,
    /// The value (empty for a tombstone).
    pub value: Vec<u8>,
}

/// Whether a reader at `read_seq` sees a version written at `seq`.
pub fn is_visible(seq: SeqNo, read_seq: SeqNo) -> bool {
    seq <= read_seq
}

/// What a reader at `read_seq` reads from a key's versions (newest
/// first): the value of the newest visible version, `None` if that is a
/// tombstone or nothing is visible.
pub fn read_at(versions: &[KeyVersion], read_seq: SeqNo) -> Option<&[u8]> {
    let newest = versions.iter().find(|v| is_visible(v.seq, read_seq))?;
    (newest.kind == ValueKind::Put).then_some(newest.value.as_slice())
}

/// A multi-version map: every write gets the next sequence number, and
/// any earlier sequence number can still be read.
#[derive(Debug, Default)]
pub struct VersionedMap {
    versions: BTreeMap<Vec<u8>, Vec<KeyVersion>>,
    last_seq: SeqNo,
}

impl VersionedMap {
    /// An empty map (sequence number 0).
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `value` under `key` at the next sequence number.
    pub fn put(&mut self, key: &[u8], value: &[u8]) {
        self.write(key, ValueKind::Put, value);
    }

    /// Deletes `key` at the next sequence number.
    pub fn delete(&mut self, key: &[u8]) {
        self.write(key, ValueKind::Delete, &[]);
    }

    fn write(&mut self, key: &[u8], kind: ValueKind, value: &[u8]) {
        self.last_seq += 1;
        let version = KeyVersion {
            seq: self.last_seq,
            kind,
            value: value.to_vec(),
        };
        self.versions
            .entry(key.to_vec())
            .or_default()
            .insert(0, version);
    }

    /// The sequence number of the last write: a snapshot of now.
    pub fn last_seq(&self) -> SeqNo {
        self.last_seq
    }

    /// `key` as a reader at `read_seq` sees it.
    pub fn get(&self, key: &[u8], read_seq: SeqNo) -> Option<&[u8]> {
        read_at(self.versions.get(key)?, read_seq)
    }

    /// Every live key and value a reader at `read_seq` sees, in key order.
    pub fn scan(&self, read_seq: SeqNo) -> Vec<(&[u8], &[u8])> {
        self.versions
            .iter()
            .filter_map(|(k, vs)| Some((k.as_slice(), read_at(vs, read_seq)?)))
            .collect()
    }
}
