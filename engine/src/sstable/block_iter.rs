//! The cursor over one block's entries.

use std::cmp::Ordering;

use crate::error::Result;
use crate::iter::InternalIterator;

use super::block::Block;
use super::key_order::compare_internal;

/// A cursor over one block's entries.
#[derive(Clone, Debug)]
pub struct BlockIter {
    block: Block,
    /// Offset of the current entry; `data_end` when not valid.
    current: usize,
    /// Offset just past the current entry.
    next: usize,
    key: Vec<u8>,
    value_start: usize,
    value_end: usize,
}

impl BlockIter {
    pub(super) fn new(block: Block) -> Self {
        let end = block.data_end;
        Self {
            block,
            current: end,
            next: end,
            key: Vec::new(),
            value_start: 0,
            value_end: 0,
        }
    }

    fn invalidate(&mut self) {
        self.current = self.block.data_end;
        self.next = self.block.data_end;
        self.key.clear();
    }

    /// Decodes the entry at `offset`, whose key shares its prefix with the
    /// current `self.key`.
    fn decode_at(&mut self, offset: usize) -> Result<()> {
        let data = self
            .block
            .contents
            .get(..self.block.data_end)
            .unwrap_or_default();
        let Some(entry) = Entry::at(data, offset) else {
            self.invalidate();
            return Err(self.block.corruption(offset, "truncated entry"));
        };
        if entry.shared > self.key.len() {
            self.invalidate();
            return Err(self
                .block
                .corruption(offset, "entry shares more than the previous key"));
        }
        let delta = data.get(entry.delta_start..entry.value_start);
        self.key.truncate(entry.shared);
        self.key.extend_from_slice(delta.unwrap_or_default());
        self.current = offset;
        self.next = entry.value_end;
        self.value_start = entry.value_start;
        self.value_end = entry.value_end;
        Ok(())
    }

    fn seek_to_restart(&mut self, i: usize) -> Result<()> {
        self.key.clear();
        self.decode_at(self.block.restart_offset(i))
    }

    /// The full key stored at restart point `i`.
    fn restart_key(&self, i: usize) -> Result<&[u8]> {
        let offset = self.block.restart_offset(i);
        let data = self
            .block
            .contents
            .get(..self.block.data_end)
            .unwrap_or_default();
        Entry::at(data, offset)
            .filter(|e| e.shared == 0)
            .and_then(|e| data.get(e.delta_start..e.value_start))
            .ok_or_else(|| self.block.corruption(offset, "bad restart entry"))
    }
}

/// Where the parts of one entry lie in a block's entry area (see
/// [`super::block::BlockBuilder`] for the layout).
struct Entry {
    shared: usize,
    delta_start: usize,
    value_start: usize,
    value_end: usize,
}

/// Bytes of an entry's header: shared and unshared key lengths (u16 each)
/// and the value length (u32).
const ENTRY_HEADER_BYTES: usize = 8;

impl Entry {
    /// The entry at `offset` of `data`, if it lies wholly inside it.
    #[inline]
    fn at(data: &[u8], offset: usize) -> Option<Entry> {
        let delta_start = offset.checked_add(ENTRY_HEADER_BYTES)?;
        let header: [u8; ENTRY_HEADER_BYTES] = data.get(offset..delta_start)?.try_into().ok()?;
        let [s0, s1, u0, u1, v0, v1, v2, v3] = header;
        let unshared = usize::from(u16::from_le_bytes([u0, u1]));
        let value_len = u32::from_le_bytes([v0, v1, v2, v3]) as usize;
        let value_start = delta_start + unshared;
        let value_end = value_start.checked_add(value_len)?;
        (value_end <= data.len()).then_some(Entry {
            shared: usize::from(u16::from_le_bytes([s0, s1])),
            delta_start,
            value_start,
            value_end,
        })
    }
}

impl InternalIterator for BlockIter {
    fn valid(&self) -> bool {
        self.current < self.block.data_end
    }

    fn key(&self) -> &[u8] {
        if self.valid() {
            &self.key
        } else {
            &[]
        }
    }

    fn value(&self) -> &[u8] {
        if !self.valid() {
            return &[];
        }
        self.block
            .contents
            .get(self.value_start..self.value_end)
            .unwrap_or_default()
    }

    fn seek_to_first(&mut self) -> Result<()> {
        if self.block.is_empty() {
            self.invalidate();
            return Ok(());
        }
        self.seek_to_restart(0)
    }

    fn seek_to_last(&mut self) -> Result<()> {
        if self.block.is_empty() {
            self.invalidate();
            return Ok(());
        }
        self.seek_to_restart(self.block.restart_count - 1)?;
        while self.next < self.block.data_end {
            self.decode_at(self.next)?;
        }
        Ok(())
    }

    fn seek(&mut self, target: &[u8]) -> Result<()> {
        if self.block.is_empty() {
            self.invalidate();
            return Ok(());
        }
        // The last restart point whose key is below the target (or the first).
        let (mut left, mut right) = (0, self.block.restart_count - 1);
        while left < right {
            let mid = (left + right).div_ceil(2);
            if compare_internal(self.restart_key(mid)?, target) == Ordering::Less {
                left = mid;
            } else {
                right = mid - 1;
            }
        }
        self.seek_to_restart(left)?;
        while self.valid() && compare_internal(&self.key, target) == Ordering::Less {
            self.next()?;
        }
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        if !self.valid() {
            return Ok(());
        }
        if self.next >= self.block.data_end {
            self.invalidate();
            return Ok(());
        }
        self.decode_at(self.next)
    }

    fn prev(&mut self) -> Result<()> {
        if !self.valid() {
            return Ok(());
        }
        let original = self.current;
        if original == 0 {
            self.invalidate();
            return Ok(());
        }
        // The restart point before the current entry, then forward to the
        // entry that ends where the current one starts.
        let (mut below, mut above) = (0, self.block.restart_count);
        while below < above {
            let mid = (below + above) / 2;
            if self.block.restart_offset(mid) < original {
                below = mid + 1;
            } else {
                above = mid;
            }
        }
        let restart = below.saturating_sub(1);
        self.seek_to_restart(restart)?;
        while self.next < original {
            self.decode_at(self.next)?;
        }
        if self.next != original {
            self.invalidate();
            return Err(self.block.corruption(original, "entries overlap"));
        }
        Ok(())
    }
}
