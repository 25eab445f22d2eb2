//! Opening a table and looking keys up in it.

use std::cmp::Ordering;
use std::sync::atomic::{self, AtomicBool};
use std::sync::Arc;

use strata_storage::{ReadableFile, Storage};

use crate::bloom::{key_hash, BloomFilter, MAX_FILTER_BYTES};
use crate::coding::Decoder;
use crate::error::{Error, IoContext, Result};
use crate::event::{BloomVerdict, Event, Tracer};
use crate::filename::table_name;
use crate::iter::InternalIterator;
use crate::key_prefix::{internal_key_prefix, KeyPrefix};
use crate::record::{
    compare_internal_keys, internal_key, parse_internal_key, SeqNo, ValueKind, KIND_FOR_SEEK,
    MAX_SEQNO, TRAILER_BYTES,
};

use super::block::{Block, BlockIter};
use super::block_cache::BlockCache;
use super::footer::Footer;
use super::handle::{read_block, read_block_into, BlockHandle, BLOCK_HANDLE_BYTES};
use super::key_order::{compare_bytes, compare_internal, first_not_below};
use super::range_del_block::{RangeDelBlock, MAX_RANGE_DEL_BLOCK_BYTES};
use super::verified::VerifiedBlocks;
use super::{MAX_BLOCK_BYTES, MAX_INDEX_BYTES};
use crate::range_tombstone::{FragmentedTombstones, RangeTombstone};

/// One data block as listed by the index.
#[derive(Clone, Debug)]
pub(crate) struct IndexEntry {
    /// The block's last internal key.
    pub(crate) last_key: Vec<u8>,
    pub(crate) handle: BlockHandle,
}

/// An open table: footer, index and filter in memory, data blocks read on
/// demand.
pub struct Table {
    file: Arc<dyn ReadableFile>,
    file_number: u64,
    size_bytes: u64,
    index: Vec<IndexEntry>,
    /// The prefix of each index entry's user key, in a dense array of their
    /// own: the binary search over the index reads a few cache lines and
    /// rarely follows the pointer to a key.
    index_prefixes: Vec<KeyPrefix>,
    bloom: Option<BloomFilter>,
    entries: u64,
    /// The range tombstones as stored, and fragmented for lookups.
    range_dels: Vec<RangeTombstone>,
    range_del_fragments: FragmentedTombstones,
    /// Shared cache of decoded data blocks, if the database has one.
    cache: Option<Arc<BlockCache>>,
    /// Whether the file lends its bytes (a map, an in-memory file): an
    /// uncompressed block is then read in place, and the cache, which
    /// would keep the whole file alive through it, is skipped (LevelDB
    /// leaves such blocks out of its cache too)...
    lends_bytes: bool,
    /// ...until a compressed block is met: decompressing costs more than a
    /// copy, so from then on the table's blocks go through the cache.
    compressed_seen: AtomicBool,
    /// Data blocks whose checksum passed, when the file's bytes are fixed
    /// or lent (`sstable::verified`).
    verified: VerifiedBlocks,
}

impl std::fmt::Debug for Table {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("file_number", &self.file_number)
            .field("size_bytes", &self.size_bytes)
            .field("data_blocks", &self.index.len())
            .field("entries", &self.entries)
            .finish_non_exhaustive()
    }
}

/// What a table knows about a user key as of a snapshot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableLookup {
    /// The bloom filter said the key is certainly absent; no block was read.
    FilteredOut,
    /// No visible record. `false_positive`: the filter said "maybe" but the
    /// table holds no record of the key at any sequence number.
    NotFound {
        /// Whether the filter was wrong.
        false_positive: bool,
    },
    /// The newest record of the key with `seq <= snapshot_seq`.
    Found {
        /// Its sequence number.
        seq: SeqNo,
        /// Put or delete.
        kind: ValueKind,
        /// The value (empty for a delete).
        value: Vec<u8>,
    },
}

/// One data block described for tools: where it is and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockInfo {
    /// Where the block is stored.
    pub handle: BlockHandle,
    /// Whether it is stored compressed.
    pub compressed: bool,
    /// Uncompressed size.
    pub uncompressed_bytes: u64,
    /// Entries in the block.
    pub entries: u32,
    /// Restart points in the block.
    pub restarts: u32,
    /// First internal key.
    pub first_key: Vec<u8>,
    /// Last internal key.
    pub last_key: Vec<u8>,
}

