//! `dump-table` and `dump-manifest`: the on-disk structures, decoded.

use std::io::Write;

use anyhow::{bail, Context, Result};
use strata_engine::filename::{manifest_name, table_name};
use strata_engine::iter::InternalIterator;
use strata_engine::manifest::{read_current, VersionEdit};
use strata_engine::record::parse_internal_key;
use strata_engine::sstable::{Footer, Table, BLOCK_TRAILER_BYTES};
use strata_engine::wal::LogReader;
use strata_storage::Storage;

use crate::shell::Shell;
use crate::show;

/// `dump-table N`: footer, blocks, bloom filter and the first `limit`
/// entries (all when `None`).
pub fn table(shell: &Shell, number: u64, limit: Option<usize>, out: &mut dyn Write) -> Result<()> {
    let storage = shell.storage.as_ref();
    let name = table_name(number);
    if !storage.exists(&name).unwrap_or(false) {
        bail!("there is no table {name} (see `tables` for the live ones)");
    }
    let table = Table::open(storage, number)?;
    let footer = read_footer(storage, &name)?;
    writeln!(
        out,
        "table {name}: {} bytes, {} entries, {} data blocks",
        table.size_bytes(),
        table.entries(),
        table.data_block_count()
    )?;
    writeln!(
        out,
        "footer: index block at offset {} ({} bytes); {}",
        footer.index.offset,
        footer.index.size_bytes,
        match footer.filter {
            Some(f) => format!(
                "filter block at offset {} ({} bytes)",
                f.offset, f.size_bytes
            ),
            None => "no filter block".to_owned(),
        }
    )?;
    match table.bloom() {
        Some(bloom) => writeln!(
            out,
            "bloom filter: {} bits, k = {} probes per key, {:.1} bits per key",
            bloom.bits(),
            bloom.hash_count(),
            bloom.bits() as f64 / table.entries().max(1) as f64
        )?,
        None => writeln!(out, "bloom filter: none")?,
    }
    if let Some(r) = footer.range_del {
        writeln!(
            out,
            "range-deletion block at offset {} ({} bytes): {} range tombstones",
            r.offset,
            r.size_bytes,
            table.range_tombstones().len()
        )?;
        for t in table.range_tombstones() {
            writeln!(
                out,
                "  delete [{}, {}) seq {}",
                String::from_utf8_lossy(&t.start),
                String::from_utf8_lossy(&t.end),
                t.seq
            )?;
        }
    }
    blocks(&table, out)?;
    entries(&table, limit, out)
}

fn read_footer(storage: &dyn Storage, name: &str) -> Result<Footer> {
    let file = storage
        .open(name)
        .with_context(|| format!("opening {name}"))?;
    Ok(Footer::read(file.as_ref(), name)?.0)
}

/// Lists the data blocks, reading each on its own so that a damaged one
/// is reported and the listing goes on; fails at the end if one was.
fn blocks(table: &Table, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "\nblock      offset    stored  uncompressed  compression  entries  restarts  keys"
    )?;
    let mut first_error = None;
    for i in 0..table.data_block_count() as usize {
        let block = match table.block_info(i) {
            Ok(block) => block,
            Err(e) => {
                writeln!(out, "{i:>5}  {e}")?;
                first_error.get_or_insert(e);
                continue;
            }
        };
        writeln!(
            out,
            "{i:>5}  {:>10}  {:>8}  {:>12}  {:>11}  {:>7}  {:>8}  {} .. {}",
            block.handle.offset,
            block.handle.size_bytes + BLOCK_TRAILER_BYTES as u64,
            block.uncompressed_bytes,
            if block.compressed { "lz4" } else { "none" },
            block.entries,
            block.restarts,
            show::internal_key(&block.first_key),
            show::internal_key(&block.last_key),
        )?;
    }
    match first_error {
        Some(e) => Err(e.into()),
        None => Ok(()),
    }
}

fn entries(table: &std::sync::Arc<Table>, limit: Option<usize>, out: &mut dyn Write) -> Result<()> {
    let limit = limit.unwrap_or(usize::MAX);
    let total = table.entries();
    match (limit as u64) < total {
        true => writeln!(
            out,
            "\nentries (first {limit} of {total}; limit=N or limit=all for more):"
        )?,
        false => writeln!(out, "\nentries ({total}):")?,
    }
    let mut it = table.iter();
    it.seek_to_first()?;
    let mut shown = 0usize;
    while it.valid() && shown < limit {
        let line = match parse_internal_key(it.key()) {
            Some(k) if k.kind == strata_engine::ValueKind::Put => format!(
                "  {} @{} put {}",
                show::bytes(k.user_key),
                k.seq,
                show::value(it.value())
            ),
            Some(k) => format!("  {} @{} delete", show::bytes(k.user_key), k.seq),
            None => format!("  {}", show::internal_key(it.key())),
        };
        writeln!(out, "{line}")?;
        shown += 1;
        it.next()?;
    }
    Ok(())
}

/// `dump-manifest`: every version edit of the manifest CURRENT names.
pub fn manifest(shell: &Shell, out: &mut dyn Write) -> Result<()> {
    let storage = shell.storage.as_ref();
    let Some(number) = read_current(storage)? else {
        bail!("there is no CURRENT file");
    };
    let name = manifest_name(number);
    let file = storage
        .open(&name)
        .with_context(|| format!("opening {name}"))?;
    let size = file.len();
    writeln!(out, "CURRENT names {name} ({size} bytes)")?;
    let mut reader = LogReader::new(file, name.clone());
    let mut edits = 0u32;
    while let Some(record) = reader.read_record()? {
        let offset = reader.last_record_offset();
        let edit = VersionEdit::decode(&record).map_err(|reason| {
            strata_engine::Error::corruption(&name, offset, format!("version edit: {reason}"))
        })?;
        edits += 1;
        write_edit(edits, offset, &edit, out)?;
    }
    let tail = match reader.torn_tail() {
        true => format!(
            "; a torn last edit after byte {} is ignored",
            reader.valid_end()
        ),
        false => String::new(),
    };
    writeln!(out, "({edits} edits{tail})")?;
    Ok(())
}

fn write_edit(n: u32, offset: u64, edit: &VersionEdit, out: &mut dyn Write) -> Result<()> {
    let mut fields = Vec::new();
    if let Some(v) = edit.log_number {
        fields.push(format!("log number {v}"));
    }
    if let Some(v) = edit.next_file_number {
        fields.push(format!("next file number {v}"));
    }
    if let Some(v) = edit.last_seq {
        fields.push(format!("last sequence number {v}"));
    }
    if let Some(v) = edit.tiered_levels {
        fields.push(format!("tiered levels {v}"));
    }
    writeln!(out, "edit {n} at byte {offset}: {}", fields.join(", "))?;
    for (level, t) in &edit.added {
        writeln!(
            out,
            "  + L{level} {:06}.sst  {} bytes  {} entries  {} .. {}  seq {}..={}",
            t.file_number,
            t.size_bytes,
            t.entries,
            show::internal_key(&t.smallest),
            show::internal_key(&t.largest),
            t.smallest_seq,
            t.largest_seq
        )?;
    }
    for (level, file_number) in &edit.removed {
        writeln!(out, "  - L{level} {file_number:06}.sst")?;
    }
    for (level, key) in &edit.compact_pointers {
        writeln!(
            out,
            "  compaction pointer L{level}: {}",
            show::internal_key(key)
        )?;
    }
    Ok(())
}
