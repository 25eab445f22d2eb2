//! Readers and writers in parallel with background flushes and compactions.
//!
//! Each writer owns a key range and applies a deterministic sequence of
//! operations to it (derived from its number), each operation in one batch
//! together with a progress key holding the operation's index. A reader
//! that sees progress `p` for a writer can therefore recompute exactly what
//! that writer's range must hold, and checks it:
//! - through a snapshot and through a plain scan, the range equals the
//!   writer's state after `p` operations (atomic batches, consistent
//!   views);
//! - the progress a reader sees never goes backwards (monotonic
//!   visibility), and never runs ahead of what the writer has started.
//!
//! A watchdog turns a deadlock into a failure.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use strata_engine::rng::SeededRng;
use strata_engine::{CompactionStrategy, Db, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::MemStorage;

type Contents = BTreeMap<Vec<u8>, Vec<u8>>;

const WRITERS: u64 = 3;
const READERS: u64 = 3;

const WATCHDOG: Duration = Duration::from_secs(120);

/// Operations per writer: `STRATA_CONCURRENCY_OPS` or 4000.
fn ops_per_writer() -> u64 {
    std::env::var("STRATA_CONCURRENCY_OPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4000)
}

fn progress_key(writer: u64) -> Vec<u8> {
    format!("w{writer}/~progress").into_bytes()
}

/// A writer's deterministic operations, replayable by readers.
struct WriterModel {
    writer: u64,
    rng: SeededRng,
    done: u64,
    contents: Contents,
}

impl WriterModel {
    fn new(writer: u64) -> Self {
        Self {
            writer,
            rng: SeededRng::new(writer.wrapping_mul(0x9e37_79b9) + 1),
            done: 0,
            contents: Contents::new(),
        }
    }

    /// The next operation's batch (progress key included), applied to the
    /// model.
    fn next_batch(&mut self) -> WriteBatch {
        self.done += 1;
        let r = self.rng.next_u64();
        let key = format!("w{}/k{:03}", self.writer, r % 150).into_bytes();
        let mut batch = WriteBatch::new();
        if r.is_multiple_of(5) {
            batch.delete(&key);
            self.contents.remove(&key);
        } else {
            let value = format!(
                "{}-{} {}",
                self.writer,
                self.done,
                "x".repeat((r % 64) as usize)
            );
            batch.put(&key, &value);
            self.contents.insert(key, value.into_bytes());
        }
        let progress = self.done.to_string().into_bytes();
        batch.put(progress_key(self.writer), &progress);
        self.contents.insert(progress_key(self.writer), progress);
        batch
    }

    /// Advances the model to `done` operations.
    fn advance_to(&mut self, done: u64) {
        while self.done < done {
            self.next_batch();
        }
    }
}

fn writer_range(writer: u64) -> (Vec<u8>, Vec<u8>) {
    (
        format!("w{writer}/").into_bytes(),
        format!("w{writer}0").into_bytes(),
    )
}

fn progress_in(contents: &Contents, writer: u64) -> u64 {
    contents
        .get(&progress_key(writer))
        .map_or(0, |v| std::str::from_utf8(v).unwrap().parse().unwrap())
}

fn run_writer(db: &Db, writer: u64, started: &AtomicU64) {
    let mut model = WriterModel::new(writer);
    for i in 0..ops_per_writer() {
        let batch = model.next_batch();
        started.store(model.done, Ordering::SeqCst);
        let sync = i % 50 == 0;
        db.write_opt(&batch, WriteOptions { sync }).unwrap();
    }
}

/// Checks one view of `writer`'s range against the model, which must not
/// have to go backwards. Returns the progress seen.
fn check_view(got: Contents, model: &mut WriterModel, started: &AtomicU64, what: &str) -> u64 {
    let progress = progress_in(&got, model.writer);
    assert!(
        progress >= model.done,
        "{what}: writer {} went back from {} to {progress}",
        model.writer,
        model.done
    );
    assert!(
        progress <= started.load(Ordering::SeqCst),
        "{what}: from the future"
    );
    model.advance_to(progress);
    assert_eq!(
        got, model.contents,
        "{what}: writer {} at {progress}",
        model.writer
    );
    progress
}

fn run_reader(db: &Db, started: &[AtomicU64], stop: &AtomicBool) -> u64 {
    let mut snapshot_models: Vec<WriterModel> = (0..WRITERS).map(WriterModel::new).collect();
    let mut scan_models: Vec<WriterModel> = (0..WRITERS).map(WriterModel::new).collect();
    let mut checks = 0;
    while !stop.load(Ordering::SeqCst) {
        let snapshot = db.snapshot();
        for w in 0..WRITERS as usize {
            let (start, end) = writer_range(w as u64);
            let through_snapshot: Contents = snapshot
                .scan(start.as_slice()..end.as_slice())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            check_view(
                through_snapshot,
                &mut snapshot_models[w],
                &started[w],
                "snapshot",
            );
            let plain: Contents = db
                .scan(start.as_slice()..end.as_slice())
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let seen = check_view(plain, &mut scan_models[w], &started[w], "scan");
            let got = db.get(progress_key(w as u64)).unwrap();
            let now = got.map_or(0, |v| std::str::from_utf8(&v).unwrap().parse().unwrap());
            assert!(now >= seen, "get went back from {seen} to {now}");
            checks += 3;
        }
    }
    checks
}

fn run(strategy: CompactionStrategy) {
    let options = Options {
        memtable_bytes_max: 8 << 10,
        block_size_bytes: 512,
        maintenance: MaintenanceMode::Background,
        compaction_strategy: strategy,
        l0_compaction_trigger: 2,
        l0_slowdown_trigger: 4,
        l0_stop_trigger: 6,
        level_base_bytes: 32 << 10,
        target_file_size_bytes: 8 << 10,
        ..Options::deterministic()
    };
    let db = Arc::new(Db::open(Arc::new(MemStorage::new()), options).unwrap());
    let started: Arc<Vec<AtomicU64>> = Arc::new((0..WRITERS).map(|_| AtomicU64::new(0)).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let (done_tx, done_rx) = mpsc::channel();
    let mut readers = Vec::new();
    for _ in 0..READERS {
        let (db, started, stop) = (db.clone(), started.clone(), stop.clone());
        readers.push(std::thread::spawn(move || run_reader(&db, &started, &stop)));
    }
    for w in 0..WRITERS {
        let (db, started, done_tx) = (db.clone(), started.clone(), done_tx.clone());
        std::thread::spawn(move || {
            run_writer(&db, w, &started[w as usize]);
            if w == 0 {
                // One writer also forces flushes while the others write.
                db.flush().unwrap();
            }
            done_tx.send(()).unwrap();
        });
    }
    for _ in 0..WRITERS {
        done_rx.recv_timeout(WATCHDOG).unwrap_or_else(|_| {
            panic!("{strategy:?}: writers still running after {WATCHDOG:?}: deadlock?")
        });
    }
    stop.store(true, Ordering::SeqCst);
    let checks: u64 = readers.into_iter().map(|r| r.join().unwrap()).sum();
    db.compact().unwrap();
    db.check_invariants().unwrap();
    let stats = db.stats();
    let compactions: u64 = stats.levels.iter().map(|l| l.compactions).sum();
    println!(
        "{strategy:?}: {} writes by {WRITERS} writers, {checks} views checked by {READERS} \
         readers, {} flushes, {compactions} compactions",
        WRITERS * ops_per_writer(),
        stats.flushes
    );
    for w in 0..WRITERS {
        let mut model = WriterModel::new(w);
        model.advance_to(ops_per_writer());
        let (start, end) = writer_range(w);
        let got: Contents = db
            .scan(start.as_slice()..end.as_slice())
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(got, model.contents, "final contents of writer {w}");
    }
}

#[test]
fn readers_see_consistent_monotonic_views_while_writers_and_compactions_run() {
    run(CompactionStrategy::Leveled);
}

#[test]
fn tiered_compaction_under_concurrent_readers_and_writers() {
    run(CompactionStrategy::SizeTiered);
}