impl Table {
    /// Opens table `file_number`, verifying its footer, index and filter.
    pub fn open(storage: &dyn Storage, file_number: u64) -> Result<Arc<Table>> {
        Self::open_cached(storage, file_number, None)
    }

    /// [`Table::open`], with data blocks looked up in (and point reads
    /// filling) `cache`.
    pub fn open_cached(
        storage: &dyn Storage,
        file_number: u64,
        cache: Option<Arc<BlockCache>>,
    ) -> Result<Arc<Table>> {
        let name = table_name(file_number);
        let file = storage.open_immutable(&name).ctx(&name)?;
        let size_bytes = file.len();
        let (footer, footer_offset) = Footer::read(file.as_ref(), &name)?;
        let index_block = read_block(
            file.as_ref(),
            file_number,
            footer.index,
            footer_offset,
            MAX_INDEX_BYTES,
        )?;
        let index_block = Block::shared(index_block.contents, file_number, footer.index.offset)?;
        let index = decode_index(&index_block, file_number, footer.index.offset)?;
        let bloom = match footer.filter {
            None => None,
            Some(handle) => Some(read_filter(
                file.as_ref(),
                file_number,
                handle,
                footer.index,
            )?),
        };
        let range_dels = match footer.range_del {
            None => Vec::new(),
            Some(handle) => read_range_dels(file.as_ref(), file_number, handle, footer.index)?,
        };
        check_layout(&index, &footer, file_number)?;
        let range_del_fragments = FragmentedTombstones::new(&range_dels);
        let index_prefixes = index
            .iter()
            .map(|e| internal_key_prefix(&e.last_key))
            .collect();
        let verified = VerifiedBlocks::for_file(file.as_ref(), index.len());
        let lends_bytes = file.lends_bytes();
        Ok(Arc::new(Table {
            lends_bytes,
            compressed_seen: AtomicBool::new(false),
            verified,
            file,
            file_number,
            size_bytes,
            index,
            index_prefixes,
            bloom,
            entries: footer.entry_count,
            range_dels,
            range_del_fragments,
            cache,
        }))
    }

    /// The range tombstones of table `file_number`, read without opening
    /// it: the footer, and the range-deletion block if there is one (a
    /// table without range tombstones costs one small read). Compactions
    /// and scans learn every input's tombstones up front this way and
    /// still open each table only when their cursor reaches it.
    pub fn read_range_tombstones(
        storage: &dyn Storage,
        file_number: u64,
    ) -> Result<Vec<RangeTombstone>> {
        let name = table_name(file_number);
        let file = storage.open(&name).ctx(&name)?;
        let (footer, _) = Footer::read(file.as_ref(), &name)?;
        match footer.range_del {
            None => Ok(Vec::new()),
            Some(handle) => read_range_dels(file.as_ref(), file_number, handle, footer.index),
        }
    }

    /// The table's file number.
    pub fn file_number(&self) -> u64 {
        self.file_number
    }

    /// Size of the file in bytes.
    pub fn size_bytes(&self) -> u64 {
        self.size_bytes
    }

    /// The bloom filter, if the table has one.
    pub fn bloom(&self) -> Option<&BloomFilter> {
        self.bloom.as_ref()
    }

    /// The table's range tombstones, sorted by start key.
    pub fn range_tombstones(&self) -> &[RangeTombstone] {
        &self.range_dels
    }

    /// The newest range tombstone of the table covering `user_key` with a
    /// sequence number `<= snapshot_seq`, if any.
    pub fn range_tombstone_covering(&self, user_key: &[u8], snapshot_seq: SeqNo) -> Option<SeqNo> {
        self.range_del_fragments
            .covering_seq(user_key, snapshot_seq)
    }

    /// Data blocks in the table.
    pub fn data_block_count(&self) -> u32 {
        self.index.len() as u32
    }

    /// Entries in the table, as recorded in the footer.
    pub fn entries(&self) -> u64 {
        self.entries
    }

    pub(crate) fn index(&self) -> &[IndexEntry] {
        &self.index
    }

