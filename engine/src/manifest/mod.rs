//! The manifest: the durable history of which tables are live.
//!
//! A manifest is a log (same format as the write-ahead log, see
//! [`crate::wal`]) whose records are [`VersionEdit`]s. The first edit of a
//! manifest describes the whole tree; each later one describes a flush or a
//! compaction. CURRENT names the live manifest. To replace a manifest that
//! has grown, the engine writes a new one starting from a snapshot of the
//! current version and then switches CURRENT to it in one atomic rename.

mod current;
mod edit;
mod version;

use std::collections::BTreeMap;

use strata_storage::Storage;

pub use current::{read_current, set_current};
pub use edit::VersionEdit;
pub use version::{Version, NUM_LEVELS};

use crate::error::{Error, IoContext, Result};
use crate::filename::manifest_name;
use crate::record::SeqNo;
use crate::wal::{LogReader, LogWriter};

/// Appends version edits to a manifest, syncing each one.
#[derive(Debug)]
pub struct ManifestWriter {
    log: LogWriter,
}

impl ManifestWriter {
    /// Creates manifest `file_number` holding `base` as its first edit,
    /// syncs it, then points CURRENT at it. `base` should describe the whole
    /// version and carry the log number, next file number and last sequence
    /// number, since replay starts from an empty version. The previous
    /// manifest is left for the caller to delete.
    pub fn create(storage: &dyn Storage, file_number: u64, base: &VersionEdit) -> Result<Self> {
        let name = manifest_name(file_number);
        let file = storage.create(&name).ctx(&name)?;
        let mut log = LogWriter::new(file, file_number).with_name(name);
        log.add_record(&base.encode())?;
        log.sync()?;
        set_current(storage, file_number)?;
        Ok(Self { log })
    }

    /// Continues manifest `file_number`, which must be intact (for a copy of
    /// a live database's storage).
    pub fn reopen(storage: &dyn Storage, file_number: u64) -> Result<Self> {
        let name = manifest_name(file_number);
        let file = storage.open_append(&name).ctx(&name)?;
        Ok(Self {
            log: LogWriter::new(file, file_number).with_name(name),
        })
    }

    /// Appends `edit` and syncs: the edit is durable when this returns.
    pub fn append(&mut self, edit: &VersionEdit) -> Result<()> {
        self.log.add_record(&edit.encode())?;
        self.log.sync()
    }

    /// The manifest's file number.
    pub fn file_number(&self) -> u64 {
        self.log.file_number()
    }

    /// The manifest's length in bytes.
    pub fn size_bytes(&self) -> u64 {
        self.log.len()
    }
}

/// What replaying a manifest recovered.
#[derive(Clone, Debug)]
pub struct RecoveredManifest {
    /// The live tables.
    pub version: Version,
    /// Logs numbered below this hold nothing that is not in tables.
    pub log_number: u64,
    /// The next file number to hand out.
    pub next_file_number: u64,
    /// The last sequence number stored in tables (logs may hold later ones).
    pub last_seq: SeqNo,
    /// Edits applied.
    pub edits: u32,
    /// The latest compaction pointer of each level that has one, by level.
    pub compact_pointers: Vec<(u32, Vec<u8>)>,
    /// Whether every put's value begins with its write time (an edit set
    /// the write-times flag).
    pub write_times: bool,
    /// Whether a torn last edit was ignored. Appending after it would turn
    /// it into mid-log damage, so the caller starts a new manifest instead
    /// (or truncates this one to `valid_end`).
    pub torn_tail: bool,
    /// End of the last intact edit.
    pub valid_end: u64,
}

/// Rebuilds the version recorded in manifest `file_number`.
///
/// A torn last edit is ignored: it was never acknowledged. Damage before
/// intact edits, an edit that does not decode or does not apply, a
/// resulting version that breaks the tree's invariants, or a manifest that
/// never sets the log number, next file number or last sequence number is
/// [`Error::Corruption`] naming the manifest and the offset of the edit.
pub fn replay_manifest(storage: &dyn Storage, file_number: u64) -> Result<RecoveredManifest> {
    let name = manifest_name(file_number);
    if !storage.exists(&name).ctx(&name)? {
        return Err(Error::corruption(
            &name,
            0,
            "the manifest CURRENT names does not exist",
        ));
    }
    let mut reader = LogReader::new(storage.open(&name).ctx(&name)?, name.clone());
    let mut version = Version::default();
    let (mut log_number, mut next_file_number, mut last_seq) = (None, None, None);
    let mut pointers = BTreeMap::new();
    let mut edits = 0u32;
    let mut write_times = false;
    while let Some(record) = reader.read_record()? {
        let offset = reader.last_record_offset();
        let bad =
            |reason: String| Error::corruption(&name, offset, format!("version edit: {reason}"));
        let edit = VersionEdit::decode(&record).map_err(bad)?;
        if let Some(n) = edit.tiered_levels {
            version = version.with_tiered_levels(n as usize);
        }
        version = version.apply(&edit).map_err(bad)?;
        version.check_invariants().map_err(bad)?;
        log_number = edit.log_number.or(log_number);
        next_file_number = edit.next_file_number.or(next_file_number);
        last_seq = edit.last_seq.or(last_seq);
        pointers.extend(edit.compact_pointers);
        write_times = edit.write_times.unwrap_or(write_times);
        edits = edits.saturating_add(1);
    }
    let missing = |what: &str| {
        Error::corruption(
            &name,
            reader.valid_end(),
            format!("no edit sets the {what}"),
        )
    };
    let log_number = log_number.ok_or_else(|| missing("log number"))?;
    let next_file_number = next_file_number.ok_or_else(|| missing("next file number"))?;
    let last_seq = last_seq.ok_or_else(|| missing("last sequence number"))?;
    if let Some(&newest) = version.live_files().last() {
        if newest >= next_file_number {
            let reason =
                format!("live table {newest} is not below the next file number {next_file_number}");
            return Err(Error::corruption(&name, reader.valid_end(), reason));
        }
    }
    Ok(RecoveredManifest {
        version,
        log_number,
        next_file_number,
        last_seq,
        edits,
        compact_pointers: pointers.into_iter().collect(),
        write_times,
        torn_tail: reader.torn_tail(),
        valid_end: reader.valid_end(),
    })
}

#[cfg(test)]
mod tests;
