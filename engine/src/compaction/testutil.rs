//! Shared helpers for compaction and level-cursor tests: real tables built
//! with `TableBuilder` in a `MemStorage`, and versions made from them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};

use strata_storage::MemStorage;

use crate::error::Result;
use crate::event::Tracer;
use crate::level_iter::TableOpener;
use crate::manifest::{Version, VersionEdit};
use crate::options::Options;
use crate::record::{compare_internal_keys, internal_key, SeqNo, ValueKind};
use crate::sstable::{Table, TableBuilder};
use crate::table_meta::TableMeta;

/// An internal key and its value.
pub type Entry = (Vec<u8>, Vec<u8>);

/// A put record.
pub fn put(key: &str, seq: SeqNo, value: &str) -> Entry {
    (
        internal_key(key.as_bytes(), seq, ValueKind::Put),
        value.as_bytes().to_vec(),
    )
}

/// A tombstone record.
pub fn del(key: &str, seq: SeqNo) -> Entry {
    (internal_key(key.as_bytes(), seq, ValueKind::Delete), vec![])
}

/// Builds table `number` from `entries` (sorted here).
pub fn build_table(
    storage: &MemStorage,
    number: u64,
    entries: &[Entry],
    options: &Options,
) -> Result<TableMeta> {
    let mut sorted = entries.to_vec();
    sorted.sort_by(|a, b| compare_internal_keys(&a.0, &b.0));
    let mut builder = TableBuilder::new(storage, number, 0, options, Tracer::off())?;
    for (k, v) in &sorted {
        builder.add(k, v)?;
    }
    builder.finish()
}

/// A version holding `tables` at their levels.
pub fn version_of(tables: &[(u32, TableMeta)], tiered_levels: usize) -> Version {
    let edit = VersionEdit {
        added: tables.to_vec(),
        ..VersionEdit::default()
    };
    Version::default()
        .with_tiered_levels(tiered_levels)
        .apply(&edit)
        .unwrap_or_else(|e| panic!("test version does not apply: {e}"))
}

/// Metadata only (no file): for picking tests.
pub fn meta(number: u64, smallest: &str, largest: &str, size_bytes: u64, seq: SeqNo) -> TableMeta {
    TableMeta {
        file_number: number,
        size_bytes,
        entries: 1,
        smallest: internal_key(smallest.as_bytes(), seq, ValueKind::Put),
        largest: internal_key(largest.as_bytes(), seq, ValueKind::Put),
        smallest_seq: seq,
        largest_seq: seq,
    }
}

/// Opens tables afresh on every call (no cache) and remembers each opened
/// table weakly, so a test can count how many are still held.
#[derive(Clone)]
pub struct CountingOpener {
    storage: Arc<MemStorage>,
    opened: Arc<Mutex<Vec<Weak<Table>>>>,
}

impl CountingOpener {
    pub fn new(storage: Arc<MemStorage>) -> Self {
        Self {
            storage,
            opened: Arc::default(),
        }
    }

    /// The opener to hand to cursors.
    pub fn opener(&self) -> TableOpener {
        let this = self.clone();
        Arc::new(move |n| {
            let table = Table::open(this.storage.as_ref(), n)?;
            this.opened
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(Arc::downgrade(&table));
            Ok(table)
        })
    }

    /// Tables opened and not yet dropped.
    pub fn alive(&self) -> usize {
        let opened = self.opened.lock().unwrap_or_else(PoisonError::into_inner);
        opened.iter().filter(|w| w.strong_count() > 0).count()
    }

    /// Tables opened so far.
    pub fn opened(&self) -> usize {
        self.opened
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// The newest version of each key visible at the latest sequence number
/// (tombstones hide the key): what any compaction must preserve.
pub fn latest_model(entries: &[Entry]) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut newest: BTreeMap<Vec<u8>, (SeqNo, ValueKind, Vec<u8>)> = BTreeMap::new();
    for (k, v) in entries {
        let Some(p) = crate::record::parse_internal_key(k) else {
            continue;
        };
        let slot = newest
            .entry(p.user_key.to_vec())
            .or_insert((0, p.kind, v.clone()));
        if p.seq >= slot.0 {
            *slot = (p.seq, p.kind, v.clone());
        }
    }
    newest
        .into_iter()
        .filter(|(_, (_, kind, _))| *kind == ValueKind::Put)
        .map(|(k, (_, _, v))| (k, v))
        .collect()
}
