//! Write batches: several puts, deletes and range deletes applied
//! atomically.

use crate::coding::{put_u32, put_u64, Decoder};
use crate::error::{Error, Result};
use crate::record::{SeqNo, ValueKind, MAX_KEY_BYTES, MAX_SEQNO, MAX_VALUE_BYTES};

/// The largest encoded batch accepted, in bytes. One batch is one
/// write-ahead log record, so this is also the bound on log records.
pub const MAX_BATCH_BYTES: usize = 64 << 20;

/// Encoded size of the batch header: first sequence number and count.
const HEADER_BYTES: usize = 8 + 4;
/// Encoded size of the smallest operation: a delete of an empty key.
const MIN_OP_BYTES: usize = 1 + 4;
/// The kind byte of a range delete in the log (after the [`ValueKind`]
/// bytes 0 and 1).
const RANGE_DELETE_KIND: u8 = 2;

/// One operation in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchOp {
    /// Set `key` to `value`.
    Put {
        /// The user key.
        key: Vec<u8>,
        /// The new value.
        value: Vec<u8>,
    },
    /// Delete `key`.
    Delete {
        /// The user key.
        key: Vec<u8>,
    },
    /// Delete every key of `[start, end)` with one range tombstone
    /// (`start < end`).
    DeleteRange {
        /// First key deleted.
        start: Vec<u8>,
        /// First key after the range.
        end: Vec<u8>,
    },
}

impl BatchOp {
    /// The key the operation writes (a range delete's start).
    pub fn key(&self) -> &[u8] {
        match self {
            BatchOp::Put { key, .. } | BatchOp::Delete { key } => key,
            BatchOp::DeleteRange { start, .. } => start,
        }
    }

    /// Put or delete (a range delete deletes).
    pub fn kind(&self) -> ValueKind {
        match self {
            BatchOp::Put { .. } => ValueKind::Put,
            BatchOp::Delete { .. } | BatchOp::DeleteRange { .. } => ValueKind::Delete,
        }
    }

    /// The value written (empty for a delete; a range delete's end key).
    pub fn value(&self) -> &[u8] {
        match self {
            BatchOp::Put { value, .. } => value,
            BatchOp::Delete { .. } => &[],
            BatchOp::DeleteRange { end, .. } => end,
        }
    }

    /// The kind byte in the log.
    fn kind_byte(&self) -> u8 {
        match self {
            BatchOp::Put { .. } => ValueKind::Put as u8,
            BatchOp::Delete { .. } => ValueKind::Delete as u8,
            BatchOp::DeleteRange { .. } => RANGE_DELETE_KIND,
        }
    }

    fn encoded_bytes(&self) -> usize {
        match self {
            BatchOp::Put { .. } | BatchOp::DeleteRange { .. } => {
                MIN_OP_BYTES + self.key().len() + 4 + self.value().len()
            }
            BatchOp::Delete { key } => MIN_OP_BYTES + key.len(),
        }
    }
}

