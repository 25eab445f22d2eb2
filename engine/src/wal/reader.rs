//! Reading records back from a log, and telling a torn tail from damage.
//!
//! A crash can leave the unsynced end of a log in any state: a partial
//! header, a short fragment, a fragment whose checksum fails, a record
//! missing its last fragment, zeros where the next header would be, and,
//! since a disk may write back pages in any order, intact records *after*
//! such damage. None of those bytes were acknowledged as durable, so the
//! reader stops before the first damage and reports where the intact part
//! of the log ends: a *torn tail*. Dropping everything after the damage
//! keeps a prefix of the history.
//!
//! Damage to bytes that *were* synced is different: skipping it would
//! silently drop acknowledged writes, so the reader fails with
//! [`Error::Corruption`] instead. It tells the two apart by the synced
//! length every fragment carries (see [`crate::wal`]): damage at offset `d`
//! is in synced bytes exactly when some intact fragment after it says the
//! log was synced past `d`. To find them, the reader tries every byte
//! position after the damage for a fragment with a valid header and
//! checksum (the damage may have hidden where the next fragment starts).
//! The cost is paid only on damage. One limit: a torn record whose own
//! payload happens to contain a well-formed fragment claiming a synced
//! length past the damage (say, a value that is a copy of a Strata log) is
//! reported as corruption rather than ignored: the safe direction to err in.
//!
//! Whether a torn tail is acceptable is the caller's decision: recovery
//! accepts one only in the newest log (older logs were synced whole before
//! the next one began).

use std::sync::Arc;

use strata_storage::ReadableFile;

use super::{fragment_kind, BLOCK_SIZE_BYTES, HEADER_BYTES, MAX_RECORD_BYTES};
use crate::coding::{masked_crc_parts, Decoder};
use crate::error::{Error, IoContext, Result};
use crate::event::FragmentKind;

const BLOCK: u64 = BLOCK_SIZE_BYTES as u64;

/// Reads the records of a log in order, one block in memory at a time.
pub struct LogReader {
    file: Arc<dyn ReadableFile>,
    name: String,
    file_len: u64,
    /// The block in memory and its offset in the file.
    block: Vec<u8>,
    block_start: u64,
    loaded: bool,
    /// Position of the next fragment header within `block`.
    pos: usize,
    last_record_offset: u64,
    valid_end: u64,
    state: State,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum State {
    Reading,
    /// The end was reached; `true` if a torn tail was ignored.
    Finished,
    /// Mid-log damage was found at this offset for this reason.
    Failed(u64, String),
}

/// What the next position in the log holds.
enum Next {
    Fragment {
        kind: FragmentKind,
        offset: u64,
        payload_start: usize,
        payload_len: usize,
    },
    End,
    Damage {
        offset: u64,
        reason: String,
    },
}

impl std::fmt::Debug for LogReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LogReader")
            .field("name", &self.name)
            .field("valid_end", &self.valid_end)
            .field("state", &self.state)
            .finish()
    }
}

impl LogReader {
    /// A reader of `file` from its start; `name` appears in errors.
    pub fn new(file: Arc<dyn ReadableFile>, name: String) -> Self {
        let file_len = file.len();
        Self {
            file,
            name,
            file_len,
            block: Vec::new(),
            block_start: 0,
            loaded: false,
            pos: 0,
            last_record_offset: 0,
            valid_end: 0,
            state: State::Reading,
        }
    }

    /// The next whole record, or `Ok(None)` at the end of the log or at a
    /// torn tail. Damage followed by intact data is [`Error::Corruption`].
    pub fn read_record(&mut self) -> Result<Option<Vec<u8>>> {
        match &self.state {
            State::Reading => {}
            State::Finished => return Ok(None),
            State::Failed(offset, reason) => {
                return Err(Error::corruption(&self.name, *offset, reason.clone()))
            }
        }
        let result = self.assemble_record();
        match &result {
            Ok(Some(_)) => {}
            Ok(None) => self.state = State::Finished,
            Err(Error::Corruption { offset, reason, .. }) => {
                self.state = State::Failed(*offset, reason.clone());
            }
            Err(_) => {}
        }
        result
    }

    /// Offset of the first fragment of the last record returned.
    pub fn last_record_offset(&self) -> u64 {
        self.last_record_offset
    }

