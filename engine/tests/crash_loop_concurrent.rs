//! The crash loop with `Background` maintenance and three concurrent
//! writers: the power cut lands on a random storage call while the
//! maintenance thread flushes and compacts and the writers race for the
//! log. Each writer puts its own keys in order, every third synced.
//!
//! The writers' interleaving is not known, so each is checked on its own:
//! after recovery a writer's keys are a prefix of its puts (no holes), at
//! least as long as its last acknowledged synced put and no longer than
//! its last attempted one, with the right values; and every crash image
//! opens (no refused opens). `STRATA_CRASH_CONCURRENT_ITERATIONS` sets the
//! number of crashes (default 100), `STRATA_CRASH_SEED` the first seed.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::Arc;

use strata_engine::rng::SeededRng;
use strata_engine::{CompactionStrategy, Db, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{CrashMode, FaultStorage, MemStorage, Storage};

const WRITERS: usize = 3;
const PUTS_PER_WRITER: usize = 400;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn key(writer: usize, i: usize) -> Vec<u8> {
    format!("w{writer}-{i:05}").into_bytes()
}

fn value(writer: usize, i: usize) -> Vec<u8> {
    format!("value {writer} {i} {}", "x".repeat(i % 40)).into_bytes()
}

fn options(rng: &mut SeededRng) -> Options {
    let strategies = [
        CompactionStrategy::Leveled,
        CompactionStrategy::SizeTiered,
        CompactionStrategy::Hybrid,
    ];
    Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        l0_compaction_trigger: 2,
        l0_slowdown_trigger: 4,
        l0_stop_trigger: 6,
        level_base_bytes: 8 << 10,
        target_file_size_bytes: 2048,
        compaction_strategy: strategies[(rng.next_u64() % 3) as usize],
        maintenance: MaintenanceMode::Background,
        seed: rng.next_u64(),
        ..Options::deterministic()
    }
}

/// What one writer got done before the crash stopped it.
#[derive(Clone, Copy, Default, Debug)]
struct Progress {
    /// Puts attempted (acknowledged or not).
    attempted: usize,
    /// Puts up to and including the last acknowledged synced one.
    durable: usize,
}

fn writer(db: &Db, w: usize) -> Progress {
    let mut progress = Progress::default();
    for i in 0..PUTS_PER_WRITER {
        let sync = i % 3 == 2;
        progress.attempted = i + 1;
        let mut batch = WriteBatch::new();
        batch.put(key(w, i), value(w, i));
        if db.write_opt(&batch, WriteOptions { sync }).is_err() {
            break;
        }
        if sync {
            progress.durable = i + 1;
        }
    }
    progress
}

/// One workload to its crash; returns the recovered-and-checked outcome.
fn crash_one(seed: u64) -> usize {
    let mut rng = SeededRng::new(seed);
    let options = options(&mut rng);
    let mode = if rng.next_u64().is_multiple_of(2) {
        CrashMode::Prefix
    } else {
        CrashMode::DropUnsynced
    };
    let fault = FaultStorage::new(Arc::new(MemStorage::new()), seed).unwrap();
    let db = Db::open(Arc::new(fault.clone()) as Arc<dyn Storage>, options.clone()).unwrap();
    fault.crash_at_op(50 + rng.next_u64() % 4000, mode);
    let progress: Vec<Progress> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..WRITERS)
            .map(|w| {
                let db = &db;
                s.spawn(move || writer(db, w))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    drop(db);
    let image = match fault.take_crash_image() {
        Some(image) => image,
        None => fault.crash_image(mode).unwrap(),
    };
    let reopen = Options {
        maintenance: MaintenanceMode::Manual,
        ..options
    };
    let db = Db::open(Arc::new(image) as Arc<dyn Storage>, reopen)
        .unwrap_or_else(|e| panic!("seed {seed}: the crash image did not open: {e}"));
    let mut recovered = 0;
    for (w, p) in progress.iter().enumerate() {
        let range = key(w, 0)..key(w, PUTS_PER_WRITER);
        let got: Vec<(Vec<u8>, Vec<u8>)> = db.scan(range).unwrap().map(|kv| kv.unwrap()).collect();
        for (i, (k, v)) in got.iter().enumerate() {
            assert_eq!(
                (k, v),
                (&key(w, i), &value(w, i)),
                "seed {seed}: writer {w} hole at {i}"
            );
        }
        assert!(
            got.len() >= p.durable,
            "seed {seed}: writer {w} lost synced puts: {} recovered, {p:?}",
            got.len()
        );
        assert!(
            got.len() <= p.attempted,
            "seed {seed}: writer {w}: {} > {p:?}",
            got.len()
        );
        recovered += got.len();
    }
    db.check_invariants()
        .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
    recovered
}

#[test]
fn concurrent_writers_with_background_maintenance_survive_random_crashes() {
    let iterations = env_u64("STRATA_CRASH_CONCURRENT_ITERATIONS", 100);
    let first = env_u64("STRATA_CRASH_SEED", 1);
    let mut recovered = 0;
    for seed in first..first + iterations {
        recovered += crash_one(seed);
    }
    println!("{iterations} crashes with {WRITERS} writers, {recovered} puts recovered, 0 lost");
}