/// Puts, deletes and range deletes that become visible together: the batch
/// is one write-ahead log record, and operation `i` gets sequence number
/// `first_seq + i`, so a later operation on the same key wins. A range
/// delete is one operation with one sequence number, however many keys it
/// covers.
///
/// ## Format
/// - first_seq: u64 LE, sequence number of the first operation
/// - count: u32 LE, number of operations
/// - count times:
///   - kind: u8 (0 = delete, 1 = put, 2 = range delete)
///   - key_len: u32 LE (at most [`MAX_KEY_BYTES`]), then key_len bytes of
///     key (a range delete's start)
///   - puts only: value_len: u32 LE (at most [`MAX_VALUE_BYTES`]), then
///     value_len bytes of value
///   - range deletes only: end_len: u32 LE (at most [`MAX_KEY_BYTES`]), then
///     end_len bytes of the end key, which must be above the start
///
/// Logs written before range deletes existed hold only kinds 0 and 1 and
/// read unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteBatch {
    ops: Vec<BatchOp>,
    /// Encoded size of `ops`, kept up to date as operations are added.
    ops_bytes: usize,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a put of `key` = `value`.
    pub fn put(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) -> &mut Self {
        self.push(BatchOp::Put {
            key: key.as_ref().to_vec(),
            value: value.as_ref().to_vec(),
        })
    }

    /// Adds a delete of `key`.
    pub fn delete(&mut self, key: impl AsRef<[u8]>) -> &mut Self {
        self.push(BatchOp::Delete {
            key: key.as_ref().to_vec(),
        })
    }

    /// Adds a delete of every key in `[start, end)`: one range tombstone.
    /// An empty range (`start >= end`) deletes nothing and adds nothing.
    pub fn delete_range(&mut self, start: impl AsRef<[u8]>, end: impl AsRef<[u8]>) -> &mut Self {
        let (start, end) = (start.as_ref(), end.as_ref());
        if start >= end {
            return self;
        }
        self.push(BatchOp::DeleteRange {
            start: start.to_vec(),
            end: end.to_vec(),
        })
    }

    fn push(&mut self, op: BatchOp) -> &mut Self {
        self.ops_bytes = self.ops_bytes.saturating_add(op.encoded_bytes());
        self.ops.push(op);
        self
    }

    /// Number of operations.
    pub fn len(&self) -> usize {
        self.ops.len()
    }

    /// Whether the batch holds no operations.
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The operations in the order they were added.
    pub fn ops(&self) -> &[BatchOp] {
        &self.ops
    }

    /// Removes every operation.
    pub fn clear(&mut self) {
        self.ops.clear();
        self.ops_bytes = 0;
    }

    /// Sum of key and value lengths, for statistics.
    pub fn user_bytes(&self) -> u64 {
        self.ops
            .iter()
            .map(|op| (op.key().len() + op.value().len()) as u64)
            .sum()
    }

    /// Length of [`Self::encode`]'s output.
    pub fn encoded_bytes(&self) -> usize {
        HEADER_BYTES.saturating_add(self.ops_bytes)
    }

    /// Checks the limits: every key within [`MAX_KEY_BYTES`], every value
    /// within [`MAX_VALUE_BYTES`], the encoding within [`MAX_BATCH_BYTES`].
    pub fn validate(&self) -> Result<()> {
        for op in &self.ops {
            let key = op.key().len();
            let end = match op {
                BatchOp::DeleteRange { end, .. } => end.len(),
                _ => 0,
            };
            if key.max(end) > MAX_KEY_BYTES {
                return Err(Error::KeyTooLarge {
                    len: key.max(end),
                    max: MAX_KEY_BYTES,
                });
            }
            let value = op.value().len();
            if value > MAX_VALUE_BYTES {
                return Err(Error::ValueTooLarge {
                    len: value,
                    max: MAX_VALUE_BYTES,
                });
            }
        }
        let len = self.encoded_bytes();
        if len > MAX_BATCH_BYTES {
            return Err(Error::BatchTooLarge {
                len,
                max: MAX_BATCH_BYTES,
            });
        }
        Ok(())
    }

    /// The log record for this batch, its first operation numbered
    /// `first_seq`. Call [`Self::validate`] first: lengths beyond the limits
    /// do not decode.
    pub fn encode(&self, first_seq: SeqNo) -> Vec<u8> {
        Self::encode_group(&[self], first_seq)
    }

    /// One log record for several batches applied together (a group
    /// commit): the operations of all of them in order, the first numbered
    /// `first_seq`. The format is [`Self::encode`]'s, so recovery replays a
    /// group whole or not at all, like one batch. The caller keeps the sum
    /// of [`Self::encoded_bytes`] within [`MAX_BATCH_BYTES`].
    pub fn encode_group(batches: &[&WriteBatch], first_seq: SeqNo) -> Vec<u8> {
        let ops_bytes: usize = batches.iter().map(|b| b.ops_bytes).sum();
        let count: usize = batches.iter().map(|b| b.ops.len()).sum();
        let mut out = Vec::with_capacity(HEADER_BYTES.saturating_add(ops_bytes));
        put_u64(&mut out, first_seq);
        put_u32(&mut out, u32::try_from(count).unwrap_or(u32::MAX));
        for op in batches.iter().flat_map(|b| &b.ops) {
            out.push(op.kind_byte());
            put_len_prefixed(&mut out, op.key());
            if let BatchOp::Put { .. } | BatchOp::DeleteRange { .. } = op {
                put_len_prefixed(&mut out, op.value());
            }
        }
        out
    }

    /// Decodes a log record made by [`Self::encode`]: the first sequence
    /// number and the operations. Malformed bytes are
    /// [`Error::Corruption`] naming `file` and the record's `offset`.
    pub fn decode(payload: &[u8], file: &str, offset: u64) -> Result<(SeqNo, Vec<BatchOp>)> {
        let bad =
            |reason: String| Error::corruption(file, offset, format!("write batch: {reason}"));
        let mut d = Decoder::new(payload);
        let (Some(first_seq), Some(count)) = (d.u64(), d.u32()) else {
            return Err(bad(format!("header cut short ({} bytes)", payload.len())));
        };
        let count = count as usize;
        if count > d.remaining() / MIN_OP_BYTES {
            return Err(bad(format!(
                "{count} operations cannot fit in {} bytes",
                d.remaining()
            )));
        }
        if count as u64 > (MAX_SEQNO + 1).saturating_sub(first_seq) {
            return Err(bad(format!(
                "{count} operations from sequence {first_seq} overflow"
            )));
        }
        let mut ops = Vec::with_capacity(count);
        for i in 0..count {
            let op = decode_op(&mut d)
                .map_err(|e| bad(format!("operation {i} at byte {}: {e}", d.position())))?;
            ops.push(op);
        }
        if !d.is_empty() {
            return Err(bad(format!(
                "{} bytes after the last operation",
                d.remaining()
            )));
        }
        Ok((first_seq, ops))
    }
}

