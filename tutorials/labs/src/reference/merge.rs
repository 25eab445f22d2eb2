//! Reference solution of the merging iterator lab: the engine's own
//! `MergingIterator` over in-memory sources, and the step it takes.

use std::cmp::Ordering;

use strata_engine::iter::InternalIterator;
use strata_engine::merge::MergingIterator;
use strata_engine::record::compare_internal_keys;

/// The source to stand on: the smallest current key going forward, the
/// largest going backward (internal-key order); ties go to the lowest
/// index, which holds the newest data. `None` when every source is done.
pub fn pick(keys: &[Option<&[u8]>], forward: bool) -> Option<usize> {
    let want = if forward {
        Ordering::Less
    } else {
        Ordering::Greater
    };
    let mut best: Option<(usize, &[u8])> = None;
    for (i, key) in keys.iter().enumerate() {
        let Some(key) = *key else { continue };
        if best.is_none_or(|(_, b)| compare_internal_keys(key, b) == want) {
            best = Some((i, key));
        }
    }
    best.map(|(i, _)| i)
}

/// One sorted view over several sorted sources (index 0 is the newest).
pub struct MergingIter {
    inner: MergingIterator,
}

impl MergingIter {
    /// A cursor over `sources`, each sorted by internal key (not positioned).
    pub fn new(sources: Vec<Vec<(Vec<u8>, Vec<u8>)>>) -> Self {
        let children = sources
            .into_iter()
            .map(|entries| {
                Box::new(VecSource { entries, at: None }) as Box<dyn InternalIterator + Send>
            })
            .collect();
        Self {
            inner: MergingIterator::new(children),
        }
    }

    /// Moves to the first entry.
    pub fn seek_to_first(&mut self) {
        let _ = self.inner.seek_to_first();
    }

    /// Moves to the last entry.
    pub fn seek_to_last(&mut self) {
        let _ = self.inner.seek_to_last();
    }

    /// Moves to the first entry `>= target`.
    pub fn seek(&mut self, target: &[u8]) {
        let _ = self.inner.seek(target);
    }

    /// Moves to the next entry.
    pub fn next(&mut self) {
        let _ = self.inner.next();
    }

    /// Moves to the previous entry.
    pub fn prev(&mut self) {
        let _ = self.inner.prev();
    }

    /// The entry at the cursor, `None` past either end.
    pub fn current(&self) -> Option<(&[u8], &[u8])> {
        self.inner
            .valid()
            .then(|| (self.inner.key(), self.inner.value()))
    }
}

/// A sorted vector as an engine cursor.
struct VecSource {
    entries: Vec<(Vec<u8>, Vec<u8>)>,
    at: Option<usize>,
}

impl VecSource {
    fn set(&mut self, at: usize) {
        self.at = (at < self.entries.len()).then_some(at);
    }
}

impl InternalIterator for VecSource {
    fn valid(&self) -> bool {
        self.at.is_some()
    }
    fn key(&self) -> &[u8] {
        self.at
            .and_then(|i| self.entries.get(i))
            .map_or(&[], |e| &e.0)
    }
    fn value(&self) -> &[u8] {
        self.at
            .and_then(|i| self.entries.get(i))
            .map_or(&[], |e| &e.1)
    }
    fn seek_to_first(&mut self) -> strata_engine::Result<()> {
        self.set(0);
        Ok(())
    }
    fn seek_to_last(&mut self) -> strata_engine::Result<()> {
        self.at = self.entries.len().checked_sub(1);
        Ok(())
    }
    fn seek(&mut self, target: &[u8]) -> strata_engine::Result<()> {
        let at = self
            .entries
            .partition_point(|(k, _)| compare_internal_keys(k, target) == Ordering::Less);
        self.set(at);
        Ok(())
    }
    fn next(&mut self) -> strata_engine::Result<()> {
        if let Some(at) = self.at {
            self.set(at + 1);
        }
        Ok(())
    }
    fn prev(&mut self) -> strata_engine::Result<()> {
        self.at = self.at.and_then(|at| at.checked_sub(1));
        Ok(())
    }
}
