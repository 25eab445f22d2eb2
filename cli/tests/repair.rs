//! `strata repair DIR`: a directory that lost its `CURRENT` is refused by
//! the shell (naming what is missing) and rebuilt by `repair`, which moves
//! its input files into `DIR/lost/` instead of deleting them.

mod common;

use std::sync::Arc;

use common::strata;
use strata_engine::{Db, Options};
use strata_storage::{FsStorage, Storage};

#[test]
fn repair_rebuilds_a_directory_without_current() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().to_str().unwrap_or_default().to_owned();
    let options = Options {
        memtable_bytes_max: 4096,
        ..Options::deterministic()
    };
    let db = Db::open(
        Arc::new(FsStorage::open(dir.path())?) as Arc<dyn Storage>,
        options,
    )?;
    for i in 0..300 {
        db.put(format!("k{i:03}"), format!("v{i}"))?;
    }
    db.close()?;
    std::fs::remove_file(dir.path().join("CURRENT"))?;
    let inputs: Vec<String> = std::fs::read_dir(dir.path())?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".sst") || n.ends_with(".log") || n.starts_with("MANIFEST-"))
        .collect();
    assert!(inputs.iter().any(|n| n.ends_with(".sst")));

    let refused = strata(&[&path, "-c", "get k001"], None)?;
    assert!(!refused.ok());
    assert!(
        refused.stderr.contains("CURRENT is missing"),
        "{}",
        refused.stderr
    );

    let repaired = strata(&["repair", &path], None)?;
    assert!(repaired.ok(), "{}", repaired.stderr);
    assert!(
        repaired.stdout.contains("recovered 300 records"),
        "{}",
        repaired.stdout
    );
    for name in &inputs {
        assert!(
            dir.path().join("lost").join(name).exists(),
            "{name} not in lost/"
        );
    }
    let got = strata(&[&path, "-c", "get k123", "-c", "verify"], None)?;
    assert!(got.ok(), "{}", got.stderr);
    assert!(got.stdout.contains("v123"), "{}", got.stdout);
    Ok(())
}
