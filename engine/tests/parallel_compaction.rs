//! Parallel compactions and sub-compactions under the native background
//! driver: two compactions on disjoint levels really run at once, a split
//! compaction's parts run on threads of their own, every event says which
//! job (and part) it belongs to, and the contents stay those of a model.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use strata_engine::rng::SeededRng;
use strata_engine::{Db, Event, Job, MaintenanceMode, Observer, Options, TraceRecorder};
use strata_storage::{MemStorage, Storage};

use common::Model;

fn key(i: u64) -> Vec<u8> {
    format!("key{i:06}").into_bytes()
}

fn below(rng: &mut SeededRng, n: u64) -> u64 {
    rng.next_u64() % n
}

fn base_options() -> Options {
    Options {
        memtable_bytes_max: 4096,
        block_size_bytes: 512,
        target_file_size_bytes: 4096,
        level_base_bytes: 16 << 10,
        l0_compaction_trigger: 4,
        ..Options::deterministic()
    }
}

fn open(storage: &MemStorage, options: Options, observer: Option<Arc<dyn Observer>>) -> Db {
    let storage = Arc::new(storage.clone()) as Arc<dyn Storage>;
    match observer {
        Some(observer) => Db::open_observed(storage, options, observer).unwrap(),
        None => Db::open(storage, options).unwrap(),
    }
}

/// Holds the first compaction at its `CompactionPicked` until a second
/// compaction is picked (or a deadline passes), and records every event
/// with its job.
#[derive(Default)]
struct HoldFirstCompaction {
    picked: Mutex<Vec<u64>>,
    second: Condvar,
    log: Mutex<Vec<(Option<Job>, Event)>>,
}

impl Observer for HoldFirstCompaction {
    fn on_event(&self, event: &Event) {
        self.log.lock().unwrap().push((None, event.clone()));
    }

    fn on_job_event(&self, job: Job, event: &Event) {
        self.log.lock().unwrap().push((Some(job), event.clone()));
        if !matches!(event, Event::CompactionPicked { .. }) {
            return;
        }
        let mut picked = self.picked.lock().unwrap();
        picked.push(job.id);
        if picked.len() == 1 {
            let deadline = Duration::from_secs(30);
            let (_held, _) = self
                .second
                .wait_timeout_while(picked, deadline, |p| p.len() < 2)
                .unwrap();
        } else {
            self.second.notify_all();
        }
    }
}

/// Builds a tree with all data at one level L ≥ 2, then (under manual
/// maintenance) eight tables in L0; returns L.
fn two_levels_due(storage: &MemStorage) -> usize {
    let db = open(storage, base_options(), None);
    for i in 0..6000 {
        db.put(key(i * 2), format!("old value {i:08}")).unwrap();
    }
    db.compact_range::<Vec<u8>>(..).unwrap();
    db.close().unwrap();
    let db = open(
        storage,
        Options {
            maintenance: MaintenanceMode::Manual,
            ..base_options()
        },
        None,
    );
    let deepest = db
        .levels()
        .iter()
        .rposition(|tables| !tables.is_empty())
        .unwrap();
    assert!(deepest >= 2, "all data in L{deepest}");
    for batch in 0..8 {
        for i in 0..30 {
            db.put(key(i * 400 + batch * 2 + 1), "new").unwrap();
        }
        db.flush().unwrap();
    }
    assert_eq!(db.levels()[0].len(), 8);
    db.close().unwrap();
    deepest
}

