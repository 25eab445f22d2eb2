//! Which data blocks of an open table have passed their checksum, for
//! files whose bytes cannot change while open.
//!
//! A block's checksum guards against the storage returning bytes other
//! than those written. On a real file every read is checked: the disk may
//! go bad between two reads. An in-memory file (`MemStorage`, and the
//! browser's image of IndexedDB) hands each reader a snapshot whose bytes
//! are fixed ([`ReadableFile::fixed_contents`]); once a block of it has
//! been read and verified, reading it again can only return the same
//! bytes, so the table trusts them instead of hashing 4 KiB again after
//! every block-cache miss. In the browser, where there is no CRC
//! instruction, this is most of what a cache miss costs.

use std::sync::atomic::{AtomicU64, Ordering};

use strata_storage::ReadableFile;

/// One bit per data block, set once the block has passed its checksum.
/// Empty when the file's contents are not fixed: nothing is ever trusted.
#[derive(Debug, Default)]
pub(crate) struct VerifiedBlocks {
    bits: Box<[AtomicU64]>,
}

impl VerifiedBlocks {
    /// Room for `blocks` blocks of `file`, none verified yet; no room at
    /// all when `file`'s contents may change.
    pub(crate) fn for_file(file: &dyn ReadableFile, blocks: usize) -> Self {
        if !file.fixed_contents() {
            return Self::default();
        }
        Self {
            bits: (0..blocks.div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }

    /// Whether block `index` was verified by an earlier read.
    pub(crate) fn contains(&self, index: usize) -> bool {
        self.bits
            .get(index / 64)
            .is_some_and(|word| word.load(Ordering::Relaxed) & (1 << (index % 64)) != 0)
    }

    /// Records that block `index` passed its checksum (a no-op when the
    /// file's contents are not fixed).
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
    fn blocks_of_a_fixed_file_are_remembered_once_verified() -> std::io::Result<()> {
        let storage = MemStorage::new();
        storage.create("t")?.append(b"bytes")?;
        let verified = VerifiedBlocks::for_file(storage.open("t")?.as_ref(), 130);
        assert!(!verified.contains(129));
        verified.insert(129);
        verified.insert(3);
        assert!(verified.contains(129) && verified.contains(3));
        assert!(!verified.contains(64) && !verified.contains(130));
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
        assert!(!verified.contains(1));
        Ok(())
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn nothing_is_trusted_on_real_files() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let storage = strata_storage::FsStorage::open(dir.path())?;
        storage.create("t")?.append(b"bytes")?;
        let verified = VerifiedBlocks::for_file(storage.open("t")?.as_ref(), 10);
        verified.insert(1);
        assert!(!verified.contains(1));
        Ok(())
    }
}