    /// End of the last record returned: after a torn tail, the length to
    /// truncate the log to.
    pub fn valid_end(&self) -> u64 {
        self.valid_end
    }

    /// Whether the end of the log was reached and bytes after
    /// [`Self::valid_end`] were ignored as a torn tail.
    pub fn torn_tail(&self) -> bool {
        self.state == State::Finished && self.valid_end < self.file_len
    }

    /// Whether every byte after [`Self::valid_end`] is zero: space a
    /// writer reserved ahead of its appends (`WritableFile::reserve_ahead`)
    /// rather than a damaged record. Reads the tail a block at a time.
    pub fn tail_is_zeros(&self) -> Result<bool> {
        let mut offset = self.valid_end;
        let mut buf = vec![0u8; BLOCK_SIZE_BYTES];
        while offset < self.file_len {
            let n = (self.file_len - offset).min(BLOCK) as usize;
            let chunk = buf.get_mut(..n).unwrap_or_default();
            self.file.read_exact_at(offset, chunk).ctx(&self.name)?;
            if chunk.iter().any(|&b| b != 0) {
                return Ok(false);
            }
            offset += n as u64;
        }
        Ok(true)
    }

    /// Joins fragments into the next record.
    fn assemble_record(&mut self) -> Result<Option<Vec<u8>>> {
        // The start offset and bytes of a record whose first fragment was read.
        let mut partial: Option<(u64, Vec<u8>)> = None;
        loop {
            let (kind, offset, range) = match self.next_fragment()? {
                Next::End => return Ok(None),
                Next::Damage { offset, reason } => return self.on_damage(offset, reason),
                Next::Fragment {
                    kind,
                    offset,
                    payload_start,
                    payload_len,
                } => (kind, offset, payload_start..payload_start + payload_len),
            };
            let payload = self.block.get(range).unwrap_or_default();
            let end = offset + (HEADER_BYTES + payload.len()) as u64;
            match (kind, partial.take()) {
                (FragmentKind::Full, None) => {
                    return Ok(Some(self.finish(offset, end, payload.to_vec())))
                }
                (FragmentKind::First, None) => partial = Some((offset, payload.to_vec())),
                (FragmentKind::Middle | FragmentKind::Last, Some((start, mut record))) => {
                    if record.len() + payload.len() > MAX_RECORD_BYTES {
                        let reason = format!("record longer than {MAX_RECORD_BYTES} bytes");
                        return Err(Error::corruption(&self.name, start, reason));
                    }
                    record.extend_from_slice(payload);
                    if kind == FragmentKind::Last {
                        return Ok(Some(self.finish(start, end, record)));
                    }
                    partial = Some((start, record));
                }
                (FragmentKind::Full | FragmentKind::First, Some((start, _))) => {
                    let reason =
                        format!("record has no last fragment; a {kind:?} fragment follows");
                    return self.on_damage(start, reason);
                }
                (FragmentKind::Middle | FragmentKind::Last, None) => {
                    let reason = format!("{kind:?} fragment without a first fragment");
                    return self.on_damage(offset, reason);
                }
            }
        }
    }

    fn finish(&mut self, start: u64, end: u64, record: Vec<u8>) -> Vec<u8> {
        self.last_record_offset = start;
        self.valid_end = end;
        record
    }

    /// Damage at `offset`: corruption if an intact fragment after it says
    /// the log was synced past `offset`, a torn tail otherwise.
    fn on_damage(&mut self, offset: u64, reason: String) -> Result<Option<Vec<u8>>> {
        if let Some((at, synced_len)) = self.find_synced_claim(offset)? {
            let reason = format!(
                "{reason}; the intact fragment at byte {at} says the log was synced \
                 up to byte {synced_len}"
            );
            return Err(Error::corruption(&self.name, offset, reason));
        }
        Ok(None)
    }

    /// The next fragment in file order, skipping block-tail padding.
    fn next_fragment(&mut self) -> Result<Next> {
        if !self.loaded {
            self.load_block(0)?;
        }
        loop {
            let rest = self.block.len().saturating_sub(self.pos);
            if rest > 0 && BLOCK_SIZE_BYTES - self.pos >= HEADER_BYTES {
                return Ok(self.parse_fragment());
            }
            // The block is used up or only padding is left in it.
            let next_start = self.block_start + BLOCK;
            if next_start >= self.file_len {
                return Ok(Next::End);
            }
            self.load_block(next_start)?;
        }
    }

