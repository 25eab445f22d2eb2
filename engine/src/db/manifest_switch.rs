//! Rewriting the manifest while the database runs. Every flush and
//! compaction appends an edit, so a long-lived database's manifest grows
//! without bound (and replaying it at the next open takes ever longer).
//! Once it passes a size, a fresh manifest holding one edit — the whole
//! current version — replaces it: created and synced, then made current by
//! the atomic rename of `CURRENT`, and only then is the old one deleted.
//! A crash at any point leaves `CURRENT` naming a complete manifest.

use super::{DbInner, State};
use crate::error::Result;
use crate::filename::manifest_name;
use crate::manifest::ManifestWriter;

/// A manifest is rewritten once it is larger than this and than
/// [`GROWTH_FACTOR`] times the version it describes.
pub const MANIFEST_REWRITE_MIN_BYTES: u64 = 64 << 10;
/// How many times the size of a fresh manifest an old one may reach.
pub const GROWTH_FACTOR: u64 = 4;

impl DbInner {
    /// Rewrites the manifest if it has grown past its limits (see the
    /// module docs). Called after an edit is applied, with the log number
    /// that edit recorded: only then is the log number the new manifest
    /// must carry known exactly (a flush's edit records it; a compaction's
    /// does not, and the next flush's edit will). An older log number
    /// would name a log the flush is about to delete, which a damaged next
    /// edit would then report as missing.
    pub(super) fn maybe_rewrite_manifest(
        &self,
        state: &mut State,
        log_number: Option<u64>,
    ) -> Result<()> {
        let size = state.manifest.size_bytes();
        let Some(log_number) = log_number else {
            return Ok(());
        };
        if size <= MANIFEST_REWRITE_MIN_BYTES {
            return Ok(());
        }
        let mut base = state.version.snapshot_edit();
        // Bound the work: a version whose own edit is large would be
        // rewritten after every edit.
        let base_bytes = base.encode().len() as u64;
        if size <= base_bytes.saturating_mul(GROWTH_FACTOR) {
            return Ok(());
        }
        base.log_number = Some(log_number);
        base.last_seq = Some(state.last_seq);
        base.compact_pointers = state
            .compact_pointers
            .iter()
            .map(|(level, key)| (*level, key.clone()))
            .collect();
        base.tiered_levels = Some(state.version.tiered_levels() as u32);
        base.write_times = self.options.ttl_ms.is_some().then_some(true);
        let number = state.allocate_file_number();
        base.next_file_number = Some(state.next_file_number);
        let fresh = ManifestWriter::create(self.storage.as_ref(), number, &base)?;
        let old = std::mem::replace(&mut state.manifest, fresh);
        let old_name = manifest_name(old.file_number());
        drop(old);
        if self.storage.remove(&old_name).is_ok() {
            state
                .tracer
                .emit(|| crate::event::Event::FileDeleted { name: old_name });
        }
        Ok(())
    }
}
