//! Range scans: a merging iterator over every source, filtered to the
//! newest visible version of each key, tombstones and expired records
//! hidden.
//!
//! A [`Scan`] is a double-ended iterator: the front and the back each run
//! their own merging cursor, created on first use, and stop where they meet.
//!
//! Range tombstones are gathered once, from the memtables and every table
//! whose key range meets the scan's, keeping those the snapshot sees, and
//! fragmented: a key's newest visible version older than the newest
//! tombstone covering it is skipped like a point tombstone.

use std::ops::{Bound, RangeBounds};
use std::sync::Arc;

use super::{DbInner, ReadView};
use crate::error::{Error, Result};
use crate::event::{Event, ScanDecision};
use crate::iter::InternalIterator;
use crate::level_iter::{LevelIter, TableOpener};
use crate::manifest::NUM_LEVELS;
use crate::merge::MergingIterator;
use crate::range_tombstone::{FragmentedTombstones, RangeTombstone};
use crate::record::{internal_key, parse_internal_key, ValueKind, KIND_FOR_SEEK, MAX_SEQNO};

/// A key and its value.
pub type KeyValue = (Vec<u8>, Vec<u8>);

/// An iterator over the live keys of a range, ascending (`next`) or
/// descending (`next_back`, or `.rev()`).
pub struct Scan {
    /// The state read; holding its version keeps its files from deletion.
    view: ReadView,
    open_table: TableOpener,
    /// Reads a table's range tombstones.
    /// Whether the version may keep the tables the scan opens
    /// ([`crate::manifest::Version`] keeps them only while it has no more
    /// than `Options::max_open_tables`).
    keep_tables: bool,
    start: Bound<Vec<u8>>,
    end: Bound<Vec<u8>>,
    front: Option<MergingIterator>,
    back: Option<MergingIterator>,
    /// Last key returned from the front, and from the back.
    front_last: Option<Vec<u8>>,
    back_last: Option<Vec<u8>>,
    /// The front skips older versions of the key it last decided on.
    front_skip: Option<Vec<u8>>,
    /// The range tombstones the snapshot sees, gathered on first use.
    range_dels: Option<FragmentedTombstones>,
    done: bool,
}

fn owned(b: Bound<&impl AsRef<[u8]>>) -> Bound<Vec<u8>> {
    match b {
        Bound::Included(k) => Bound::Included(k.as_ref().to_vec()),
        Bound::Excluded(k) => Bound::Excluded(k.as_ref().to_vec()),
        Bound::Unbounded => Bound::Unbounded,
    }
}

/// Sets `slot` to a copy of `key`, reusing the buffer it holds.
fn set_reusing(slot: &mut Option<Vec<u8>>, key: &[u8]) {
    match slot {
        Some(buf) => {
            buf.clear();
            buf.extend_from_slice(key);
        }
        None => *slot = Some(key.to_vec()),
    }
}

fn corrupt_key() -> Error {
    Error::corruption("scan", 0, "malformed internal key")
}

impl Scan {
    pub(super) fn new<K: AsRef<[u8]>>(
        inner: &Arc<DbInner>,
        view: ReadView,
        range: impl RangeBounds<K>,
    ) -> Result<Scan> {
        let start = owned(range.start_bound());
        let end = owned(range.end_bound());
        for b in [&start, &end] {
            if let Bound::Included(k) | Bound::Excluded(k) = b {
                super::get::check_key(k)?;
            }
        }
        Ok(Scan {
            open_table: inner.table_opener(),
            keep_tables: view.version.table_count() <= inner.options.max_open_tables,
            view,
            start,
            end,
            front: None,
            back: None,
            front_last: None,
            back_last: None,
            front_skip: None,
            range_dels: None,
            done: false,
        })
    }

    /// Whether the range `[smallest, largest]` (inclusive) meets the scan's.
    fn meets(&self, smallest: &[u8], largest: &[u8]) -> bool {
        let below_end = match &self.end {
            Bound::Included(e) => smallest <= e.as_slice(),
            Bound::Excluded(e) => smallest < e.as_slice(),
            Bound::Unbounded => true,
        };
        let above_start = match &self.start {
            Bound::Included(s) | Bound::Excluded(s) => largest >= s.as_slice(),
            Bound::Unbounded => true,
        };
        below_end && above_start
    }

