//! A table, key by key: its blocks, its records with their sequence
//! numbers and kinds (tombstones marked), and its bloom filter — what the
//! detail view shows when a table is clicked.

use strata_engine::iter::InternalIterator;
use strata_engine::record::parse_internal_key;
use strata_engine::sstable::Table;
use strata_engine::ValueKind;
use strata_storage::Storage;

use crate::model::filter_bits::FilterBits;

/// Records listed at most (the counts cover all of them).
pub const MAX_DETAIL_RECORDS: usize = 400;

/// One data block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockRow {
    /// Records in it.
    pub entries: u32,
    /// Bytes, uncompressed.
    pub bytes: u64,
    /// Its first and last user key.
    pub first_key: Vec<u8>,
    /// Its last user key.
    pub last_key: Vec<u8>,
}

/// One record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordRow {
    /// The user key.
    pub key: Vec<u8>,
    /// Its sequence number.
    pub seq: u64,
    /// Whether it is a tombstone.
    pub tombstone: bool,
    /// Value bytes.
    pub value_bytes: usize,
}

/// A table, key by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableDetail {
    /// Its file number.
    pub file_number: u64,
    /// Bytes on storage.
    pub size_bytes: u64,
    /// Its data blocks.
    pub blocks: Vec<BlockRow>,
    /// Its first records (at most [`MAX_DETAIL_RECORDS`]).
    pub records: Vec<RecordRow>,
    /// Records in all.
    pub record_count: u64,
    /// Tombstones in all.
    pub tombstones: u64,
    /// The filter: bits, bits set, hash functions (`None`: no filter).
    pub bloom: Option<(u64, u64, u32)>,
    /// The filter bit by bit.
    pub filter: Option<FilterBits>,
}

/// Reads table `file_number` from `storage`.
pub fn read_table(storage: &dyn Storage, file_number: u64) -> Result<TableDetail, String> {
    let table = Table::open(storage, file_number).map_err(|e| e.to_string())?;
    let user = |internal: &[u8]| {
        parse_internal_key(internal).map_or_else(|| internal.to_vec(), |p| p.user_key.to_vec())
    };
    let blocks = table
        .blocks()
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|b| BlockRow {
            entries: b.entries,
            bytes: b.uncompressed_bytes,
            first_key: user(&b.first_key),
            last_key: user(&b.last_key),
        })
        .collect();
    let mut records = Vec::new();
    let (mut record_count, mut tombstones) = (0u64, 0u64);
    let mut it = table.iter();
    it.seek_to_first().map_err(|e| e.to_string())?;
    while it.valid() {
        let parsed = parse_internal_key(it.key()).ok_or("a record with a malformed key")?;
        let tombstone = parsed.kind == ValueKind::Delete;
        record_count += 1;
        tombstones += u64::from(tombstone);
        if records.len() < MAX_DETAIL_RECORDS {
            records.push(RecordRow {
                key: parsed.user_key.to_vec(),
                seq: parsed.seq,
                tombstone,
                value_bytes: it.value().len(),
            });
        }
        it.next().map_err(|e| e.to_string())?;
    }
    let filter = table.bloom().map(|f| FilterBits::new(f.clone()));
    let bloom = filter
        .as_ref()
        .map(|f| (f.bits(), f.set_count(), f.hash_count()));
    Ok(TableDetail {
        file_number,
        size_bytes: table.size_bytes(),
        blocks,
        records,
        record_count,
        tombstones,
        bloom,
        filter,
    })
}
