//! Reference solution of the block lab: the engine's own `BlockBuilder`,
//! and seeks through the engine's `Block` cursor.

use strata_engine::iter::InternalIterator;
use strata_engine::sstable::{Block, BlockBuilder as EngineBuilder};

/// Builds the contents of one block.
#[derive(Debug)]
pub struct BlockBuilder {
    inner: EngineBuilder,
}

impl BlockBuilder {
    /// An empty builder with a restart point every `restart_interval`
    /// entries (at least 1).
    pub fn new(restart_interval: usize) -> Self {
        Self {
            inner: EngineBuilder::new(restart_interval),
        }
    }

    /// Appends an entry; keys arrive in increasing internal-key order.
    pub fn add(&mut self, key: &[u8], value: &[u8]) {
        self.inner.add(key, value);
    }

    /// The finished block; the builder starts over.
    pub fn finish(&mut self) -> Vec<u8> {
        self.inner.finish()
    }
}

/// An entry: internal key and value.
pub type Entry = (Vec<u8>, Vec<u8>);

/// The first entry of `block` whose key is `>= target` in internal-key
/// order; an error if the block is malformed.
pub fn seek(block: &[u8], target: &[u8]) -> Result<Option<Entry>, String> {
    let block = Block::new(block.to_vec(), 0, 0).map_err(|e| e.to_string())?;
    let mut cursor = block.iter();
    cursor.seek(target).map_err(|e| e.to_string())?;
    Ok(cursor
        .valid()
        .then(|| (cursor.key().to_vec(), cursor.value().to_vec())))
}
