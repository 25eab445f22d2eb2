//! `strata trace DIR --script FILE --out TRACE.json`: runs a script of the
//! engine's command language on a new database in DIR, recording every
//! operation with its events, and writes the trace the visualizer imports.
//!
//! A trace replays on an *empty* in-memory database, so the run must start
//! from an empty directory: a non-empty one is refused, and `--fresh`
//! empties it first only when every file in it is one Strata creates. The
//! written trace is replayed in memory and compared before it is written
//! (skip with `--no-check`).

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use strata_engine::filename;
use strata_engine::script::{parse_command, set_option, Command, Scene};
use strata_engine::trace::{replay, OpOutcome, Trace, TraceRunner, MAX_TRACE_BYTES, MAX_TRACE_OPS};
use strata_engine::{MaintenanceMode, Options};
use strata_storage::FsStorage;

use crate::args::TraceArgs;
use crate::run::read_script;
use crate::show;

/// Runs `strata trace`.
pub fn run(args: &TraceArgs) -> Result<()> {
    let text = read_script(&args.script)?;
    let mut base = Options::deterministic();
    for (name, value) in &args.options {
        set_option(&mut base, name, value)
            .map_err(|e| anyhow!("--option {name}={value}: {}", e.message))?;
    }
    let scene = Scene::parse(&text, &base).map_err(|e| {
        anyhow!(
            "{}: line {}, column {}: {}",
            args.script,
            e.line,
            e.column,
            e.message
        )
    })?;
    if scene.options.maintenance == MaintenanceMode::Background {
        bail!("a trace needs deterministic maintenance: use maintenance=inline or manual");
    }
    prepare_directory(&args.dir, args.fresh)?;
    let storage = Arc::new(
        FsStorage::open(&args.dir).with_context(|| format!("creating {}", args.dir.display()))?,
    );
    let mut runner = TraceRunner::open(storage, scene.options.clone())
        .with_context(|| format!("creating the database in {}", args.dir.display()))?;
    for (command, line) in scene.commands.iter().zip(command_lines(&text)) {
        let before = runner.trace().steps.len();
        runner
            .execute(command)
            .with_context(|| format!("{}: line {line}", args.script))?;
        for step in runner.trace().steps.iter().skip(before) {
            if let OpOutcome::Failed { message } = &step.outcome {
                eprintln!("strata: warning: line {line}: the operation failed (recorded in the trace): {message}");
            }
        }
        if runner.trace().steps.len() > MAX_TRACE_OPS {
            bail!("line {line}: the trace passes {MAX_TRACE_OPS} operations, more than the visualizer imports");
        }
    }
    let trace = runner.finish();
    let json = trace.to_json();
    if json.len() > MAX_TRACE_BYTES {
        bail!(
            "the trace is {}, more than the {} the visualizer imports; record a shorter script",
            show::size(json.len() as u64),
            show::size(MAX_TRACE_BYTES as u64)
        );
    }
    if !args.no_check {
        check_replay(&trace)?;
    }
    write_out(&args.out, &json)?;
    let events: usize =
        trace.open_events.len() + trace.steps.iter().map(|s| s.events.len()).sum::<usize>();
    eprintln!(
        "trace: {} operations, {events} events, {} written to {}{}",
        trace.steps.len(),
        show::size(json.len() as u64),
        args.out,
        if args.no_check {
            ""
        } else {
            " (replays identically in memory)"
        }
    );
    Ok(())
}

/// The 1-based line numbers of the script's commands other than `option`,
/// in the order `Scene::parse` lists them.
fn command_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            matches!(parse_command(line), Ok(Some(c)) if !matches!(c, Command::SetOption { .. }))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Makes sure `dir` exists and is empty (see the module docs).
fn prepare_directory(dir: &Path, fresh: bool) -> Result<()> {
    let shown = dir.display();
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        bail!("{shown} is not a directory");
    }
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {shown}"))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = entry.file_type()?.is_file() && filename::parse(&name).is_some();
        names.push((name, ours));
    }
    if names.is_empty() {
        return Ok(());
    }
    if !fresh {
        bail!(
            "{shown} is not empty; a trace records a run from an empty database. \
             Choose a new directory, or pass --fresh to empty a Strata database directory first"
        );
    }
    if let Some((foreign, _)) = names.iter().find(|(_, ours)| !ours) {
        bail!("refusing to empty {shown}: it holds {foreign:?}, which Strata did not create");
    }
    for (name, _) in names {
        std::fs::remove_file(dir.join(&name)).with_context(|| format!("removing {name}"))?;
    }
    Ok(())
}

/// Replays `trace` on an empty in-memory database and compares.
fn check_replay(trace: &Trace) -> Result<()> {
    let replayed = replay(trace).context("replaying the trace in memory")?;
    if replayed.open_events != trace.open_events {
        bail!("the trace does not replay identically: opening the database differs");
    }
    let differs = trace
        .steps
        .iter()
        .zip(&replayed.steps)
        .position(|(a, b)| a != b);
    if let Some(i) = differs {
        bail!("the trace does not replay identically: operation {i} differs");
    }
    Ok(())
}

fn write_out(out: &str, json: &str) -> Result<()> {
    if out == "-" {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(json.as_bytes())?;
        stdout.write_all(b"\n")?;
        return Ok(stdout.flush()?);
    }
    std::fs::write(out, json).with_context(|| format!("writing {out}"))
}
