//! The read path of a point lookup: memtable → immutable memtable → L0
//! newest first → one table per deeper level, found by binary search.
//! Each table is checked by key range, then bloom filter, then index and
//! block.

use super::{DbInner, ReadView};
use crate::error::{Error, Result};
use crate::event::{Event, GetOutcome, GetSource, MemtableSlot, TableDecision};
use crate::manifest::NUM_LEVELS;
use crate::memtable::MemTable;
use crate::record::{ValueKind, MAX_KEY_BYTES};
use crate::sstable::TableLookup;
use crate::stats::Counters;
use crate::table_meta::TableMeta;

/// The newest visible record of a key and where it came from.
struct Hit {
    kind: ValueKind,
    value: Vec<u8>,
    source: GetSource,
}

pub(crate) fn check_key(key: &[u8]) -> Result<()> {
    if key.len() > MAX_KEY_BYTES {
        return Err(Error::KeyTooLarge {
            len: key.len(),
            max: MAX_KEY_BYTES,
        });
    }
    Ok(())
}

impl DbInner {
    pub(super) fn get(&self, key: &[u8], view: &ReadView) -> Result<Option<Vec<u8>>> {
        check_key(key)?;
        Counters::add(&self.counters.gets, 1);
        let tracer = &view.tracer;
        tracer.emit(|| Event::GetStarted {
            key: key.to_vec(),
            snapshot_seq: view.seq,
        });
        let mut tables_probed = 0;
        let hit = match self.search_memtables(key, view) {
            Some(hit) => Some(hit),
            None => self.search_tables(key, view, &mut tables_probed)?,
        };
        let (outcome, source) = match &hit {
            Some(h) if h.kind == ValueKind::Put => (GetOutcome::Found, h.source),
            Some(h) => (GetOutcome::Deleted, h.source),
            None => (GetOutcome::NotFound, GetSource::Nowhere),
        };
        tracer.emit(|| Event::GetFinished {
            key: key.to_vec(),
            outcome,
            source,
            tables_probed,
        });
        Ok(hit.filter(|h| h.kind == ValueKind::Put).map(|h| h.value))
    }

    fn search_memtables(&self, key: &[u8], view: &ReadView) -> Option<Hit> {
        let slots = [
            (Some(&view.mem), MemtableSlot::Active),
            (view.imm.as_ref(), MemtableSlot::Immutable),
        ];
        for (mem, slot) in slots {
            let Some(mem) = mem else { continue };
            let found = MemTable::get(mem, key, view.seq);
            view.tracer.emit(|| Event::MemtableSearched {
                slot,
                found: found.as_ref().map(|(kind, _)| *kind),
            });
            if let Some((kind, value)) = found {
                let source = GetSource::Memtable { slot };
                return Some(Hit {
                    kind,
                    value,
                    source,
                });
            }
        }
        None
    }

    fn search_tables(&self, key: &[u8], view: &ReadView, probed: &mut u32) -> Result<Option<Hit>> {
        for level in 0..NUM_LEVELS {
            let tables = view.version.level(level);
            let candidates = if view.version.is_tiered(level) {
                // Overlapping runs, newest first: every one may hold the key.
                tables
            } else {
                // Deeper levels are sorted and disjoint: at most one table
                // can hold the key.
                let i = tables.partition_point(|t| t.largest_user_key() < key);
                tables.get(i..=i).unwrap_or_default()
            };
            for meta in candidates {
                if let Some(hit) = self.search_table(key, view, level as u32, meta, probed)? {
                    return Ok(Some(hit));
                }
            }
        }
        Ok(None)
    }

    fn search_table(
        &self,
        key: &[u8],
        view: &ReadView,
        level: u32,
        meta: &TableMeta,
        probed: &mut u32,
    ) -> Result<Option<Hit>> {
        let file_number = meta.file_number;
        let decision = if meta.covers(key) {
            TableDecision::Probed
        } else {
            TableDecision::SkippedKeyRange
        };
        view.tracer.emit(|| Event::TableConsidered {
            level,
            file_number,
            decision,
        });
        if decision == TableDecision::SkippedKeyRange {
            return Ok(None);
        }
        *probed += 1;
        Counters::add(&self.counters.tables_probed, 1);
        let table = self.tables.get(self.storage.as_ref(), file_number)?;
        let has_bloom = table.bloom().is_some();
        let mut blocks_read = 0;
        let lookup = table.get_counted(key, view.seq, &view.tracer, &mut blocks_read)?;
        Counters::add(&self.counters.blocks_read, u64::from(blocks_read));
        if has_bloom {
            Counters::add(&self.counters.bloom_probes, 1);
        }
        Ok(match lookup {
            TableLookup::FilteredOut => {
                Counters::add(&self.counters.bloom_negatives, 1);
                None
            }
            TableLookup::NotFound { false_positive } => {
                if false_positive {
                    Counters::add(&self.counters.bloom_false_positives, 1);
                }
                None
            }
            TableLookup::Found { kind, value, .. } => Some(Hit {
                kind,
                value,
                source: GetSource::Table { level, file_number },
            }),
        })
    }
}
