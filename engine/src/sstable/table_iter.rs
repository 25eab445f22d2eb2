//! A cursor over a whole table, holding one decoded data block at a time.

use std::sync::Arc;

use crate::error::Result;
use crate::iter::InternalIterator;

use super::block::BlockIter;
use super::reader::Table;

/// Iterates a table's entries in internal-key order, reading data blocks
/// as it crosses into them.
#[derive(Debug)]
pub struct TableIter {
    table: Arc<Table>,
    /// Index of the data block `block` came from.
    block_index: usize,
    block: Option<BlockIter>,
}

impl Table {
    /// A cursor over the table, not yet positioned.
    pub fn iter(self: &Arc<Self>) -> TableIter {
        TableIter {
            table: Arc::clone(self),
            block_index: 0,
            block: None,
        }
    }
}

impl TableIter {
    /// Loads data block `block_index` (leaving the cursor unpositioned in
    /// it); past either end the cursor becomes invalid. Only a block a
    /// `seek` lands on is added to the block cache: blocks streamed through
    /// by a long scan or a compaction would only push hot ones out.
    fn load(&mut self, block_index: usize, fill_cache: bool) -> Result<bool> {
        self.block = None;
        if block_index >= self.table.index().len() {
            return Ok(false);
        }
        let block = self.table.data_block(block_index, fill_cache)?;
        self.block_index = block_index;
        self.block = Some(BlockIter::new(block));
        Ok(true)
    }

    /// Runs `step` on the current block iterator; any error leaves the
    /// cursor invalid.
    fn on_block(&mut self, step: impl FnOnce(&mut BlockIter) -> Result<()>) -> Result<()> {
        let Some(block) = self.block.as_mut() else {
            return Ok(());
        };
        let result = step(block);
        if result.is_err() {
            self.block = None;
        }
        result
    }

    /// While the block cursor is exhausted, moves on to the next block.
    fn skip_forward(&mut self) -> Result<()> {
        while self.block.as_ref().is_some_and(|b| !b.valid()) {
            if self.load(self.block_index + 1, false)? {
                self.on_block(|b| b.seek_to_first())?;
            }
        }
        Ok(())
    }

    /// While the block cursor is exhausted, moves back to the previous block.
    fn skip_backward(&mut self) -> Result<()> {
        while self.block.as_ref().is_some_and(|b| !b.valid()) {
            let Some(previous) = self.block_index.checked_sub(1) else {
                self.block = None;
                break;
            };
            if self.load(previous, false)? {
                self.on_block(|b| b.seek_to_last())?;
            }
        }
        Ok(())
    }
}

impl InternalIterator for TableIter {
    fn valid(&self) -> bool {
        self.block.as_ref().is_some_and(|b| b.valid())
    }

    fn key(&self) -> &[u8] {
        self.block.as_ref().map_or(&[], |b| b.key())
    }

    fn value(&self) -> &[u8] {
        self.block.as_ref().map_or(&[], |b| b.value())
    }

    fn seek_to_first(&mut self) -> Result<()> {
        if self.load(0, false)? {
            self.on_block(|b| b.seek_to_first())?;
        }
        self.skip_forward()
    }

    fn seek_to_last(&mut self) -> Result<()> {
        let count = self.table.index().len();
        if count > 0 && self.load(count - 1, false)? {
            self.on_block(|b| b.seek_to_last())?;
        } else {
            self.block = None;
        }
        self.skip_backward()
    }

    fn seek(&mut self, target: &[u8]) -> Result<()> {
        if self.load(self.table.find_block(target), true)? {
            self.on_block(|b| b.seek(target))?;
        }
        self.skip_forward()
    }

    fn next(&mut self) -> Result<()> {
        self.on_block(|b| b.next())?;
        self.skip_forward()
    }

    fn prev(&mut self) -> Result<()> {
        self.on_block(|b| b.prev())?;
        self.skip_backward()
    }
}
