//! Versions: which tables are live, and at which level.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use crate::error::Result as EngineResult;
use crate::key_prefix::KeyPrefix;
use crate::manifest::edit::VersionEdit;
use crate::record::compare_internal_keys;
use crate::sstable::key_order::{compare_bytes, first_not_below};
use crate::sstable::Table;
use crate::table_meta::TableMeta;

/// Number of levels in the tree.
pub const NUM_LEVELS: usize = 7;

/// An immutable set of live tables arranged in levels.
///
/// The first `tiered_levels` levels (at least level 0) are *tiered*: their
/// tables' key ranges may overlap, and they are kept newest first (by
/// largest sequence number, then file number). The levels below are
/// *leveled*: tables with disjoint key ranges, sorted by smallest key.
/// Tables are shared between versions through `Arc`, so applying an edit
/// copies pointers, not metadata.
///
/// For point lookups a version also keeps, built on first use, the key
/// prefixes of its tables' bounds in dense arrays and a handle to each
/// table once a lookup opened it ([`LevelLookup`]): a get searches a level
/// and reaches a table without following pointers to keys or taking the
/// table cache's lock. A clone starts without them: it may be read through
/// other storage (a fork) and opens its own tables.
#[derive(Debug)]
pub struct Version {
    /// Always empty (the default) or exactly [`NUM_LEVELS`] long.
    levels: Vec<Vec<Arc<TableMeta>>>,
    tiered_levels: usize,
    lookup: OnceLock<Vec<LevelLookup>>,
}

impl Clone for Version {
    fn clone(&self) -> Self {
        Self::new(self.levels.clone(), self.tiered_levels)
    }
}

impl Default for Version {
    fn default() -> Self {
        Self::new(Vec::new(), 1)
    }
}

/// A level as a point lookup reads it: parallel to [`Version::level`].
#[derive(Debug, Default)]
struct LevelLookup {
    /// Prefix of each table's smallest user key.
    smallest: Vec<KeyPrefix>,
    /// Prefix of each table's largest user key.
    largest: Vec<KeyPrefix>,
    /// Each table, once a lookup has opened it.
    open: Vec<OnceLock<Arc<Table>>>,
}

impl LevelLookup {
    fn of(tables: &[Arc<TableMeta>]) -> Self {
        Self {
            smallest: tables
                .iter()
                .map(|t| KeyPrefix::of(t.smallest_user_key()))
                .collect(),
            largest: tables
                .iter()
                .map(|t| KeyPrefix::of(t.largest_user_key()))
                .collect(),
            open: tables.iter().map(|_| OnceLock::new()).collect(),
        }
    }
}

impl Version {
    /// The version that results from applying `edit` to this one: removals
    /// first, then additions. Removing a table that is not at the named
    /// level, adding a file number that is already live, or naming a level
    /// at or above [`NUM_LEVELS`] is an error.
    pub fn apply(&self, edit: &VersionEdit) -> Result<Version, String> {
        let mut levels = self.levels.clone();
        levels.resize(NUM_LEVELS, Vec::new());
        for &(level, file_number) in &edit.removed {
            let tables = level_mut(&mut levels, level)?;
            let before = tables.len();
            tables.retain(|t| t.file_number != file_number);
            if tables.len() == before {
                return Err(format!("table {file_number} is not at level {level}"));
            }
        }
        let mut live: BTreeSet<u64> = levels.iter().flatten().map(|t| t.file_number).collect();
        for (level, table) in &edit.added {
            if !live.insert(table.file_number) {
                return Err(format!("table {} is already live", table.file_number));
            }
            level_mut(&mut levels, *level)?.push(Arc::new(table.clone()));
        }
        Ok(Version::new(levels, self.tiered_levels).sorted())
    }

    fn new(levels: Vec<Vec<Arc<TableMeta>>>, tiered_levels: usize) -> Version {
        Version {
            levels,
            tiered_levels,
            lookup: OnceLock::new(),
        }
    }

    /// The same tables with the first `tiered_levels` levels (at least one)
    /// treated as tiered.
    pub fn with_tiered_levels(&self, tiered_levels: usize) -> Version {
        Version::new(self.levels.clone(), tiered_levels.clamp(1, NUM_LEVELS)).sorted()
    }

    /// How many levels, from level 0, are tiered.
    pub fn tiered_levels(&self) -> usize {
        self.tiered_levels
    }

    /// Whether tables at `level` may overlap.
    pub fn is_tiered(&self, level: usize) -> bool {
        level < self.tiered_levels
    }

    fn sorted(mut self) -> Version {
        for (i, level) in self.levels.iter_mut().enumerate() {
            if i < self.tiered_levels {
                level.sort_by(|a, b| newest_first(a, b));
            } else {
                level.sort_by(|a, b| by_smallest(a, b));
            }
        }
        self
    }

    /// The tables at `level` (empty beyond the last level).
    pub fn level(&self, level: usize) -> &[Arc<TableMeta>] {
        self.levels.get(level).map_or(&[], Vec::as_slice)
    }

