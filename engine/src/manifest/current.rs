//! The CURRENT file: which manifest is live.
//!
//! ## Format
//! The live manifest's file name followed by a newline, e.g.
//! `MANIFEST-000002\n`. It is replaced atomically, so it always names a
//! manifest that was completely written and synced.

use strata_storage::Storage;

use crate::error::{Error, IoContext, Result};
use crate::filename::{self, manifest_name, FileKind, CURRENT};

/// CURRENT is one short line; anything longer is not ours.
const MAX_CURRENT_BYTES: u64 = 64;

/// The number of the manifest CURRENT names; `None` if there is no CURRENT.
/// Content that is not a manifest name and a newline is corruption.
pub fn read_current(storage: &dyn Storage) -> Result<Option<u64>> {
    if !storage.exists(CURRENT).ctx(CURRENT)? {
        return Ok(None);
    }
    let len = storage.len(CURRENT).ctx(CURRENT)?;
    if len > MAX_CURRENT_BYTES {
        return Err(Error::corruption(
            CURRENT,
            0,
            format!("{len} bytes is too long"),
        ));
    }
    let bytes = strata_storage::read_all(storage, CURRENT).ctx(CURRENT)?;
    let malformed = || {
        Error::corruption(
            CURRENT,
            0,
            format!("not a manifest name: {:?}", String::from_utf8_lossy(&bytes)),
        )
    };
    let name = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|s| s.strip_suffix('\n'))
        .ok_or_else(malformed)?;
    match filename::parse(name) {
        Some(FileKind::Manifest(number)) if manifest_name(number) == name => Ok(Some(number)),
        _ => Err(malformed()),
    }
}

/// Atomically points CURRENT at manifest `manifest_file_number` (written
/// through a temporary file, synced, renamed, directory synced).
pub fn set_current(storage: &dyn Storage, manifest_file_number: u64) -> Result<()> {
    let content = format!("{}\n", manifest_name(manifest_file_number));
    strata_storage::write_atomic(storage, CURRENT, content.as_bytes()).ctx(CURRENT)
}
