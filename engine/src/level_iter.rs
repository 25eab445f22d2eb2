//! A cursor over one leveled level: its tables, end to end.
//!
//! A leveled level is a single sorted run cut into tables with disjoint,
//! ascending key ranges. Reading it as one sequence only ever needs one
//! table open at a time: [`LevelIter`] opens a table when the cursor enters
//! it and lets it go when the cursor leaves, so a compaction or a scan over
//! a level of a thousand tables holds one table's index and one data block,
//! not the level.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::error::Result;
use crate::iter::InternalIterator;
use crate::manifest::Version;
use crate::sstable::key_order::compare_internal;
use crate::sstable::{Table, TableIter};
use crate::table_meta::TableMeta;

/// Opens a table by file number (the Db passes its table cache). Shared and
/// `Send`, so cursors that hold it can live in a
/// [`crate::merge::MergingIterator`] and outlive the call that built them.
pub type TableOpener = Arc<dyn Fn(u64) -> Result<Arc<Table>> + Send + Sync>;

/// Concatenates the tables of one leveled level. The tables must be sorted
/// by key with disjoint ranges (as [`crate::manifest::Version::level`]
/// returns a leveled level); each is opened lazily, on entry.
pub struct LevelIter {
    tables: LevelTables,
    open: TableOpener,
    /// Index in `tables` of the table `current` reads.
    index: usize,
    current: Option<TableIter>,
}

/// The tables a [`LevelIter`] walks.
enum LevelTables {
    /// A list of its own.
    Listed(Vec<Arc<TableMeta>>),
    /// A level of a version, read in place (a seek copies no table list)
    /// and opened through the handles the version keeps.
    OfVersion {
        version: Arc<Version>,
        level: usize,
        /// Whether the version keeps the tables this cursor opens.
        keep: bool,
    },
}

impl LevelTables {
    fn as_slice(&self) -> &[Arc<TableMeta>] {
        match self {
            LevelTables::Listed(tables) => tables,
            LevelTables::OfVersion { version, level, .. } => version.level(*level),
        }
    }
}

impl std::fmt::Debug for LevelIter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LevelIter")
            .field("tables", &self.tables.as_slice().len())
            .field("index", &self.index)
            .field("open", &self.current.is_some())
            .finish_non_exhaustive()
    }
}

impl LevelIter {
    /// A cursor over `tables` (sorted, disjoint), not yet positioned.
    pub fn new(tables: Vec<Arc<TableMeta>>, open: TableOpener) -> Self {
        Self {
            tables: LevelTables::Listed(tables),
            open,
            index: 0,
            current: None,
        }
    }

    /// A cursor over leveled `level` of `version`, not yet positioned;
    /// tables the version has not opened yet are opened by `open`, and
    /// with `keep` kept by the version ([`Version::open_table`]).
    pub(crate) fn of_version(
        version: Arc<Version>,
        level: usize,
        keep: bool,
        open: TableOpener,
    ) -> Self {
        Self {
            tables: LevelTables::OfVersion {
                version,
                level,
                keep,
            },
            open,
            index: 0,
            current: None,
        }
    }

    /// The table the cursor is in, if it is valid.
    pub fn current_table(&self) -> Option<&Arc<TableMeta>> {
        if self.valid() {
            self.tables.as_slice().get(self.index)
        } else {
            None
        }
    }

    /// Whether a table is open (at most one ever is).
    pub fn has_open_table(&self) -> bool {
        self.current.is_some()
    }

    /// Opens table `index` (dropping the previous one); past either end
    /// the cursor becomes invalid and `false` is returned.
    fn enter(&mut self, index: usize) -> Result<bool> {
        self.current = None;
        let table = match &self.tables {
            LevelTables::Listed(tables) => {
                let Some(meta) = tables.get(index) else {
                    return Ok(false);
                };
                (self.open)(meta.file_number)?
            }
            LevelTables::OfVersion {
                version,
                level,
                keep,
            } => {
                if index >= version.level(*level).len() {
                    return Ok(false);
                }
                version.open_table(*level, index, *keep, |n| (self.open)(n))?
            }
        };
        self.index = index;
        self.current = Some(table.iter());
        Ok(true)
    }

    /// Runs `step` on the open table's cursor; an error closes it.
    fn on_table(&mut self, step: impl FnOnce(&mut TableIter) -> Result<()>) -> Result<()> {
        let Some(it) = self.current.as_mut() else {
            return Ok(());
        };
        let result = step(it);
        if result.is_err() {
            self.current = None;
        }
        result
    }

    /// While the open table is exhausted, moves into the next one.
    fn skip_forward(&mut self) -> Result<()> {
        while self.current.as_ref().is_some_and(|it| !it.valid()) {
            if self.enter(self.index + 1)? {
                self.on_table(|it| it.seek_to_first())?;
            }
        }
        Ok(())
    }

    /// While the open table is exhausted, moves back into the previous one.
    fn skip_backward(&mut self) -> Result<()> {
        while self.current.as_ref().is_some_and(|it| !it.valid()) {
            let Some(previous) = self.index.checked_sub(1) else {
                self.current = None;
                break;
            };
            if self.enter(previous)? {
                self.on_table(|it| it.seek_to_last())?;
            }
        }
        Ok(())
    }
}

impl InternalIterator for LevelIter {
    fn valid(&self) -> bool {
        self.current.as_ref().is_some_and(|it| it.valid())
    }

    fn key(&self) -> &[u8] {
        self.current.as_ref().map_or(&[], |it| it.key())
    }

    fn value(&self) -> &[u8] {
        self.current.as_ref().map_or(&[], |it| it.value())
    }

    fn seek_to_first(&mut self) -> Result<()> {
        if self.enter(0)? {
            self.on_table(|it| it.seek_to_first())?;
        }
        self.skip_forward()
    }

    fn seek_to_last(&mut self) -> Result<()> {
        let last = self.tables.as_slice().len().checked_sub(1);
        match last {
            Some(last) if self.enter(last)? => self.on_table(|it| it.seek_to_last())?,
            _ => self.current = None,
        }
        self.skip_backward()
    }

    fn seek(&mut self, target: &[u8]) -> Result<()> {
        // The first table whose largest key is not before the target.
        let index = self
            .tables
            .as_slice()
            .partition_point(|t| compare_internal(&t.largest, target) == Ordering::Less);
        if self.enter(index)? {
            self.on_table(|it| it.seek(target))?;
        }
        self.skip_forward()
    }

    fn next(&mut self) -> Result<()> {
        self.on_table(|it| it.next())?;
        self.skip_forward()
    }

    fn prev(&mut self) -> Result<()> {
        self.on_table(|it| it.prev())?;
        self.skip_backward()
    }
}

#[cfg(test)]
mod tests;
