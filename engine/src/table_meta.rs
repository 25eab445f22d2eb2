//! What the manifest knows about one table.

use serde::{Deserialize, Serialize};

use crate::record::SeqNo;

/// A table file as recorded in a version: its number, size and key range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableMeta {
    /// The file number (the table lives in `{number:06}.sst`).
    pub file_number: u64,
    /// Size of the file in bytes.
    pub size_bytes: u64,
    /// Number of entries (records, including tombstones; range tombstones
    /// are not counted).
    pub entries: u64,
    /// Smallest internal key in the table (at most the start of each of its
    /// range tombstones).
    pub smallest: Vec<u8>,
    /// Largest internal key in the table (at least the largest key each of
    /// its range tombstones may cover).
    pub largest: Vec<u8>,
    /// Smallest sequence number of any record or range tombstone in the
    /// table.
    pub smallest_seq: SeqNo,
    /// Largest sequence number of any record or range tombstone in the
    /// table: tables whose key ranges may overlap are searched in
    /// descending order of it.
    pub largest_seq: SeqNo,
}

impl TableMeta {
    /// Smallest user key.
    pub fn smallest_user_key(&self) -> &[u8] {
        crate::record::user_key(&self.smallest)
    }

    /// Largest user key.
    pub fn largest_user_key(&self) -> &[u8] {
        crate::record::user_key(&self.largest)
    }

    /// How the table appears in events, at `level`.
    pub fn summary(&self, level: u32) -> crate::event::TableSummary {
        crate::event::TableSummary {
            level,
            file_number: self.file_number,
            size_bytes: self.size_bytes,
            entries: self.entries,
            smallest: self.smallest_user_key().to_vec(),
            largest: self.largest_user_key().to_vec(),
        }
    }

    /// Whether `user_key` lies within the table's key range.
    pub fn covers(&self, user_key: &[u8]) -> bool {
        self.smallest_user_key() <= user_key && user_key <= self.largest_user_key()
    }
}
