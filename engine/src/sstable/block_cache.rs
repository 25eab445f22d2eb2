//! The block cache: decoded data blocks kept in memory under a byte budget,
//! so a hot block costs a hash lookup instead of a read, a checksum and a
//! decode.
//!
//! Blocks are keyed by (table file number, block offset). File numbers are
//! never reused within a database, so a block of a deleted table is simply
//! never asked for again and ages out.
//!
//! The cache is split into shards, each an LRU list behind its own mutex,
//! so concurrent readers rarely contend. A shard keeps its entries in an
//! arena (`Vec`) linked by `u32` indices — no `unsafe`, no per-entry
//! allocation besides the block itself — and evicts from the cold end once
//! its share of the budget is exceeded. Purely in memory: caching never
//! changes what a read returns or which events it reports.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::block::Block;

/// Shards of a cache (a power of two).
const SHARDS: usize = 16;
/// Bytes charged per entry on top of the block's contents: the slot, the
/// map entry and the block's own header.
const ENTRY_OVERHEAD_BYTES: usize = 96;
/// The end of a shard's list.
const NIL: u32 = u32::MAX;
/// Buffers of evicted blocks a shard keeps for the next reads to fill
/// (outside the budget: at most `SHARDS * SPARES_PER_SHARD` small buffers).
const SPARES_PER_SHARD: usize = 2;
/// Larger buffers are freed, not kept.
const MAX_SPARE_BYTES: usize = 64 << 10;

/// (table file number, block offset).
type BlockKey = (u64, u64);

/// A sharded LRU cache of data blocks with a total byte budget.
#[derive(Debug)]
pub struct BlockCache {
    shards: Vec<Mutex<Shard>>,
    capacity_bytes: usize,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl BlockCache {
    /// A cache holding at most about `capacity_bytes` of blocks.
    pub fn new(capacity_bytes: usize) -> Self {
        let per_shard = capacity_bytes / SHARDS;
        Self {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(Shard::new(per_shard)))
                .collect(),
            capacity_bytes,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The budget the cache was created with.
    pub fn capacity_bytes(&self) -> usize {
        self.capacity_bytes
    }

    /// Bytes charged for the blocks held now.
    pub fn used_bytes(&self) -> usize {
        self.shards.iter().map(|s| lock(s).used_bytes).sum()
    }

    /// Lookups that found their block.
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// Lookups that did not.
    pub fn misses(&self) -> u64 {
        self.misses.load(Ordering::Relaxed)
    }

    /// The block of table `file_number` at `offset`, if cached; it becomes
    /// the most recently used.
    pub fn get(&self, file_number: u64, offset: u64) -> Option<Block> {
        let found = lock(self.shard(file_number, offset)).get((file_number, offset));
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// [`BlockCache::get`]; on a miss, a spare buffer (of an evicted block,
    /// or empty) for the read that follows to fill.
    pub(crate) fn get_or_spare(&self, file_number: u64, offset: u64) -> Result<Block, Vec<u8>> {
        let mut shard = lock(self.shard(file_number, offset));
        match shard.get((file_number, offset)) {
            Some(block) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(block)
            }
            None => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                Err(shard.spare.pop().unwrap_or_default())
            }
        }
    }

    /// Caches `block` as the block of table `file_number` at `offset`,
    /// evicting the least recently used blocks to stay within budget. A
    /// block larger than a shard's share is not cached, nor one that is a
    /// range of its file (it would keep the whole file alive).
    pub fn insert(&self, file_number: u64, offset: u64, block: &Block) {
        if block.is_borrowed() {
            return;
        }
        let charge = block.size_bytes() + ENTRY_OVERHEAD_BYTES;
        lock(self.shard(file_number, offset)).insert((file_number, offset), block, charge);
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "the index is reduced modulo SHARDS, the number of shards"
    )]
    fn shard(&self, file_number: u64, offset: u64) -> &Mutex<Shard> {
        // The top bits pick the shard; the map uses the whole hash.
        let i = (mix(file_number, offset) >> 60) as usize % SHARDS;
        &self.shards[i]
    }
}

fn lock(shard: &Mutex<Shard>) -> MutexGuard<'_, Shard> {
    shard.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A 64-bit mix of a block key (multiply-xorshift); cheap and well spread.
fn mix(file_number: u64, offset: u64) -> u64 {
    let mut h = file_number.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ offset;
    h = (h ^ (h >> 32)).wrapping_mul(0xd6e8_feb8_6659_fd93);
    h ^ (h >> 32)
}

