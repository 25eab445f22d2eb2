//! `verify`: reads every block of every live table, checking checksums and
//! entries, compares each table with what the manifest says of it, and
//! checks the tree's invariants.

use std::io::Write;

use anyhow::{bail, Result};
use serde_json::json;
use strata_engine::filename::table_name;
use strata_engine::sstable::Table;
use strata_engine::{Error, TableMeta};

use crate::shell::Shell;

/// One thing found wrong.
struct Problem {
    file: String,
    offset: Option<u64>,
    reason: String,
}

impl Problem {
    fn from_error(file: &str, e: &Error) -> Self {
        match e {
            Error::Corruption {
                file,
                offset,
                reason,
            } => Problem {
                file: file.clone(),
                offset: Some(*offset),
                reason: reason.clone(),
            },
            other => Problem {
                file: file.to_owned(),
                offset: None,
                reason: other.to_string(),
            },
        }
    }
}

/// What was read.
#[derive(Default)]
struct Tally {
    tables: u64,
    blocks: u64,
    entries: u64,
    bytes: u64,
}

/// `verify`. Prints `OK` or each problem; a problem makes the command fail
/// (a non-zero exit in script mode).
pub fn verify(shell: &Shell, out: &mut dyn Write) -> Result<()> {
    let mut tally = Tally::default();
    let mut problems = Vec::new();
    for (level, tables) in shell.db.levels().iter().enumerate() {
        for meta in tables {
            check_table(shell, level, meta, &mut tally, &mut problems);
        }
    }
    let invariants = shell.db.check_invariants();
    if shell.json {
        let listed: Vec<_> = problems
            .iter()
            .map(|p| json!({"file": p.file, "offset": p.offset, "reason": p.reason}))
            .collect();
        let value = json!({
            "ok": problems.is_empty() && invariants.is_ok(),
            "tables": tally.tables, "blocks": tally.blocks,
            "entries": tally.entries, "bytes": tally.bytes,
            "problems": listed,
            "invariants": invariants.as_ref().err(),
        });
        writeln!(out, "{value}")?;
    } else {
        writeln!(
            out,
            "read {} tables: {} data blocks, {} entries, {}",
            tally.tables,
            tally.blocks,
            tally.entries,
            crate::show::size(tally.bytes)
        )?;
        for p in &problems {
            match p.offset {
                Some(offset) => writeln!(
                    out,
                    "CORRUPTION in {} at byte {offset}: {}",
                    p.file, p.reason
                )?,
                None => writeln!(out, "ERROR in {}: {}", p.file, p.reason)?,
            }
        }
        match &invariants {
            Ok(()) => writeln!(out, "tree invariants: OK")?,
            Err(e) => writeln!(out, "tree invariants: BROKEN: {e}")?,
        }
        if problems.is_empty() && invariants.is_ok() {
            writeln!(out, "OK")?;
        }
    }
    if !problems.is_empty() || invariants.is_err() {
        let broken = if invariants.is_err() { 1 } else { 0 };
        bail!("verify found {} problems", problems.len() + broken);
    }
    Ok(())
}

/// Opens one table (footer, index, filter), then reads each data block on
/// its own so that one damaged block does not hide the next.
fn check_table(
    shell: &Shell,
    level: usize,
    meta: &TableMeta,
    tally: &mut Tally,
    problems: &mut Vec<Problem>,
) {
    let name = table_name(meta.file_number);
    tally.tables += 1;
    let table = match Table::open(shell.storage.as_ref(), meta.file_number) {
        Ok(t) => t,
        Err(e) => return problems.push(Problem::from_error(&name, &e)),
    };
    tally.bytes += table.size_bytes();
    let mut entries = 0u64;
    let mut damaged = false;
    let count = table.data_block_count() as usize;
    for i in 0..count {
        tally.blocks += 1;
        match table.block_info(i) {
            Ok(block) => {
                entries += u64::from(block.entries);
                if i == 0 && block.first_key != meta.smallest {
                    problems.push(mismatch(&name, level, "first key"));
                }
                if i + 1 == count && block.last_key != meta.largest {
                    problems.push(mismatch(&name, level, "last key"));
                }
            }
            Err(e) => {
                damaged = true;
                problems.push(Problem::from_error(&name, &e));
            }
        }
    }
    tally.entries += entries;
    if !damaged && (entries != table.entries() || entries != meta.entries) {
        problems.push(Problem {
            file: name,
            offset: None,
            reason: format!(
                "blocks hold {entries} entries; the footer says {}, the manifest {}",
                table.entries(),
                meta.entries
            ),
        });
    }
}

fn mismatch(name: &str, level: usize, what: &str) -> Problem {
    Problem {
        file: name.to_owned(),
        offset: None,
        reason: format!("its {what} differs from the one the manifest records for it in L{level}"),
    }
}
