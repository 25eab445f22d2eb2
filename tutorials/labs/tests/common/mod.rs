//! Helpers shared by the lab tests: deterministic random data, a model
//! test of the whole engine and the chapters' scenes as traces.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;

use strata_engine::rng::SeededRng;
use strata_engine::trace::{replay, Trace};
use strata_engine::{Db, Options, Snapshot};
use strata_labs::plug::{with_labs, without_labs, Lab};
use strata_storage::MemStorage;
use strata_tutorials::scene::run_scene;
use strata_tutorials::CHAPTERS;

/// Deterministic test data.
pub struct Data(SeededRng);

impl Data {
    pub fn new(seed: u64) -> Self {
        Self(SeededRng::new(seed))
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0.next_u64() % n.max(1)
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.0.next_u64() as u8).collect()
    }

    /// Random bytes, fewer than `max` of them.
    pub fn bytes_below(&mut self, max: u64) -> Vec<u8> {
        let len = self.below(max) as usize;
        self.bytes(len)
    }

    /// A short user key from a small alphabet, so keys share prefixes.
    pub fn user_key(&mut self) -> Vec<u8> {
        let len = 1 + self.below(6) as usize;
        (0..len).map(|_| b"abcd"[self.below(4) as usize]).collect()
    }
}

/// What the database should hold.
type Model = BTreeMap<Vec<u8>, Vec<u8>>;

/// Runs a random workload on a database with small memtables (so it
/// flushes and compacts often), with snapshots, and checks every get, scan
/// and snapshot read against a `BTreeMap` model. Returns how many reads
/// were checked.
pub fn model_test(seed: u64, ops: usize) -> usize {
    let options = Options {
        memtable_bytes_max: 2048,
        level_base_bytes: 16 << 10,
        target_file_size_bytes: 4 << 10,
        l0_compaction_trigger: 2,
        seed,
        ..Options::deterministic()
    };
    let db = Db::open(Arc::new(MemStorage::new()), options).expect("open");
    let mut data = Data::new(seed);
    let mut model = Model::new();
    let mut snapshots: Vec<(Snapshot, Model)> = Vec::new();
    let mut checked = 0;
    for op in 0..ops {
        let key = format!("key{:04}", data.below(300)).into_bytes();
        match data.below(20) {
            0..=10 => {
                let value = data.bytes_below(61);
                db.put(&key, &value).expect("put");
                model.insert(key, value);
            }
            11..=14 => {
                db.delete(&key).expect("delete");
                model.remove(&key);
            }
            15..=17 => {
                assert_eq!(
                    db.get(&key).expect("get"),
                    model.get(&key).cloned(),
                    "get at op {op}"
                );
                checked += 1;
            }
            18 if snapshots.len() < 3 => snapshots.push((db.snapshot(), model.clone())),
            18 => {
                snapshots.remove(0);
            }
            _ => {
                for (snapshot, then) in &snapshots {
                    let got = snapshot.get(&key).expect("snapshot get");
                    assert_eq!(got, then.get(&key).cloned(), "snapshot get at op {op}");
                    checked += 1;
                }
            }
        }
        if op % 500 == 499 {
            let scanned: Vec<(Vec<u8>, Vec<u8>)> = db
                .scan::<Vec<u8>>(..)
                .expect("scan")
                .map(|kv| kv.expect("scan"))
                .collect();
            let expected: Vec<(Vec<u8>, Vec<u8>)> =
                model.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            assert!(
                scanned == expected,
                "a full scan at op {op} differs from the model"
            );
            let reversed: Vec<(Vec<u8>, Vec<u8>)> = db
                .scan::<Vec<u8>>(..)
                .expect("scan")
                .rev()
                .map(|kv| kv.expect("scan"))
                .collect();
            assert!(
                reversed.iter().rev().eq(expected.iter()),
                "a reverse scan at op {op} differs from the model"
            );
            checked += 2;
        }
    }
    db.check_invariants().expect("invariants");
    let stats = db.stats();
    let compactions: u64 = stats.levels.iter().map(|l| l.compactions).sum();
    assert!(compactions > 0, "the workload compacted");
    assert!(stats.bloom_negatives > 0, "table filters answered reads");
    checked
}

/// Every scene of every chapter, run with the engine's own code: the
/// recorded traces.
pub fn scene_traces() -> Vec<(String, Trace)> {
    let mut traces = Vec::new();
    for chapter in CHAPTERS {
        for block in chapter.scenes() {
            let run = run_scene(&block.text).expect("a chapter scene runs");
            traces.push((
                format!("{} line {}", chapter.slug, block.line),
                run.runner.finish(),
            ));
        }
    }
    traces
}

/// Replays every chapter scene with `labs` plugged in and checks each
/// trace (every operation's outcome and every event) is unchanged.
pub fn scenes_unchanged_with(labs: &[Lab]) -> usize {
    let traces = without_labs(scene_traces);
    with_labs(labs, || {
        for (name, trace) in &traces {
            let again = replay(trace).expect("replay");
            if let Some(i) = trace
                .steps
                .iter()
                .zip(&again.steps)
                .position(|(a, b)| a != b)
            {
                panic!(
                    "scene {name}: operation {i} ({:?}) differs with the lab code plugged in",
                    trace.steps[i].op
                );
            }
            assert!(
                again == *trace,
                "scene {name}: the trace differs with the lab code plugged in"
            );
        }
    });
    traces.len()
}
