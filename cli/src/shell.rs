//! The shell: one open database and the commands that drive and inspect it.
//!
//! A line is either a shell command (`stats`, `tables`, `dump-table`, …) or
//! a line of the engine's command language (`strata_engine::script`), which
//! the shell runs straight against the database.

use std::io::Write;
use std::ops::Bound;
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde_json::json;
use strata_engine::script::{parse_command, Command};
use strata_engine::trace::TraceOp;
use strata_engine::{Db, Maintenance, Snapshot, WriteBatch};
use strata_storage::Storage;

use crate::clock::{self, Clock};
use crate::show::{self, JsonBytes};

/// A line that could not be understood, with the column of the problem.
#[derive(Debug)]
pub struct ParseError {
    /// 1-based character column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

/// What the caller should do after a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Read the next line.
    Continue,
    /// The user asked to leave.
    Quit,
}

/// An open database with the state the commands share.
pub struct Shell {
    pub(crate) db: Db,
    pub(crate) storage: Arc<dyn Storage>,
    /// Snapshots by number; released ones are `None`.
    snapshots: Vec<Option<Snapshot>>,
    /// Print machine-readable JSON where the command supports it.
    pub(crate) json: bool,
    /// Refuse commands that write (the database is an in-memory copy).
    read_only: bool,
    /// Draw progress bars for bulk commands.
    pub(crate) progress: bool,
    /// Where the database's time comes from (it matters with a TTL).
    clock: Clock,
}

impl Shell {
    /// A shell over `db`, stored in `storage`.
    pub fn new(db: Db, storage: Arc<dyn Storage>, json: bool, read_only: bool) -> Self {
        use std::io::IsTerminal;
        Self {
            db,
            storage,
            snapshots: Vec::new(),
            json,
            read_only,
            progress: std::io::stdout().is_terminal(),
            clock: Clock::System,
        }
    }

    /// Syncs the log and closes the database.
    pub fn close(self) -> Result<()> {
        drop(self.snapshots);
        self.db.close().context("closing the database")
    }

    /// Runs one line, writing its output to `out`.
    pub fn run_line(&mut self, line: &str, out: &mut dyn Write) -> Result<Flow> {
        let mut words = line.split_whitespace().take_while(|w| !w.starts_with('#'));
        let Some(first) = words.next() else {
            return Ok(Flow::Continue);
        };
        let args: Vec<&str> = words.collect();
        let name = first.to_lowercase();
        let column = line.find(first).map_or(1, |i| i + 1);
        if name != "dump-table" && is_shell_command(&name) {
            if let Some(extra) = args.first() {
                return Err(ParseError {
                    column: line.rfind(extra).map_or(1, |i| i + 1),
                    message: format!("{name} takes no arguments"),
                }
                .into());
            }
        }
        match name.as_str() {
            "quit" | "exit" => return Ok(Flow::Quit),
            "help" | "?" => crate::help::write(out)?,
            "stats" => crate::inspect::stats(self, out)?,
            "tables" => crate::inspect::tables(self, out)?,
            "options" => crate::inspect::options(self, out)?,
            "verify" => crate::verify::verify(self, out)?,
            "dump-manifest" => crate::dump::manifest(self, out)?,
            "dump-table" => {
                let (number, limit) = dump_table_args(&args, line, column)?;
                crate::dump::table(self, number, limit, out)?;
            }
            _ => self.run_script_line(line, out)?,
        }
        Ok(Flow::Continue)
    }

    fn run_script_line(&mut self, line: &str, out: &mut dyn Write) -> Result<()> {
        let command = parse_command(line).map_err(|e| ParseError {
            column: e.column,
            message: e.message,
        })?;
        let Some(command) = command else {
            return Ok(());
        };
        if self.read_only && writes(&command) {
            bail!("the database is open read-only (an in-memory copy): writes are refused");
        }
        match command {
            Command::Op { op } => self.run_op(op, out),
            Command::SetOption { name, .. } => bail!(
                "option {name} cannot change once the database is open; \
                 pass --option {name}=… or put option lines at the top of the script"
            ),
            load @ Command::Load { .. } => {
                self.follow_clock()?;
                crate::bulk::load(self, &load, out)
            }
            Command::DeleteRange { start, end } => {
                self.follow_clock()?;
                self.run_op(TraceOp::DeleteRange { start, end }, out)
            }
        }
    }

