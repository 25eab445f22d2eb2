//! Options that shape a database.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// How data blocks are compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Compression {
    /// Blocks are stored as built.
    #[default]
    None,
    /// Blocks are LZ4-compressed when that saves at least 1/8 of the bytes.
    Lz4,
}

/// Options for [`crate::Db::open`]. Serialisable, so a trace can carry the
/// options that produced it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Create an empty database if none exists.
    pub create_if_missing: bool,
    /// Refuse to open an existing database.
    pub error_if_exists: bool,
    /// Freeze the memtable once it holds this many bytes.
    pub memtable_bytes_max: usize,
    /// Target size of an uncompressed data block.
    pub block_size_bytes: usize,
    /// Keys between restart points in a block.
    pub block_restart_interval: usize,
    /// Bloom filter bits per key; 0 builds no filter.
    pub bloom_bits_per_key: u32,
    /// Block compression.
    pub compression: Compression,
    /// Seed of every random choice the engine makes (skiplist towers).
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            create_if_missing: true,
            error_if_exists: false,
            memtable_bytes_max: 4 << 20,
            block_size_bytes: 4096,
            block_restart_interval: 16,
            bloom_bits_per_key: 10,
            compression: Compression::None,
            seed: 0x5354_5241_5441,
        }
    }
}

/// Limits on options, so a typo cannot make the engine allocate wildly.
pub const MAX_MEMTABLE_BYTES: usize = 1 << 30;
/// Largest accepted block size.
pub const MAX_BLOCK_SIZE_BYTES: usize = 1 << 20;
/// Largest accepted bloom bits per key.
pub const MAX_BLOOM_BITS_PER_KEY: u32 = 64;

impl Options {
    /// Checks every option against its limits.
    pub fn validate(&self) -> Result<()> {
        let bad = |msg: String| Err(Error::InvalidOptions(msg));
        if !(1024..=MAX_MEMTABLE_BYTES).contains(&self.memtable_bytes_max) {
            return bad(format!(
                "memtable_bytes_max must be within 1 KiB..={MAX_MEMTABLE_BYTES}"
            ));
        }
        if !(64..=MAX_BLOCK_SIZE_BYTES).contains(&self.block_size_bytes) {
            return bad(format!(
                "block_size_bytes must be within 64..={MAX_BLOCK_SIZE_BYTES}"
            ));
        }
        if !(1..=1024).contains(&self.block_restart_interval) {
            return bad("block_restart_interval must be within 1..=1024".into());
        }
        if self.bloom_bits_per_key > MAX_BLOOM_BITS_PER_KEY {
            return bad(format!(
                "bloom_bits_per_key must be at most {MAX_BLOOM_BITS_PER_KEY}"
            ));
        }
        Ok(())
    }
}

/// Options of one write.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteOptions {
    /// Sync the write-ahead log before acknowledging: the write then
    /// survives any crash.
    pub sync: bool,
}