    fn lookup(&self, level: usize) -> Option<&LevelLookup> {
        self.lookup
            .get_or_init(|| self.levels.iter().map(|l| LevelLookup::of(l)).collect())
            .get(level)
    }

    /// In a leveled `level`, the index of the first table whose largest
    /// user key is not below `user_key` (whose prefix is `prefix`): the
    /// only table that may hold it. `level(level).len()` if none.
    pub(crate) fn find_table(&self, level: usize, user_key: &[u8], prefix: KeyPrefix) -> usize {
        let tables = self.level(level);
        let Some(lookup) = self.lookup(level) else {
            return tables.len();
        };
        first_not_below(tables.len(), &lookup.largest, &prefix, |i| {
            tables
                .get(i)
                .is_some_and(|t| compare_bytes(t.largest_user_key(), user_key) == Ordering::Less)
        })
    }

    /// Whether table `index` of `level` covers `user_key` (prefix
    /// `prefix`), as [`TableMeta::covers`] says.
    pub(crate) fn table_covers(
        &self,
        level: usize,
        index: usize,
        user_key: &[u8],
        prefix: KeyPrefix,
    ) -> bool {
        let (Some(lookup), Some(table)) = (self.lookup(level), self.level(level).get(index)) else {
            return false;
        };
        let not_after = |bound: Option<&KeyPrefix>, key: &[u8]| match bound.map(|b| b.cmp(&prefix))
        {
            Some(Ordering::Less) => true,
            Some(Ordering::Equal) => compare_bytes(key, user_key) != Ordering::Greater,
            _ => false,
        };
        let not_before = |bound: Option<&KeyPrefix>, key: &[u8]| match bound.map(|b| b.cmp(&prefix))
        {
            Some(Ordering::Greater) => true,
            Some(Ordering::Equal) => compare_bytes(key, user_key) != Ordering::Less,
            _ => false,
        };
        not_after(lookup.smallest.get(index), table.smallest_user_key())
            && not_before(lookup.largest.get(index), table.largest_user_key())
    }

    /// Table `index` of `level` if this version already holds it open:
    /// a borrow, with no reference count to touch.
    pub(crate) fn kept_table(&self, level: usize, index: usize) -> Option<&Arc<Table>> {
        self.lookup(level)?.open.get(index)?.get()
    }

    /// Table `index` of `level`, opened by `open` (given its file number)
    /// on first use and, with `keep`, kept for the version's lifetime.
    /// Callers keep tables only while the version has no more tables than
    /// may be open at once (`Options::max_open_tables`): otherwise a
    /// long-lived version would hold every table it ever read open.
    pub(crate) fn open_table(
        &self,
        level: usize,
        index: usize,
        keep: bool,
        open: impl FnOnce(u64) -> EngineResult<Arc<Table>>,
    ) -> EngineResult<Arc<Table>> {
        let meta = self.level(level).get(index);
        let slot = self.lookup(level).and_then(|l| l.open.get(index));
        let (Some(meta), Some(slot)) = (meta, slot) else {
            return Err(crate::error::Error::corruption(
                "version",
                0,
                format!("no table {index} at level {level}"),
            ));
        };
        if let Some(table) = slot.get() {
            return Ok(Arc::clone(table));
        }
        let table = open(meta.file_number)?;
        if !keep {
            return Ok(table);
        }
        Ok(Arc::clone(slot.get_or_init(|| table)))
    }

    /// Every table with its level, level 0 first, in level order.
    pub fn tables(&self) -> impl Iterator<Item = (u32, &Arc<TableMeta>)> {
        (0u32..)
            .zip(&self.levels)
            .flat_map(|(level, tables)| tables.iter().map(move |t| (level, t)))
    }

    /// File numbers of every live table.
    pub fn live_files(&self) -> BTreeSet<u64> {
        self.tables().map(|(_, t)| t.file_number).collect()
    }

    /// Total size of the tables at `level`.
    pub fn level_bytes(&self, level: usize) -> u64 {
        self.level(level).iter().map(|t| t.size_bytes).sum()
    }

    /// Number of live tables.
    pub fn table_count(&self) -> usize {
        self.levels.iter().map(Vec::len).sum()
    }

