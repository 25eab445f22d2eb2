//! Reference solution of the WAL lab: the engine's own fragment encoder
//! (what `LogWriter` appends) and `LogReader`, run over an in-memory file.

use std::sync::Arc;

use strata_engine::wal::{encode_fragments, LogReader, MAX_RECORD_BYTES};
use strata_engine::Error;
use strata_storage::{MemStorage, Storage};

pub use strata_engine::wal::{BLOCK_SIZE_BYTES, HEADER_BYTES};

const NAME: &str = "lab.log";

/// How a read of a log ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogEnd {
    /// Every byte belonged to a whole record (or to block padding).
    Clean,
    /// A torn tail after the last whole record was ignored; the log's intact
    /// part ends at `valid_end`.
    TornTail {
        /// End of the last whole record.
        valid_end: u64,
    },
    /// Damage followed by intact fragments: acknowledged records would be
    /// lost, so reading stops with an error at `offset`.
    Damaged {
        /// Where the damaged fragment starts.
        offset: u64,
    },
}

/// The bytes that append `payload` to a log that is `log_len` bytes long,
/// of which the first `synced_len` were synced: padding to the next block
/// if fewer than a header's bytes are left, then the fragments.
pub fn encode_record(log_len: u64, synced_len: u64, payload: &[u8]) -> Vec<u8> {
    if payload.len() > MAX_RECORD_BYTES {
        return Vec::new();
    }
    let mut out = Vec::new();
    encode_fragments(&mut out, log_len, synced_len, payload);
    out
}

/// The records of `log` in order, and how the read ended.
pub fn read_log(log: &[u8]) -> (Vec<Vec<u8>>, LogEnd) {
    let storage = MemStorage::new();
    let file = storage.create(NAME).and_then(|mut f| f.append(log));
    let opened = file.and_then(|()| storage.open(NAME));
    let Ok(file) = opened else {
        return (Vec::new(), LogEnd::Clean);
    };
    let mut reader = LogReader::new(Arc::clone(&file), NAME.into());
    let mut records = Vec::new();
    loop {
        match reader.read_record() {
            Ok(Some(record)) => records.push(record),
            Ok(None) if reader.torn_tail() => {
                let valid_end = reader.valid_end();
                return (records, LogEnd::TornTail { valid_end });
            }
            Ok(None) => return (records, LogEnd::Clean),
            Err(Error::Corruption { offset, .. }) => return (records, LogEnd::Damaged { offset }),
            Err(_) => return (records, LogEnd::Damaged { offset: 0 }),
        }
    }
}
