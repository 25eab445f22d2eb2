//! Write batches: several puts and deletes applied atomically.

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
}

impl BatchOp {
    /// The key the operation writes.
    pub fn key(&self) -> &[u8] {
        match self {
            BatchOp::Put { key, .. } | BatchOp::Delete { key } => key,
        }
    }

    /// Put or delete.
    pub fn kind(&self) -> ValueKind {
        match self {
            BatchOp::Put { .. } => ValueKind::Put,
            BatchOp::Delete { .. } => ValueKind::Delete,
        }
    }

    /// The value written (empty for a delete).
    pub fn value(&self) -> &[u8] {
        match self {
            BatchOp::Put { value, .. } => value,
            BatchOp::Delete { .. } => &[],
        }
    }

    fn encoded_bytes(&self) -> usize {
        match self {
            BatchOp::Put { key, value } => MIN_OP_BYTES + key.len() + 4 + value.len(),
            BatchOp::Delete { key } => MIN_OP_BYTES + key.len(),
        }
    }
}

/// Puts and deletes that become visible together: the batch is one
/// write-ahead log record, and record `i` gets sequence number
/// `first_seq + i`, so a later operation on the same key wins.
///
/// ## Format
/// - first_seq: u64 LE, sequence number of the first operation
/// - count: u32 LE, number of operations
/// - count times:
///   - kind: u8 ([`ValueKind`]: 0 = delete, 1 = put)
///   - key_len: u32 LE, then key_len bytes of key
///   - puts only: value_len: u32 LE, then value_len bytes of value
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
            if key > MAX_KEY_BYTES {
                return Err(Error::KeyTooLarge {
                    len: key,
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
            out.push(op.kind() as u8);
            put_len_prefixed(&mut out, op.key());
            if let BatchOp::Put { value, .. } = op {
                put_len_prefixed(&mut out, value);
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
