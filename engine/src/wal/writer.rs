//! Appending records to a log.

use strata_storage::WritableFile;

use super::{fragment_type_byte, BLOCK_SIZE_BYTES, HEADER_BYTES, MAX_RECORD_BYTES};
use crate::coding::{masked_crc_parts, put_u16, put_u32, put_u64};
use crate::error::{Error, IoContext, Result};
use crate::event::FragmentKind;
use crate::filename::wal_name;

/// Where one appended record landed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppendInfo {
    /// Offset of the record's first fragment header (after any padding).
    pub offset: u64,
    /// Bytes from `offset` to the new end of the log: headers and payload.
    pub bytes: u64,
    /// How the record was fragmented, in file order.
    pub fragments: Vec<FragmentKind>,
}

/// Appends records to a log file in the format described in [`crate::wal`].
///
/// Each record goes to storage in a single append, padding and headers
/// included, so a crash tears at most the record being written.
pub struct LogWriter {
    file: Box<dyn WritableFile>,
    file_number: u64,
    name: String,
    /// Reused between records to build the bytes of one append.
    scratch: Vec<u8>,
    /// The previous log, while its records may not be durable yet: it is
    /// synced before this one is, so a sync never makes newer records
    /// durable while older ones may still be lost.
    predecessor: Option<Box<LogWriter>>,
    /// Whether the directory entry of this file (and of its predecessor)
    /// is known to be durable.
    name_durable: bool,
    /// The log's length at this writer's last successful sync, written
    /// into every fragment (see [`crate::wal`]). It starts at 0 even for a
    /// reopened log: bytes read back at open may still sit only in a page
    /// cache, and a fragment must never claim more than is durable.
    synced_len: u64,
}

impl std::fmt::Debug for LogWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogWriter")
            .field("name", &self.name)
            .field("len", &self.file.len())
            .finish()
    }
}

/// How far ahead of its appends a log may grow on disk (a hint to the
/// storage, see `WritableFile::reserve_ahead`): one file-size change per
/// step instead of one per synced write.
pub const RESERVE_STEP_BYTES: u64 = 1 << 20;

impl LogWriter {
    /// A writer that appends to `file`, the write-ahead log numbered
    /// `file_number`. It continues at the file's end, in the middle of a
    /// block if the file ends there.
    pub fn new(mut file: Box<dyn WritableFile>, file_number: u64) -> Self {
        // The reader stops at a zero tail (a torn tail), so a crash that
        // leaves reserved space unwritten loses nothing.
        file.reserve_ahead(RESERVE_STEP_BYTES);
        Self {
            file,
            file_number,
            name: wal_name(file_number),
            scratch: Vec::new(),
            predecessor: None,
            name_durable: true,
            synced_len: 0,
        }
    }

    /// Switches to a freshly created log `file_number` that continues this
    /// one's history. This log becomes the new one's predecessor: its
    /// records need not be durable yet, and the new log's directory entry
    /// is not durable yet either.
    pub fn switch_to(&mut self, file: Box<dyn WritableFile>, file_number: u64) {
        let previous = std::mem::replace(self, Self::new(file, file_number));
        self.predecessor = Some(Box::new(previous));
        self.name_durable = false;
    }

    /// Whether the directory entry of this log and of its predecessor are
    /// known to be durable (see [`LogWriter::set_name_durable`]).
    pub fn name_durable(&self) -> bool {
        self.name_durable
    }

    /// Records that a directory sync made this log's name durable.
    pub fn set_name_durable(&mut self) {
        self.name_durable = true;
    }

    /// Forgets the predecessor without syncing it: its records are durable
    /// elsewhere (in a table a synced manifest edit installed).
    pub fn release_predecessor(&mut self) {
        self.predecessor = None;
    }

