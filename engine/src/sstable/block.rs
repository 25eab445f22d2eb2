//! Blocks: sorted runs of key/value entries with prefix-compressed keys.
//!
//! Data blocks and the index block share this format. Within a block each
//! key is stored as the bytes it does not share with the key before it;
//! every `restart_interval` entries a *restart point* stores its key whole,
//! so a reader can binary-search the restart points and decode forward
//! from one of them.

use strata_storage::SharedBytes;

use crate::coding::{put_u16, put_u32, Decoder};
use crate::error::{Error, Result};
use crate::filename::table_name;
use crate::record::MAX_INTERNAL_KEY_BYTES;

pub use super::block_iter::BlockIter;

/// Builds the uncompressed contents of one block.
///
/// ## Format
/// - entries, each:
///   - `shared_key_len`: u16, bytes shared with the previous key (0 at a
///     restart point)
///   - `unshared_key_len`: u16
///   - `value_len`: u32
///   - key delta: `unshared_key_len` bytes, the key after the shared prefix
///   - value: `value_len` bytes
/// - restart array: one u32 per restart point, the offset of its entry
///   (the first is 0), strictly increasing
/// - `restart_count`: u32 (0 only for a block with no entries)
#[derive(Debug)]
pub struct BlockBuilder {
    buf: Vec<u8>,
    restarts: Vec<u32>,
    restart_interval: usize,
    since_restart: usize,
    entries: u32,
    last_key: Vec<u8>,
}

impl BlockBuilder {
    /// An empty builder placing a restart point every `restart_interval`
    /// entries (at least 1).
    pub fn new(restart_interval: usize) -> Self {
        Self {
            buf: Vec::new(),
            restarts: Vec::new(),
            restart_interval: restart_interval.max(1),
            since_restart: 0,
            entries: 0,
            last_key: Vec::new(),
        }
    }

    /// Appends an entry. Keys must arrive in increasing order.
    ///
    /// # Panics
    /// If the key is longer than [`MAX_INTERNAL_KEY_BYTES`] or the value
    /// longer than `u32::MAX` bytes; the table builder refuses those first.
    pub fn add(&mut self, key: &[u8], value: &[u8]) {
        assert!(key.len() <= MAX_INTERNAL_KEY_BYTES, "block key too long");
        let shared = if self.entries == 0 || self.since_restart >= self.restart_interval {
            self.restarts.push(self.offset_u32());
            self.since_restart = 0;
            0
        } else {
            common_prefix_len(&self.last_key, key)
        };
        let delta = key.get(shared..).unwrap_or_default();
        // Both lengths are at most MAX_INTERNAL_KEY_BYTES < 2^16.
        put_u16(&mut self.buf, shared as u16);
        put_u16(&mut self.buf, delta.len() as u16);
        put_u32(
            &mut self.buf,
            u32::try_from(value.len()).expect("block value too long"),
        );
        self.buf.extend_from_slice(delta);
        self.buf.extend_from_slice(value);
        self.last_key.truncate(shared);
        self.last_key.extend_from_slice(delta);
        self.since_restart += 1;
        self.entries += 1;
    }

    fn offset_u32(&self) -> u32 {
        u32::try_from(self.buf.len()).expect("block larger than 4 GiB")
    }

    /// Entries added since the last [`finish`](Self::finish).
    pub fn entries(&self) -> u32 {
        self.entries
    }

    /// Restart points so far.
    pub fn restarts(&self) -> u32 {
        self.restarts.len() as u32
    }

    /// Whether no entry has been added.
    pub fn is_empty(&self) -> bool {
        self.entries == 0
    }

    /// The last key added (empty if none).
    pub fn last_key(&self) -> &[u8] {
        &self.last_key
    }

    /// Size of the block if it were finished now.
    pub fn estimated_size_bytes(&self) -> usize {
        self.buf.len() + 4 * self.restarts.len() + 4
    }

    /// The finished block contents; the builder is reset for the next block.
    pub fn finish(&mut self) -> Vec<u8> {
        let mut out = std::mem::take(&mut self.buf);
        for &restart in &self.restarts {
            put_u32(&mut out, restart);
        }
        put_u32(&mut out, self.restarts.len() as u32);
        self.restarts.clear();
        self.since_restart = 0;
        self.entries = 0;
        self.last_key.clear();
        out
    }
}

