//! The shell, run as a subprocess on temporary directories.
#![allow(
    clippy::indexing_slicing,
    reason = "indexing a serde_json::Value yields Null when absent; it never panics"
)]

mod common;

use anyhow::{ensure, Context, Result};
use common::{commands, snapshot_dir, strata};

/// Options that make a few thousand small puts build several tables.
const SMALL: &[&str] = &[
    "--option",
    "memtable_bytes_max=8192",
    "--option",
    "block_size_bytes=1024",
];

#[test]
fn commands_round_trip_through_a_script() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let run = commands(
        dir.path(),
        &[],
        &[
            "put apple red",
            r#"put "two words" 0x00ff"#,
            "get apple",
            r#"get "two words""#,
            "batch put banana yellow | delete apple | put cherry dark",
            "get apple",
            "delete cherry",
            "scan",
            "scan .. c rev limit=1",
        ],
    )?;
    ensure!(run.ok(), "{run:?}");
    let expected = "red\n0x00ff\n(not found)\nbanana yellow\n\"two words\" 0x00ff\n(2 entries)\n\
                    banana yellow\n(1 entries)\n";
    assert_eq!(run.stdout, expected);
    Ok(())
}

#[test]
fn data_persists_across_invocations_and_scripts_read_stdin() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().join("db");
    ensure!(commands(&db, &[], &["put k1 v1", "put k2 v2", "flush", "put k3 v3"])?.ok());
    let script = dir.path().join("more.strata");
    std::fs::write(&script, "# a comment\ndelete k2\n\nput k4 v4\n")?;
    let db_arg = db.to_string_lossy().into_owned();
    let run = strata(&[&db_arg, "--script", &script.to_string_lossy()], None)?;
    ensure!(run.ok(), "{run:?}");
    let run = strata(&[&db_arg], Some("scan\nget k2\n"))?;
    ensure!(run.ok(), "{run:?}");
    assert_eq!(
        run.stdout,
        "k1 v1\nk3 v3\nk4 v4\n(3 entries)\n(not found)\n"
    );
    Ok(())
}

#[test]
fn get_scan_and_stats_print_json_on_request() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let run = commands(
        dir.path(),
        &["--json"],
        &["put a 1", "put b 0x00", "get a", "get zz", "scan", "stats"],
    )?;
    ensure!(run.ok(), "{run:?}");
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let [get, missing, scan, stats] = lines.as_slice() else {
        anyhow::bail!("expected four JSON lines: {}", run.stdout);
    };
    assert_eq!(get["value"], "1");
    assert!(missing["value"].is_null());
    assert_eq!(scan["entries"][1]["value"]["hex"], "00");
    assert_eq!(stats["stats"]["last_seq"], 2);
    assert!(stats["write_amplification"].is_number());
    Ok(())
}

#[test]
fn inspection_commands_report_the_tree() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut flags = SMALL.to_vec();
    flags.push("--json");
    let run = commands(
        dir.path(),
        &flags,
        &["load sequential 2000 value_bytes=20", "flush", "tables"],
    )?;
    ensure!(run.ok(), "{run:?}");
    let tables: serde_json::Value = serde_json::from_str(run.stdout.lines().last().unwrap_or(""))?;
    let first = &tables["levels"]
        .as_array()
        .and_then(|levels| levels.iter().find_map(|l| l.get(0)))
        .context("no table")?
        .clone();
    let number = first["file_number"].as_u64().context("file number")?;
    let run = commands(
        dir.path(),
        SMALL,
        &[
            "stats",
            "tables",
            &format!("dump-table {number} limit=3"),
            "dump-manifest",
            "verify",
        ],
    )?;
    ensure!(run.ok(), "{run:?}");
    let out = &run.stdout;
    for fact in [
        "write amplification",
        "space amplification",
        "level  tables",
        &format!("{number:06}.sst"),
        "k = 7 probes per key",
        "restarts",
        "entries (first 3 of",
        " put v",
        "CURRENT names MANIFEST-",
        "edit 1 at byte 0",
        "+ L",
        "tree invariants: OK",
        "\nOK\n",
    ] {
        assert!(out.contains(fact), "missing {fact:?} in:\n{out}");
    }
    Ok(())
}