/// Hashes integer keys (a [`BlockKey`], a file number) with [`mix`]
/// instead of SipHash: they come from the engine, not from users, so no
/// flooding resistance is needed.
#[derive(Default)]
pub(crate) struct KeyHasher {
    words: [u64; 2],
    written: usize,
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Only reached for types other than u64; fold bytes in.
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        if let Some(w) = self.words.get_mut(self.written % 2) {
            *w ^= n;
        }
        self.written += 1;
    }

    fn finish(&self) -> u64 {
        let [a, b] = self.words;
        mix(a, b)
    }
}

/// One entry of a shard's arena.
#[derive(Debug)]
struct Slot {
    key: BlockKey,
    block: Option<Block>,
    charge: usize,
    /// Toward the most recently used end.
    prev: u32,
    /// Toward the least recently used end.
    next: u32,
}

/// One LRU list: `head` is the most recently used entry, `tail` the next
/// to go.
#[derive(Debug)]
struct Shard {
    map: HashMap<BlockKey, u32, BuildHasherDefault<KeyHasher>>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Buffers of evicted blocks no reader held, for reads to reuse.
    spare: Vec<Vec<u8>>,
    head: u32,
    tail: u32,
    used_bytes: usize,
    capacity_bytes: usize,
}

impl Shard {
    fn new(capacity_bytes: usize) -> Self {
        Self {
            map: HashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            spare: Vec::new(),
            head: NIL,
            tail: NIL,
            used_bytes: 0,
            capacity_bytes,
        }
    }

    fn get(&mut self, key: BlockKey) -> Option<Block> {
        let id = *self.map.get(&key)?;
        self.unlink(id);
        self.push_front(id);
        self.slots.get(id as usize)?.block.clone()
    }

    fn insert(&mut self, key: BlockKey, block: &Block, charge: usize) {
        if charge > self.capacity_bytes {
            return;
        }
        if let Some(&id) = self.map.get(&key) {
            // Another reader cached it first: keep theirs, refresh its place.
            self.unlink(id);
            self.push_front(id);
            return;
        }
        while self.used_bytes + charge > self.capacity_bytes && self.tail != NIL {
            self.evict(self.tail);
        }
        let slot = Slot {
            key,
            block: Some(block.clone()),
            charge,
            prev: NIL,
            next: NIL,
        };
        let id = match self.free.pop() {
            Some(id) => {
                if let Some(s) = self.slots.get_mut(id as usize) {
                    *s = slot;
                }
                id
            }
            None => {
                let Ok(id) = u32::try_from(self.slots.len()) else {
                    return;
                };
                self.slots.push(slot);
                id
            }
        };
        self.map.insert(key, id);
        self.used_bytes += charge;
        self.push_front(id);
    }

    fn evict(&mut self, id: u32) {
        self.unlink(id);
        if let Some(slot) = self.slots.get_mut(id as usize) {
            self.map.remove(&slot.key);
            self.used_bytes -= slot.charge;
            let buffer = slot.block.take().and_then(Block::into_unshared_contents);
            slot.charge = 0;
            self.free.push(id);
            if let Some(buffer) = buffer {
                if self.spare.len() < SPARES_PER_SHARD && buffer.capacity() <= MAX_SPARE_BYTES {
                    self.spare.push(buffer);
                }
            }
        }
    }

    fn links(&self, id: u32) -> (u32, u32) {
        self.slots
            .get(id as usize)
            .map_or((NIL, NIL), |s| (s.prev, s.next))
    }

    fn set_prev(&mut self, id: u32, prev: u32) {
        match self.slots.get_mut(id as usize) {
            Some(s) => s.prev = prev,
            None => self.head = prev,
        }
    }

    fn set_next(&mut self, id: u32, next: u32) {
        match self.slots.get_mut(id as usize) {
            Some(s) => s.next = next,
            None => self.tail = next,
        }
    }

    /// Takes `id` out of the list (its neighbours link to each other).
    fn unlink(&mut self, id: u32) {
        let (prev, next) = self.links(id);
        if prev == NIL {
            self.head = next;
        } else {
            self.set_next(prev, next);
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.set_prev(next, prev);
        }
        if let Some(s) = self.slots.get_mut(id as usize) {
            s.prev = NIL;
            s.next = NIL;
        }
    }

