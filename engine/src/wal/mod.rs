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
//! ## Format
//! One fragment, repeated; blocks are [`BLOCK_SIZE_BYTES`] long (the last one
//! may be shorter):
//! - masked crc32c: u32 LE over the type byte followed by the payload
//!   ([`crate::coding::masked_crc_parts`])
//! - length: u16 LE, payload bytes
//! - type: u8 (1 = full, 2 = first, 3 = middle, 4 = last; 0 is never written,
//!   so zeroed bytes never parse as a fragment)
//! - payload: `length` bytes
//!
//! and, at the end of a block with fewer than [`HEADER_BYTES`] bytes left,
//! zero padding up to the block boundary.

mod reader;
mod writer;

pub use reader::LogReader;
pub use writer::{AppendInfo, LogWriter};

use crate::event::FragmentKind;

/// Size of a log block.
pub const BLOCK_SIZE_BYTES: usize = 32 * 1024;
/// Size of a fragment header: crc (4), length (2), type (1).
pub const HEADER_BYTES: usize = 7;
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
