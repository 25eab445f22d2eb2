//! Guards the split between fast defaults and deterministic setups: a
//! native `Options::default()` runs flushes and compactions on the
//! background thread (the writer never compacts), while
//! `Options::deterministic()` and options read back from a trace that
//! omits the field stay inline, so scripts and traces never turn into
//! background runs by accident.

use std::sync::Arc;

use strata_engine::{Db, MaintenanceMode, Options};
use strata_storage::MemStorage;

#[test]
fn native_defaults_maintain_in_the_background() {
    assert_eq!(Options::default().maintenance, MaintenanceMode::Background);
    assert_eq!(MaintenanceMode::default(), MaintenanceMode::Background);
}

#[test]
fn deterministic_options_are_the_defaults_with_inline_maintenance() {
    let deterministic = Options::deterministic();
    assert_eq!(deterministic.maintenance, MaintenanceMode::Inline);
    let with_inline = Options {
        maintenance: MaintenanceMode::Inline,
        ..Options::default()
    };
    assert_eq!(deterministic, with_inline);
}

#[test]
fn serialised_options_without_maintenance_read_back_inline() -> anyhow::Result<()> {
    let options: Options = serde_json::from_str(r#"{"memtable_bytes_max": 2048}"#)?;
    assert_eq!(options.maintenance, MaintenanceMode::Inline);
    assert_eq!(options.memtable_bytes_max, 2048);
    Ok(())
}

/// With the defaults, writes that fill many memtables return while the
/// background thread flushes; everything reads back, and after `compact`
/// no flush or compaction is left due.
#[test]
fn a_database_opened_with_defaults_flushes_without_the_writer() -> anyhow::Result<()> {
    let options = Options {
        memtable_bytes_max: 4096,
        ..Options::default()
    };
    let db = Db::open(Arc::new(MemStorage::new()), options)?;
    for i in 0..2000u32 {
        db.put(format!("key{i:05}"), [b'v'; 64])?;
    }
    db.compact()?;
    let stats = db.stats();
    assert!(
        stats.levels.iter().map(|l| l.tables).sum::<u64>() > 0,
        "the memtables reached tables"
    );
    for i in (0..2000u32).step_by(97) {
        assert_eq!(db.get(format!("key{i:05}"))?, Some(vec![b'v'; 64]));
    }
    assert_eq!(db.maintenance_error(), None);
    db.close()?;
    Ok(())
}
