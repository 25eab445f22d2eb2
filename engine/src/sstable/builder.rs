//! Writing a table from records in internal-key order.

use std::cmp::Ordering;

use strata_storage::{Storage, WritableFile};

use crate::bloom::{key_hash, BloomFilter};
use crate::error::{Error, IoContext, Result};
use crate::event::{Event, Tracer};
use crate::filename::table_name;
use crate::options::{Compression, Options};
use crate::range_tombstone::RangeTombstone;
use crate::record::{
    compare_internal_keys, internal_key, parse_internal_key, user_key, SeqNo, ValueKind,
    MAX_KEY_BYTES, MAX_VALUE_BYTES,
};
use crate::table_meta::TableMeta;

use super::block::BlockBuilder;
use super::footer::{Footer, FOOTER_BYTES};
use super::handle::{write_block, BlockHandle, BLOCK_HANDLE_BYTES};
use super::range_del_block::{RangeDelBlock, MAX_RANGE_TOMBSTONES_PER_TABLE};
use super::MAX_INDEX_BYTES;

/// Streams records into a new table file.
///
/// ## Format
/// The file, front to back (see [`crate::sstable`]):
/// - data blocks, each a [`BlockBuilder`] block stored with its trailer
///   ([`super::StoredBlock`]), cut once it reaches `block_size_bytes`
/// - the filter block (only when `bloom_bits_per_key > 0`): a
///   [`BloomFilter`] encoding over the distinct user keys, never compressed
/// - the range-deletion block (only when the table has range tombstones):
///   a [`RangeDelBlock`]
/// - the index block: a [`BlockBuilder`] block with a restart point at
///   every entry; key = last internal key of data block `i`, value = its
///   [`BlockHandle`] (16 bytes)
/// - the [`Footer`] (60 bytes; 76 with a range-deletion block)
///
/// The table's smallest and largest keys cover its range tombstones too, so
/// compaction sees a table as overlapping every key its tombstones delete.
pub struct TableBuilder {
    file: Box<dyn WritableFile>,
    name: String,
    file_number: u64,
    level: u32,
    block_size_bytes: usize,
    compression: Compression,
    bits_per_key: u32,
    tracer: Tracer,
    data_block: BlockBuilder,
    /// First internal key of the data block being built.
    block_first_key: Vec<u8>,
    index_block: BlockBuilder,
    /// Hashes of the distinct user keys, for the filter (when there is one).
    key_hashes: Vec<u64>,
    smallest: Vec<u8>,
    smallest_seq: SeqNo,
    largest_seq: SeqNo,
    last_key: Vec<u8>,
    entries: u64,
    data_blocks: u32,
    range_dels: Vec<RangeTombstone>,
}

impl std::fmt::Debug for TableBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableBuilder")
            .field("name", &self.name)
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

impl TableBuilder {
    /// Creates the file `table_name(file_number)` for a table that will
    /// live at `level` (reported in events only).
    pub fn new(
        storage: &dyn Storage,
        file_number: u64,
        level: u32,
        options: &Options,
        tracer: Tracer,
    ) -> Result<Self> {
        let name = table_name(file_number);
        let file = storage.create(&name).ctx(&name)?;
        Ok(Self {
            file,
            name,
            file_number,
            level,
            block_size_bytes: options.block_size_bytes,
            compression: options.compression,
            bits_per_key: options.bloom_bits_per_key,
            tracer,
            data_block: BlockBuilder::new(options.block_restart_interval),
            block_first_key: Vec::new(),
            // A restart at every entry: index keys are stored whole.
            index_block: BlockBuilder::new(1),
            key_hashes: Vec::new(),
            smallest: Vec::new(),
            smallest_seq: 0,
            largest_seq: 0,
            last_key: Vec::new(),
            entries: 0,
            data_blocks: 0,
            range_dels: Vec::new(),
        })
    }

