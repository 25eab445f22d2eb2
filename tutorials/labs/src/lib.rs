//! # Strata labs
//!
//! Eight labs, one per core idea of the engine, each tied to its chapter.
//! In every lab the student fills in the functions of one file in
//! `src/student/`; the tests in `tests/<lab>.rs` grade it, and where the
//! engine has a seam for it, [`plug`] runs the student's code inside the
//! real engine (its scenes and a model test against a `BTreeMap`).
//!
//! | module | chapter | the student writes |
//! |---|---|---|
//! | [`skiplist`] | 03 memtable | insert, seek and iteration of an arena skiplist with seeded heights |
//! | [`wal`] | 04 WAL | the 32 KiB block log format: writer and reader, torn tail vs damage |
//! | [`block`] | 05 SSTable | a block builder with prefix compression and restarts; seek |
//! | [`bloom`] | 06 bloom | a bloom filter with double hashing |
//! | [`merge`] | 07 read path | the k-way merging iterator, forward and backward |
//! | [`picking`] | 09 leveled compaction | level choice, round-robin pointer, level-0 overlap |
//! | [`fates`] | 10 tombstones | the fate of one record in a compaction |
//! | [`snapshots`] | 13 snapshots | which version a reader at a sequence number sees |
//!
//! Teacher's copy: `--features reference` builds the reference solutions
//! in `src/reference/` (the engine's own code where it fits) instead of
//! the student files, which proves every lab can be solved;
//! `make-starter.sh` makes the students' copy without them.
//!
//! `cargo test -p strata-labs --no-fail-fast` grades the student files,
//! and `cargo run -p strata-labs --bin grade` prints a score per lab.

#[cfg_attr(feature = "reference", path = "reference/skiplist.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/skiplist.rs")]
pub mod skiplist;

#[cfg_attr(feature = "reference", path = "reference/wal.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/wal.rs")]
pub mod wal;

#[cfg_attr(feature = "reference", path = "reference/block.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/block.rs")]
pub mod block;

#[cfg_attr(feature = "reference", path = "reference/bloom.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/bloom.rs")]
pub mod bloom;

#[cfg_attr(feature = "reference", path = "reference/merge.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/merge.rs")]
pub mod merge;

#[cfg_attr(feature = "reference", path = "reference/picking.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/picking.rs")]
pub mod picking;

#[cfg_attr(feature = "reference", path = "reference/fates.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/fates.rs")]
pub mod fates;

#[cfg_attr(feature = "reference", path = "reference/snapshots.rs")]
#[cfg_attr(not(feature = "reference"), path = "student/snapshots.rs")]
pub mod snapshots;

pub mod grading;
pub mod plug;
pub mod probe;
