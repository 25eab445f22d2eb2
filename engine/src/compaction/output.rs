//! Writing a compaction's output: one table per new run of a tiered level,
//! or a sequence of tables cut by size and by grandparent overlap for a
//! leveled level.
//!
//! Range tombstones are split between the outputs at the cuts. A table
//! whose last key is `k` owns the keys up to and including `k`, so its
//! tombstones are clipped to end at `k ++ [0]` (the next key after `k`) and
//! the next table's begin there: every table's tombstones stay within its
//! key range, and neighbouring tables in a level do not overlap.

use std::sync::Arc;

use strata_storage::Storage;

use crate::error::Result;
use crate::filename::table_name;
use crate::range_tombstone::{clip_all, successor, RangeTombstone};
use crate::record::user_key;
use crate::sstable::TableBuilder;
use crate::table_meta::TableMeta;

use super::{grandparent_limit_bytes, CompactionContext, CompactionPlan};

/// Tracks how much of the grandparent level (the level below the output)
/// the current output table overlaps, so an output can be cut before a
/// later compaction of it would have to rewrite too much below.
#[derive(Debug)]
pub(super) struct GrandparentLimiter<'g> {
    /// Sorted, disjoint (the grandparent level is leveled).
    grandparents: &'g [Arc<TableMeta>],
    /// First grandparent the current output does not reach yet.
    next: usize,
    overlapped_bytes: u64,
    limit_bytes: u64,
}

impl<'g> GrandparentLimiter<'g> {
    pub(super) fn new(grandparents: &'g [Arc<TableMeta>], limit_bytes: u64) -> Self {
        Self {
            grandparents,
            next: 0,
            overlapped_bytes: 0,
            limit_bytes,
        }
    }

    /// A new output begins at `first`: it overlaps the grandparent holding
    /// `first`, if any.
    pub(super) fn start_output(&mut self, first: &[u8]) {
        let gps = self.grandparents;
        self.next = gps.partition_point(|t| t.largest_user_key() < first);
        self.overlapped_bytes = 0;
        while let Some(t) = gps
            .get(self.next)
            .filter(|t| t.smallest_user_key() <= first)
        {
            self.overlapped_bytes += t.size_bytes;
            self.next += 1;
        }
    }

    /// Whether extending the current output to `key` would reach further
    /// grandparents and take its overlap above the limit (the caller then
    /// cuts before `key` and calls [`Self::start_output`]). Otherwise the
    /// output now reaches `key`.
    pub(super) fn should_cut_before(&mut self, key: &[u8]) -> bool {
        let mut next = self.next;
        let mut added = 0u64;
        while let Some(t) = self
            .grandparents
            .get(next)
            .filter(|t| t.smallest_user_key() <= key)
        {
            added += t.size_bytes;
            next += 1;
        }
        if added > 0 && self.overlapped_bytes + added > self.limit_bytes {
            return true;
        }
        self.overlapped_bytes += added;
        self.next = next;
        false
    }
}

/// The output tables of one compaction, built one at a time.
pub(super) struct Outputs<'c, 'a, 'f> {
    ctx: &'c CompactionContext<'a>,
    plan: &'c CompactionPlan,
    new_file_number: &'f (dyn Fn() -> u64 + Sync),
    builder: Option<TableBuilder>,
    /// File number of the table `builder` writes.
    building: u64,
    /// Bytes of the current table already reported to the pacer.
    paced_bytes: u64,
    limiter: GrandparentLimiter<'c>,
    /// The kept range tombstones, known up front.
    range_dels: Vec<RangeTombstone>,
    /// Where the table being written begins: just after the previous one
    /// (`None` for the first).
    lower: Option<Vec<u8>>,
    pub(super) finished: Vec<TableMeta>,
}

impl<'c, 'a, 'f> Outputs<'c, 'a, 'f> {
    pub(super) fn new(
        ctx: &'c CompactionContext<'a>,
        plan: &'c CompactionPlan,
        new_file_number: &'f (dyn Fn() -> u64 + Sync),
    ) -> Self {
        let limit = grandparent_limit_bytes(ctx.options);
        Self {
            ctx,
            plan,
            new_file_number,
            builder: None,
            building: 0,
            paced_bytes: 0,
            limiter: GrandparentLimiter::new(&plan.grandparents, limit),
            range_dels: Vec::new(),
            lower: None,
            finished: Vec::new(),
        }
    }

    /// Sets the range tombstones the outputs hold between them.
    pub(super) fn set_range_tombstones(&mut self, tombstones: Vec<RangeTombstone>) {
        self.range_dels = tombstones;
    }