    /// Adds a record. Internal keys must be strictly increasing by
    /// [`compare_internal_keys`]; a key out of order, malformed or too
    /// large, or a value too large, is refused with nothing written.
    pub fn add(&mut self, internal_key: &[u8], value: &[u8]) -> Result<()> {
        self.check_record(internal_key, value)?;
        let user = user_key(internal_key);
        let new_user_key = self.entries == 0 || user != user_key(&self.last_key);
        if self.bits_per_key > 0 && new_user_key {
            self.key_hashes.push(key_hash(user));
        }
        if self.entries == 0 {
            self.smallest = internal_key.to_vec();
            self.smallest_seq = SeqNo::MAX;
        }
        if let Some(parsed) = parse_internal_key(internal_key) {
            self.smallest_seq = self.smallest_seq.min(parsed.seq);
            self.largest_seq = self.largest_seq.max(parsed.seq);
        }
        if self.data_block.is_empty() {
            self.block_first_key = internal_key.to_vec();
        }
        self.data_block.add(internal_key, value);
        self.last_key.clear();
        self.last_key.extend_from_slice(internal_key);
        self.entries += 1;
        if self.data_block.estimated_size_bytes() >= self.block_size_bytes {
            self.flush_data_block()?;
        }
        Ok(())
    }

    fn check_record(&self, internal_key: &[u8], value: &[u8]) -> Result<()> {
        let parsed = parse_internal_key(internal_key).ok_or_else(|| {
            Error::corruption(&self.name, self.file.len(), "malformed internal key added")
        })?;
        if parsed.user_key.len() > MAX_KEY_BYTES {
            return Err(Error::KeyTooLarge {
                len: parsed.user_key.len(),
                max: MAX_KEY_BYTES,
            });
        }
        if value.len() > MAX_VALUE_BYTES {
            return Err(Error::ValueTooLarge {
                len: value.len(),
                max: MAX_VALUE_BYTES,
            });
        }
        if self.entries > 0 && compare_internal_keys(&self.last_key, internal_key) != Ordering::Less
        {
            return Err(Error::corruption(
                &self.name,
                self.file.len(),
                "keys added out of order",
            ));
        }
        Ok(())
    }

    /// Adds a range tombstone (in any order relative to records). An empty
    /// range is ignored; a key too large is refused.
    pub fn add_range_tombstone(&mut self, tombstone: &RangeTombstone) -> Result<()> {
        let longest = tombstone.start.len().max(tombstone.end.len());
        if longest > MAX_KEY_BYTES {
            return Err(Error::KeyTooLarge {
                len: longest,
                max: MAX_KEY_BYTES,
            });
        }
        if self.range_dels.len() >= MAX_RANGE_TOMBSTONES_PER_TABLE {
            return Err(Error::InvalidOptions(format!(
                "{}: more than {MAX_RANGE_TOMBSTONES_PER_TABLE} range tombstones in one table",
                self.name
            )));
        }
        if tombstone.start < tombstone.end {
            self.range_dels.push(tombstone.clone());
        }
        Ok(())
    }

    /// Records added so far.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    /// Range tombstones added so far.
    pub fn range_tombstones(&self) -> usize {
        self.range_dels.len()
    }

    /// The user key of the last record added, if any.
    pub fn last_user_key(&self) -> Option<&[u8]> {
        (self.entries > 0).then(|| user_key(&self.last_key))
    }

    /// About how large the file would be if finished now.
    pub fn estimated_size_bytes(&self) -> u64 {
        let filter_bytes = (self.key_hashes.len() as u64 * u64::from(self.bits_per_key)) / 8;
        let range_del_bytes: usize = self
            .range_dels
            .iter()
            .map(|t| 16 + t.start.len() + t.end.len())
            .sum();
        self.file.len()
            + range_del_bytes as u64
            + self.data_block.estimated_size_bytes() as u64
            + self.index_block.estimated_size_bytes() as u64
            + filter_bytes
            + FOOTER_BYTES as u64
    }