#[test]
fn a_corrupt_table_byte_makes_verify_name_the_file_and_offset() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let run = commands(
        dir.path(),
        &[],
        &["load sequential 3000 value_bytes=50", "flush", "tables"],
    )?;
    ensure!(run.ok(), "{run:?}");
    let table = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "sst"))
        .context("no table file")?;
    let name = table
        .file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned();
    let number: u64 = name.trim_end_matches(".sst").parse()?;
    let dump = commands(dir.path(), &[], &[&format!("dump-table {number} limit=0")])?;
    ensure!(dump.ok(), "{dump:?}");
    let mut bytes = std::fs::read(&table)?;
    let byte = bytes.get_mut(5000).context("table too short")?;
    *byte ^= 0x40;
    std::fs::write(&table, &bytes)?;

    let run = commands(dir.path(), &["--json"], &["verify"])?;
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("verify found 1 problems"), "{run:?}");
    let report: serde_json::Value = serde_json::from_str(run.stdout.trim())?;
    assert_eq!(report["ok"], false);
    let problem = &report["problems"][0];
    assert_eq!(problem["file"], name.as_str());
    let offset = problem["offset"].as_u64().context("no offset")?;
    assert!(offset <= 5000 && 5000 - offset < 4200, "offset {offset}");
    assert!(
        dump.stdout.contains(&format!(" {offset} ")),
        "{offset} is not a block offset:\n{}",
        dump.stdout
    );
    let human = commands(dir.path(), &[], &["verify"])?;
    let expected = format!("CORRUPTION in {name} at byte {offset}: block checksum mismatch");
    assert!(human.stdout.contains(&expected), "{human:?}");
    Ok(())
}

#[test]
fn bad_lines_stop_the_script_with_their_line_and_column() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let db = dir.path().to_string_lossy().into_owned();
    let run = strata(&[&db], Some("put a 1\nfrobnicate x\nput b 2\n"))?;
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("line 2, column 1: unknown command \"frobnicate\""),
        "{run:?}"
    );
    let run = commands(dir.path(), &[], &["get b", "put 0xzz v", "put c 3"])?;
    assert_eq!(run.code, Some(1));
    assert_eq!(run.stdout, "(not found)\n", "b was never written: {run:?}");
    assert!(run.stderr.contains("-c command 2, column 5"), "{run:?}");
    assert!(run.stderr.contains("not a hex digit"), "{run:?}");
    let run = commands(dir.path(), &[], &[r#"put "open v"#])?;
    assert!(run.stderr.contains("unterminated quoted string"), "{run:?}");
    let run = commands(dir.path(), &[], &["get c"])?;
    assert_eq!(
        run.stdout, "(not found)\n",
        "the script stopped at the error"
    );
    let run = commands(dir.path(), &[], &["dump-table 999"])?;
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("there is no table 000999.sst"),
        "{run:?}"
    );
    Ok(())
}

#[test]
fn a_directory_that_is_not_a_database_is_left_untouched() -> Result<()> {
    let dir = tempfile::tempdir()?;
    std::fs::write(dir.path().join("notes.txt"), "mine")?;
    let before = snapshot_dir(dir.path())?;
    let run = commands(dir.path(), &[], &["put a 1"])?;
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("is not a Strata database"), "{run:?}");
    assert_eq!(snapshot_dir(dir.path())?, before);

    let empty = tempfile::tempdir()?;
    let run = commands(empty.path(), &["--no-create"], &["stats"])?;
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("no Strata database"), "{run:?}");
    assert!(snapshot_dir(empty.path())?.is_empty());
    let absent = empty.path().join("absent");
    let run = commands(&absent, &["--no-create"], &["stats"])?;
    assert_eq!(run.code, Some(1));
    assert!(!absent.exists());
    Ok(())
}

#[test]
fn read_only_inspection_changes_nothing_on_disk() -> Result<()> {
    let dir = tempfile::tempdir()?;
    ensure!(commands(dir.path(), &[], &["put a 1", "flush", "put b 2"])?.ok());
    let before = snapshot_dir(dir.path())?;
    let run = commands(dir.path(), &["--read-only"], &["get b", "tables", "verify"])?;
    ensure!(run.ok(), "{run:?}");
    assert!(run.stdout.starts_with("2\n"), "{run:?}");
    let run = commands(dir.path(), &["--read-only"], &["put c 3"])?;
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("read-only"), "{run:?}");
    assert_eq!(snapshot_dir(dir.path())?, before);
    Ok(())
}

#[test]
fn usage_errors_exit_with_two() -> Result<()> {
    let run = strata(&["--bogus"], None)?;
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("unknown flag --bogus"));
    let run = strata(&["--help"], None)?;
    assert!(run.ok() && run.stdout.contains("strata trace DIR"));
    Ok(())
}

#[test]
fn compact_range_leaves_every_table_in_the_deepest_level() -> Result<()> {
    let dir = tempfile::tempdir()?;
    let mut flags = SMALL.to_vec();
    flags.extend(["--option", "maintenance=manual"]);
    let run = commands(
        dir.path(),
        &flags,
        &[
            "load sequential 3000 value_bytes=32",
            "flush",
            "compact-range",
            "get key002999",
        ],
    )?;
    ensure!(run.ok(), "{run:?}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    let report = lines
        .iter()
        .find(|l| l.contains("compactions; tables per level"))
        .context("compact-range reports what it did")?;
    // Manual maintenance: everything sat in L0 until compact-range took it
    // all to L1.
    let levels = report
        .split("tables per level: ")
        .nth(1)
        .context("levels listed")?;
    ensure!(
        levels.starts_with("L1:") && !levels.contains(' '),
        "{report}"
    );
    ensure!(
        lines.last().is_some_and(|l| l.starts_with("v2999-")),
        "{run:?}"
    );
    Ok(())
}
