//! Repair: a new manifest for a directory whose `CURRENT` or manifest is
//! lost, rebuilt from what the tables and logs themselves hold.
//!
//! Every table is read whole (checksums included) and every log replayed
//! as far as it is intact. The records of the readable tables and logs are
//! merged by internal key into new L0 tables — one sorted run, split only
//! between user keys — and a new manifest lists those tables alone. A
//! manifest cannot say which level a table was on, and tables from
//! different levels ordered by their newest record could answer a read with
//! an older version; merging by internal key cannot. The range tombstones
//! of the tables and logs go into the new tables too, each table holding
//! the part of them within its key range.
//!
//! Repair never deletes a file. Before `CURRENT` names the new manifest,
//! each input — tables merged, tables unreadable, logs replayed, old
//! manifests, an old `CURRENT` — is handed to the caller's `set_aside`
//! (the `strata repair` command moves them into `lost/`): left in place,
//! the next open would delete them as obsolete. A crash midway leaves
//! either the old files or the new tables without `CURRENT`; repairing
//! again finishes the job.

use std::sync::Arc;

use strata_storage::Storage;

use crate::batch::WriteBatch;
use crate::error::{Error, IoContext, Result};
use crate::event::Tracer;
use crate::filename::{self, manifest_name, table_name, wal_name, FileKind};
use crate::iter::InternalIterator;
use crate::manifest::{ManifestWriter, VersionEdit};
use crate::memtable::MemTable;
use crate::merge::MergingIterator;
use crate::options::Options;
use crate::range_tombstone::{clip_all, successor, RangeTombstone};
use crate::record::{self, SeqNo, ValueKind, MAX_SEQNO};
use crate::sstable::{Table, TableBuilder};
use crate::table_meta::TableMeta;
use crate::wal::LogReader;

/// What one input file gave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputReport {
    /// The file's name.
    pub name: String,
    /// Records recovered from it.
    pub records: u64,
    /// Why it was not read whole (`None`: it was). A table with damage is
    /// not used at all; a log is used up to its first damage.
    pub damage: Option<String>,
}

/// What [`repair`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Every table found, in number order.
    pub tables: Vec<InputReport>,
    /// Every log found, in number order.
    pub logs: Vec<InputReport>,
    /// Every file handed to `set_aside`, in that order.
    pub set_aside: Vec<String>,
    /// The tables written, in key order.
    pub written: Vec<TableMeta>,
    /// The new manifest.
    pub manifest: String,
    /// The newest sequence number recovered.
    pub last_seq: SeqNo,
}

