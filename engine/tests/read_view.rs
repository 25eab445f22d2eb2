//! Reads take no lock a writer holds: the memtables and version they read
//! are published on every freeze, flush and installed version, and the
//! last visible sequence number is an atomic the writer stores after its
//! inserts. Guards against a read that misses a write which had already
//! returned — a view published late, or a sequence number published
//! before its records — while memtables freeze and flush underneath.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use strata_engine::{Db, MaintenanceMode, Options};
use strata_storage::MemStorage;

fn key(i: u64) -> Vec<u8> {
    format!("key{i:08}").into_bytes()
}

#[test]
fn readers_beside_a_writer_see_every_write_that_returned() -> anyhow::Result<()> {
    let options = Options {
        memtable_bytes_max: 8 << 10,
        maintenance: MaintenanceMode::Background,
        ..Options::deterministic()
    };
    let db = Arc::new(Db::open(Arc::new(MemStorage::new()), options)?);
    let written = AtomicU64::new(0);
    let total = 20_000u64;
    std::thread::scope(|s| -> anyhow::Result<()> {
        let readers: Vec<_> = (0..3u64)
            .map(|r| {
                let (db, written) = (&db, &written);
                s.spawn(move || -> anyhow::Result<u64> {
                    let mut checked = 0;
                    let mut x = r + 1;
                    loop {
                        // Every key below `done` was written before the load.
                        let done = written.load(Ordering::Acquire);
                        if done > 0 {
                            x = x
                                .wrapping_mul(6364136223846793005)
                                .wrapping_add(1442695040888963407);
                            let i = (x >> 33) % done;
                            anyhow::ensure!(
                                db.get(key(i))?.is_some(),
                                "key {i} missing after {done} writes returned"
                            );
                            checked += 1;
                        }
                        if done == total {
                            return Ok(checked);
                        }
                    }
                })
            })
            .collect();
        for i in 0..total {
            db.put(key(i), [b'v'; 48])?;
            written.store(i + 1, Ordering::Release);
        }
        for r in readers {
            let checked = r.join().map_err(|_| anyhow::anyhow!("reader panicked"))??;
            assert!(checked > 0, "a reader checked nothing");
        }
        Ok(())
    })?;
    let stats = db.stats();
    assert!(
        stats.levels.iter().map(|l| l.tables).sum::<u64>() > 0,
        "memtables froze and flushed during the run"
    );
    Ok(())
}