    /// The range tombstones of every source that meets the scan's range,
    /// those newer than the snapshot left out. Tables are reached through
    /// the version's handles (kept there for the scans and gets that
    /// follow), so a scan over tables without range tombstones takes no
    /// lock and copies nothing.
    fn gather_range_dels(&self) -> Result<FragmentedTombstones> {
        let view = &self.view;
        let mut all: Vec<RangeTombstone> = view.mem.range_tombstones();
        if let Some(imm) = &view.imm {
            all.extend(imm.range_tombstones());
        }
        for level in 0..NUM_LEVELS {
            for (index, meta) in view.version.level(level).iter().enumerate() {
                if !self.meets(meta.smallest_user_key(), meta.largest_user_key()) {
                    continue;
                }
                // A table the version holds is borrowed, not cloned.
                let opened;
                let table = match view.version.kept_table(level, index) {
                    Some(table) => table,
                    None => {
                        opened = view
                            .version
                            .open_table(level, index, self.keep_tables, |n| (self.open_table)(n))?;
                        &opened
                    }
                };
                all.extend_from_slice(table.range_tombstones());
            }
        }
        all.retain(|t| t.seq <= view.seq && self.meets(&t.start, t.largest_bound()));
        Ok(FragmentedTombstones::new(&all))
    }

    /// Whether a range tombstone the snapshot sees deletes the version
    /// (`key`, `seq`).
    fn range_deleted(&self, key: &[u8], seq: u64) -> bool {
        self.range_dels
            .as_ref()
            .and_then(|r| r.covering_seq(key, MAX_SEQNO))
            .is_some_and(|t| t > seq)
    }

    /// Every source, newest first: memtable, immutable memtable, each table
    /// of a tiered level (newest first), and one concatenating cursor per
    /// leveled level, which opens its tables as it reaches them.
    fn sources(&mut self, reverse: bool) -> Result<MergingIterator> {
        if self.range_dels.is_none() {
            self.range_dels = Some(self.gather_range_dels()?);
        }
        let view = &self.view;
        let mut children: Vec<Box<dyn InternalIterator + Send>> = vec![Box::new(view.mem.iter())];
        if let Some(imm) = &view.imm {
            children.push(Box::new(imm.iter()));
        }
        for level in 0..NUM_LEVELS {
            let tables = view.version.level(level);
            if tables.is_empty() {
                continue;
            }
            if view.version.is_tiered(level) {
                for index in 0..tables.len() {
                    let table = view
                        .version
                        .open_table(level, index, self.keep_tables, |n| (self.open_table)(n))?;
                    children.push(Box::new(table.iter()));
                }
            } else {
                children.push(Box::new(LevelIter::of_version(
                    Arc::clone(&view.version),
                    level,
                    self.keep_tables,
                    self.open_table.clone(),
                )));
            }
        }
        let sources = children.len() as u32;
        view.tracer.emit(|| Event::ScanStarted {
            sources,
            snapshot_seq: view.seq,
            reverse,
        });
        Ok(MergingIterator::new(children))
    }

    fn step(&self, key: &[u8], seq: u64, decision: ScanDecision, source: Option<usize>) {
        self.view.tracer.emit(|| Event::ScanStep {
            key: key.to_vec(),
            seq,
            decision,
            source: source.map_or(0, |s| s as u32),
        });
    }