/// Rebuilds the database in `storage` as described in the module docs,
/// calling `set_aside` for each input before the new manifest becomes
/// current. Takes the directory lock; `options` give the table format and
/// the compaction strategy the database will be opened with.
pub fn repair(
    storage: &dyn Storage,
    options: &Options,
    set_aside: &mut dyn FnMut(&str) -> std::io::Result<()>,
) -> Result<RepairReport> {
    options.validate()?;
    let _lock = storage.lock().ctx(filename::LOCK)?;
    let files = storage.list().ctx("")?;
    let mut next_number = files
        .iter()
        .filter_map(|name| match filename::parse(name)? {
            FileKind::Wal(n) | FileKind::Table(n) | FileKind::Manifest(n) => Some(n),
            _ => None,
        })
        .max()
        .map_or(Some(1), |n| n.checked_add(1))
        .ok_or_else(|| Error::corruption("", 0, "file numbers exhausted"))?;
    let mut report = RepairReport::default();
    let mut sources: Vec<Box<dyn InternalIterator + Send>> = Vec::new();
    let mut range_dels: Vec<RangeTombstone> = Vec::new();
    let table_numbers = filename::sorted_numbers(&files, |k| match k {
        FileKind::Table(n) => Some(n),
        _ => None,
    });
    for number in table_numbers {
        let (input, table) = read_table(storage, number);
        if let Some((table, largest_seq)) = table {
            report.last_seq = report.last_seq.max(largest_seq);
            for t in table.range_tombstones() {
                report.last_seq = report.last_seq.max(t.seq);
                range_dels.push(t.clone());
            }
            sources.push(Box::new(table.iter()));
        }
        report.tables.push(input);
    }
    let log_numbers = filename::sorted_numbers(&files, |k| match k {
        FileKind::Wal(n) => Some(n),
        _ => None,
    });
    let mem = Arc::new(MemTable::new(options.seed));
    for number in log_numbers {
        let input = replay_log(storage, number, &mem, &mut report.last_seq)?;
        report.logs.push(input);
    }
    sources.push(Box::new(mem.iter()));
    range_dels.extend(mem.range_tombstones());
    let mut allocate = || {
        let n = next_number;
        next_number = next_number.saturating_add(1);
        n
    };
    report.written = write_merged(
        storage,
        options,
        MergingIterator::new(sources),
        &range_dels,
        &mut allocate,
    )?;
    storage.sync_dir().ctx("")?;
    for name in &files {
        let input = matches!(
            filename::parse(name),
            Some(
                FileKind::Table(_)
                    | FileKind::Wal(_)
                    | FileKind::Manifest(_)
                    | FileKind::Current
                    | FileKind::Temp
            )
        );
        if input {
            set_aside(name).ctx(name)?;
            report.set_aside.push(name.clone());
        }
    }
    report.manifest = install(storage, options, &report, &mut allocate)?;
    Ok(report)
}

/// Reads table `number` whole: its records and newest sequence number, or
/// the damage that makes it unusable.
fn read_table(storage: &dyn Storage, number: u64) -> (InputReport, Option<(Arc<Table>, SeqNo)>) {
    let name = table_name(number);
    let read = || -> Result<(Arc<Table>, u64, SeqNo)> {
        let table = Table::open(storage, number)?;
        let mut iter = table.iter();
        let (mut records, mut largest_seq) = (0u64, 0);
        iter.seek_to_first()?;
        while iter.valid() {
            let parsed = record::parse_internal_key(iter.key())
                .ok_or_else(|| Error::corruption(&name, 0, "malformed internal key"))?;
            largest_seq = largest_seq.max(parsed.seq);
            records += 1;
            iter.next()?;
        }
        Ok((table, records, largest_seq))
    };
    match read() {
        Ok((table, records, largest_seq)) => (
            InputReport {
                name: name.clone(),
                records,
                damage: None,
            },
            Some((table, largest_seq)),
        ),
        Err(e) => (
            InputReport {
                name: name.clone(),
                records: 0,
                damage: Some(e.to_string()),
            },
            None,
        ),
    }
}

/// Replays log `number` into `mem` up to its first damage.
fn replay_log(
    storage: &dyn Storage,
    number: u64,
    mem: &MemTable,
    last_seq: &mut SeqNo,
) -> Result<InputReport> {
    let name = wal_name(number);
    let mut input = InputReport {
        name: name.clone(),
        records: 0,
        damage: None,
    };
    let file = match storage.open(&name) {
        Ok(file) => file,
        Err(e) => {
            input.damage = Some(e.to_string());
            return Ok(input);
        }
    };
    let mut reader = LogReader::new(file, name.clone());
    loop {
        let batch = reader.read_record().and_then(|payload| {
            payload
                .map(|p| WriteBatch::decode(&p, &name, reader.last_record_offset()))
                .transpose()
        });
        let (first_seq, ops) = match batch {
            Ok(Some(batch)) => batch,
            Ok(None) => break,
            Err(e) => {
                input.damage = Some(e.to_string());
                break;
            }
        };
        for (seq, op) in (first_seq..MAX_SEQNO).zip(&ops) {
            let (key, kind, value): (&[u8], _, &[u8]) = match op {
                crate::batch::BatchOp::Put { key, value } => (key, ValueKind::Put, value),
                crate::batch::BatchOp::Delete { key } => (key, ValueKind::Delete, &[]),
                crate::batch::BatchOp::DeleteRange { start, end } => {
                    mem.insert_range_tombstone(start, end, seq);
                    *last_seq = (*last_seq).max(seq);
                    input.records += 1;
                    continue;
                }
            };
            mem.insert(key, seq, kind, value);
            *last_seq = (*last_seq).max(seq);
            input.records += 1;
        }
    }
    if reader.torn_tail() && input.damage.is_none() {
        input.damage = Some(format!("torn tail at byte {}", reader.valid_end()));
    }
    Ok(input)
}

