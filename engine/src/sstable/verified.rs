//! Which data blocks of an open table have passed their checksum, and
//! which reads may trust that.
//!
//! A block's checksum guards against the storage returning bytes other
//! than those written. Reads through `pread` are checked every time: the
//! disk may go bad between two reads (the block cache keeps what it
//! verified in the process's own memory).
//!
//! Two kinds of file keep a verified block's bytes where the process sees
//! them, and here a table remembers what it verified:
//! - An in-memory file (`MemStorage`, and the browser's image of
//!   IndexedDB) hands each reader a snapshot whose bytes are fixed
//!   ([`ReadableFile::fixed_contents`]): once a block has passed, every
//!   later read of it is trusted. In the browser, where there is no CRC
//!   instruction, checking again was most of what a read cost.
//! - A mapped file lends its bytes ([`ReadableFile::read_shared`]): they
//!   are the page cache's, and the page cache plays the block cache's part.
//!   Point reads and seeks trust a block this table verified before, as
//!   they would trust a cached block. Compactions and the blocks a scan
//!   streams through check every block again: a page the kernel dropped
//!   and read back from a disk that went bad meanwhile must fail there,
//!   before a compaction could copy it into a new table under a fresh
//!   checksum.

use std::sync::atomic::{AtomicU64, Ordering};

use strata_storage::ReadableFile;

/// One bit per data block, set once the block has passed its checksum.
/// Empty when the file is read with copies: nothing is ever trusted.
#[derive(Debug, Default)]
pub(crate) struct VerifiedBlocks {
    bits: Box<[AtomicU64]>,
    /// Whether every read may trust a verified block (fixed contents), or
    /// only point reads and seeks (a lent map).
    fixed: bool,
}

impl VerifiedBlocks {
    /// Room for `blocks` blocks of `file`, none verified yet; no room at
    /// all when `file` neither has fixed contents nor lends its bytes.
    pub(crate) fn for_file(file: &dyn ReadableFile, blocks: usize) -> Self {
        let fixed = file.fixed_contents();
        if !fixed && !file.lends_bytes() {
            return Self::default();
        }
        Self {
            bits: (0..blocks.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
            fixed,
        }
    }

    /// Whether a read of block `index` may skip its checksum: an earlier
    /// read verified it, and this read is a point read or seek
    /// (`point_read`) or the file's contents are fixed.
    pub(crate) fn trusts(&self, index: usize, point_read: bool) -> bool {
        (self.fixed || point_read)
            && self
                .bits
                .get(index / 64)
                .is_some_and(|word| word.load(Ordering::Relaxed) & (1 << (index % 64)) != 0)
    }

    /// Records that block `index` passed its checksum (a no-op when
    /// nothing is remembered for the file).
    pub(crate) fn insert(&self, index: usize) {
        if let Some(word) = self.bits.get(index / 64) {
            word.fetch_or(1 << (index % 64), Ordering::Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strata_storage::{MemStorage, Storage};

    #[test]
    fn blocks_of_a_fixed_file_are_trusted_by_every_read_once_verified() -> std::io::Result<()> {
        let storage = MemStorage::new();
        storage.create("t")?.append(b"bytes")?;
        let verified = VerifiedBlocks::for_file(storage.open("t")?.as_ref(), 130);
        assert!(!verified.trusts(129, true));
        verified.insert(129);
        verified.insert(3);
        assert!(verified.trusts(129, true) && verified.trusts(3, false));
        assert!(!verified.trusts(64, true) && !verified.trusts(130, true));
        Ok(())
    }

    /// A storage that flips bits as it reads (`FaultStorage`) returns
    /// different bytes on each read: every read is checked.
    #[test]
    fn nothing_is_trusted_when_reads_may_differ() -> std::io::Result<()> {
        let memory = MemStorage::new();
        let storage = strata_storage::FaultStorage::new(std::sync::Arc::new(memory), 7)?;
        storage.create("t")?.append(b"bytes")?;
        let verified = VerifiedBlocks::for_file(storage.open("t")?.as_ref(), 10);
        verified.insert(1);
        assert!(!verified.trusts(1, true));
        Ok(())
    }

    /// Blocks of a real file of five bytes, opened for `pread` or (with
    /// `immutable`) mapped; the directory lives as long as the result.
    #[cfg(not(target_arch = "wasm32"))]
    fn real_file(immutable: bool) -> std::io::Result<(tempfile::TempDir, VerifiedBlocks)> {
        let dir = tempfile::tempdir()?;
        let storage = strata_storage::FsStorage::open(dir.path())?;
        storage.create("t")?.append(b"bytes")?;
        let file = match immutable {
            true => storage.open_immutable("t")?,
            false => storage.open("t")?,
        };
        Ok((dir, VerifiedBlocks::for_file(file.as_ref(), 10)))
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn nothing_is_trusted_on_files_read_with_copies() -> std::io::Result<()> {
        let (_dir, verified) = real_file(false)?;
        verified.insert(1);
        assert!(!verified.trusts(1, true));
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_mapped_file_trusts_verified_blocks_for_point_reads_only() -> std::io::Result<()> {
        let (_dir, verified) = real_file(true)?;
        assert!(!verified.trusts(1, true));
        verified.insert(1);
        assert!(verified.trusts(1, true), "a seek trusts it");
        assert!(!verified.trusts(1, false), "a compaction checks again");
        Ok(())
    }
}