#[test]
fn compactions_on_disjoint_levels_run_at_the_same_time() {
    let storage = MemStorage::new();
    let deepest = two_levels_due(&storage);
    let deepest_bytes: u64 = {
        let db = open(&storage, base_options(), None);
        db.levels()[deepest].iter().map(|t| t.size_bytes).sum()
    };
    // Level targets that make the deepest level (score 3) more urgent
    // than L0 (8 runs over a trigger of 4: score 2), and L1 not due.
    let ratio = 2u64;
    let base = deepest_bytes / 3 / ratio.pow(deepest as u32 - 1);
    assert!(base >= 1024, "too little data: {deepest_bytes} bytes");
    let watcher = Arc::new(HoldFirstCompaction::default());
    let options = Options {
        maintenance: MaintenanceMode::Background,
        max_background_jobs: 2,
        level_base_bytes: base,
        level_size_ratio: ratio as u32,
        l0_slowdown_trigger: 16,
        l0_stop_trigger: 24,
        ..base_options()
    };
    let db = open(&storage, options, Some(watcher.clone()));
    // Left to the driver: `compact` would take the work lock exclusively,
    // waiting for the running compaction and keeping a second one out.
    {
        let picked = watcher.picked.lock().unwrap();
        let _ = watcher
            .second
            .wait_timeout_while(picked, Duration::from_secs(60), |p| p.len() < 2)
            .unwrap();
    }
    db.compact().unwrap();
    drop(db);

    let log = watcher.log.lock().unwrap();
    let mut open_jobs: BTreeSet<u64> = BTreeSet::new();
    let mut overlapped = Vec::new();
    for (job, event) in log.iter() {
        match (job, event) {
            (Some(job), Event::CompactionPicked { level, .. }) => {
                if !open_jobs.is_empty() {
                    overlapped.push(*level);
                }
                open_jobs.insert(job.id);
            }
            (Some(job), Event::CompactionFinished { .. }) => {
                open_jobs.remove(&job.id);
            }
            _ => {}
        }
    }
    assert!(
        !overlapped.is_empty(),
        "no compaction was picked while another ran"
    );
    let first_levels: Vec<u32> = log
        .iter()
        .filter_map(|(_, e)| match e {
            Event::CompactionPicked { level, .. } => Some(*level),
            _ => None,
        })
        .take(2)
        .collect();
    assert_eq!(
        first_levels,
        [deepest as u32, 0],
        "the deepest level first, then L0 beside it"
    );
}

/// Records every event with its job.
#[derive(Default)]
struct JobLog(Mutex<Vec<(Option<Job>, Event)>>);

impl Observer for JobLog {
    fn on_event(&self, event: &Event) {
        self.0.lock().unwrap().push((None, event.clone()));
    }

    fn on_job_event(&self, job: Job, event: &Event) {
        self.0.lock().unwrap().push((Some(job), event.clone()));
    }
}

fn parallel_options() -> Options {
    Options {
        maintenance: MaintenanceMode::Background,
        max_background_jobs: 3,
        max_subcompactions: 4,
        ..base_options()
    }
}

/// Random puts, deletes and range deletes; returns the model.
fn random_writes(db: &Db, seed: u64, ops: u64) -> Model {
    let mut rng = SeededRng::new(seed);
    let mut model = Model::new();
    for i in 0..ops {
        let k = below(&mut rng, 4000);
        match below(&mut rng, 20) {
            0..=2 => {
                db.delete(key(k)).unwrap();
                model.remove(&key(k));
            }
            3 => {
                let end = k + below(&mut rng, 40);
                db.delete_range(key(k), key(end)).unwrap();
                let doomed: Vec<Vec<u8>> = model
                    .range(key(k)..key(end))
                    .map(|(k, _)| k.clone())
                    .collect();
                for d in doomed {
                    model.remove(&d);
                }
            }
            _ => {
                let value = format!("value {i} of {k}").into_bytes();
                db.put(key(k), &value).unwrap();
                model.insert(key(k), value);
            }
        }
    }
    model
}

fn contents(db: &Db) -> Model {
    db.scan::<Vec<u8>>(..)
        .unwrap()
        .map(|r| r.unwrap())
        .collect::<BTreeMap<_, _>>()
}