/// Writes the merged records into new tables of about the target file
/// size, splitting only between user keys (a key's versions stay in one
/// table, so L0's newest-first search finds its newest). A record present
/// twice — a log whose flush was not yet recorded — is written once.
fn write_merged(
    storage: &dyn Storage,
    options: &Options,
    mut merged: MergingIterator,
    range_dels: &[RangeTombstone],
    allocate: &mut dyn FnMut() -> u64,
) -> Result<Vec<TableMeta>> {
    let mut written = Vec::new();
    let mut builder: Option<TableBuilder> = None;
    let mut last_key: Vec<u8> = Vec::new();
    // Where the table being written begins: just after the previous one.
    let mut lower: Option<Vec<u8>> = None;
    merged.seek_to_first()?;
    while merged.valid() {
        let key = merged.key();
        if builder.is_none() || key != last_key.as_slice() {
            let new_user_key = record::user_key(key) != record::user_key(&last_key);
            let full = builder
                .as_ref()
                .is_some_and(|b| b.estimated_size_bytes() >= options.target_file_size_bytes);
            if full && new_user_key {
                if let Some(mut done) = builder.take() {
                    let upper = successor(record::user_key(&last_key));
                    for t in clip_all(range_dels, lower.as_deref(), Some(&upper)) {
                        done.add_range_tombstone(&t)?;
                    }
                    lower = Some(upper);
                    written.push(done.finish()?);
                }
            }
            let b = match &mut builder {
                Some(b) => b,
                None => builder.insert(TableBuilder::new(
                    storage,
                    allocate(),
                    0,
                    options,
                    Tracer::off(),
                )?),
            };
            b.add(key, merged.value())?;
            last_key.clear();
            last_key.extend_from_slice(key);
        }
        merged.next()?;
    }
    let rest = clip_all(range_dels, lower.as_deref(), None);
    if builder.is_none() && !rest.is_empty() {
        builder = Some(TableBuilder::new(
            storage,
            allocate(),
            0,
            options,
            Tracer::off(),
        )?);
    }
    if let Some(mut done) = builder {
        for t in &rest {
            done.add_range_tombstone(t)?;
        }
        written.push(done.finish()?);
    }
    Ok(written)
}

/// Creates an empty log and the manifest listing the written tables, and
/// points `CURRENT` at it. Returns the manifest's name.
fn install(
    storage: &dyn Storage,
    options: &Options,
    report: &RepairReport,
    allocate: &mut dyn FnMut() -> u64,
) -> Result<String> {
    let log_number = allocate();
    let log = wal_name(log_number);
    storage.create(&log).ctx(&log)?.sync().ctx(&log)?;
    storage.sync_dir().ctx("")?;
    let manifest_number = allocate();
    let mut base = VersionEdit {
        log_number: Some(log_number),
        last_seq: Some(report.last_seq),
        tiered_levels: Some(options.compaction_strategy.tiered_levels() as u32),
        write_times: options.ttl_ms.is_some().then_some(true),
        ..VersionEdit::default()
    };
    for table in report.written.iter().rev() {
        base.add_table(0, table.clone());
    }
    base.next_file_number = Some(allocate());
    ManifestWriter::create(storage, manifest_number, &base)?;
    storage.sync_dir().ctx("")?;
    Ok(manifest_name(manifest_number))
}
