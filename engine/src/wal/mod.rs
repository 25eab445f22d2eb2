//! The write-ahead log, and the record log format the manifest shares.
//!
//! A log is a sequence of 32 KiB blocks. Each record the engine appends (a
//! write batch, or a manifest edit) is cut into fragments that never cross a
//! block boundary, so a reader can always find the next fragment at the start
//! of the next block, and damage in one block cannot make the reader misread
//! the structure of another.
//!
//! A record that fits in the rest of the current block becomes one
//! [`FragmentKind::Full`] fragment; a longer one becomes a `First`, any number
//! of `Middle`s and a `Last`. When fewer bytes than a fragment header remain
//! in a block, they are filled with zeros and the record starts in the next
//! block.
//!
//! Every fragment also says how much of the log was known to be durable
//! when it was written: its *synced length*, the log's length at the
//! writer's last successful sync (0 before the first). That is what lets
//! recovery tell a crash that kept a later unsynced write but lost an
//! earlier one (damage in the unsynced tail, which is dropped) from damage
//! to synced bytes (an error): see [`LogReader`].
//!
//! ## Format
//! One fragment, repeated; blocks are [`BLOCK_SIZE_BYTES`] long (the last one
//! may be shorter). Integers are little-endian:
//! - masked crc32c: u32 over the type byte, the synced length and the
//!   payload, in that order ([`crate::coding::masked_crc_parts`])
//! - length: u16, payload bytes (at most `BLOCK_SIZE_BYTES - HEADER_BYTES`)
//! - type: u8 (1 = full, 2 = first, 3 = middle, 4 = last; 0 is never written,
//!   so zeroed bytes never parse as a fragment)
//! - synced length: u64, the log's length at the writer's last successful
//!   sync before this fragment was appended; never more than the offset of
//!   the fragment itself (a fragment claiming more is damage)
//! - payload: `length` bytes
//!
//! and, at the end of a block with fewer than [`HEADER_BYTES`] bytes left,
//! zero padding up to the block boundary. A record is at most
//! [`MAX_RECORD_BYTES`] long once its fragments are joined.

mod reader;
mod writer;

pub use reader::LogReader;
pub use writer::{encode_fragments, AppendInfo, LogWriter};

use crate::event::FragmentKind;

/// Size of a log block.
pub const BLOCK_SIZE_BYTES: usize = 32 * 1024;
/// Size of a fragment header: crc (4), length (2), type (1), synced
/// length (8).
pub const HEADER_BYTES: usize = 15;
/// The longest record a log holds. Writers refuse longer records; readers
/// treat a longer record as corruption before allocating for it.
pub const MAX_RECORD_BYTES: usize = 64 << 20;

const TYPE_FULL: u8 = 1;
const TYPE_FIRST: u8 = 2;
const TYPE_MIDDLE: u8 = 3;
const TYPE_LAST: u8 = 4;

/// The type byte written for a fragment kind.
pub fn fragment_type_byte(kind: FragmentKind) -> u8 {
    match kind {
        FragmentKind::Full => TYPE_FULL,
        FragmentKind::First => TYPE_FIRST,
        FragmentKind::Middle => TYPE_MIDDLE,
        FragmentKind::Last => TYPE_LAST,
    }
}

/// The fragment kind of a type byte; `None` for bytes a writer never writes.
pub fn fragment_kind(type_byte: u8) -> Option<FragmentKind> {
    match type_byte {
        TYPE_FULL => Some(FragmentKind::Full),
        TYPE_FIRST => Some(FragmentKind::First),
        TYPE_MIDDLE => Some(FragmentKind::Middle),
        TYPE_LAST => Some(FragmentKind::Last),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
