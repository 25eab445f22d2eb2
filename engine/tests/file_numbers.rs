//! File numbers past 999,999: names are zero-padded to six digits, so past
//! a million `Storage::list`'s string order is no longer numeric order
//! (`1000000.log` sorts before `999999.log`). Recovery once replayed logs
//! in string order, took the older log for a gap after the newer one and
//! deleted it with the synced writes it held. Every list of file numbers
//! must be in numeric order.

mod common;

use common::{contents, crashed_copy, key, open, small_options};
use strata_engine::{MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{MemStorage, Storage};

const SYNC: WriteOptions = WriteOptions { sync: true };

fn manual() -> Options {
    Options {
        maintenance: MaintenanceMode::Manual,
        ..small_options()
    }
}

/// The numbers of the logs in `storage`.
fn log_numbers(storage: &MemStorage) -> anyhow::Result<Vec<u64>> {
    Ok(storage
        .list()?
        .iter()
        .filter_map(|n| n.strip_suffix(".log")?.parse().ok())
        .collect())
}

#[test]
fn logs_on_both_sides_of_a_million_replay_in_numeric_order() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    open(&storage, &manual())?.close()?;
    // A leftover file with a high number moves the file counter there.
    let mut stray = storage.create("999997.sst")?;
    stray.sync()?;
    storage.sync_dir()?;
    let db = open(&storage, &manual())?;
    let mut written = 0;
    loop {
        let logs = log_numbers(&storage)?;
        let below = logs.iter().any(|&n| n < 1_000_000);
        let above = logs.iter().any(|&n| n >= 1_000_000);
        if below && above && written > 0 && written % 7 == 0 {
            break;
        }
        anyhow::ensure!(written < 10_000, "never had logs on both sides: {logs:?}");
        db.write_opt(WriteBatch::new().put(key(written), [b'v'; 64]), SYNC)?;
        written += 1;
    }
    let crashed = crashed_copy(&storage);
    drop(db);
    let db = open(&crashed, &manual())?;
    let got = contents(&db)?;
    let want: Vec<_> = (0..written).map(|i| (key(i), vec![b'v'; 64])).collect();
    assert_eq!(got.len(), want.len(), "synced writes were lost");
    assert_eq!(got, want);
    // Tables and manifests past a million keep working too.
    db.flush()?;
    db.compact()?;
    db.close()?;
    let db = open(&crashed, &manual())?;
    assert_eq!(contents(&db)?, want);
    db.check_invariants().map_err(anyhow::Error::msg)?;
    let tables = crashed.list()?.into_iter().filter(|n| n.ends_with(".sst"));
    assert!(tables.clone().count() > 0 && tables.clone().all(|n| n.len() == "1000000.sst".len()));
    Ok(())
}

/// An empty leftover file named with a number near `u64::MAX` once moved
/// the file counter there: it wrapped, writes failed with "table 4 is
/// already live" and the next open was refused. Numbers past
/// `filename::MAX_FILE_NUMBER` are not Strata's: such a file is ignored
/// (and left alone).
#[test]
fn a_stray_file_with_a_huge_number_does_not_brick_the_database() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &small_options())?;
    db.put("before", "stray")?;
    db.close()?;
    for name in ["18446744073709551613.sst", "18446744073709551615.log"] {
        let mut stray = storage.create(name)?;
        stray.sync()?;
    }
    storage.sync_dir()?;
    let db = open(&storage, &small_options())?;
    for i in 0..300 {
        db.write_opt(WriteBatch::new().put(key(i), [b'v'; 64]), SYNC)?;
    }
    db.flush()?;
    db.close()?;
    let db = open(&storage, &small_options())?;
    assert_eq!(db.get("before")?.as_deref(), Some(&b"stray"[..]));
    assert_eq!(contents(&db)?.len(), 301);
    db.check_invariants().map_err(anyhow::Error::msg)?;
    assert!(storage.exists("18446744073709551613.sst")?, "left alone");
    Ok(())
}

#[test]
fn names_that_are_not_canonical_are_not_strata_files() {
    use strata_engine::filename::{parse, FileKind, MAX_FILE_NUMBER};
    assert_eq!(parse("000012.log"), Some(FileKind::Wal(12)));
    assert_eq!(parse("1000000.sst"), Some(FileKind::Table(1_000_000)));
    assert_eq!(parse("0000012.log"), None, "two names for one number");
    assert_eq!(parse("12.log"), None);
    assert_eq!(parse("MANIFEST-12"), None);
    assert_eq!(parse(&format!("{}.sst", MAX_FILE_NUMBER + 1)), None);
    assert_eq!(
        parse(&format!("{MAX_FILE_NUMBER}.sst")),
        Some(FileKind::Table(MAX_FILE_NUMBER))
    );
}