    /// The first data block whose last key is `>= target`
    /// (`data_block_count()` if none).
    pub(crate) fn find_block(&self, target: &[u8]) -> usize {
        let target_prefix = internal_key_prefix(target);
        first_not_below(
            self.index.len(),
            &self.index_prefixes,
            &target_prefix,
            |i| {
                self.index
                    .get(i)
                    .is_some_and(|e| compare_internal(&e.last_key, target) == Ordering::Less)
            },
        )
    }

    /// Reads and validates data block `block_index`.
    pub(crate) fn read_data_block(&self, block_index: usize) -> Result<(Block, bool)> {
        self.read_data_block_into(block_index, Vec::new(), false)
    }

    /// [`Table::read_data_block`] into the spare buffer `buf`; a point read
    /// or seek (`point_read`) may trust a block verified before
    /// (`sstable::verified`).
    fn read_data_block_into(
        &self,
        block_index: usize,
        buf: Vec<u8>,
        point_read: bool,
    ) -> Result<(Block, bool)> {
        let handle = self
            .index
            .get(block_index)
            .map(|e| e.handle)
            .ok_or_else(|| {
                Error::corruption(
                    table_name(self.file_number),
                    0,
                    "data block index out of range",
                )
            })?;
        let read = read_block_into(
            self.file.as_ref(),
            self.file_number,
            handle,
            self.size_bytes,
            MAX_BLOCK_BYTES,
            buf,
            !self.verified.trusts(block_index, point_read),
        )?;
        self.verified.insert(block_index);
        let block = Block::shared(read.contents, self.file_number, handle.offset)?;
        if block.is_empty() {
            return Err(Error::corruption(
                table_name(self.file_number),
                handle.offset,
                "empty data block",
            ));
        }
        Ok((block, read.compressed))
    }

    /// Data block `block_index`, from the block cache when it holds it;
    /// otherwise read (and, with `fill_cache`, cached). Point reads and
    /// seeks fill the cache; blocks a cursor streams through (long scans,
    /// compactions) are only looked up, so they do not evict hot blocks.
    /// Blocks read in place, and tables without a cache, are read every
    /// time: point reads and seeks may trust a block verified before, the
    /// others check it again.
    pub(crate) fn data_block(&self, block_index: usize, fill_cache: bool) -> Result<Block> {
        let in_place = self.lends_bytes && !self.compressed_seen.load(atomic::Ordering::Relaxed);
        let cache = self.cache.as_ref().zip(self.index.get(block_index));
        let Some((cache, entry)) = cache.filter(|_| !in_place) else {
            let (block, compressed) =
                self.read_data_block_into(block_index, Vec::new(), fill_cache)?;
            if compressed {
                self.compressed_seen.store(true, atomic::Ordering::Relaxed);
            }
            return Ok(block);
        };
        let offset = entry.handle.offset;
        let spare = match cache.get_or_spare(self.file_number, offset) {
            Ok(block) => return Ok(block),
            Err(spare) => spare,
        };
        let (block, _) = self.read_data_block_into(block_index, spare, false)?;
        if fill_cache {
            cache.insert(self.file_number, offset, &block);
        }
        Ok(block)
    }

    /// Newest record of `user_key` with `seq <= snapshot_seq`.
    pub fn get(
        &self,
        user_key: &[u8],
        snapshot_seq: SeqNo,
        tracer: &Tracer,
    ) -> Result<TableLookup> {
        self.get_counted(user_key, snapshot_seq, tracer, &mut 0)
    }

    /// [`Table::get`], adding the number of data blocks read to
    /// `blocks_read` (for read-amplification figures).
    pub fn get_counted(
        &self,
        user_key: &[u8],
        snapshot_seq: SeqNo,
        tracer: &Tracer,
        blocks_read: &mut u32,
    ) -> Result<TableLookup> {
        let probe = TableProbe {
            user_key,
            key_hash: key_hash(user_key),
            snapshot_seq,
        };
        self.probe(&probe, tracer, blocks_read)
    }

