//! Open tables, kept so a table's index and filter are read once, at
//! most `Options::max_open_tables` of them: past that the least recently
//! used is closed (its file handle goes once no reader holds the table).

use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex, PoisonError};

use strata_storage::Storage;

use crate::error::Result;
use crate::sstable::{BlockCache, KeyHasher, Table};

/// The open tables with the tick of their last use, and the file numbers
/// by tick (oldest first).
#[derive(Default)]
struct OpenTables {
    tables: HashMap<u64, (Arc<Table>, u64), BuildHasherDefault<KeyHasher>>,
    by_use: BTreeMap<u64, u64>,
    tick: u64,
}

impl OpenTables {
    fn touch(&mut self, file_number: u64) -> Option<Arc<Table>> {
        self.tick += 1;
        let tick = self.tick;
        let (table, last) = self.tables.get_mut(&file_number)?;
        self.by_use.remove(last);
        *last = tick;
        self.by_use.insert(tick, file_number);
        Some(table.clone())
    }

    fn insert(&mut self, file_number: u64, table: Arc<Table>, capacity: usize) -> Arc<Table> {
        if let Some(open) = self.touch(file_number) {
            return open;
        }
        while self.tables.len() >= capacity {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            self.tables.remove(&oldest);
        }
        self.by_use.insert(self.tick, file_number);
        self.tables.insert(file_number, (table.clone(), self.tick));
        table
    }

    fn remove(&mut self, file_number: u64) {
        if let Some((_, last)) = self.tables.remove(&file_number) {
            self.by_use.remove(&last);
        }
    }
}

/// Opened tables by file number, and the block cache they share.
#[derive(Clone)]
pub(super) struct TableCache {
    open: Arc<Mutex<OpenTables>>,
    capacity: usize,
    blocks: Option<Arc<BlockCache>>,
}

impl TableCache {
    /// At most `max_open_tables` tables, sharing a block cache of
    /// `block_cache_bytes` (none if 0).
    pub fn new(block_cache_bytes: usize, max_open_tables: usize) -> Self {
        Self {
            open: Arc::default(),
            capacity: max_open_tables.max(1),
            blocks: (block_cache_bytes > 0).then(|| Arc::new(BlockCache::new(block_cache_bytes))),
        }
    }

    /// The open table `file_number`, opening it on first use.
    pub fn get(&self, storage: &dyn Storage, file_number: u64) -> Result<Arc<Table>> {
        if let Some(t) = self.lock().touch(file_number) {
            return Ok(t);
        }
        // Opened outside the lock: reading an index must not stall others.
        let table = Table::open_cached(storage, file_number, self.blocks.clone())?;
        Ok(self.lock().insert(file_number, table, self.capacity))
    }

    /// Forgets a table whose file is being deleted.
    pub fn evict(&self, file_number: u64) {
        self.lock().remove(file_number);
    }

    /// How many tables are open in the cache.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().tables.len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, OpenTables> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Tracer;
    use crate::options::Options;
    use crate::record::{internal_key, ValueKind};
    use crate::sstable::TableBuilder;
    use strata_storage::MemStorage;

    #[test]
    fn the_least_recently_used_table_is_closed_past_the_cap() -> Result<()> {
        let storage = MemStorage::new();
        for n in 1..=6u64 {
            let mut b = TableBuilder::new(&storage, n, 0, &Options::default(), Tracer::off())?;
            b.add(&internal_key(b"k", n, ValueKind::Put), b"v")?;
            b.finish()?;
        }
        let cache = TableCache::new(0, 3);
        for n in 1..=3 {
            cache.get(&storage, n)?;
        }
        cache.get(&storage, 1)?; // 2 is now the least recently used
        cache.get(&storage, 4)?;
        assert_eq!(cache.len(), 3);
        let open: Vec<u64> = {
            let lock = cache.lock();
            let mut v: Vec<u64> = lock.tables.keys().copied().collect();
            v.sort_unstable();
            v
        };
        assert_eq!(open, vec![1, 3, 4]);
        for n in 1..=6 {
            assert_eq!(cache.get(&storage, n)?.file_number(), n);
            assert!(cache.len() <= 3);
        }
        Ok(())
    }
}
