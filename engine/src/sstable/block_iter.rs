//! The cursor over one block's entries.

use std::cmp::Ordering;

use crate::coding::Decoder;
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
        let mut d = Decoder::new(data.get(offset..).unwrap_or_default());
        let parsed = (|| {
            let shared = usize::from(d.u16()?);
            let unshared = usize::from(d.u16()?);
            let value_len = d.u32()? as usize;
            let delta = d.bytes(unshared)?;
            let value_start = offset + d.position();
            d.bytes(value_len)?;
            Some((shared, delta, value_start))
        })();
        let Some((shared, delta, value_start)) = parsed else {
            self.invalidate();
            return Err(self.block.corruption(offset, "truncated entry"));
        };
        if shared > self.key.len() {
            self.invalidate();
            return Err(self
                .block
                .corruption(offset, "entry shares more than the previous key"));
        }
        self.key.truncate(shared);
        self.key.extend_from_slice(delta);
        self.current = offset;
        self.next = offset + d.position();
        self.value_start = value_start;
        self.value_end = self.next;
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
        let mut d = Decoder::new(data.get(offset..).unwrap_or_default());
        let key = (|| {
            let shared = d.u16()?;
            let unshared = usize::from(d.u16()?);
            d.u32()?;
            (shared == 0).then_some(())?;
            d.bytes(unshared)
        })();
        key.ok_or_else(|| self.block.corruption(offset, "bad restart entry"))
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
