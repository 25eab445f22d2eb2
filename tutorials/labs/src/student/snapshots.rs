//! Lab 8 — snapshots (chapter 13, "Snapshots").
//!
//! Every write gets the next sequence number; nothing is overwritten in
//! place. A snapshot is just a sequence number: a reader at `read_seq`
//! sees, of each key, the newest version with `seq <= read_seq` — and if
//! that version is a tombstone, no value at all. Write the rule
//! ([`is_visible`], [`read_at`]) and a small multi-version map built on it
//! ([`VersionedMap`]), where a key's versions are kept newest first.
//!
//! Done when `cargo test -p strata-labs --test snapshots` passes: your map
//! agrees with a `BTreeMap` copied at every snapshot, and with the
//! engine's own snapshots on the same writes.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

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
    todo!("snapshots lab: is_visible")
}

/// What a reader at `read_seq` reads from a key's versions (newest
/// first): the value of the newest visible version, `None` if that is a
/// tombstone or nothing is visible.
pub fn read_at(versions: &[KeyVersion], read_seq: SeqNo) -> Option<&[u8]> {
    todo!("snapshots lab: read_at")
}

/// A multi-version map: every write gets the next sequence number, and
/// any earlier sequence number can still be read.
#[derive(Debug, Default)]
pub struct VersionedMap {
    // Your fields: each key's versions, newest first; the last sequence
    // number.
}

impl VersionedMap {
    /// An empty map (sequence number 0).
    pub fn new() -> Self {
        todo!("snapshots lab: new")
    }

    /// Writes `value` under `key` at the next sequence number.
    pub fn put(&mut self, key: &[u8], value: &[u8]) {
        todo!("snapshots lab: put")
    }

    /// Deletes `key` at the next sequence number.
    pub fn delete(&mut self, key: &[u8]) {
        todo!("snapshots lab: delete")
    }

    /// The sequence number of the last write: a snapshot of now.
    pub fn last_seq(&self) -> SeqNo {
        todo!("snapshots lab: last_seq")
    }

    /// `key` as a reader at `read_seq` sees it.
    pub fn get(&self, key: &[u8], read_seq: SeqNo) -> Option<&[u8]> {
        todo!("snapshots lab: get")
    }

    /// Every live key and value a reader at `read_seq` sees, in key order.
    pub fn scan(&self, read_seq: SeqNo) -> Vec<(&[u8], &[u8])> {
        todo!("snapshots lab: scan")
    }
}
