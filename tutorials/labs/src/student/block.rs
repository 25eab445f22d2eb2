//! Lab 3 — the data block (chapter 05, "Sorted tables").
//!
//! A block is a sorted run of entries whose keys are prefix-compressed:
//! each key stores only the bytes it does not share with the key before
//! it, except at a *restart point* (every `restart_interval` entries,
//! starting with the first), which stores its key whole. Format, all
//! integers little-endian:
//! - entries, each: `shared_key_len` u16 (0 at a restart point),
//!   `unshared_key_len` u16, `value_len` u32, the key's unshared bytes,
//!   the value
//! - the restart array: one u32 per restart point, the offset of its entry
//! - `restart_count`: u32 (0 only for a block with no entries)
//!
//! [`seek`] binary-searches the restart points (their keys are whole) for
//! the last one whose key is below the target, then decodes forward.
//! Keys are internal keys: compare with
//! [`strata_engine::record::compare_internal_keys`]. A malformed block is
//! an `Err`, never a panic: check every offset and length before using it.
//!
//! Done when `cargo test -p strata-labs --test block` passes: your blocks
//! are byte-identical to the engine's and your seek agrees with a linear
//! search.
// The starter's parameters are unused until the bodies are written.
#![allow(unused_variables)]

/// Builds the contents of one block.
#[derive(Debug)]
pub struct BlockBuilder {
    // Your fields: the bytes so far, the restart offsets, the interval,
    // entries since the last restart, the previous key.
}

impl BlockBuilder {
    /// An empty builder with a restart point every `restart_interval`
    /// entries (at least 1).
    pub fn new(restart_interval: usize) -> Self {
        todo!("block lab: BlockBuilder::new")
    }

    /// Appends an entry; keys arrive in increasing internal-key order.
    pub fn add(&mut self, key: &[u8], value: &[u8]) {
        todo!("block lab: BlockBuilder::add")
    }

    /// The finished block; the builder starts over.
    pub fn finish(&mut self) -> Vec<u8> {
        todo!("block lab: BlockBuilder::finish")
    }
}

/// An entry: internal key and value.
pub type Entry = (Vec<u8>, Vec<u8>);

/// The first entry of `block` whose key is `>= target` in internal-key
/// order; an error if the block is malformed.
pub fn seek(block: &[u8], target: &[u8]) -> Result<Option<Entry>, String> {
    todo!("block lab: seek")
}
