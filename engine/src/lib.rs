//! # Strata
//!
//! An LSM-tree key-value engine that reports every step it takes.
//!
//! All I/O goes through [`strata_storage::Storage`]; all randomness comes
//! from [`Options::seed`]. The same calls give the same results and the same
//! [`Event`]s natively and in the browser.

pub mod batch;
pub mod bloom;
pub mod coding;
pub mod compaction;
mod db;
pub mod error;
pub mod event;
pub mod filename;
pub mod iter;
mod key_prefix;
pub mod key_text;
#[cfg(feature = "labs")]
pub mod labs;
pub mod level_iter;
pub mod manifest;
pub mod memtable;
pub mod merge;
pub mod options;
pub mod range_tombstone;
pub mod record;
pub mod repair;
pub mod rng;
pub mod script;
pub mod sstable;
pub mod stats;
pub mod table_meta;
pub mod theory;
pub mod trace;
pub mod ttl;
pub mod wal;

pub use batch::{BatchOp, WriteBatch, MAX_BATCH_BYTES};
pub use db::{Db, Maintenance, Scan, Snapshot};
pub use error::{Error, Result};
pub use event::{Event, Job, Observer, TraceRecorder, Tracer};
pub use memtable::TowerView;
pub use options::{CompactionStrategy, Compression, MaintenanceMode, Options, WriteOptions};
pub use record::{SeqNo, ValueKind, MAX_KEY_BYTES, MAX_SEQNO, MAX_VALUE_BYTES};
pub use repair::{repair, RepairReport};
pub use stats::{LevelStats, Stats};
pub use table_meta::TableMeta;
