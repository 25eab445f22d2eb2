//! What a crash leaves: the durable image of a [`super::FaultStorage`].
//!
//! Each file has a durable content (what its last successful `sync` made
//! durable) and the writes appended since, in order. A crash decides the
//! fate of each such write; the directory returns to its last `sync_dir`.

use std::collections::BTreeMap;
use std::io;

use super::{FileModel, Node, Rng};
use crate::{MemStorage, Storage};

/// Sector size of the simulated disk: torn writes tear at this granularity.
pub const SECTOR_BYTES: u64 = 512;

/// How a crash treats the writes that were appended but not synced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CrashMode {
    /// Every unsynced write is lost: what [`MemStorage::crash`] does.
    DropUnsynced,
    /// Each file keeps a prefix of its unsynced writes; the first write
    /// not kept may be torn (a byte prefix of it survives, or a prefix of
    /// its sectors followed by one sector of garbage), and nothing after
    /// it survives. What a file system that persists appends in order
    /// gives.
    Prefix,
    /// Each unsynced write is independently kept, dropped or torn sector
    /// by sector (a sector written, left as zeros, or garbage), so a later
    /// write can survive an earlier one that did not: the page cache
    /// writing pages back in any order.
    Reorder,
}

/// One append since the file's last successful sync.
#[derive(Clone, Debug)]
pub(super) struct PendingWrite {
    pub offset: u64,
    pub data: Vec<u8>,
}

/// Writes `data` at `offset`, extending `file` with zeros if needed.
pub(super) fn write_at(file: &mut Vec<u8>, offset: u64, data: &[u8]) {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let end = start.saturating_add(data.len());
    if file.len() < end {
        file.resize(end, 0);
    }
    if let Some(dst) = file.get_mut(start..end) {
        dst.copy_from_slice(data);
    }
}

impl FileModel {
    /// The content a crash now would leave, the fates drawn from `rng`.
    pub(super) fn after_crash(&self, mode: CrashMode, rng: &mut Rng) -> Vec<u8> {
        let mut out = self.durable.clone();
        match mode {
            CrashMode::DropUnsynced => {}
            CrashMode::Prefix => {
                for w in &self.pending {
                    if rng.one_in(4) {
                        tear_in_order(&mut out, w, rng);
                        break;
                    }
                    write_at(&mut out, w.offset, &w.data);
                }
            }
            CrashMode::Reorder => {
                for w in &self.pending {
                    match rng.below(4) {
                        0 => write_at(&mut out, w.offset, &w.data),
                        1 => {}
                        _ => tear_sectors(&mut out, w, rng),
                    }
                }
            }
        }
        out
    }
}

/// A prefix of `w` survives: some bytes, or some whole sectors and then
/// one sector of garbage.
fn tear_in_order(out: &mut Vec<u8>, w: &PendingWrite, rng: &mut Rng) {
    let keep = rng.below(w.data.len() as u64 + 1) as usize;
    let kept = w.data.get(..keep).unwrap_or_default();
    write_at(out, w.offset, kept);
    if rng.one_in(2) {
        return;
    }
    // Garbage from the end of the kept prefix to the next sector boundary
    // (or the end of the write).
    let start = w.offset + keep as u64;
    let end = ((start / SECTOR_BYTES + 1) * SECTOR_BYTES).min(w.offset + w.data.len() as u64);
    let garbage = rng.bytes(end.saturating_sub(start) as usize);
    write_at(out, start, &garbage);
}

/// Each sector `w` touches is written, zeroed or filled with garbage, or
/// left as it was, independently.
fn tear_sectors(out: &mut Vec<u8>, w: &PendingWrite, rng: &mut Rng) {
    let end = w.offset + w.data.len() as u64;
    let mut start = w.offset;
    while start < end {
        let stop = ((start / SECTOR_BYTES + 1) * SECTOR_BYTES).min(end);
        let len = (stop - start) as usize;
        let from = (start - w.offset) as usize;
        match rng.below(4) {
            0 => write_at(out, start, w.data.get(from..from + len).unwrap_or_default()),
            1 => write_at(out, start, &vec![0; len]),
            2 => write_at(out, start, &rng.bytes(len)),
            _ => {}
        }
        start = stop;
    }
}

/// A fresh, fully synced [`MemStorage`] holding what a crash now leaves of
/// the files in `durable_dir`.
pub(super) fn build_image(
    durable_dir: &BTreeMap<String, Node>,
    mode: CrashMode,
    rng: &mut Rng,
) -> io::Result<MemStorage> {
    let image = MemStorage::new();
    for (name, node) in durable_dir {
        let content = super::lock(node).after_crash(mode, rng);
        let mut file = image.create(name)?;
        file.append(&content)?;
        file.sync()?;
    }
    image.sync_dir()?;
    Ok(image)
}
