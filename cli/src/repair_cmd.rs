//! `strata repair DIR`: rebuilds a manifest from the tables' own records
//! and the logs (`strata_engine::repair`), for a directory whose `CURRENT`
//! or manifest is lost. Every input file is moved into `DIR/lost/` before
//! the new manifest becomes current; nothing is deleted.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, Context, Result};
use strata_engine::script::set_option;
use strata_engine::{repair, Options, RepairReport};
use strata_storage::FsStorage;

use crate::args::RepairArgs;

/// The folder inside the database directory that receives the inputs.
const LOST_DIR: &str = "lost";

/// Runs `strata repair`.
pub fn run(args: &RepairArgs) -> Result<()> {
    let mut options = Options::deterministic();
    for (name, value) in &args.options {
        set_option(&mut options, name, value)
            .map_err(|e| anyhow!("--option {name}={value}: {}", e.message))?;
    }
    if !args.dir.is_dir() {
        return Err(anyhow!("{} is not a directory", args.dir.display()));
    }
    let storage = FsStorage::open(&args.dir)?;
    let lost = args.dir.join(LOST_DIR);
    let mut set_aside = |name: &str| move_into(&args.dir, &lost, name);
    let report = repair(&storage, &options, &mut set_aside)
        .with_context(|| format!("repairing {}", args.dir.display()))?;
    print!("{}", describe(&report, &lost));
    Ok(())
}

/// Moves `dir/name` into `lost/`, under a free name, and makes the move
/// durable.
fn move_into(dir: &Path, lost: &Path, name: &str) -> std::io::Result<()> {
    fs::create_dir_all(lost)?;
    let target = free_name(lost, name);
    fs::rename(dir.join(name), &target)?;
    fs::File::open(lost)?.sync_all()?;
    fs::File::open(dir)?.sync_all()
}

/// `lost/name`, or `lost/name.1`, `.2`, … if an earlier repair used it.
fn free_name(lost: &Path, name: &str) -> PathBuf {
    let first = lost.join(name);
    if !first.exists() {
        return first;
    }
    (1u64..)
        .map(|i| lost.join(format!("{name}.{i}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// The report printed to the user.
fn describe(report: &RepairReport, lost: &Path) -> String {
    let mut out = String::new();
    let inputs = report.tables.iter().chain(&report.logs);
    for input in inputs {
        match &input.damage {
            None => out.push_str(&format!("{}: {} records\n", input.name, input.records)),
            Some(d) => out.push_str(&format!(
                "{}: {} records, then damage: {d}\n",
                input.name, input.records
            )),
        }
    }
    let unusable = report.tables.iter().filter(|t| t.damage.is_some()).count();
    let records: u64 = report.written.iter().map(|t| t.entries).sum();
    out.push_str(&format!(
        "recovered {records} records (last sequence number {}) into {} new table(s); \
         {unusable} unusable table(s)\n",
        report.last_seq,
        report.written.len()
    ));
    out.push_str(&format!(
        "moved {} input file(s) to {}; new manifest {}\n",
        report.set_aside.len(),
        lost.display(),
        report.manifest
    ));
    out
}