    /// Makes `id` the most recently used entry.
    fn push_front(&mut self, id: u32) {
        let old_head = self.head;
        if let Some(s) = self.slots.get_mut(id as usize) {
            s.prev = NIL;
            s.next = old_head;
        }
        if old_head == NIL {
            self.tail = id;
        } else {
            self.set_prev(old_head, id);
        }
        self.head = id;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Result;
    use crate::iter::InternalIterator;
    use crate::sstable::BlockBuilder;

    fn block(tag: u8, value_bytes: usize) -> Result<Block> {
        let mut b = BlockBuilder::new(16);
        b.add(
            &[b'k', tag, 0, 0, 0, 0, 0, 0, 0, 1],
            &vec![tag; value_bytes],
        );
        Block::new(b.finish(), 1, 0)
    }

    fn first_byte_of_value(b: &Block) -> Result<Option<u8>> {
        let mut it = b.iter();
        it.seek_to_first()?;
        Ok(it.value().first().copied())
    }

    #[test]
    fn cached_block_is_returned_until_evicted() -> Result<()> {
        let cache = BlockCache::new(1 << 20);
        assert!(cache.get(7, 0).is_none());
        cache.insert(7, 0, &block(3, 100)?);
        let got = cache
            .get(7, 0)
            .ok_or(crate::Error::InvalidOptions("miss".into()))?;
        assert_eq!(first_byte_of_value(&got)?, Some(3));
        assert!(
            cache.get(7, 4096).is_none(),
            "other offsets are other blocks"
        );
        assert!(cache.get(8, 0).is_none(), "other tables are other blocks");
        assert_eq!((cache.hits(), cache.misses()), (1, 3));
        Ok(())
    }

    #[test]
    fn budget_is_kept_by_evicting_least_recently_used() -> Result<()> {
        // One shard's share fits about three 1000-byte blocks.
        let cache = BlockCache::new(SHARDS * 3 * (1000 + 20 + ENTRY_OVERHEAD_BYTES));
        let b = block(1, 1000)?;
        for offset in 0..2000u64 {
            cache.insert(1, offset * 4096, &b);
            assert!(cache.used_bytes() <= cache.capacity_bytes());
        }
        let held = (0..2000u64)
            .filter(|o| cache.get(1, o * 4096).is_some())
            .count();
        assert!(held <= SHARDS * 3, "{held} blocks held");
        assert!(held >= SHARDS, "{held} blocks held");
        Ok(())
    }

    #[test]
    fn recently_used_block_survives_eviction() -> Result<()> {
        let cache = BlockCache::new(SHARDS * 4 * (1000 + 20 + ENTRY_OVERHEAD_BYTES));
        let b = block(1, 1000)?;
        cache.insert(9, 0, &b);
        for offset in 1..5000u64 {
            // Touch the hot block before every insert: it stays at the front.
            assert!(cache.get(9, 0).is_some(), "evicted after {offset} inserts");
            cache.insert(9, offset * 4096, &b);
        }
        Ok(())
    }

    #[test]
    fn evicted_blocks_lend_their_buffers_to_misses() -> Result<()> {
        let cache = BlockCache::new(SHARDS * 2 * (1000 + 20 + ENTRY_OVERHEAD_BYTES));
        for offset in 0..200u64 {
            // Each insert builds its own block: the cache holds the only clone.
            cache.insert(1, offset * 4096, &block(1, 1000)?);
        }
        let spares = (0..SHARDS as u64 * 64)
            .filter_map(|o| cache.get_or_spare(2, o).err())
            .filter(|buf| buf.capacity() >= 1000)
            .count();
        assert!(spares >= SHARDS, "{spares} spare buffers handed out");
        // A block still held by a reader keeps its buffer.
        let held = block(2, 1000)?;
        let cache = BlockCache::new(SHARDS * (1000 + 20 + ENTRY_OVERHEAD_BYTES));
        cache.insert(3, 0, &held);
        for offset in 1..100u64 {
            cache.insert(3, offset * 4096, &block(2, 10)?);
        }
        assert_eq!(first_byte_of_value(&held)?, Some(2));
        Ok(())
    }

    #[test]
    fn oversized_block_and_zero_budget_cache_nothing() -> Result<()> {
        let cache = BlockCache::new(0);
        cache.insert(1, 0, &block(1, 10)?);
        assert!(cache.get(1, 0).is_none());
        assert_eq!(cache.used_bytes(), 0);
        let cache = BlockCache::new(SHARDS * 500);
        cache.insert(1, 0, &block(1, 1000)?);
        assert!(cache.get(1, 0).is_none());
        Ok(())
    }

    #[test]
    fn a_block_lent_by_its_file_is_not_cached() -> Result<()> {
        let mut b = BlockBuilder::new(16);
        b.add(b"k\0\0\0\0\0\0\0\x01", b"value");
        let mut file = b.finish();
        let len = file.len();
        file.extend_from_slice(b"the rest of the file");
        let mut lent = strata_storage::SharedBytes::from_vec(file);
        lent.truncate(len);
        let cache = BlockCache::new(1 << 20);
        cache.insert(1, 0, &Block::shared(lent, 1, 0)?);
        assert!(cache.get(1, 0).is_none(), "a range of a file stays out");
        cache.insert(1, 0, &block(1, 10)?);
        assert!(cache.get(1, 0).is_some(), "a block of its own is cached");
        Ok(())
    }
}