fn common_prefix_len(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// A decoded block, validated and cheap to clone.
///
/// ## Format
/// As written by [`BlockBuilder`]: entries, then the restart array (u32
/// offsets), then `restart_count` (u32). [`Block::new`] checks that the
/// restart array fits, starts at 0, increases strictly and points inside
/// the entries; entries are checked as a cursor decodes them.
#[derive(Clone, Debug)]
pub struct Block {
    /// Shared, not copied: the buffer a read filled becomes the block, or
    /// the block is a range of a mapped or in-memory file.
    pub(super) contents: SharedBytes,
    /// Where the entries end and the restart array begins.
    pub(super) data_end: usize,
    pub(super) restart_count: usize,
    file_number: u64,
    file_offset: u64,
}

impl Block {
    /// Validates the restart array of `contents`, read from table
    /// `file_number` at `file_offset` (both used only in error messages).
    pub fn new(contents: Vec<u8>, file_number: u64, file_offset: u64) -> Result<Self> {
        Self::shared(SharedBytes::from_vec(contents), file_number, file_offset)
    }

    /// [`Block::new`] over bytes shared with their file.
    pub(crate) fn shared(
        contents: SharedBytes,
        file_number: u64,
        file_offset: u64,
    ) -> Result<Self> {
        let bad = |reason: String| Error::corruption(table_name(file_number), file_offset, reason);
        let len = contents.len();
        let count_at = len
            .checked_sub(4)
            .ok_or_else(|| bad(format!("block of {len} bytes has no restart count")))?;
        let mut d = Decoder::new(contents.get(count_at..).unwrap_or_default());
        let restart_count = d.u32().unwrap_or(0) as usize;
        let data_end = restart_count
            .checked_mul(4)
            .and_then(|bytes| count_at.checked_sub(bytes))
            .ok_or_else(|| {
                bad(format!(
                    "{restart_count} restarts do not fit a {len}-byte block"
                ))
            })?;
        let block = Self {
            contents,
            data_end,
            restart_count,
            file_number,
            file_offset,
        };
        block.check_restarts().map_err(bad)?;
        Ok(block)
    }

    fn check_restarts(&self) -> std::result::Result<(), String> {
        if self.restart_count == 0 {
            return match self.data_end {
                0 => Ok(()),
                _ => Err("block has entries but no restart points".into()),
            };
        }
        let mut prev = None;
        for i in 0..self.restart_count {
            let offset = self.restart_offset(i);
            let in_order = match prev {
                None => offset == 0,
                Some(p) => offset > p,
            };
            if !in_order || offset >= self.data_end {
                return Err(format!("restart point {i} at {offset} is out of place"));
            }
            prev = Some(offset);
        }
        Ok(())
    }

    pub(super) fn restart_offset(&self, i: usize) -> usize {
        let at = self.data_end + 4 * i;
        let mut d = Decoder::new(self.contents.get(at..).unwrap_or_default());
        d.u32().map_or(self.data_end, |o| o as usize)
    }

    /// Restart points in the block.
    pub fn restart_count(&self) -> u32 {
        self.restart_count as u32
    }

    /// Size of the uncompressed contents.
    pub fn size_bytes(&self) -> usize {
        self.contents.len()
    }

    /// Whether the block holds no entries.
    pub fn is_empty(&self) -> bool {
        self.data_end == 0
    }

    /// The block's buffer, if it has one of its own and no clone of the
    /// block is alive.
    pub(super) fn into_unshared_contents(self) -> Option<Vec<u8>> {
        self.contents.into_vec()
    }

    /// Whether the block is a range of its file's bytes (a map, an
    /// in-memory file) rather than a buffer of its own.
    pub(crate) fn is_borrowed(&self) -> bool {
        self.contents.is_borrowed()
    }

    /// A cursor over the block, not yet positioned.
    pub fn iter(&self) -> BlockIter {
        BlockIter::new(self.clone())
    }

    pub(super) fn corruption(&self, at: usize, what: &str) -> Error {
        Error::corruption(
            table_name(self.file_number),
            self.file_offset,
            format!("{what} at byte {at} of the block"),
        )
    }
}
