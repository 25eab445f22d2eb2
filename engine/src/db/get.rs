//! The read path of a point lookup: memtable → immutable memtable → L0
//! newest first → one table per deeper level, found by binary search.
//! Each table is checked by key range, then bloom filter, then index and
//! block.
//!
//! Range tombstones are checked in every source the search reaches (before
//! the bloom filter, which knows nothing of them): a source's newest
//! record of the key counts only if it is newer than the source's newest
//! covering tombstone; otherwise the tombstone answers "deleted". Older
//! sources hold only older records and tombstones of the key (a table's
//! key range covers its tombstones, so compaction keeps that order), so
//! the first source with an answer has the answer.

use super::{DbInner, ReadView};
use crate::bloom::key_hash;
use crate::error::{Error, Result};
use crate::event::{Event, GetOutcome, GetSource, MemtableSlot, TableDecision};
use crate::key_prefix::KeyPrefix;
use crate::manifest::NUM_LEVELS;
use crate::record::{ValueKind, MAX_KEY_BYTES};
use crate::sstable::{TableLookup, TableProbe};
use crate::stats::Counters;
use crate::ttl::TimedValue;

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

/// Counter increments of one get, added to the shared counters once at the
/// end instead of once per table.
#[derive(Default)]
struct GetCounts {
    tables_probed: u64,
    blocks_read: u64,
    bloom_probes: u64,
    bloom_negatives: u64,
    bloom_false_positives: u64,
}

impl GetCounts {
    fn publish(&self, counters: &Counters) {
        let pairs = [
            (&counters.tables_probed, self.tables_probed),
            (&counters.blocks_read, self.blocks_read),
            (&counters.bloom_probes, self.bloom_probes),
            (&counters.bloom_negatives, self.bloom_negatives),
            (&counters.bloom_false_positives, self.bloom_false_positives),
        ];
        for (counter, n) in pairs {
            if n > 0 {
                Counters::add(counter, n);
            }
        }
    }
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
        let probe = TableProbe {
            user_key: key,
            key_hash: key_hash(key),
            snapshot_seq: view.seq,
        };
        let mut counts = GetCounts::default();
        let hit = match self.search_memtables(&probe, view) {
            Some(hit) => Ok(Some(hit)),
            None => self.search_tables(&probe, view, &mut counts),
        };
        counts.publish(&self.counters);
        let (outcome, source, value) = match hit? {
            Some(h) if h.kind == ValueKind::Put => match view.expiry {
                Some(expiry) => {
                    let timed = TimedValue::decode_in(&h.value, &source_name(h.source))?;
                    match timed.is_expired(expiry.now_ms, expiry.ttl_ms) {
                        true => (GetOutcome::Expired, h.source, None),
                        false => (GetOutcome::Found, h.source, Some(timed.value.to_vec())),
                    }
                }
                None => (GetOutcome::Found, h.source, Some(h.value)),
            },
            Some(h) => (GetOutcome::Deleted, h.source, None),
            None => (GetOutcome::NotFound, GetSource::Nowhere, None),
        };
        let tables_probed = counts.tables_probed as u32;
        tracer.emit(|| Event::GetFinished {
            key: key.to_vec(),
            outcome,
            source,
            tables_probed,
        });
        Ok(value)
    }

    fn search_memtables(&self, probe: &TableProbe<'_>, view: &ReadView) -> Option<Hit> {
        let slots = [
            (Some(&view.mem), MemtableSlot::Active),
            (view.imm.as_ref(), MemtableSlot::Immutable),
        ];
        for (mem, slot) in slots {
            let Some(mem) = mem else { continue };
            let found = mem.get_versioned(probe.user_key, probe.key_hash, view.seq);
            view.tracer.emit(|| Event::MemtableSearched {
                slot,
                found: found.as_ref().map(|(_, kind, _)| *kind),
            });
            if let Some((seq, kind, value)) = found {
                let source = GetSource::Memtable { slot };
                if kind == ValueKind::Delete
                    && mem.range_tombstone_covering(probe.user_key, view.seq) == Some(seq)
                {
                    view.tracer
                        .emit(|| Event::RangeTombstoneCovers { source, seq });
                }
                return Some(Hit {
                    kind,
                    value,
                    source,
                });
            }
        }
        None
    }

    fn search_tables(
        &self,
        probe: &TableProbe<'_>,
        view: &ReadView,
        counts: &mut GetCounts,
    ) -> Result<Option<Hit>> {
        let version = &view.version;
        let prefix = KeyPrefix::of(probe.user_key);
        for level in 0..NUM_LEVELS {
            let count = version.level(level).len();
            let candidates = if version.is_tiered(level) {
                // Overlapping runs, newest first: every one may hold the key.
                0..count
            } else {
                // Deeper levels are sorted and disjoint: at most one table
                // can hold the key.
                let i = version.find_table(level, probe.user_key, prefix);
                i..(i + 1).min(count)
            };
            for index in candidates {
                let at = TableAt { level, index };
                if let Some(hit) = self.search_table(probe, prefix, view, at, counts)? {
                    return Ok(Some(hit));
                }
            }
        }
        Ok(None)
    }

    fn search_table(
        &self,
        probe: &TableProbe<'_>,
        prefix: KeyPrefix,
        view: &ReadView,
        at: TableAt,
        counts: &mut GetCounts,
    ) -> Result<Option<Hit>> {
        let version = &view.version;
        let level = at.level as u32;
        let file_number = version
            .level(at.level)
            .get(at.index)
            .map_or(0, |t| t.file_number);
        let decision = if version.table_covers(at.level, at.index, probe.user_key, prefix) {
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
        counts.tables_probed += 1;
        let keep = version.table_count() <= self.options.max_open_tables;
        let table = version.open_table(at.level, at.index, keep, |n| {
            self.tables.get(self.storage.as_ref(), n)
        })?;
        let covered = table.range_tombstone_covering(probe.user_key, view.seq);
        let mut blocks_read = 0;
        let lookup = table.probe(probe, &view.tracer, &mut blocks_read)?;
        let source = GetSource::Table { level, file_number };
        // The covering tombstone's answer, when it is the answer.
        let deleted = || {
            covered.map(|seq| {
                view.tracer
                    .emit(|| Event::RangeTombstoneCovers { source, seq });
                Hit {
                    kind: ValueKind::Delete,
                    value: Vec::new(),
                    source,
                }
            })
        };
        counts.blocks_read += u64::from(blocks_read);
        if table.bloom().is_some() {
            counts.bloom_probes += 1;
        }
        Ok(match lookup {
            TableLookup::FilteredOut => {
                counts.bloom_negatives += 1;
                deleted()
            }
            TableLookup::NotFound { false_positive } => {
                if false_positive {
                    counts.bloom_false_positives += 1;
                }
                deleted()
            }
            TableLookup::Found { seq, .. } if covered.is_some_and(|t| t > seq) => deleted(),
            TableLookup::Found { kind, value, .. } => Some(Hit {
                kind,
                value,
                source,
            }),
        })
    }
}

/// Where a value was read, for a corruption error.
fn source_name(source: GetSource) -> String {
    match source {
        GetSource::Table { file_number, .. } => crate::filename::table_name(file_number),
        GetSource::Memtable { .. } => "(memtable)".to_owned(),
        GetSource::Nowhere => String::new(),
    }
}

/// A table by its place in a version.
#[derive(Clone, Copy)]
struct TableAt {
    level: usize,
    index: usize,
}
