//! Snapshots: a pinned sequence number and the reads that respect it.

use std::ops::RangeBounds;
use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::{lock, DbInner, Scan};
use crate::error::Result;
use crate::record::SeqNo;

/// A consistent, unchanging view of the database as of the moment it was
/// taken. While a snapshot lives, the versions it sees are kept. With a
/// time to live, the snapshot also keeps the time it was taken at: what it
/// sees does not expire under it.
pub struct Snapshot {
    inner: Arc<DbInner>,
    seq: SeqNo,
    /// The database's time when the snapshot was taken.
    now_ms: u64,
}

impl Snapshot {
    pub(super) fn new(inner: Arc<DbInner>) -> Self {
        let (seq, now_ms) = {
            let mut state = lock(&inner.state);
            let seq = state.last_seq;
            *state.snapshots.entry(seq).or_insert(0) += 1;
            (seq, inner.now_ms.load(Ordering::Acquire))
        };
        Self { inner, seq, now_ms }
    }

    /// A handle on `seq` at `now_ms`, which the caller has registered in
    /// the state.
    pub(super) fn registered(inner: Arc<DbInner>, seq: SeqNo, now_ms: u64) -> Self {
        Self { inner, seq, now_ms }
    }

    /// The time the snapshot reads at (the database's time when it was
    /// taken).
    pub fn time_ms(&self) -> u64 {
        self.now_ms
    }

    /// The sequence number the snapshot sees up to.
    pub fn seq(&self) -> SeqNo {
        self.seq
    }

    /// The value of `key` as of the snapshot.
    pub fn get(&self, key: impl AsRef<[u8]>) -> Result<Option<Vec<u8>>> {
        let view = self.inner.read_view(Some((self.seq, self.now_ms)));
        self.inner.get(key.as_ref(), &view)
    }

    /// The live keys in `range` as of the snapshot.
    pub fn scan<K: AsRef<[u8]>>(&self, range: impl RangeBounds<K>) -> Result<Scan> {
        let view = self.inner.read_view(Some((self.seq, self.now_ms)));
        Scan::new(&self.inner, view, range)
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let mut state = lock(&self.inner.state);
        if let Some(count) = state.snapshots.get_mut(&self.seq) {
            *count -= 1;
            if *count == 0 {
                state.snapshots.remove(&self.seq);
            }
        }
    }
}
