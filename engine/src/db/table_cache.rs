//! Open tables, kept so a table's index and filter are read once.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex, PoisonError};

use strata_storage::Storage;

use crate::error::Result;
use crate::sstable::{BlockCache, KeyHasher, Table};

type OpenTables = HashMap<u64, Arc<Table>, BuildHasherDefault<KeyHasher>>;

/// Opened tables by file number, and the block cache they share.
#[derive(Clone, Default)]
pub(super) struct TableCache {
    open: Arc<Mutex<OpenTables>>,
    blocks: Option<Arc<BlockCache>>,
}

impl TableCache {
    /// Tables sharing a block cache of `block_cache_bytes` (none if 0).
    pub fn new(block_cache_bytes: usize) -> Self {
        Self {
            open: Arc::default(),
            blocks: (block_cache_bytes > 0).then(|| Arc::new(BlockCache::new(block_cache_bytes))),
        }
    }

    /// The open table `file_number`, opening it on first use.
    pub fn get(&self, storage: &dyn Storage, file_number: u64) -> Result<Arc<Table>> {
        if let Some(t) = self.lock().get(&file_number) {
            return Ok(t.clone());
        }
        // Opened outside the lock: reading an index must not stall others.
        let table = Table::open_cached(storage, file_number, self.blocks.clone())?;
        Ok(self.lock().entry(file_number).or_insert(table).clone())
    }

    /// Forgets a table whose file is being deleted.
    pub fn evict(&self, file_number: u64) {
        self.lock().remove(&file_number);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, OpenTables> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
