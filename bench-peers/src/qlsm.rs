//! The seed workload from qlsm (a small LSM-tree in Go): all 26^5 five-letter
//! lowercase keys, in order, each with qlsm's demo value (a 52-byte JSON
//! object). Insert all, query all, delete all, delete one absent key,
//! query all (absent), close, reopen, query all (absent) again.

use std::path::Path;

use anyhow::{ensure, Result};

use crate::engine::{EngineConfig, Kind};
use crate::measure::{dir_bytes, Measurement, Timer};

/// The value qlsm's demo stores: `TestValue{1, 2, 3, "a…z"}` as JSON.
pub const VALUE: &[u8] = br#"{"A":1,"B":2,"C":3,"D":"abcdefghijklmnopqrstuvwxyz"}"#;

/// 26^5.
pub const FULL_KEYS: u64 = 11_881_376;

/// qlsm's published figures (Xeon Gold 5218R), seconds, by step.
pub const QLSM_SECS: &[(&str, f64)] = &[
    ("insert", 408.954),
    ("query all", 52.913),
    ("delete all", 213.146),
    ("delete absent", 0.000_007_404),
    ("query absent", 31.214),
    ("reopen", 41.691),
];

/// The `i`-th five-letter key in lexicographic order.
pub fn key(i: u64) -> [u8; 5] {
    let mut k = [b'a'; 5];
    let mut n = i;
    for slot in k.iter_mut().rev() {
        *slot = b'a' + (n % 26) as u8;
        n /= 26;
    }
    k
}

/// Runs the workload on the first `keys` keys (all of them at scale 1).
pub fn run(kind: Kind, root: &Path, config: &EngineConfig, keys: u64) -> Result<Vec<Measurement>> {
    let dir = tempfile::tempdir_in(root)?;
    let path = dir.path();
    let mut out = Vec::new();
    let mut record = |step: &str, ops: u64, t: &Timer, bytes: u64, disk: bool| {
        let secs = t.secs();
        eprintln!("  {:<8} qlsm {:<18} {:>10.3} s", kind.name(), step, secs);
        out.push(Measurement {
            workload: format!("qlsm {step}"),
            engine: kind,
            ops,
            secs,
            cpu_secs: t.cpu_secs(),
            bytes,
            process_write_amp: None,
            engine_write_amp: None,
            disk_bytes: disk.then(|| dir_bytes(path)),
            peak_rss_bytes: t.peak_rss_bytes(),
            threads: 1,
        });
    };
    let kv_bytes = keys * (5 + VALUE.len() as u64);
    let mut db = kind.open(path, config)?;
    let t = Timer::start();
    for i in 0..keys {
        db.put(&key(i), VALUE)?;
    }
    record("insert", keys, &t, kv_bytes, true);
    if let Some(stalls) = db.stall_report() {
        eprintln!("           stalls in insert: {stalls}");
    }
    let t = Timer::start();
    let mut found = 0u64;
    for i in 0..keys {
        found += u64::from(db.get(&key(i))? == Some(VALUE.len()));
    }
    record("query all", keys, &t, kv_bytes, false);
    ensure!(
        found == keys,
        "{}: query all found {found} of {keys}",
        kind.name()
    );
    let t = Timer::start();
    for i in 0..keys {
        db.delete(&key(i))?;
    }
    record("delete all", keys, &t, keys * 5, true);
    if let Some(stalls) = db.stall_report() {
        eprintln!("           stalls in query all + delete all: {stalls}");
    }
    let t = Timer::start();
    db.delete(b"abcdefg")?;
    record("delete absent", 1, &t, 7, false);
    let absent = |db: &mut dyn crate::engine::Engine| -> Result<u64> {
        let mut found = 0u64;
        for i in 0..keys {
            found += u64::from(db.get(&key(i))?.is_some());
        }
        Ok(found)
    };
    let t = Timer::start();
    let found = absent(db.as_mut())?;
    record("query absent", keys, &t, 0, false);
    ensure!(found == 0, "{}: query absent found {found}", kind.name());
    let t = Timer::start();
    db.close()?;
    record("close", 1, &t, 0, true);
    let t = Timer::start();
    let mut db = kind.open(path, config)?;
    record("reopen", 1, &t, 0, false);
    let t = Timer::start();
    let found = absent(db.as_mut())?;
    record("query absent after reopen", keys, &t, 0, false);
    ensure!(
        found == 0,
        "{}: query absent after reopen found {found}",
        kind.name()
    );
    db.close()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_run_from_aaaaa_to_zzzzz() {
        assert_eq!(&key(0), b"aaaaa");
        assert_eq!(&key(1), b"aaaab");
        assert_eq!(&key(FULL_KEYS - 1), b"zzzzz");
        assert_eq!(VALUE.len(), 52);
    }
}