    /// [`Table::get_counted`] for a key whose filter hash a get computed
    /// once for every table it probes.
    pub(crate) fn probe(
        &self,
        probe: &TableProbe<'_>,
        tracer: &Tracer,
        blocks_read: &mut u32,
    ) -> Result<TableLookup> {
        let TableProbe {
            user_key,
            key_hash,
            snapshot_seq,
        } = *probe;
        let mut filter_said_maybe = false;
        if let Some(bloom) = &self.bloom {
            let maybe = bloom.may_contain_hash(key_hash);
            tracer.emit(|| Event::BloomProbe {
                file_number: self.file_number,
                bit_positions: bloom.bit_positions(user_key),
                bits: bloom.bits(),
                verdict: match maybe {
                    true => BloomVerdict::MaybePresent,
                    false => BloomVerdict::DefinitelyAbsent,
                },
            });
            if !maybe {
                return Ok(TableLookup::FilteredOut);
            }
            filter_said_maybe = true;
        }
        let mut stack = [0u8; SEEK_KEY_STACK_BYTES];
        let heap;
        let target: &[u8] = match seek_key_on_stack(&mut stack, user_key) {
            Some(target) => target,
            None => {
                heap = internal_key(user_key, MAX_SEQNO, KIND_FOR_SEEK);
                &heap
            }
        };
        let first = self.find_block(target);
        tracer.emit(|| Event::IndexSearch {
            file_number: self.file_number,
            block_index: (first < self.index.len()).then_some(first as u32),
        });
        let mut seen_key = false;
        for block_index in first..self.index.len() {
            let block = self.read_traced(block_index, tracer)?;
            *blocks_read += 1;
            let mut it = BlockIter::new(block);
            it.seek(target)?;
            while it.valid() {
                let parsed = parse_internal_key(it.key()).ok_or_else(|| {
                    Error::corruption(
                        table_name(self.file_number),
                        self.index.get(block_index).map_or(0, |e| e.handle.offset),
                        "malformed internal key in data block",
                    )
                })?;
                if compare_bytes(parsed.user_key, user_key) != Ordering::Equal {
                    return Ok(self.not_found(filter_said_maybe && !seen_key, tracer));
                }
                seen_key = true;
                if parsed.seq <= snapshot_seq {
                    return Ok(TableLookup::Found {
                        seq: parsed.seq,
                        kind: parsed.kind,
                        value: it.value().to_vec(),
                    });
                }
                it.next()?;
            }
        }
        Ok(self.not_found(filter_said_maybe && !seen_key, tracer))
    }

    fn read_traced(&self, block_index: usize, tracer: &Tracer) -> Result<Block> {
        let block = self.data_block(block_index, true)?;
        tracer.emit(|| {
            let handle = self
                .index
                .get(block_index)
                .map(|e| e.handle)
                .unwrap_or_default();
            Event::BlockRead {
                file_number: self.file_number,
                block_index: block_index as u32,
                offset: handle.offset,
                bytes: handle.size_bytes + super::BLOCK_TRAILER_BYTES as u64,
            }
        });
        Ok(block)
    }

    fn not_found(&self, false_positive: bool, tracer: &Tracer) -> TableLookup {
        if false_positive {
            tracer.emit(|| Event::BloomFalsePositive {
                file_number: self.file_number,
            });
        }
        TableLookup::NotFound { false_positive }
    }

    /// Reads every data block and describes it (for dump tools).
    pub fn blocks(&self) -> Result<Vec<BlockInfo>> {
        (0..self.index.len()).map(|i| self.block_info(i)).collect()
    }

    /// Reads data block `block_index`, checking its checksum and every
    /// entry, and describes it. A verifier calls it block by block to report
    /// each damaged block and go on with the next.
    pub fn block_info(&self, block_index: usize) -> Result<BlockInfo> {
        let (block, compressed) = self.read_data_block(block_index)?;
        let handle = self
            .index
            .get(block_index)
            .map(|e| e.handle)
            .unwrap_or_default();
        let mut it = block.iter();
        it.seek_to_first()?;
        let first_key = it.key().to_vec();
        let mut entries = 0u32;
        let mut last_key = Vec::new();
        while it.valid() {
            entries += 1;
            last_key.clear();
            last_key.extend_from_slice(it.key());
            it.next()?;
        }
        Ok(BlockInfo {
            handle,
            compressed,
            uncompressed_bytes: block.size_bytes() as u64,
            entries,
            restarts: block.restart_count(),
            first_key,
            last_key,
        })
    }
}

/// A user key looked up in tables, with its [`key_hash`] computed once.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TableProbe<'a> {
    pub(crate) user_key: &'a [u8],
    pub(crate) key_hash: u64,
    pub(crate) snapshot_seq: SeqNo,
}

