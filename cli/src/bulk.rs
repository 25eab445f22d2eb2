//! The bulk command `load`, with a progress bar on a terminal and a summary
//! of what it did.
//!
//! It expands to single-key operations exactly as a trace records them
//! (`Command::load_ops`), so a shell session and a traced script that run
//! the same commands build the same tree. (`delete-range` is one operation,
//! one range tombstone, and needs no progress bar.)

use std::io::Write;
use std::time::{Duration, Instant};

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use strata_engine::script::Command;
use strata_engine::trace::TraceOp;

use crate::shell::Shell;

/// Operations between progress-bar updates.
const PROGRESS_EVERY_OPS: u64 = 256;

/// Runs a `load` command.
pub fn load(shell: &mut Shell, command: &Command, out: &mut dyn Write) -> Result<()> {
    let ops = command.load_ops().unwrap_or_default();
    let bar = progress(shell, ops.len() as u64, "load");
    let started = Instant::now();
    let mut done = 0u64;
    for op in ops {
        if let TraceOp::Put { key, value } = op {
            shell.db.put(key, value)?;
        }
        done += 1;
        tick(bar.as_ref(), done);
    }
    finish(shell, bar, "load", "puts", done, started.elapsed(), out)
}

fn progress(shell: &Shell, len: u64, name: &str) -> Option<ProgressBar> {
    if !shell.progress || len < PROGRESS_EVERY_OPS {
        return None;
    }
    let bar = ProgressBar::new(len);
    let style = ProgressStyle::with_template(
        "{prefix} [{bar:40}] {pos}/{len} ops, {elapsed} elapsed, eta {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(name.to_owned());
    Some(bar)
}

fn tick(bar: Option<&ProgressBar>, done: u64) {
    if let Some(bar) = bar {
        if done.is_multiple_of(PROGRESS_EVERY_OPS) {
            bar.set_position(done);
        }
    }
}

fn finish(
    shell: &Shell,
    bar: Option<ProgressBar>,
    name: &str,
    what: &str,
    ops: u64,
    elapsed: Duration,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let seconds = elapsed.as_secs_f64();
    let rate = if seconds > 0.0 {
        ops as f64 / seconds
    } else {
        0.0
    };
    if shell.json {
        let summary = json!({
            "command": name, "ops": ops, "seconds": seconds, "ops_per_second": rate,
        });
        writeln!(out, "{summary}")?;
    } else {
        writeln!(
            out,
            "{name}: {ops} {what} in {seconds:.3} s ({rate:.0} ops/s); tables per level: {}",
            shell.level_counts()
        )?;
    }
    Ok(())
}