#[test]
fn split_compactions_keep_the_model_and_tag_every_part() {
    let storage = MemStorage::new();
    let log = Arc::new(JobLog::default());
    let db = open(&storage, parallel_options(), Some(log.clone()));
    let model = random_writes(&db, 7, 30_000);
    assert_eq!(contents(&db), model, "while the driver runs");
    db.flush().unwrap();
    db.compact().unwrap();
    db.check_invariants().unwrap();
    assert_eq!(contents(&db), model, "after the driver is idle");
    drop(db);

    let events = std::mem::take(&mut *log.0.lock().unwrap());
    let mut kinds: BTreeMap<u64, &'static str> = BTreeMap::new();
    let mut parts: BTreeMap<u64, BTreeSet<u32>> = BTreeMap::new();
    for (job, event) in &events {
        let entry = matches!(
            event,
            Event::CompactionEntry { .. } | Event::CompactionRangeTombstone { .. }
        );
        let Some(job) = job else {
            assert!(!entry, "an untagged compaction event: {event:?}");
            continue;
        };
        match event {
            Event::FlushStarted { .. } => {
                assert!(kinds.insert(job.id, "flush").is_none(), "job {}", job.id);
            }
            Event::CompactionPicked { .. } => {
                assert_eq!(job.part, None);
                assert!(kinds.insert(job.id, "compaction").is_none());
            }
            _ if entry => {
                assert_eq!(kinds.get(&job.id), Some(&"compaction"), "{job:?}");
                if let Some(part) = job.part {
                    parts.entry(job.id).or_default().insert(part);
                }
            }
            _ => assert!(kinds.contains_key(&job.id), "{job:?} before its start"),
        }
    }
    let split = parts.values().filter(|p| p.len() > 1).count();
    assert!(split > 0, "no compaction was split: {parts:?}");

    let db = open(&storage, parallel_options(), None);
    assert_eq!(contents(&db), model, "after reopening");
}

#[test]
fn the_inline_driver_tags_nothing_and_never_splits() {
    let storage = MemStorage::new();
    let recorder = TraceRecorder::new();
    let options = Options {
        max_background_jobs: 4,
        max_subcompactions: 4,
        ..base_options()
    };
    let db = Db::open_observed(
        Arc::new(storage.clone()) as Arc<dyn Storage>,
        options,
        recorder.clone(),
    )
    .unwrap();
    let model = random_writes(&db, 11, 5_000);
    assert_eq!(contents(&db), model);
    let events = recorder.take_with_jobs();
    assert!(events
        .iter()
        .any(|(_, e)| matches!(e, Event::CompactionEntry { .. })));
    assert!(events.iter().all(|(job, _)| job.is_none()));
}

#[test]
fn options_refuse_zero_jobs_and_zero_parts() {
    for options in [
        Options {
            max_background_jobs: 0,
            ..Options::default()
        },
        Options {
            max_subcompactions: 0,
            ..Options::default()
        },
        Options {
            max_subcompactions: 65,
            ..Options::default()
        },
    ] {
        let message = options.validate().unwrap_err().to_string();
        assert!(message.contains("must be within 1..=64"), "{message}");
    }
}

#[test]
fn many_writers_with_parallel_compactions_lose_nothing() {
    let storage = MemStorage::new();
    let db = Arc::new(open(&storage, parallel_options(), None));
    let writers: Vec<_> = (0..3u64)
        .map(|w| {
            let db = Arc::clone(&db);
            std::thread::spawn(move || {
                let mut rng = SeededRng::new(w + 100);
                let mut mine = Model::new();
                for i in 0..8000u64 {
                    let k = w * 1_000_000 + below(&mut rng, 3000);
                    let value = format!("{w}/{i}").into_bytes();
                    db.put(key(k), &value).unwrap();
                    mine.insert(key(k), value);
                }
                mine
            })
        })
        .collect();
    let mut model = Model::new();
    for w in writers {
        model.extend(w.join().unwrap());
    }
    assert_eq!(contents(&db), model);
    db.flush().unwrap();
    db.compact().unwrap();
    assert_eq!(contents(&db), model);
    assert!(db.maintenance_error().is_none());
}