/// Internal keys of user keys up to this long are built on the stack for
/// a lookup, sparing an allocation per table probed.
const SEEK_KEY_STACK_BYTES: usize = 64 + TRAILER_BYTES;

/// The seek key of `user_key` (newest possible version) written into
/// `buf`, if it fits.
fn seek_key_on_stack<'a>(buf: &'a mut [u8], user_key: &[u8]) -> Option<&'a [u8]> {
    let target = buf.get_mut(..user_key.len() + TRAILER_BYTES)?;
    let (key, trailer) = target.split_at_mut(user_key.len());
    key.copy_from_slice(user_key);
    trailer.copy_from_slice(&((MAX_SEQNO << 8) | KIND_FOR_SEEK as u64).to_le_bytes());
    Some(target)
}

/// The index's entries, checked: well-formed handles and internal keys in
/// strictly increasing order.
fn decode_index(block: &Block, file_number: u64, offset: u64) -> Result<Vec<IndexEntry>> {
    let bad = |reason: &str| Error::corruption(table_name(file_number), offset, reason);
    let mut entries: Vec<IndexEntry> = Vec::new();
    let mut it = block.iter();
    it.seek_to_first()?;
    while it.valid() {
        if parse_internal_key(it.key()).is_none() {
            return Err(bad("malformed key in the index"));
        }
        if entries
            .last()
            .is_some_and(|prev| compare_internal_keys(&prev.last_key, it.key()) != Ordering::Less)
        {
            return Err(bad("index keys out of order"));
        }
        let value = it.value();
        let handle = (value.len() == BLOCK_HANDLE_BYTES)
            .then(|| BlockHandle::decode(&mut Decoder::new(value)))
            .flatten()
            .ok_or_else(|| bad("malformed block handle in the index"))?;
        entries.push(IndexEntry {
            last_key: it.key().to_vec(),
            handle,
        });
        it.next()?;
    }
    Ok(entries)
}

fn read_filter(
    file: &dyn ReadableFile,
    file_number: u64,
    handle: BlockHandle,
    index: BlockHandle,
) -> Result<BloomFilter> {
    let read = read_block(file, file_number, handle, index.offset, MAX_FILTER_BYTES)?;
    BloomFilter::decode(&read.contents).ok_or_else(|| {
        Error::corruption(
            table_name(file_number),
            handle.offset,
            "malformed bloom filter",
        )
    })
}

fn read_range_dels(
    file: &dyn ReadableFile,
    file_number: u64,
    handle: BlockHandle,
    index: BlockHandle,
) -> Result<Vec<RangeTombstone>> {
    let read = read_block(
        file,
        file_number,
        handle,
        index.offset,
        MAX_RANGE_DEL_BLOCK_BYTES,
    )?;
    Ok(RangeDelBlock::decode(&read.contents, file_number, handle.offset)?.tombstones)
}

/// Checks that the blocks tile the file: data blocks from offset 0, then
/// the filter, then the range-deletion block, then the index, then the
/// footer, with nothing in between.
fn check_layout(index: &[IndexEntry], footer: &Footer, file_number: u64) -> Result<()> {
    let bad =
        |offset: u64, reason: &str| Error::corruption(table_name(file_number), offset, reason);
    if index.len() != footer.data_block_count as usize {
        return Err(bad(
            footer.index.offset,
            "index and footer disagree on the block count",
        ));
    }
    let mut expected = 0u64;
    let handles = index
        .iter()
        .map(|e| e.handle)
        .chain(footer.filter)
        .chain(footer.range_del)
        .chain(std::iter::once(footer.index));
    for handle in handles {
        if handle.offset != expected {
            return Err(bad(
                handle.offset,
                "block is not where the previous one ends",
            ));
        }
        expected = handle
            .end_with_trailer()
            .ok_or_else(|| bad(handle.offset, "block length overflows"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stack_seek_key_matches_the_allocated_one() {
        let mut buf = [0u8; SEEK_KEY_STACK_BYTES];
        for len in [0usize, 5, 16, 64] {
            let user = vec![b'k'; len];
            let expected = internal_key(&user, MAX_SEQNO, KIND_FOR_SEEK);
            assert_eq!(seek_key_on_stack(&mut buf, &user), Some(&expected[..]));
        }
        assert_eq!(seek_key_on_stack(&mut buf, &[b'k'; 65]), None);
    }
}
