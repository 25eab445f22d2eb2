//! Live data: the logical contents of the database (key → bytes of key and
//! value), kept beside the engine so that space amplification can be shown
//! after every operation without scanning the tree.

use std::collections::BTreeMap;

use strata_engine::trace::{OpOutcome, TraceOp};
use strata_engine::{Db, Result};

/// Key and value bytes of every live key.
#[derive(Clone, Debug, Default)]
pub struct LiveData {
    sizes: BTreeMap<Vec<u8>, u64>,
    bytes: u64,
}

impl LiveData {
    /// The live data of `db` (one scan; empty for a new database).
    pub fn read(db: &Db) -> Result<Self> {
        let mut live = LiveData::default();
        for kv in db.scan::<&[u8]>(..)? {
            let (key, value) = kv?;
            live.set(key.clone(), Some(value.len()));
        }
        Ok(live)
    }

    fn set(&mut self, key: Vec<u8>, value_len: Option<usize>) {
        let new = value_len.map(|v| (key.len() + v) as u64);
        let old = match new {
            Some(n) => self.sizes.insert(key, n),
            None => self.sizes.remove(&key),
        };
        self.bytes = self.bytes - old.unwrap_or(0) + new.unwrap_or(0);
    }

    /// Follows a write that succeeded.
    pub fn apply(&mut self, op: &TraceOp, outcome: &OpOutcome) {
        if matches!(outcome, OpOutcome::Failed { .. }) {
            return;
        }
        match op {
            TraceOp::Put { key, value } => self.set(key.clone(), Some(value.len())),
            TraceOp::Delete { key } => self.set(key.clone(), None),
            TraceOp::Batch { entries } => {
                for e in entries {
                    self.set(e.key.clone(), e.value.as_ref().map(Vec::len));
                }
            }
            _ => {}
        }
    }

    /// Bytes of live keys and values.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }
}
