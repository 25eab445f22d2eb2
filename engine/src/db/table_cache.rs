//! Open tables, kept so a table's index and filter are read once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use strata_storage::Storage;

use crate::error::Result;
use crate::sstable::Table;

/// Opened tables by file number.
#[derive(Clone, Default)]
pub(super) struct TableCache {
    open: Arc<Mutex<HashMap<u64, Arc<Table>>>>,
}

impl TableCache {
    /// The open table `file_number`, opening it on first use.
    pub fn get(&self, storage: &dyn Storage, file_number: u64) -> Result<Arc<Table>> {
        if let Some(t) = self.lock().get(&file_number) {
            return Ok(t.clone());
        }
        // Opened outside the lock: reading an index must not stall others.
        let table = Table::open(storage, file_number)?;
        Ok(self.lock().entry(file_number).or_insert(table).clone())
    }

    /// Forgets a table whose file is being deleted.
    pub fn evict(&self, file_number: u64) {
        self.lock().remove(&file_number);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<Table>>> {
        self.open.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