    /// Sets the file name used in error messages (the default is the
    /// write-ahead log's name; manifests use their own).
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// Appends one record (not synced). A record longer than
    /// [`MAX_RECORD_BYTES`] is refused with [`Error::BatchTooLarge`] before
    /// anything is written.
    pub fn add_record(&mut self, payload: &[u8]) -> Result<AppendInfo> {
        if payload.len() > MAX_RECORD_BYTES {
            return Err(Error::BatchTooLarge {
                len: payload.len(),
                max: MAX_RECORD_BYTES,
            });
        }
        let start = self.file.len();
        let mut buf = std::mem::take(&mut self.scratch);
        buf.clear();
        let (padding, fragments) = encode_fragments(&mut buf, start, self.synced_len, payload);
        let appended = self.file.append(&buf).ctx(&self.name);
        let bytes = buf.len().saturating_sub(padding) as u64;
        self.scratch = buf;
        appended?;
        Ok(AppendInfo {
            offset: start + padding as u64,
            bytes,
            fragments,
        })
    }

    /// Makes every record appended so far durable: the predecessor's
    /// first (if it is still held), then this log's.
    pub fn sync(&mut self) -> Result<()> {
        if let Some(previous) = self.predecessor.as_mut() {
            previous.sync()?;
            self.predecessor = None;
        }
        let len = self.file.len();
        self.file.sync().ctx(&self.name)?;
        self.synced_len = len;
        Ok(())
    }

    /// The log's length at the last successful [`Self::sync`] (0 before
    /// the first): what the next fragment says was durable.
    pub fn synced_len(&self) -> u64 {
        self.synced_len
    }

    /// Length of the log in bytes, unsynced appends included.
    pub fn len(&self) -> u64 {
        self.file.len()
    }

    /// Whether nothing has been written to the log.
    pub fn is_empty(&self) -> bool {
        self.file.len() == 0
    }

    /// The log's file number.
    pub fn file_number(&self) -> u64 {
        self.file_number
    }
}

/// Appends to `out` the bytes that put `payload` in a log currently
/// `log_len` bytes long, of which `synced_len` are durable: block-tail
/// padding if needed, then the fragments (format in [`crate::wal`]).
/// Returns the padding length and the fragment kinds. The caller bounds
/// `payload` by [`MAX_RECORD_BYTES`].
pub fn encode_fragments(
    out: &mut Vec<u8>,
    log_len: u64,
    synced_len: u64,
    payload: &[u8],
) -> (usize, Vec<FragmentKind>) {
    let synced = synced_len.to_le_bytes();
    // The remainder is below BLOCK_SIZE_BYTES, so it fits in usize.
    let mut block_offset = (log_len % BLOCK_SIZE_BYTES as u64) as usize;
    let mut padding = 0;
    let mut fragments = Vec::new();
    let mut rest = payload;
    loop {
        let space = BLOCK_SIZE_BYTES - block_offset;
        if space < HEADER_BYTES {
            // Too little room for a header: fill the block with zeros.
            out.resize(out.len() + space, 0);
            if fragments.is_empty() {
                padding = space;
            }
            block_offset = 0;
            continue;
        }
        let take = rest.len().min(space - HEADER_BYTES);
        let (chunk, after) = rest.split_at(take);
        let kind = match (fragments.is_empty(), after.is_empty()) {
            (true, true) => FragmentKind::Full,
            (true, false) => FragmentKind::First,
            (false, false) => FragmentKind::Middle,
            (false, true) => FragmentKind::Last,
        };
        let type_byte = fragment_type_byte(kind);
        put_u32(out, masked_crc_parts(&[&[type_byte], &synced, chunk]));
        // take <= BLOCK_SIZE_BYTES - HEADER_BYTES < u16::MAX.
        put_u16(out, take as u16);
        out.push(type_byte);
        put_u64(out, synced_len);
        out.extend_from_slice(chunk);
        fragments.push(kind);
        block_offset = (block_offset + HEADER_BYTES + take) % BLOCK_SIZE_BYTES;
        rest = after;
        if rest.is_empty() {
            return (padding, fragments);
        }
    }
}