    /// Parses the fragment at `self.pos` and moves past it if it is intact.
    fn parse_fragment(&mut self) -> Next {
        let offset = self.block_start + self.pos as u64;
        let tail = self.block.get(self.pos..).unwrap_or_default();
        match check_fragment(tail, self.pos, offset) {
            Ok(header) => {
                let payload_start = self.pos + HEADER_BYTES;
                self.pos = payload_start + header.len;
                Next::Fragment {
                    kind: header.kind,
                    offset,
                    payload_start,
                    payload_len: header.len,
                }
            }
            Err(reason) => Next::Damage { offset, reason },
        }
    }

    fn load_block(&mut self, start: u64) -> Result<()> {
        self.block = self.read_block(start)?;
        self.block_start = start;
        self.pos = 0;
        self.loaded = true;
        Ok(())
    }

    /// The block starting at `start` (shorter at the end of the file).
    fn read_block(&self, start: u64) -> Result<Vec<u8>> {
        let len = self.file_len.saturating_sub(start).min(BLOCK);
        let mut buf = vec![0; len as usize];
        self.file.read_exact_at(start, &mut buf).ctx(&self.name)?;
        Ok(buf)
    }

    /// The first intact fragment after the damage at `damage` that says
    /// the log was synced past it, as (its offset, its synced length).
    /// Every position is tried, since damage may have hidden where the
    /// next fragment starts; an intact fragment is skipped whole.
    fn find_synced_claim(&self, damage: u64) -> Result<Option<(u64, u64)>> {
        let from = damage + 1;
        let mut block_start = from - from % BLOCK;
        let mut pos = (from % BLOCK) as usize;
        while block_start < self.file_len {
            let other;
            let block = if self.loaded && block_start == self.block_start {
                &self.block
            } else {
                other = self.read_block(block_start)?;
                &other
            };
            while pos + HEADER_BYTES <= block.len() {
                let tail = block.get(pos..).unwrap_or_default();
                match check_fragment(tail, pos, block_start + pos as u64) {
                    Ok(header) if header.synced_len > damage => {
                        return Ok(Some((block_start + pos as u64, header.synced_len)));
                    }
                    Ok(header) => pos += HEADER_BYTES + header.len,
                    Err(_) => pos += 1,
                }
            }
            block_start += BLOCK;
            pos = 0;
        }
        Ok(None)
    }
}

/// The header of an intact fragment.
struct Header {
    kind: FragmentKind,
    len: usize,
    synced_len: u64,
}

/// Checks the fragment that `tail` starts with, found at `pos` within its
/// block and `offset` in the log: a whole header, a known type, a payload
/// inside the block and the file, a synced length not past the fragment
/// itself, and a matching checksum. `Err` says what is wrong.
fn check_fragment(tail: &[u8], pos: usize, offset: u64) -> std::result::Result<Header, String> {
    let mut header = Decoder::new(tail);
    let (Some(crc), Some(len), Some(type_byte), Some(synced)) =
        (header.u32(), header.u16(), header.u8(), header.array::<8>())
    else {
        return Err("incomplete fragment header".to_owned());
    };
    let Some(kind) = fragment_kind(type_byte) else {
        return Err(format!("unknown fragment type {type_byte}"));
    };
    let len = usize::from(len);
    if pos + HEADER_BYTES + len > BLOCK_SIZE_BYTES {
        return Err(format!("fragment of {len} bytes crosses the block end"));
    }
    let Some(payload) = header.bytes(len) else {
        return Err(format!(
            "fragment of {len} bytes cut short by the end of the file"
        ));
    };
    if masked_crc_parts(&[&[type_byte], &synced, payload]) != crc {
        return Err("fragment checksum mismatch".to_owned());
    }
    let synced_len = u64::from_le_bytes(synced);
    if synced_len > offset {
        return Err(format!(
            "fragment says the log was synced up to byte {synced_len}, past its own start"
        ));
    }
    Ok(Header {
        kind,
        len,
        synced_len,
    })
}
