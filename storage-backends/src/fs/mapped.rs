//! Table files read through a memory map.
//!
//! A positional read of a real file is a system call and a copy out of the
//! kernel's page cache: on a seek, which reads one block from every level,
//! that was a third of the time. A mapped file is read with a plain memory
//! copy from the same page cache. Only files opened with
//! [`Storage::open_immutable`](crate::Storage::open_immutable) are mapped,
//! and at most [`MAPPED_FILES_MAX`] at a time (each map is one entry of the
//! process's address-space table); past that, and for empty files, reads
//! go through `pread` as before.
//!
//! A block can also be read without the copy ([`SharedBytes`]): it then
//! keeps the map alive, past the reader's own life, until it drops. The
//! engine keeps such blocks only while a cursor is on them, so the budget,
//! counted per reader, stays close to the maps that exist.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::{ReadableFile, SharedBytes};

/// Default limit on files mapped at once per [`FsStorage`](super::FsStorage)
/// (and its clones): the same figure LevelDB uses on 64-bit targets.
pub const MAPPED_FILES_MAX: usize = 1000;

/// How many files may be mapped, and how many are.
#[derive(Debug)]
pub(super) struct MapBudget {
    limit: usize,
    live: AtomicUsize,
}

impl MapBudget {
    pub(super) fn new(limit: usize) -> Self {
        Self {
            limit,
            live: AtomicUsize::new(0),
        }
    }

    /// Takes one slot, if one is free.
    fn take(self: &Arc<Self>) -> Option<Slot> {
        self.live
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |live| {
                (live < self.limit).then_some(live + 1)
            })
            .ok()
            .map(|_| Slot(Arc::clone(self)))
    }

    #[cfg(test)]
    pub(super) fn live(&self) -> usize {
        self.live.load(Ordering::Acquire)
    }
}

/// One mapped file's claim on the budget, returned when it drops.
struct Slot(Arc<MapBudget>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A whole file mapped read-only.
pub(super) struct MappedReader {
    /// Shared with the blocks read from it ([`SharedBytes`]).
    map: Arc<memmap2::Mmap>,
    _slot: Slot,
}

impl MappedReader {
    /// Maps `file` (of `len` bytes) if the budget has room; `None` if it has
    /// none or the file is empty (a map cannot be empty).
    pub(super) fn new(file: &File, len: u64, budget: &Arc<MapBudget>) -> io::Result<Option<Self>> {
        if len == 0 || usize::try_from(len).is_err() {
            return Ok(None);
        }
        let Some(slot) = budget.take() else {
            return Ok(None);
        };
        // SAFETY: a map is sound while nobody changes the file under it;
        // a truncation would make reads of the lost pages fault (SIGBUS) and
        // a rewrite would change bytes the program holds as `&[u8]`. Only
        // `Storage::open_immutable` maps, whose callers promise no truncate,
        // rewrite or append while the reader or the bytes it lends live
        // (`read_shared`, which keeps the map alive): Strata writes a table
        // once, syncs it, and only ever removes it afterwards (removal
        // leaves a map valid). Other processes are kept out of the
        // directory by its `LOCK`; a user editing a live database's files
        // by hand is outside what any engine can defend against (LevelDB
        // maps its tables the same way). Checksums still guard each read.
        #[expect(unsafe_code, reason = "mapping a file; see the SAFETY paragraph")]
        let map = unsafe { memmap2::MmapOptions::new().len(len as usize).map(file)? };
        Ok(Some(Self {
            map: Arc::new(map),
            _slot: slot,
        }))
    }
}

impl ReadableFile for MappedReader {
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let bytes = usize::try_from(offset)
            .ok()
            .and_then(|start| Some(start..start.checked_add(buf.len())?))
            .and_then(|range| self.map.get(range))
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        buf.copy_from_slice(bytes);
        Ok(())
    }

    fn len(&self) -> u64 {
        self.map.len() as u64
    }

    fn read_shared(&self, offset: u64, len: usize) -> Option<SharedBytes> {
        let start = usize::try_from(offset).ok()?;
        SharedBytes::of_map(&self.map, start..start.checked_add(len)?)
    }
}