    /// The caller's part of a stored put, or `None` when it has expired
    /// (without TTL, the stored value itself).
    fn live_value<'v>(&self, stored: &'v [u8]) -> Result<Option<&'v [u8]>> {
        match &self.view.expiry {
            Some(expiry) => expiry.live_value(stored, "(scan)"),
            None => Ok(Some(stored)),
        }
    }

    fn before_end(&self, key: &[u8]) -> bool {
        let in_range = match &self.end {
            Bound::Included(e) => key <= e.as_slice(),
            Bound::Excluded(e) => key < e.as_slice(),
            Bound::Unbounded => true,
        };
        in_range && self.back_last.as_deref().is_none_or(|b| key < b)
    }

    fn after_start(&self, key: &[u8]) -> bool {
        let in_range = match &self.start {
            Bound::Included(s) => key >= s.as_slice(),
            Bound::Excluded(s) => key > s.as_slice(),
            Bound::Unbounded => true,
        };
        in_range && self.front_last.as_deref().is_none_or(|f| key > f)
    }

    fn front_cursor(&mut self) -> Result<MergingIterator> {
        if let Some(it) = self.front.take() {
            return Ok(it);
        }
        let mut it = self.sources(false)?;
        match &self.start {
            Bound::Included(k) => it.seek(&internal_key(k, MAX_SEQNO, KIND_FOR_SEEK))?,
            Bound::Excluded(k) => {
                it.seek(&internal_key(k, MAX_SEQNO, KIND_FOR_SEEK))?;
                self.front_skip = Some(k.clone());
            }
            Bound::Unbounded => it.seek_to_first()?,
        }
        Ok(it)
    }

    fn next_forward(&mut self) -> Result<Option<KeyValue>> {
        let mut it = self.front_cursor()?;
        let result = self.advance_front(&mut it);
        self.front = Some(it);
        result
    }

    fn advance_front(&mut self, it: &mut MergingIterator) -> Result<Option<KeyValue>> {
        while it.valid() {
            let parsed = parse_internal_key(it.key()).ok_or_else(corrupt_key)?;
            if !self.before_end(parsed.user_key) {
                break;
            }
            let mut value = it.value();
            let decision = if parsed.seq > self.view.seq {
                ScanDecision::Invisible
            } else if self.front_skip.as_deref() == Some(parsed.user_key) {
                ScanDecision::Shadowed
            } else if parsed.kind == ValueKind::Delete
                || self.range_deleted(parsed.user_key, parsed.seq)
            {
                ScanDecision::Tombstone
            } else {
                match self.live_value(value)? {
                    Some(live) => {
                        value = live;
                        ScanDecision::Returned
                    }
                    None => ScanDecision::Expired,
                }
            };
            self.step(parsed.user_key, parsed.seq, decision, it.current_source());
            if matches!(
                decision,
                ScanDecision::Tombstone | ScanDecision::Returned | ScanDecision::Expired
            ) {
                set_reusing(&mut self.front_skip, parsed.user_key);
            }
            if decision == ScanDecision::Returned {
                let kv = (parsed.user_key.to_vec(), value.to_vec());
                it.next()?;
                set_reusing(&mut self.front_last, &kv.0);
                return Ok(Some(kv));
            }
            it.next()?;
        }
        self.done = true;
        Ok(None)
    }

    fn back_cursor(&mut self) -> Result<MergingIterator> {
        if let Some(it) = self.back.take() {
            return Ok(it);
        }
        let mut it = self.sources(true)?;
        let target = match &self.end {
            Bound::Included(k) => Some(internal_key(k, 0, ValueKind::Delete)),
            Bound::Excluded(k) => Some(internal_key(k, MAX_SEQNO, KIND_FOR_SEEK)),
            Bound::Unbounded => None,
        };
        match target {
            Some(t) => {
                it.seek(&t)?;
                // Step back from the first entry past the end bound (an
                // included end's versions all sort before `t`, except the
                // impossible sequence number 0 tombstone).
                while it.valid() && !self.before_end(crate::record::user_key(it.key())) {
                    it.prev()?;
                }
                if !it.valid() {
                    it.seek_to_last()?;
                    while it.valid() && !self.before_end(crate::record::user_key(it.key())) {
                        it.prev()?;
                    }
                }
            }
            None => it.seek_to_last()?,
        }
        Ok(it)
    }

    fn next_backward(&mut self) -> Result<Option<KeyValue>> {
        let mut it = self.back_cursor()?;
        let result = self.advance_back(&mut it);
        self.back = Some(it);
        result
    }

    /// Moving backwards, a key's versions arrive oldest first: gather them
    /// and keep the newest visible one.
    fn advance_back(&mut self, it: &mut MergingIterator) -> Result<Option<KeyValue>> {
        while it.valid() {
            let user_key = crate::record::user_key(it.key()).to_vec();
            if !self.after_start(&user_key) {
                break;
            }
            let mut newest: Option<(u64, ValueKind, Vec<u8>, Option<usize>)> = None;
            while it.valid() && crate::record::user_key(it.key()) == user_key.as_slice() {
                let parsed = parse_internal_key(it.key()).ok_or_else(corrupt_key)?;
                let source = it.current_source();
                if parsed.seq > self.view.seq {
                    self.step(&user_key, parsed.seq, ScanDecision::Invisible, source);
                } else {
                    if let Some((seq, _, _, from)) = &newest {
                        self.step(&user_key, *seq, ScanDecision::Shadowed, *from);
                    }
                    newest = Some((parsed.seq, parsed.kind, it.value().to_vec(), source));
                }
                it.prev()?;
            }
            match newest {
                Some((seq, ValueKind::Put, value, from)) if !self.range_deleted(&user_key, seq) => {
                    let Some(live) = self.live_value(&value)? else {
                        self.step(&user_key, seq, ScanDecision::Expired, from);
                        continue;
                    };
                    self.step(&user_key, seq, ScanDecision::Returned, from);
                    self.back_last = Some(user_key.clone());
                    return Ok(Some((user_key, live.to_vec())));
                }
                Some((seq, _, _, from)) => {
                    self.step(&user_key, seq, ScanDecision::Tombstone, from);
                }
                None => {}
            }
        }
        self.done = true;
        Ok(None)
    }
}

impl Iterator for Scan {
    type Item = Result<KeyValue>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_forward() {
            Ok(kv) => kv.map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

impl DoubleEndedIterator for Scan {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_backward() {
            Ok(kv) => kv.map(Ok),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}
