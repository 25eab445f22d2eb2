//! Compaction filters: a caller's rule, consulted as compaction rewrites
//! records, that keeps a record, removes it or changes its value.
//!
//! The filter sees the newest version of a key only, and only when no
//! snapshot can see that version (its sequence number is newer than every
//! live snapshot): what a snapshot reads never changes under it. Records
//! that are not compacted are not filtered, so reads see a record until a
//! compaction reaches it ([`crate::Db::compact_range`] reaches a whole
//! range at once).
//!
//! Removing is not dropping: an older version of the key may lie below the
//! compaction, or be kept in it for a snapshot, and would surface. So a
//! removed record becomes a tombstone at its own sequence number, unless
//! nothing older can exist (no live snapshot and no table below the output
//! covering the key), in which case it is dropped.
//!
//! Time to live ([`crate::ttl`]) is applied on the same path, before the
//! caller's filter: an expired record is removed (reason
//! [`FilterReason::Expired`]) under the same rule, and the caller's filter
//! sees only records that have not expired, without their write time.
//!
//! Filters are code, not data: [`crate::Options`] carries one but does not
//! serialise it, so a trace replays without it.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// What a filter decides for one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterDecision {
    /// Write the record unchanged.
    Keep,
    /// The key is gone from here on.
    Remove,
    /// Write the record with this value instead.
    ChangeValue(Vec<u8>),
}

/// A caller's compaction filter.
pub trait CompactionFilter: Send + Sync {
    /// A name for traces and debugging.
    fn name(&self) -> &str;
    /// The decision for `key` holding `value`, met while compacting
    /// `level` (the level being compacted, not the output level).
    fn filter(&self, level: u32, key: &[u8], value: &[u8]) -> FilterDecision;
}

/// The filter slot of [`crate::Options`]: none by default. Two slots are
/// equal when both are empty or both hold the same filter object.
#[derive(Clone, Default)]
pub struct FilterSlot(pub Option<Arc<dyn CompactionFilter>>);

impl FilterSlot {
    /// A slot holding `filter`.
    pub fn new(filter: Arc<dyn CompactionFilter>) -> Self {
        Self(Some(filter))
    }
}

impl PartialEq for FilterSlot {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (None, None) => true,
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl fmt::Debug for FilterSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(filter) => write!(f, "FilterSlot({})", filter.name()),
            None => f.write_str("FilterSlot(none)"),
        }
    }
}

/// What a filter did to a record, as shown in events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterOutcome {
    /// Removed, and dropped: nothing older could surface.
    Dropped,
    /// Removed, and written as a tombstone over older versions.
    Tombstoned,
    /// Written with the value the filter gave.
    ValueChanged,
}

/// Why a record was filtered, as shown in events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FilterReason {
    /// The caller's [`CompactionFilter`] decided.
    #[default]
    Filter,
    /// The record outlived [`crate::Options::ttl_ms`] at the time the
    /// compaction ran ([`crate::ttl`]).
    Expired,
}
