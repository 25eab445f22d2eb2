//! Reference solution of the skiplist lab: the engine's own arena
//! skiplist (`strata_engine::memtable::skiplist`), wrapped in the lab's API.

use strata_engine::memtable::skiplist::{NodeId, SkipList as EngineList};

pub use strata_engine::memtable::skiplist::{BRANCHING, MAX_HEIGHT};

/// A skiplist of internal keys over an arena of nodes.
#[derive(Debug)]
pub struct SkipList {
    inner: EngineList,
}

impl SkipList {
    /// An empty list whose tower heights are drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            inner: EngineList::new(seed),
        }
    }

    /// Inserts `key` (not yet in the list) with `value`; returns the height
    /// of the new node's tower.
    pub fn insert(&mut self, key: Vec<u8>, value: Vec<u8>) -> usize {
        usize::from(self.inner.insert(key, value))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        usize::try_from(self.inner.len()).unwrap_or(usize::MAX)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }

    /// The first entry whose key is `>= key`.
    pub fn seek(&self, key: &[u8]) -> Option<(&[u8], &[u8])> {
        self.inner.seek(key).map(|id| self.entry(id))
    }

    /// Every entry in key order.
    pub fn entries(&self) -> Vec<(&[u8], &[u8])> {
        self.walk().into_iter().map(|id| self.entry(id)).collect()
    }

    /// The keys reached by following the links of `level` from the head.
    pub fn level_keys(&self, level: usize) -> Vec<&[u8]> {
        self.walk()
            .into_iter()
            .filter(|&id| usize::from(self.inner.height(id)) > level)
            .map(|id| self.inner.key(id))
            .collect()
    }

    fn entry(&self, id: NodeId) -> (&[u8], &[u8]) {
        (self.inner.key(id), self.inner.value(id))
    }

    fn walk(&self) -> Vec<NodeId> {
        std::iter::successors(self.inner.first(), |&id| self.inner.next(id)).collect()
    }
}
