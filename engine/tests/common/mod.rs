//! Helpers shared by the engine's integration tests.
#![allow(dead_code)]

use std::sync::Arc;

use strata_engine::{Db, Options};
use strata_storage::{MemStorage, Storage};

/// Options that make flushes frequent, so small tests reach the tables.
pub fn small_options() -> Options {
    Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        ..Options::deterministic()
    }
}

/// Opens a database on `storage` with `options`.
pub fn open(storage: &MemStorage, options: &Options) -> anyhow::Result<Db> {
    Ok(Db::open(
        Arc::new(storage.clone()) as Arc<dyn Storage>,
        options.clone(),
    )?)
}

/// The state a power cut at this moment would leave: a copy of `storage`
/// that keeps only synced bytes and synced directory entries.
pub fn crashed_copy(storage: &MemStorage) -> MemStorage {
    let copy = storage.snapshot();
    copy.crash();
    copy
}

/// Every live key and value, by a full forward scan.
pub fn contents(db: &Db) -> anyhow::Result<Vec<(Vec<u8>, Vec<u8>)>> {
    Ok(db.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?)
}

/// A key like `key00042`.
pub fn key(i: u64) -> Vec<u8> {
    format!("key{i:05}").into_bytes()
}
