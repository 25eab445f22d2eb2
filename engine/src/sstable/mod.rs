//! Sorted string tables: the immutable files that hold flushed and
//! compacted records.
//!
//! ## File layout
//! ```text
//! | data block 0 | trailer | data block 1 | trailer | ... |
//! | filter block | trailer |   (absent when bloom_bits_per_key is 0)
//! | range-del block | trailer | (only in a table with range tombstones)
//! | index block  | trailer |
//! | footer (60 bytes; 76 with a range-del block) |
//! ```
//! - Data blocks ([`BlockBuilder`] format) hold the records in internal-key
//!   order; each is cut once it reaches `Options::block_size_bytes`.
//! - Every block is followed by its trailer ([`StoredBlock`]): compression
//!   type and checksum.
//! - The filter block is a [`crate::bloom::BloomFilter`] encoding over the
//!   table's user keys.
//! - The index block (also [`BlockBuilder`] format, a restart point at every
//!   entry) has one entry per data block: the block's last internal key and
//!   its [`BlockHandle`].
//! - The range-deletion block ([`RangeDelBlock`]) holds the table's range
//!   tombstones; tables without any have none and a version-1 footer.
//! - The [`Footer`] locates the index, the filter and the range-deletion
//!   block.
//!
//! Blocks are laid out back to back: a reader checks that the index's
//! handles tile the file exactly, so a damaged length never goes unnoticed.

mod block;
mod block_cache;
mod block_iter;
mod builder;
mod footer;
mod handle;
pub(crate) mod key_order;
mod range_del_block;
mod reader;
mod table_iter;
mod verified;

#[cfg(test)]
mod block_tests;
#[cfg(test)]
mod corruption_tests;
#[cfg(test)]
mod range_del_tests;
#[cfg(test)]
mod table_iter_tests;
#[cfg(test)]
mod table_tests;

pub use block::{Block, BlockBuilder, BlockIter};
pub use block_cache::BlockCache;
pub(crate) use block_cache::KeyHasher;
pub use builder::TableBuilder;
pub use footer::{
    Footer, FOOTER_BYTES, FOOTER_V2_BYTES, FORMAT_VERSION, FORMAT_VERSION_RANGE_DELS, TABLE_MAGIC,
};
pub use handle::{
    read_block, write_block, BlockHandle, ReadBlock, StoredBlock, BLOCK_HANDLE_BYTES,
    BLOCK_TRAILER_BYTES,
};
pub use range_del_block::{
    RangeDelBlock, MAX_RANGE_DEL_BLOCK_BYTES, MAX_RANGE_TOMBSTONES_PER_TABLE,
};
pub(crate) use reader::TableProbe;
pub use reader::{BlockInfo, Table, TableLookup};
pub use table_iter::TableIter;

pub use crate::bloom::MAX_FILTER_BYTES;

/// Largest block (stored or uncompressed) a reader accepts. A block that
/// holds one maximal entry (16 KiB key, 8 MiB value) fits with room to
/// spare.
pub const MAX_BLOCK_BYTES: usize = 16 << 20;

/// Largest index block a reader accepts, and a builder writes. The index
/// holds one full internal key per data block, so tables of huge keys need
/// more room than one data block.
pub const MAX_INDEX_BYTES: usize = 64 << 20;