fn put_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    put_u32(out, u32::try_from(bytes.len()).unwrap_or(u32::MAX));
    out.extend_from_slice(bytes);
}

fn decode_op(d: &mut Decoder<'_>) -> Result<BatchOp, String> {
    let kind_byte = d.u8().ok_or("cut short before the kind")?;
    if kind_byte == RANGE_DELETE_KIND {
        let start = len_prefixed(d, MAX_KEY_BYTES, "range start")?;
        let end = len_prefixed(d, MAX_KEY_BYTES, "range end")?;
        if start >= end {
            return Err("a range delete whose end is not above its start".into());
        }
        return Ok(BatchOp::DeleteRange { start, end });
    }
    let kind =
        ValueKind::from_byte(kind_byte).ok_or_else(|| format!("unknown kind {kind_byte}"))?;
    let key = len_prefixed(d, MAX_KEY_BYTES, "key")?;
    Ok(match kind {
        ValueKind::Delete => BatchOp::Delete { key },
        ValueKind::Put => BatchOp::Put {
            key,
            value: len_prefixed(d, MAX_VALUE_BYTES, "value")?,
        },
    })
}

fn len_prefixed(d: &mut Decoder<'_>, max: usize, what: &str) -> Result<Vec<u8>, String> {
    let len = d
        .u32()
        .ok_or_else(|| format!("cut short before the {what} length"))? as usize;
    if len > max {
        return Err(format!(
            "{what} of {len} bytes exceeds the maximum of {max}"
        ));
    }
    let bytes = d
        .bytes(len)
        .ok_or_else(|| format!("{what} of {len} bytes cut short"))?;
    Ok(bytes.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "000003.log";

    fn sample() -> WriteBatch {
        let mut batch = WriteBatch::new();
        batch
            .put("apple", "red")
            .delete("banana")
            .put("", "")
            .put("cherry", vec![0u8; 300]);
        batch
    }

    #[test]
    fn a_range_delete_is_one_operation_that_round_trips() -> Result<()> {
        let mut batch = sample();
        batch
            .delete_range("b", "d")
            .delete_range("x", "x")
            .delete_range("z", "a");
        assert_eq!(batch.len(), 5, "empty ranges add nothing");
        let bytes = batch.encode(7);
        assert_eq!(bytes.len(), batch.encoded_bytes());
        let (first_seq, ops) = WriteBatch::decode(&bytes, FILE, 0)?;
        assert_eq!(first_seq, 7);
        assert_eq!(
            ops.last(),
            Some(&BatchOp::DeleteRange {
                start: b"b".to_vec(),
                end: b"d".to_vec()
            })
        );
        assert_eq!(ops, batch.ops());
        Ok(())
    }

    #[test]
    fn logs_without_range_deletes_keep_their_encoding() {
        // The bytes of a put and a delete, as written before range deletes.
        let mut old = Vec::new();
        put_u64(&mut old, 3);
        put_u32(&mut old, 2);
        old.push(1);
        put_len_prefixed(&mut old, b"k");
        put_len_prefixed(&mut old, b"v");
        old.push(0);
        put_len_prefixed(&mut old, b"k");
        let mut batch = WriteBatch::new();
        batch.put("k", "v").delete("k");
        assert_eq!(batch.encode(3), old);
    }

    #[test]
    fn malformed_range_deletes_are_corruption() {
        let mut backwards = Vec::new();
        put_u64(&mut backwards, 1);
        put_u32(&mut backwards, 1);
        backwards.push(RANGE_DELETE_KIND);
        put_len_prefixed(&mut backwards, b"m");
        put_len_prefixed(&mut backwards, b"c");
        expect_corruption(&backwards);

        let mut long_end = Vec::new();
        put_u64(&mut long_end, 1);
        put_u32(&mut long_end, 1);
        long_end.push(RANGE_DELETE_KIND);
        put_len_prefixed(&mut long_end, b"a");
        put_u32(&mut long_end, (MAX_KEY_BYTES + 1) as u32);
        long_end.extend(vec![b'z'; MAX_KEY_BYTES + 1]);
        expect_corruption(&long_end);

        let mut batch = WriteBatch::new();
        batch.delete_range("a", vec![b'z'; MAX_KEY_BYTES + 1]);
        assert!(matches!(batch.validate(), Err(Error::KeyTooLarge { .. })));
        let bytes = WriteBatch::new().delete_range("a", "q").encode(5);
        for cut in 0..bytes.len() {
            expect_corruption(bytes.get(..cut).unwrap_or_default());
        }
    }

    #[test]
    fn batch_round_trips_with_its_first_sequence_number() -> Result<()> {
        let batch = sample();
        let bytes = batch.encode(41);
        assert_eq!(bytes.len(), batch.encoded_bytes());
        let (first_seq, ops) = WriteBatch::decode(&bytes, FILE, 0)?;
        assert_eq!(first_seq, 41);
        assert_eq!(ops, batch.ops());
        assert_eq!(ops.get(1).map(BatchOp::kind), Some(ValueKind::Delete));
        assert_eq!(ops.get(1).map(BatchOp::value), Some(&b""[..]));
        Ok(())
    }

    #[test]
    fn empty_batch_round_trips() -> Result<()> {
        let batch = WriteBatch::new();
        assert!(batch.is_empty());
        let (seq, ops) = WriteBatch::decode(&batch.encode(1), FILE, 0)?;
        assert_eq!((seq, ops.len()), (1, 0));
        Ok(())
    }

    #[test]
    fn user_bytes_counts_keys_and_values() {
        let mut batch = sample();
        assert_eq!(batch.user_bytes(), 5 + 3 + 6 + 6 + 300);
        assert_eq!(batch.len(), 4);
        batch.clear();
        assert_eq!(batch.user_bytes(), 0);
        assert_eq!(batch.encoded_bytes(), HEADER_BYTES);
    }

    #[test]
    fn limits_are_refused_with_the_matching_error() {
        let mut batch = WriteBatch::new();
        batch.put(vec![b'k'; MAX_KEY_BYTES], "v");
        assert!(batch.validate().is_ok());
        batch.delete(vec![b'k'; MAX_KEY_BYTES + 1]);
        assert!(
            matches!(batch.validate(), Err(Error::KeyTooLarge { len, .. }) if len == MAX_KEY_BYTES + 1)
        );

        let mut batch = WriteBatch::new();
        batch.put("k", vec![0u8; MAX_VALUE_BYTES + 1]);
        assert!(matches!(batch.validate(), Err(Error::ValueTooLarge { .. })));

        let mut batch = WriteBatch::new();
        for _ in 0..MAX_BATCH_BYTES / MAX_VALUE_BYTES {
            batch.put("k", vec![0u8; MAX_VALUE_BYTES]);
        }
        assert!(matches!(
            batch.validate(),
            Err(Error::BatchTooLarge {
                max: MAX_BATCH_BYTES,
                ..
            })
        ));
    }

    fn expect_corruption(bytes: &[u8]) {
        match WriteBatch::decode(bytes, FILE, 77) {
            Err(Error::Corruption { file, offset, .. }) => {
                assert_eq!((file.as_str(), offset), (FILE, 77))
            }
            other => panic!("expected corruption for {bytes:?}, got {other:?}"),
        }
    }

    #[test]
    fn truncated_batches_are_corruption() {
        let bytes = sample().encode(9);
        for cut in 0..bytes.len() {
            expect_corruption(bytes.get(..cut).unwrap_or_default());
        }
    }

    #[test]
    fn malformed_batches_are_corruption() {
        let mut huge_count = Vec::new();
        put_u64(&mut huge_count, 1);
        put_u32(&mut huge_count, u32::MAX);
        expect_corruption(&huge_count);

        let mut trailing = sample().encode(1);
        trailing.push(0);
        expect_corruption(&trailing);

        let mut bad_kind = WriteBatch::new().delete("k").encode(1);
        if let Some(kind) = bad_kind.get_mut(HEADER_BYTES) {
            *kind = 9;
        }
        expect_corruption(&bad_kind);

        let mut long_key = Vec::new();
        put_u64(&mut long_key, 1);
        put_u32(&mut long_key, 1);
        long_key.push(0);
        put_u32(&mut long_key, u32::MAX);
        expect_corruption(&long_key);

        expect_corruption(
            &WriteBatch::new()
                .put("a", "b")
                .put("c", "d")
                .encode(MAX_SEQNO),
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut rng = crate::rng::SeededRng::new(11);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            let _ = WriteBatch::decode(&bytes, FILE, 0);
        }
    }
}
