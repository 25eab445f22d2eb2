//! The range-deletion block: a table's range tombstones.

use crate::coding::{put_u32, put_u64, Decoder};
use crate::error::{Error, Result};
use crate::filename::table_name;
use crate::range_tombstone::RangeTombstone;
use crate::record::{MAX_KEY_BYTES, MAX_SEQNO};

/// Most range tombstones one table may hold.
pub const MAX_RANGE_TOMBSTONES_PER_TABLE: usize = 1 << 20;
/// Largest range-deletion block (stored or uncompressed) a reader accepts.
pub const MAX_RANGE_DEL_BLOCK_BYTES: usize = 64 << 20;
/// Encoded size of the smallest entry: sequence number and two empty
/// lengths.
const MIN_ENTRY_BYTES: usize = 8 + 4 + 4;

/// The range tombstones of one table, as stored in its range-deletion
/// block (located by the footer of a format-version-2 table; tables
/// without range tombstones have no such block and a version-1 footer).
/// The block is stored like every block, with a trailer of compression
/// type and checksum ([`super::StoredBlock`]).
///
/// ## Format
/// - count: u32 LE, at most [`MAX_RANGE_TOMBSTONES_PER_TABLE`]
/// - count times, sorted by (start, end, seq):
///   - seq: u64 LE, at most [`crate::MAX_SEQNO`]
///   - start_len: u32 LE, at most [`MAX_KEY_BYTES`], then start_len bytes
///     of the first key deleted
///   - end_len: u32 LE, at most [`MAX_KEY_BYTES`], then end_len bytes of
///     the first key after the range; the end is above the start
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RangeDelBlock {
    /// The tombstones, sorted.
    pub tombstones: Vec<RangeTombstone>,
}

impl RangeDelBlock {
    /// The encoding described on [`RangeDelBlock`] (the tombstones are
    /// sorted first).
    pub fn encode(&self) -> Vec<u8> {
        let mut sorted: Vec<&RangeTombstone> = self.tombstones.iter().collect();
        sorted.sort();
        let bytes: usize = sorted
            .iter()
            .map(|t| MIN_ENTRY_BYTES + t.start.len() + t.end.len())
            .sum();
        let mut out = Vec::with_capacity(4 + bytes);
        put_u32(&mut out, u32::try_from(sorted.len()).unwrap_or(u32::MAX));
        for t in sorted {
            put_u64(&mut out, t.seq);
            for key in [&t.start, &t.end] {
                put_u32(&mut out, u32::try_from(key.len()).unwrap_or(u32::MAX));
                out.extend_from_slice(key);
            }
        }
        out
    }

    /// Decodes the block of table `file_number` stored at `offset`.
    /// Anything malformed is [`Error::Corruption`].
    pub fn decode(contents: &[u8], file_number: u64, offset: u64) -> Result<Self> {
        let bad = |reason: String| {
            Error::corruption(
                table_name(file_number),
                offset,
                format!("range-deletion block: {reason}"),
            )
        };
        let mut d = Decoder::new(contents);
        let count = d
            .u32()
            .ok_or_else(|| bad("cut short before the count".into()))? as usize;
        if count > MAX_RANGE_TOMBSTONES_PER_TABLE || count > d.remaining() / MIN_ENTRY_BYTES {
            return Err(bad(format!(
                "{count} tombstones cannot fit in {} bytes",
                d.remaining()
            )));
        }
        let mut tombstones = Vec::with_capacity(count);
        for i in 0..count {
            let t = decode_entry(&mut d).map_err(|e| bad(format!("tombstone {i}: {e}")))?;
            tombstones.push(t);
        }
        if !d.is_empty() {
            return Err(bad(format!(
                "{} bytes after the last tombstone",
                d.remaining()
            )));
        }
        if tombstones.windows(2).any(|w| matches!(w, [a, b] if a > b)) {
            return Err(bad("tombstones out of order".into()));
        }
        Ok(Self { tombstones })
    }
}

fn decode_entry(d: &mut Decoder<'_>) -> std::result::Result<RangeTombstone, String> {
    let seq = d.u64().ok_or("cut short before the sequence number")?;
    if seq > MAX_SEQNO {
        return Err(format!("sequence number {seq} is beyond the maximum"));
    }
    let start = key(d, "start")?;
    let end = key(d, "end")?;
    if start >= end {
        return Err("the end is not above the start".into());
    }
    Ok(RangeTombstone { start, end, seq })
}

fn key(d: &mut Decoder<'_>, what: &str) -> std::result::Result<Vec<u8>, String> {
    let len = d
        .u32()
        .ok_or_else(|| format!("cut short before the {what} length"))? as usize;
    if len > MAX_KEY_BYTES {
        return Err(format!("{what} of {len} bytes exceeds {MAX_KEY_BYTES}"));
    }
    d.bytes(len)
        .map(<[u8]>::to_vec)
        .ok_or_else(|| format!("{what} of {len} bytes cut short"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> RangeDelBlock {
        RangeDelBlock {
            tombstones: vec![
                RangeTombstone::new(b"m".to_vec(), b"q".to_vec(), 9),
                RangeTombstone::new(b"a".to_vec(), b"c".to_vec(), 4),
                RangeTombstone::new(Vec::new(), b"\0".to_vec(), 1),
            ],
        }
    }

    #[test]
    fn block_round_trips_sorted() -> Result<()> {
        let block = sample();
        let decoded = RangeDelBlock::decode(&block.encode(), 7, 0)?;
        let mut sorted = block.tombstones.clone();
        sorted.sort();
        assert_eq!(decoded.tombstones, sorted);
        Ok(())
    }

    #[test]
    fn every_truncation_and_garbage_is_corruption() {
        let bytes = sample().encode();
        for cut in 0..bytes.len() {
            let got = RangeDelBlock::decode(bytes.get(..cut).unwrap_or_default(), 7, 40);
            assert!(
                matches!(got, Err(Error::Corruption { offset: 40, .. })),
                "cut at {cut}"
            );
        }
        let mut rng = crate::rng::SeededRng::new(5);
        for len in 0..300 {
            let junk: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            let _ = RangeDelBlock::decode(&junk, 7, 0);
        }
    }

    #[test]
    fn backwards_ranges_and_huge_counts_are_corruption() {
        let backwards = RangeDelBlock {
            tombstones: vec![RangeTombstone::new(b"z".to_vec(), b"a".to_vec(), 3)],
        };
        assert!(RangeDelBlock::decode(&backwards.encode(), 7, 0).is_err());
        let mut huge = Vec::new();
        put_u32(&mut huge, u32::MAX);
        assert!(RangeDelBlock::decode(&huge, 7, 0).is_err());
    }
}
