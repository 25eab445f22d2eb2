//! `strata trace`: the JSON it writes is what the visualizer imports, and
//! it replays exactly.

mod common;

use anyhow::{ensure, Result};
use common::{snapshot_dir, strata};
use strata_engine::trace::{replay, OpOutcome, Trace, TraceOp};

const SCRIPT: &str = "\
# keys move through every part of the tree
option memtable_bytes_max=2048
option maintenance=manual
load random 300 seed=7 keys=60
snapshot
delete key000007
step
get key000007 @0
scan key000010 rev limit=3
put \"two words\" 0x00ff
batch put a 1 | delete b
delete-range key000020 key000030
compact
get key000025
";

#[test]
fn a_traced_script_replays_exactly_from_its_json() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let (script, out) = (tmp.path().join("scene.strata"), tmp.path().join("t.json"));
    std::fs::write(&script, SCRIPT)?;
    let dir = tmp.path().join("db");
    let args = |dir: &std::path::Path| {
        vec![
            "trace".to_owned(),
            dir.to_string_lossy().into_owned(),
            "--script".to_owned(),
            script.to_string_lossy().into_owned(),
            "--out".to_owned(),
            out.to_string_lossy().into_owned(),
        ]
    };
    let run = strata(
        &args(&dir).iter().map(String::as_str).collect::<Vec<_>>(),
        None,
    )?;
    ensure!(run.ok(), "{run:?}");
    assert!(run.stderr.contains("replays identically"), "{run:?}");

    let trace = Trace::from_json(&std::fs::read_to_string(&out)?).map_err(anyhow::Error::msg)?;
    assert_eq!(trace.options.memtable_bytes_max, 2048);
    assert_eq!(replay(&trace)?, trace);
    let puts = trace
        .ops()
        .filter(|op| matches!(op, TraceOp::Put { .. }))
        .count();
    assert_eq!(puts, 301, "the load expands to its puts");
    assert!(trace.steps.iter().any(|s| !s.events.is_empty()));
    let last = trace.steps.last().map(|s| s.outcome.clone());
    assert_eq!(
        last,
        Some(OpOutcome::Value { value: None }),
        "deleted by the range"
    );

    // The database stays for inspection; a second run needs --fresh.
    let mut again = args(&dir);
    let run = strata(&again.iter().map(String::as_str).collect::<Vec<_>>(), None)?;
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("is not empty"), "{run:?}");
    again.push("--fresh".to_owned());
    let first = std::fs::read_to_string(&out)?;
    let run = strata(&again.iter().map(String::as_str).collect::<Vec<_>>(), None)?;
    ensure!(run.ok(), "{run:?}");
    assert_eq!(
        std::fs::read_to_string(&out)?,
        first,
        "the same script, the same trace"
    );
    Ok(())
}

#[test]
fn trace_refuses_foreign_directories_and_bad_scripts() -> Result<()> {
    let tmp = tempfile::tempdir()?;
    let script = tmp.path().join("s.strata");
    let out = tmp.path().join("t.json");
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign)?;
    std::fs::write(foreign.join("notes.txt"), "mine")?;
    std::fs::write(&script, "put a 1\n")?;
    let (s, o, f) = (
        script.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
        foreign.to_string_lossy().into_owned(),
    );
    let before = snapshot_dir(&foreign)?;
    let run = strata(&["trace", &f, "--script", &s, "--out", &o, "--fresh"], None)?;
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("which Strata did not create"),
        "{run:?}"
    );
    assert_eq!(snapshot_dir(&foreign)?, before);

    std::fs::write(&script, "put a 1\nput 0xz b\n")?;
    let fresh = tmp.path().join("new").to_string_lossy().into_owned();
    let run = strata(&["trace", &fresh, "--script", &s, "--out", &o], None)?;
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("line 2, column 5"), "{run:?}");
    assert!(!out.exists());
    Ok(())
}