    /// Writes a kept record; `new_user_key` says whether it starts a key
    /// (outputs are only ever cut there).
    pub(super) fn add(&mut self, key: &[u8], value: &[u8], new_user_key: bool) -> Result<()> {
        let user = user_key(key);
        if new_user_key && self.plan.split_outputs {
            if let Some(builder) = &self.builder {
                let full =
                    builder.estimated_size_bytes() >= self.ctx.options.target_file_size_bytes;
                if self.limiter.should_cut_before(user) || full {
                    self.cut_table()?;
                }
            }
        }
        if self.builder.is_none() {
            self.start_table(user)?;
        }
        let Some(builder) = self.builder.as_mut() else {
            return Ok(());
        };
        builder.add(key, value)?;
        let estimated = builder.estimated_size_bytes();
        let unpaced = estimated.saturating_sub(self.paced_bytes);
        if unpaced >= self.ctx.options.block_size_bytes as u64 {
            self.ctx.pacer.pace(unpaced);
            self.paced_bytes = estimated;
        }
        Ok(())
    }

    fn start_table(&mut self, first_user_key: &[u8]) -> Result<()> {
        let number = (self.new_file_number)();
        let builder = TableBuilder::new(
            self.ctx.storage,
            number,
            self.plan.output_level,
            self.ctx.options,
            self.ctx.tracer.clone(),
        )?;
        self.building = number;
        self.paced_bytes = 0;
        self.limiter.start_output(first_user_key);
        self.builder = Some(builder);
        Ok(())
    }

    /// Finishes the table being written before the next key: it takes the
    /// range tombstones up to just after its last key.
    fn cut_table(&mut self) -> Result<()> {
        let upper = self
            .builder
            .as_ref()
            .and_then(|b| b.last_user_key())
            .map(successor);
        self.finish_table(upper)
    }

    /// Finishes the last table, which takes the remaining range tombstones
    /// (a table is started for them if none is open).
    pub(super) fn finish_last_table(&mut self) -> Result<()> {
        if self.builder.is_none() {
            let rest = clip_all(&self.range_dels, self.lower.as_deref(), None);
            if let Some(first) = rest.first() {
                self.start_table(&first.start)?;
            }
        }
        self.finish_table(None)
    }

    /// Finishes the table being written, if any, with the range tombstones
    /// between its lower bound and `upper` (`None`: no bound).
    fn finish_table(&mut self, upper: Option<Vec<u8>>) -> Result<()> {
        let Some(mut builder) = self.builder.take() else {
            return Ok(());
        };
        for t in clip_all(&self.range_dels, self.lower.as_deref(), upper.as_deref()) {
            builder.add_range_tombstone(&t)?;
        }
        self.lower = upper;
        let meta = builder.finish()?;
        self.ctx
            .pacer
            .pace(meta.size_bytes.saturating_sub(self.paced_bytes));
        self.paced_bytes = 0;
        self.finished.push(meta);
        Ok(())
    }

    /// After a failure: removes every file this compaction created (best
    /// effort; none of them is referenced by any version).
    pub(super) fn abandon(mut self) {
        let mut numbers: Vec<u64> = self.finished.iter().map(|t| t.file_number).collect();
        if self.builder.take().is_some() {
            numbers.push(self.building);
        }
        remove_unreferenced(self.ctx.storage, numbers);
    }
}

/// Removes tables a failed compaction wrote, which no version refers to.
/// Best effort: the first error is the one reported, and an orphan table
/// left behind is deleted as obsolete when the database next opens.
pub(super) fn remove_unreferenced(storage: &dyn Storage, numbers: impl IntoIterator<Item = u64>) {
    for n in numbers {
        let _ = storage.remove(&table_name(n));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compaction::testutil::meta;

    fn gps() -> Vec<Arc<TableMeta>> {
        [("b", "c"), ("e", "f"), ("h", "i"), ("k", "l")]
            .iter()
            .zip(1u64..)
            .map(|((lo, hi), n)| Arc::new(meta(n, lo, hi, 100, 1)))
            .collect()
    }

    #[test]
    fn output_is_cut_when_a_new_grandparent_would_exceed_the_limit() {
        let gps = gps();
        let mut limiter = GrandparentLimiter::new(&gps, 250);
        limiter.start_output(b"a");
        assert!(!limiter.should_cut_before(b"b"), "100 of 250");
        assert!(!limiter.should_cut_before(b"bb"), "same grandparent");
        assert!(!limiter.should_cut_before(b"g"), "200 of 250");
        assert!(limiter.should_cut_before(b"j"), "300 would exceed 250");
        limiter.start_output(b"j");
        assert!(!limiter.should_cut_before(b"m"), "only 100 reached from j");
    }

    #[test]
    fn a_new_output_counts_the_grandparent_holding_its_first_key() {
        let gps = gps();
        let mut limiter = GrandparentLimiter::new(&gps, 150);
        limiter.start_output(b"e");
        assert!(!limiter.should_cut_before(b"f"));
        assert!(limiter.should_cut_before(b"h"), "200 would exceed 150");
    }

    #[test]
    fn one_huge_grandparent_does_not_cut_every_key() {
        let gps = vec![Arc::new(meta(1, "a", "z", 10_000, 1))];
        let mut limiter = GrandparentLimiter::new(&gps, 100);
        limiter.start_output(b"b");
        for key in [b"c", b"d", b"e"] {
            assert!(!limiter.should_cut_before(key));
        }
    }
}