    /// With a TTL and the system clock, moves the database's time to the
    /// system's (never back: a system clock that stepped back leaves it).
    fn follow_clock(&self) -> Result<()> {
        if self.clock == Clock::System && self.db.options().ttl_ms.is_some() {
            let now_ms = clock::system_time_ms().max(self.db.time_ms());
            self.db.set_time(now_ms)?;
        }
        Ok(())
    }

    /// Runs one engine operation and prints its result.
    pub(crate) fn run_op(&mut self, op: TraceOp, out: &mut dyn Write) -> Result<()> {
        if !matches!(op, TraceOp::SetTime { .. } | TraceOp::AdvanceTime { .. }) {
            self.follow_clock()?;
        }
        match op {
            TraceOp::Put { key, value } => self.db.put(key, value)?,
            TraceOp::Delete { key } => self.db.delete(key)?,
            TraceOp::DeleteRange { start, end } => self.db.delete_range(start, end)?,
            TraceOp::Batch { entries } => {
                let mut batch = WriteBatch::new();
                for e in &entries {
                    match &e.value {
                        Some(v) => batch.put(&e.key, v),
                        None => batch.delete(&e.key),
                    };
                }
                self.db.write(&batch)?;
            }
            TraceOp::Get { key, snapshot } => self.get(&key, snapshot, out)?,
            TraceOp::Scan {
                start,
                end,
                reverse,
                limit,
            } => self.scan(start, end, reverse, limit, out)?,
            TraceOp::Snapshot => {
                let snapshot = self.db.snapshot();
                let seq = snapshot.seq();
                self.snapshots.push(Some(snapshot));
                let id = self.snapshots.len() - 1;
                writeln!(out, "snapshot {id} at sequence number {seq}")?;
            }
            TraceOp::ReleaseSnapshot { id } => {
                self.snapshot(id)?;
                if let Some(slot) = self.snapshots.get_mut(id as usize) {
                    *slot = None;
                }
                writeln!(out, "released snapshot {id}")?;
            }
            TraceOp::Flush => {
                self.db.flush()?;
                writeln!(out, "flushed; tables per level: {}", self.level_counts())?;
            }
            TraceOp::Step => {
                let work = self.db.maintenance_step()?;
                writeln!(out, "{}", describe_step(work.as_ref()))?;
            }
            TraceOp::Compact => {
                self.db.compact()?;
                writeln!(out, "compacted; tables per level: {}", self.level_counts())?;
            }
            TraceOp::CompactRange { start, end } => {
                let range = (
                    start.map_or(Bound::Unbounded, Bound::Included),
                    end.map_or(Bound::Unbounded, Bound::Excluded),
                );
                let ran = self.db.compact_range(range)?;
                writeln!(
                    out,
                    "{ran} compactions; tables per level: {}",
                    self.level_counts()
                )?;
            }
            TraceOp::SetTime { now_ms } => self.set_time(now_ms, out)?,
            TraceOp::AdvanceTime { by_ms } => {
                let now_ms = self.db.time_ms().saturating_add(by_ms);
                self.set_time(now_ms, out)?;
            }
        }
        Ok(())
    }

    /// `time` and `advance`: the clock is the user's from now on.
    fn set_time(&mut self, now_ms: u64, out: &mut dyn Write) -> Result<()> {
        self.db.set_time(now_ms)?;
        self.clock = Clock::Manual;
        writeln!(out, "time is {now_ms} ms (set by hand from now on)")?;
        Ok(())
    }

    fn snapshot(&self, id: u32) -> Result<&Snapshot> {
        match self.snapshots.get(id as usize).and_then(Option::as_ref) {
            Some(s) => Ok(s),
            None => bail!("no live snapshot {id} (take one with `snapshot`)"),
        }
    }

    fn get(&self, key: &[u8], snapshot: Option<u32>, out: &mut dyn Write) -> Result<()> {
        let value = match snapshot {
            Some(id) => self.snapshot(id)?.get(key)?,
            None => self.db.get(key)?,
        };
        if self.json {
            let value = value.as_deref().map(JsonBytes::of);
            writeln!(
                out,
                "{}",
                json!({"key": JsonBytes::of(key), "value": value})
            )?;
        } else {
            match value {
                Some(v) => writeln!(out, "{}", show::value(&v))?,
                None => writeln!(out, "(not found)")?,
            }
        }
        Ok(())
    }

