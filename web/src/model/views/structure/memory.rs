//! The write path before the levels: the WAL's tail, the active memtable
//! and the frozen one.

use strata_engine::event::FragmentKind;
use strata_engine::range_tombstone::RangeTombstone;
use strata_engine::{Event, TowerView};

/// Records of the WAL tail shown.
pub const WAL_TAIL: usize = 6;

/// One record in the WAL tail.
#[derive(Clone, Debug, PartialEq)]
pub struct WalRecord {
    /// Offset of its first fragment.
    pub offset: u64,
    /// Bytes, headers included.
    pub bytes: u64,
    /// How it was split across 32 KiB blocks.
    pub fragments: Vec<FragmentKind>,
    /// Sequence number of its first record.
    pub first_seq: u64,
    /// Records in it.
    pub count: u32,
}

/// The write-ahead log.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WalView {
    /// The log taking writes.
    pub file_number: Option<u64>,
    /// Its size.
    pub size_bytes: u64,
    /// Bytes of it known to be synced.
    pub synced_bytes: u64,
    /// Its last records, oldest first; the last one is the newest.
    pub tail: Vec<WalRecord>,
    /// Older logs still on storage (waiting for their memtable's flush).
    pub older: Vec<u64>,
    /// Whether the last event appended to it.
    pub just_appended: bool,
}

/// The active memtable.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MemtableView {
    /// Its first nodes in key order, with tower heights.
    pub towers: Vec<TowerView>,
    /// Records in it.
    pub entries: u64,
    /// Approximate bytes.
    pub bytes: u64,
    /// The size at which it is frozen.
    pub capacity_bytes: u64,
    /// The last record inserted: (key, sequence number).
    pub last_insert: Option<(Vec<u8>, u64)>,
    /// Its range tombstones, by start key.
    pub range_tombstones: Vec<RangeTombstone>,
}

impl MemtableView {
    /// Records not drawn (past the first [`MAX_TOWERS`](crate::model::base::MAX_TOWERS)).
    pub fn hidden(&self) -> u64 {
        self.entries.saturating_sub(self.towers.len() as u64)
    }
}

/// The frozen memtable waiting for its flush.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImmutableView {
    /// Records.
    pub entries: u64,
    /// Approximate bytes.
    pub bytes: u64,
    /// The log holding its records.
    pub wal_file_number: Option<u64>,
    /// The table it is being flushed into.
    pub flushing_into: Option<u64>,
}

pub(super) fn reduce_wal(wal: &mut WalView, event: &Event) {
    match event {
        Event::WalAppended {
            file_number,
            offset,
            bytes,
            fragments,
            first_seq,
            count,
        } => {
            if wal.file_number != Some(*file_number) {
                wal.file_number = Some(*file_number);
                wal.tail.clear();
            }
            wal.tail.push(WalRecord {
                offset: *offset,
                bytes: *bytes,
                fragments: fragments.clone(),
                first_seq: *first_seq,
                count: *count,
            });
            if wal.tail.len() > WAL_TAIL {
                wal.tail.remove(0);
            }
            wal.size_bytes = offset + bytes;
            wal.just_appended = true;
        }
        Event::WalSynced { file_number } if wal.file_number == Some(*file_number) => {
            wal.synced_bytes = wal.size_bytes;
        }
        Event::WalRetired { file_number } => wal.older.retain(|n| n != file_number),
        _ => {}
    }
}
