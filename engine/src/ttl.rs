//! Time to live: records older than [`crate::Options::ttl_ms`] are hidden
//! from reads and removed by compaction.
//!
//! The engine has no clock. The caller says what time it is with
//! [`crate::Db::set_time`] (milliseconds on any clock it likes, recorded in
//! the trace), and the engine stamps each put with that time. A record is
//! *expired* once `now_ms - write_time_ms >= ttl_ms`; until a compaction
//! reaches it, an expired record still takes its space on storage.
//!
//! The write time, not the expiry time, is stored, so `ttl_ms` may change
//! between opens and applies to everything written before. Whether values
//! carry write times is fixed when the database is created (the manifest's
//! write-times flag): opening a database written with TTL without it, or
//! one written without TTL with it, is refused.

use crate::batch::{BatchOp, WriteBatch};
use crate::error::{Error, Result};
use crate::record::MAX_VALUE_BYTES;

/// Bytes of the write time in front of a timed value.
pub const WRITE_TIME_BYTES: usize = 8;

/// The longest value a database with TTL accepts from the caller: what is
/// left of [`MAX_VALUE_BYTES`] after the write time.
pub const MAX_TIMED_VALUE_BYTES: usize = MAX_VALUE_BYTES - WRITE_TIME_BYTES;

/// A value as a database with TTL stores it: in the log, the memtable and
/// the tables alike.
///
/// ## Format
/// - write time: u64 LE, milliseconds, the time [`crate::Db::set_time`]
///   last set when the put was written
/// - value: the caller's bytes, the rest of the stored value, at most
///   [`MAX_TIMED_VALUE_BYTES`]
///
/// Tombstones carry no value and no write time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedValue<'a> {
    /// When the value was written.
    pub write_time_ms: u64,
    /// The caller's value.
    pub value: &'a [u8],
}

impl<'a> TimedValue<'a> {
    /// The stored bytes of `value` written at `write_time_ms`.
    pub fn encode(write_time_ms: u64, value: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(WRITE_TIME_BYTES + value.len());
        out.extend_from_slice(&write_time_ms.to_le_bytes());
        out.extend_from_slice(value);
        out
    }

    /// Splits stored bytes into write time and value; `None` when they are
    /// shorter than a write time or longer than the format allows.
    pub fn decode(stored: &'a [u8]) -> Option<Self> {
        if stored.len() > MAX_VALUE_BYTES {
            return None;
        }
        let (time, value) = stored.split_first_chunk::<WRITE_TIME_BYTES>()?;
        Some(TimedValue {
            write_time_ms: u64::from_le_bytes(*time),
            value,
        })
    }

    /// Like [`Self::decode`], with a malformed value reported as
    /// corruption of `file` (a table's name, or where else it was read).
    pub fn decode_in(stored: &'a [u8], file: &str) -> Result<Self> {
        Self::decode(stored).ok_or_else(|| {
            Error::corruption(
                file,
                0,
                format!(
                    "a value of {} bytes cannot hold its {WRITE_TIME_BYTES}-byte write time",
                    stored.len()
                ),
            )
        })
    }

    /// Whether the value has outlived `ttl_ms` at `now_ms`. A write time
    /// after `now_ms` (the caller's clock went back) counts as age 0.
    pub fn is_expired(&self, now_ms: u64, ttl_ms: u64) -> bool {
        is_expired(self.write_time_ms, now_ms, ttl_ms)
    }
}

/// Whether a record written at `write_time_ms` has outlived `ttl_ms` at
/// `now_ms`: it is visible while younger than the TTL.
pub fn is_expired(write_time_ms: u64, now_ms: u64, ttl_ms: u64) -> bool {
    now_ms.saturating_sub(write_time_ms) >= ttl_ms
}

/// The time-to-live policy of a read or a compaction: the TTL and the time
/// it is applied at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    /// Records this old or older are expired.
    pub ttl_ms: u64,
    /// The caller's time.
    pub now_ms: u64,
}

impl Expiry {
    /// The policy of `ttl_ms` (none without TTL) at `now_ms`.
    pub fn new(ttl_ms: Option<u64>, now_ms: u64) -> Option<Self> {
        ttl_ms.map(|ttl_ms| Expiry { ttl_ms, now_ms })
    }

    /// The caller's value of a stored put, or `None` when it has expired.
    /// `file` names where it was read, for a corruption error.
    pub fn live_value<'a>(&self, stored: &'a [u8], file: &str) -> Result<Option<&'a [u8]>> {
        let timed = TimedValue::decode_in(stored, file)?;
        Ok((!timed.is_expired(self.now_ms, self.ttl_ms)).then_some(timed.value))
    }
}

/// `batch` with every put's value stamped with `now_ms`. A value longer
/// than [`MAX_TIMED_VALUE_BYTES`] is refused.
pub(crate) fn stamp(batch: &WriteBatch, now_ms: u64) -> Result<WriteBatch> {
    let mut stamped = WriteBatch::new();
    for op in batch.ops() {
        match op {
            BatchOp::Put { key, value } => {
                if value.len() > MAX_TIMED_VALUE_BYTES {
                    return Err(Error::ValueTooLarge {
                        len: value.len(),
                        max: MAX_TIMED_VALUE_BYTES,
                    });
                }
                stamped.put(key, TimedValue::encode(now_ms, value));
            }
            BatchOp::Delete { key } => {
                stamped.delete(key);
            }
            BatchOp::DeleteRange { start, end } => {
                stamped.delete_range(start, end);
            }
        }
    }
    Ok(stamped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timed_value_round_trips() {
        let stored = TimedValue::encode(1234, b"abc");
        assert_eq!(stored.len(), WRITE_TIME_BYTES + 3);
        let timed = TimedValue::decode(&stored);
        assert_eq!(
            timed,
            Some(TimedValue {
                write_time_ms: 1234,
                value: b"abc"
            })
        );
    }

    #[test]
    fn a_value_shorter_than_a_write_time_is_corruption() {
        assert_eq!(TimedValue::decode(&[1, 2, 3]), None);
        assert!(TimedValue::decode_in(&[1, 2, 3], "000005.sst").is_err_and(|e| e.is_corruption()));
    }

    #[test]
    fn a_record_expires_when_its_age_reaches_the_ttl() {
        assert!(!is_expired(1000, 1999, 1000));
        assert!(is_expired(1000, 2000, 1000));
        // A clock that went back makes nothing older.
        assert!(!is_expired(5000, 1000, 1000));
        let expiry = Expiry::new(Some(100), 250);
        let young = TimedValue::encode(200, b"v");
        let old = TimedValue::encode(100, b"v");
        assert_eq!(
            expiry.map(|e| e.live_value(&young, "x").ok()),
            Some(Some(Some(&b"v"[..])))
        );
        assert_eq!(
            expiry.map(|e| e.live_value(&old, "x").ok()),
            Some(Some(None))
        );
        assert_eq!(Expiry::new(None, 250), None);
    }
}
