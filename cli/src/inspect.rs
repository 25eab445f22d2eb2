//! `stats`, `tables` and `options`: what the tree looks like and what it
//! cost to build.

use std::io::Write;

use anyhow::Result;
use serde_json::json;
use strata_engine::{Stats, TableMeta};

use crate::shell::Shell;
use crate::show::{self, JsonBytes};

/// `stats`: amplification figures and a per-level table.
pub fn stats(shell: &Shell, out: &mut dyn Write) -> Result<()> {
    let stats = shell.db.stats();
    let live = shell.db.live_data_bytes()?;
    if shell.json {
        let value = json!({
            "stats": stats,
            "live_data_bytes": live,
            "write_amplification": stats.write_amplification(),
            "read_amplification": stats.read_amplification(),
            "blocks_read_per_get": stats.blocks_read_per_get(),
            "space_amplification": stats.space_amplification(live),
            "bloom_false_positive_rate": stats.bloom_false_positive_rate(),
        });
        writeln!(out, "{value}")?;
        return Ok(());
    }
    figures(&stats, live, out)?;
    level_table(&stats, out)
}

/// The amplification figures and counters, one per line.
fn figures(stats: &Stats, live: u64, out: &mut dyn Write) -> Result<()> {
    let (wa, ra, sa) = (
        stats.write_amplification(),
        stats.read_amplification(),
        stats.space_amplification(live),
    );
    writeln!(
        out,
        "write amplification  {wa:.2}  ({} written by users; {} by flushes, {} by compactions; WAL {})",
        show::size(stats.user_bytes_written),
        show::size(stats.flush_bytes_written),
        show::size(stats.compaction_bytes_written()),
        show::size(stats.wal_bytes_written),
    )?;
    writeln!(
        out,
        "read amplification   {ra:.2} tables per get, {:.2} blocks per get ({} gets)",
        stats.blocks_read_per_get(),
        stats.gets
    )?;
    writeln!(
        out,
        "space amplification  {sa:.2}  ({} in tables for {} of live data)",
        show::size(stats.table_bytes()),
        show::size(live)
    )?;
    writeln!(
        out,
        "bloom filters        {} probes, {} said absent, {} false positives ({:.2} %)",
        stats.bloom_probes,
        stats.bloom_negatives,
        stats.bloom_false_positives,
        100.0 * stats.bloom_false_positive_rate()
    )?;
    writeln!(
        out,
        "memtable             {} entries, {}; frozen memtable waiting: {}; last sequence number {}",
        stats.memtable_entries,
        show::size(stats.memtable_bytes),
        if stats.immutable_memtable {
            "yes"
        } else {
            "no"
        },
        stats.last_seq
    )?;
    Ok(())
}

/// One row per level.
fn level_table(stats: &Stats, out: &mut dyn Write) -> Result<()> {
    writeln!(
        out,
        "\nlevel  tables       bytes      target  compactions  moves        read     written"
    )?;
    for (l, level) in stats.levels.iter().enumerate() {
        let target = match level.target_bytes {
            0 => "-".to_owned(),
            t => show::size(t),
        };
        writeln!(
            out,
            "L{l:<4} {:>6}  {:>10}  {:>10}  {:>11}  {:>5}  {:>10}  {:>10}",
            level.tables,
            show::size(level.bytes),
            target,
            level.compactions,
            level.trivial_moves,
            show::size(level.compaction_bytes_read),
            show::size(level.compaction_bytes_written),
        )?;
    }
    Ok(())
}

/// `tables`: every live table per level with its size, entries and ranges.
pub fn tables(shell: &Shell, out: &mut dyn Write) -> Result<()> {
    let levels = shell.db.levels();
    if shell.json {
        let levels: Vec<Vec<_>> = levels
            .iter()
            .map(|tables| tables.iter().map(table_json).collect())
            .collect();
        writeln!(out, "{}", json!({ "levels": levels }))?;
        return Ok(());
    }
    let total: usize = levels.iter().map(Vec::len).sum();
    for (l, tables) in levels.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
        let bytes: u64 = tables.iter().map(|t| t.size_bytes).sum();
        writeln!(out, "L{l}: {} tables, {}", tables.len(), show::size(bytes))?;
        for t in tables {
            writeln!(
                out,
                "  {:06}.sst  {:>10}  {:>7} entries  {} .. {}  seq {}..={}",
                t.file_number,
                show::size(t.size_bytes),
                t.entries,
                show::bytes(t.smallest_user_key()),
                show::bytes(t.largest_user_key()),
                t.smallest_seq,
                t.largest_seq
            )?;
        }
    }
    if total == 0 {
        writeln!(out, "no tables yet (everything is in the memtable)")?;
    }
    Ok(())
}

fn table_json(t: &TableMeta) -> serde_json::Value {
    json!({
        "file_number": t.file_number,
        "size_bytes": t.size_bytes,
        "entries": t.entries,
        "smallest": JsonBytes::of(t.smallest_user_key()),
        "largest": JsonBytes::of(t.largest_user_key()),
        "smallest_seq": t.smallest_seq,
        "largest_seq": t.largest_seq,
    })
}

/// `options`: the options the database runs with.
pub fn options(shell: &Shell, out: &mut dyn Write) -> Result<()> {
    let value = serde_json::to_value(shell.db.options())?;
    if shell.json {
        writeln!(out, "{value}")?;
        return Ok(());
    }
    if let serde_json::Value::Object(fields) = value {
        for (name, v) in fields {
            writeln!(out, "{name} = {v}")?;
        }
    }
    Ok(())
}