    fn scan(
        &self,
        start: Option<Vec<u8>>,
        end: Option<Vec<u8>>,
        reverse: bool,
        limit: Option<u32>,
        out: &mut dyn Write,
    ) -> Result<()> {
        let range = (
            start.map_or(Bound::Unbounded, Bound::Included),
            end.map_or(Bound::Unbounded, Bound::Excluded),
        );
        let scan = self.db.scan(range)?;
        let limit = limit.map_or(usize::MAX, |l| l as usize);
        let items: Box<dyn Iterator<Item = _>> = match reverse {
            true => Box::new(scan.rev().take(limit)),
            false => Box::new(scan.take(limit)),
        };
        let mut entries = Vec::new();
        for item in items {
            let (key, value) = item?;
            if self.json {
                entries.push(json!({"key": JsonBytes(key), "value": JsonBytes(value)}));
            } else {
                writeln!(out, "{} {}", show::bytes(&key), show::value(&value))?;
                entries.push(serde_json::Value::Null);
            }
        }
        match self.json {
            true => writeln!(out, "{}", json!({ "entries": entries }))?,
            false => writeln!(out, "({} entries)", entries.len())?,
        }
        Ok(())
    }

    /// `L0:2 L1:5 …` for the non-empty levels.
    pub(crate) fn level_counts(&self) -> String {
        let counts: Vec<String> = self
            .db
            .levels()
            .iter()
            .enumerate()
            .filter(|(_, tables)| !tables.is_empty())
            .map(|(l, tables)| format!("L{l}:{}", tables.len()))
            .collect();
        match counts.is_empty() {
            true => "none".to_owned(),
            false => counts.join(" "),
        }
    }
}

fn is_shell_command(name: &str) -> bool {
    matches!(
        name,
        "quit"
            | "exit"
            | "help"
            | "?"
            | "stats"
            | "tables"
            | "options"
            | "verify"
            | "dump-manifest"
            | "dump-table"
    )
}

/// Whether a command changes the database.
fn writes(command: &Command) -> bool {
    match command {
        Command::Op { op } => matches!(
            op,
            TraceOp::Put { .. }
                | TraceOp::Delete { .. }
                | TraceOp::DeleteRange { .. }
                | TraceOp::Batch { .. }
                | TraceOp::Flush
                | TraceOp::Step
                | TraceOp::Compact
                | TraceOp::CompactRange { .. }
        ),
        Command::Load { .. } | Command::DeleteRange { .. } => true,
        Command::SetOption { .. } => false,
    }
}

/// `dump-table <file number> [limit=N|all]`: the table and how many entries
/// to list (`None` for all).
fn dump_table_args(args: &[&str], line: &str, column: usize) -> Result<(u64, Option<usize>)> {
    let bad = |word: &str, message: String| ParseError {
        column: line.rfind(word).map_or(column, |i| i + 1),
        message,
    };
    let Some(number) = args.first() else {
        return Err(ParseError {
            column,
            message: "usage: dump-table <file number> [limit=N|all]".to_owned(),
        }
        .into());
    };
    let digits = number.trim_end_matches(".sst");
    let number: u64 = digits
        .parse()
        .map_err(|_| bad(number, format!("{number:?} is not a table file number")))?;
    let mut limit = Some(20);
    for word in args.iter().skip(1) {
        limit = match word.strip_prefix("limit=") {
            Some("all") => None,
            Some(n) => Some(
                n.parse()
                    .map_err(|_| bad(word, format!("{n:?} is not a number")))?,
            ),
            None => return Err(bad(word, format!("unexpected {word:?}")).into()),
        };
    }
    Ok((number, limit))
}

/// One line saying what a maintenance step did.
pub(crate) fn describe_step(work: Option<&Maintenance>) -> String {
    match work {
        None => "nothing to do: no flush or compaction is due".to_owned(),
        Some(Maintenance::Flushed { file_number }) => {
            format!("flushed the frozen memtable to L0 table {file_number}")
        }
        Some(Maintenance::Compacted {
            level,
            output_level,
            inputs,
            outputs,
            trivial_move,
        }) => {
            let how = match trivial_move {
                true => "moved",
                false => "compacted",
            };
            format!("{how} L{level} → L{output_level}: tables {inputs:?} in, {outputs:?} out")
        }
        Some(other) => format!("{other:?}"),
    }
}