    fn flush_data_block(&mut self) -> Result<()> {
        let index_entry_bytes = self.data_block.last_key().len() + BLOCK_HANDLE_BYTES + 8;
        if self.index_block.estimated_size_bytes() + index_entry_bytes + 8 > MAX_INDEX_BYTES {
            return Err(Error::InvalidOptions(format!(
                "{}: the index would exceed {MAX_INDEX_BYTES} bytes; write smaller tables",
                self.name
            )));
        }
        let (entries, restarts) = (self.data_block.entries(), self.data_block.restarts());
        let contents = self.data_block.finish();
        let stored = write_block(self.file.as_mut(), &self.name, &contents, self.compression)?;
        self.index_block
            .add(&self.last_key, &stored.handle.encode());
        let block_index = self.data_blocks;
        self.data_blocks += 1;
        self.tracer.emit(|| Event::BlockWritten {
            file_number: self.file_number,
            block_index,
            offset: stored.handle.offset,
            bytes: stored.stored_bytes(),
            entries,
            restarts,
            first_key: user_key(&self.block_first_key).to_vec(),
            last_key: user_key(&self.last_key).to_vec(),
            compressed: stored.compressed,
        });
        Ok(())
    }

    fn write_filter(&mut self) -> Result<Option<BlockHandle>> {
        if self.bits_per_key == 0 {
            return Ok(None);
        }
        let filter = BloomFilter::from_hashes(&self.key_hashes, self.bits_per_key);
        let stored = write_block(
            self.file.as_mut(),
            &self.name,
            &filter.encode(),
            Compression::None,
        )?;
        self.tracer.emit(|| Event::BloomBuilt {
            file_number: self.file_number,
            keys: self.key_hashes.len() as u64,
            bits: filter.bits(),
            hash_count: filter.hash_count(),
        });
        Ok(Some(stored.handle))
    }

    /// Writes the last data block, the filter, the index and the footer,
    /// and syncs the file.
    pub fn finish(mut self) -> Result<TableMeta> {
        if !self.data_block.is_empty() {
            self.flush_data_block()?;
        }
        let filter = self.write_filter()?;
        let range_del = self.write_range_dels()?;
        let index_contents = self.index_block.finish();
        let index = write_block(
            self.file.as_mut(),
            &self.name,
            &index_contents,
            self.compression,
        )?
        .handle;
        let footer = Footer {
            index,
            filter,
            range_del,
            data_block_count: self.data_blocks,
            entry_count: self.entries,
        };
        self.file.append(&footer.encode()).ctx(&self.name)?;
        self.file.sync().ctx(&self.name)?;
        let meta = self.meta();
        self.tracer.emit(|| Event::TableFinished {
            table: meta.summary(self.level),
            data_blocks: self.data_blocks,
        });
        Ok(meta)
    }

    /// The table's key range and sequence numbers, records and range
    /// tombstones together. A tombstone's range starts at its start key and
    /// ends at [`RangeTombstone::largest_bound`].
    fn meta(&mut self) -> TableMeta {
        let mut smallest = std::mem::take(&mut self.smallest);
        let mut largest = std::mem::take(&mut self.last_key);
        let (mut smallest_seq, mut largest_seq) = if self.entries == 0 {
            (SeqNo::MAX, 0)
        } else {
            (self.smallest_seq, self.largest_seq)
        };
        for t in &self.range_dels {
            let first = internal_key(&t.start, t.seq, ValueKind::Delete);
            if smallest.is_empty() || compare_internal_keys(&first, &smallest) == Ordering::Less {
                smallest = first;
            }
            let last = internal_key(t.largest_bound(), 0, ValueKind::Delete);
            if largest.is_empty() || compare_internal_keys(&last, &largest) == Ordering::Greater {
                largest = last;
            }
            smallest_seq = smallest_seq.min(t.seq);
            largest_seq = largest_seq.max(t.seq);
        }
        TableMeta {
            file_number: self.file_number,
            size_bytes: self.file.len(),
            entries: self.entries,
            smallest,
            largest,
            smallest_seq: if smallest_seq == SeqNo::MAX {
                0
            } else {
                smallest_seq
            },
            largest_seq,
        }
    }

    fn write_range_dels(&mut self) -> Result<Option<BlockHandle>> {
        if self.range_dels.is_empty() {
            return Ok(None);
        }
        let block = RangeDelBlock {
            tombstones: std::mem::take(&mut self.range_dels),
        };
        let stored = write_block(
            self.file.as_mut(),
            &self.name,
            &block.encode(),
            self.compression,
        )?;
        self.range_dels = block.tombstones;
        Ok(Some(stored.handle))
    }
}
