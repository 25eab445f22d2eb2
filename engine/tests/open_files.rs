//! Open file handles are bounded. Every table the engine read stayed open
//! (its file handle with it), so a database of many tables ran out of
//! file descriptors. With `Options::max_open_tables` the least recently
//! used table is closed: a child process limited to 64 descriptors
//! (`ulimit -n 64`) reads every key of a database of hundreds of tables
//! on real files, scans it and keeps writing. `STRATA_OPEN_FILES_KEYS`
//! sets the number of keys (default 25 000: about 1 000 tables).
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use strata_engine::{Db, Options};
use strata_storage::{FsStorage, Storage};

const DIR_VAR: &str = "STRATA_OPEN_FILES_DIR";
fn keys() -> u32 {
    std::env::var("STRATA_OPEN_FILES_KEYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25_000)
}

fn options(max_open_tables: usize) -> Options {
    Options {
        memtable_bytes_max: 16 << 10,
        block_size_bytes: 1024,
        target_file_size_bytes: 2048,
        level_base_bytes: 64 << 10,
        block_cache_bytes: 0,
        max_open_tables,
        ..Options::deterministic()
    }
}

fn key(i: u32) -> String {
    format!("key{:08}", i.wrapping_mul(2_654_435_761) % 100_000_000)
}

fn open(dir: &Path, max_open_tables: usize) -> Db {
    let storage: Arc<dyn Storage> = Arc::new(FsStorage::open(dir).unwrap());
    Db::open(storage, options(max_open_tables)).unwrap()
}

/// The child: reads and writes the database under the descriptor limit
/// the parent set. Does nothing in a normal test run.
#[test]
fn open_files_child() {
    let Some(dir) = std::env::var_os(DIR_VAR) else {
        return;
    };
    let db = open(Path::new(&dir), 16);
    for i in 0..keys() {
        assert!(db.get(key(i)).unwrap().is_some(), "key {i}");
    }
    assert_eq!(db.scan::<&[u8]>(..).unwrap().count(), keys() as usize);
    for i in 0..2000 {
        db.put(format!("more{i}"), "x").unwrap();
    }
    db.close().unwrap();
}

#[test]
fn hundreds_of_tables_are_read_under_a_low_descriptor_limit() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = open(dir.path(), 1000);
        for i in 0..keys() {
            db.put(key(i), format!("value {i} {}", "v".repeat(40)))
                .unwrap();
        }
        db.close().unwrap();
    }
    let tables = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".sst")
        })
        .count();
    assert!(
        tables as u64 > u64::from(keys()) / 50,
        "only {tables} tables"
    );
    println!("{tables} tables");
    let exe = std::env::current_exe().unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" open_files_child --exact --nocapture --test-threads=1")
        .arg(exe)
        .env(DIR_VAR, dir.path())
        .status()
        .unwrap();
    assert!(
        status.success(),
        "the child failed under ulimit -n 64 ({tables} tables)"
    );
}