    /// Checks the shape of the tree: each table's smallest key is not after
    /// its largest, tiered levels are newest first, leveled levels are
    /// sorted and their tables' user-key ranges are disjoint, and no file
    /// number appears twice.
    pub fn check_invariants(&self) -> Result<(), String> {
        if !self.levels.is_empty() && self.levels.len() != NUM_LEVELS {
            return Err(format!(
                "{} levels instead of {NUM_LEVELS}",
                self.levels.len()
            ));
        }
        let mut seen = BTreeSet::new();
        for (level, t) in self.tables() {
            if !seen.insert(t.file_number) {
                return Err(format!("table {} appears twice", t.file_number));
            }
            if compare_internal_keys(&t.smallest, &t.largest) == Ordering::Greater {
                return Err(format!(
                    "table {} at level {level}: smallest key after largest",
                    t.file_number
                ));
            }
        }
        for level in 0..self.tiered_levels.min(self.levels.len()) {
            for pair in self.level(level).windows(2) {
                if let [newer, older] = pair {
                    if newest_first(newer, older) != Ordering::Less {
                        return Err(format!(
                            "level {level}: table {} is listed before newer table {}",
                            newer.file_number, older.file_number
                        ));
                    }
                }
            }
        }
        for level in self.tiered_levels..self.levels.len() {
            for pair in self.level(level).windows(2) {
                if let [a, b] = pair {
                    if a.largest_user_key() >= b.smallest_user_key() {
                        return Err(format!(
                            "level {level}: tables {} and {} overlap or are out of order",
                            a.file_number, b.file_number
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The edit that builds this version from an empty one: every table at
    /// its level, no counters. A new manifest starts with it.
    pub fn snapshot_edit(&self) -> VersionEdit {
        VersionEdit {
            added: self
                .tables()
                .map(|(level, t)| (level, TableMeta::clone(t)))
                .collect(),
            ..VersionEdit::default()
        }
    }
}

fn level_mut(
    levels: &mut [Vec<Arc<TableMeta>>],
    level: u32,
) -> Result<&mut Vec<Arc<TableMeta>>, String> {
    levels
        .get_mut(level as usize)
        .ok_or_else(|| format!("level {level} is not below {NUM_LEVELS}"))
}

/// Newest first: larger largest sequence number, then larger file number.
fn newest_first(a: &TableMeta, b: &TableMeta) -> Ordering {
    (b.largest_seq, b.file_number).cmp(&(a.largest_seq, a.file_number))
}

fn by_smallest(a: &TableMeta, b: &TableMeta) -> Ordering {
    compare_internal_keys(&a.smallest, &b.smallest).then(a.file_number.cmp(&b.file_number))
}

#[cfg(test)]
mod lookup_tests {
    use super::*;
    use crate::record::{internal_key, ValueKind};

    /// User keys sharing a 20-byte prefix, so lookups must break prefix
    /// ties on the whole key.
    fn user(i: u32) -> Vec<u8> {
        format!("common-prefix-twenty{i:06}").into_bytes()
    }

    fn meta(file_number: u64, low: u32, high: u32) -> TableMeta {
        TableMeta {
            file_number,
            size_bytes: 1,
            entries: 1,
            smallest: internal_key(&user(low), 5, ValueKind::Put),
            largest: internal_key(&user(high), 5, ValueKind::Put),
            smallest_seq: 5,
            largest_seq: 5,
        }
    }

    fn two_levels() -> Result<Version, String> {
        // L0: overlapping; L1: tables [10, 19], [30, 39], [50, 59].
        let edit = VersionEdit {
            added: vec![
                (0, meta(1, 0, 100)),
                (0, meta(2, 40, 45)),
                (1, meta(3, 10, 19)),
                (1, meta(4, 30, 39)),
                (1, meta(5, 50, 59)),
            ],
            ..VersionEdit::default()
        };
        Version::default().apply(&edit)
    }

    #[test]
    fn level_search_and_range_checks_agree_with_table_meta() -> Result<(), String> {
        let version = two_levels()?;
        for i in 0..120 {
            let key = user(i);
            let prefix = KeyPrefix::of(&key);
            for level in 0..2 {
                let tables = version.level(level);
                let expected = tables.partition_point(|t| t.largest_user_key() < key.as_slice());
                if level == 1 {
                    assert_eq!(version.find_table(level, &key, prefix), expected, "key {i}");
                }
                for (index, t) in tables.iter().enumerate() {
                    let covers = version.table_covers(level, index, &key, prefix);
                    assert_eq!(covers, t.covers(&key), "key {i}, table {}", t.file_number);
                }
            }
        }
        Ok(())
    }

    #[test]
    fn open_tables_are_kept_but_a_clone_opens_its_own() -> crate::error::Result<()> {
        let storage = strata_storage::MemStorage::new();
        let options = crate::options::Options::default();
        let tracer = crate::event::Tracer::off();
        let mut builder = crate::sstable::TableBuilder::new(&storage, 3, 1, &options, tracer)?;
        builder.add(&internal_key(&user(10), 5, ValueKind::Put), b"v")?;
        builder.finish()?;
        let version = two_levels().map_err(crate::error::Error::InvalidOptions)?;
        let opens = std::cell::Cell::new(0);
        let open = |n: u64| {
            opens.set(opens.get() + 1);
            Table::open(&storage, n)
        };
        assert_eq!(version.open_table(1, 0, true, open)?.file_number(), 3);
        assert_eq!(version.open_table(1, 0, true, open)?.file_number(), 3);
        assert_eq!(opens.get(), 1, "the version keeps the table it opened");
        version.clone().open_table(1, 0, true, open)?;
        assert_eq!(opens.get(), 2, "a clone opens its own");
        assert!(
            version.open_table(1, 9, true, open).is_err(),
            "no such table"
        );
        Ok(())
    }
}
