//! What the database looks like between two operations, read through the
//! engine's read-only accessors: the views start from this and then follow
//! the events of the operation being shown.

use strata_engine::filename::{parse, FileKind};
use strata_engine::range_tombstone::RangeTombstone;
use strata_engine::{Options, Stats, TableMeta, TowerView};
use strata_storage::Storage;

use super::runner::Runner;

/// Most skiplist towers the memtable view shows.
pub const MAX_TOWERS: usize = 48;

/// The database's state at an operation boundary.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Base {
    /// Operations applied so far.
    pub ops_applied: usize,
    /// Tables per level (`Db::levels`): L0 newest first, deeper levels by
    /// key (tiered levels newest first).
    pub levels: Vec<Vec<TableMeta>>,
    /// The first [`MAX_TOWERS`] nodes of the active memtable.
    pub towers: Vec<TowerView>,
    /// The active memtable's range tombstones.
    pub range_tombstones: Vec<RangeTombstone>,
    /// Counters and per-level sizes (`Db::stats`).
    pub stats: Stats,
    /// Write-ahead logs on storage: (file number, bytes), oldest first.
    pub logs: Vec<(u64, u64)>,
    /// The options the database runs with.
    pub options: Options,
}

impl Base {
    /// Reads the state of `runner`'s database.
    pub fn read(runner: &Runner, ops_applied: usize) -> Base {
        let db = runner.db();
        Base {
            ops_applied,
            levels: db.levels(),
            towers: db.memtable_towers(MAX_TOWERS),
            range_tombstones: db.memtable_range_tombstones(),
            stats: db.stats(),
            logs: logs(runner.storage().as_ref()),
            options: db.options().clone(),
        }
    }
}

fn logs(storage: &dyn Storage) -> Vec<(u64, u64)> {
    let names = storage.list().unwrap_or_default();
    let mut logs: Vec<(u64, u64)> = names
        .iter()
        .filter_map(|name| match parse(name) {
            Some(FileKind::Wal(n)) => Some((n, storage.len(name).unwrap_or(0))),
            _ => None,
        })
        .collect();
    logs.sort_unstable();
    logs
}
