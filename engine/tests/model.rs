//! Model-based test: random sequences of puts, deletes, batches, gets,
//! scans, snapshots, flushes, maintenance steps and reopens, checked against
//! a `BTreeMap`, on the in-memory and the real-file backend.
//!
//! Native only (real files); the browser runs its own model test in
//! `browser_engine.rs`.
//!
//! The tests marked `#[cfg_attr(test, test)] pub fn` also run with the
//! labs' code plugged into the engine's seams:
//! `tutorials/labs/examples/engine_tests.rs` includes this file and calls
//! them (an example is built without `cfg(test)`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::ops::Bound;
use std::sync::Arc;

use common::{Model, ModelDb, STRATEGIES};
use proptest::prelude::*;
use strata_engine::{Options, Snapshot, WriteBatch, WriteOptions};
use strata_storage::{FsStorage, MemStorage, Storage};

#[derive(Clone, Debug)]
enum Op {
    Put(u8, u16),
    Delete(u8),
    Batch(Vec<(u8, Option<u16>)>),
    Get(u8),
    Scan(Option<u8>, Option<u8>, bool),
    TakeSnapshot,
    ReadSnapshot(usize, u8),
    ScanSnapshot(usize),
    DropSnapshot(usize),
    Flush,
    Step,
    Reopen,
}

fn key(k: u8) -> Vec<u8> {
    format!("k{:03}", k % 64).into_bytes()
}

fn value(k: u8, v: u16) -> Vec<u8> {
    // Values of varied length, some long enough to fill blocks quickly.
    let len = usize::from(v % 97) * 3;
    let mut out = format!("v{k}-{v}-").into_bytes();
    out.resize(out.len() + len, b'a' + (v % 26) as u8);
    out
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (any::<u8>(), any::<u16>()).prop_map(|(k, v)| Op::Put(k, v)),
        3 => any::<u8>().prop_map(Op::Delete),
        2 => prop::collection::vec((any::<u8>(), prop::option::of(any::<u16>())), 0..6).prop_map(Op::Batch),
        4 => any::<u8>().prop_map(Op::Get),
        2 => (prop::option::of(any::<u8>()), prop::option::of(any::<u8>()), any::<bool>())
            .prop_map(|(a, b, r)| Op::Scan(a, b, r)),
        1 => Just(Op::TakeSnapshot),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(i, k)| Op::ReadSnapshot(i, k)),
        1 => any::<usize>().prop_map(Op::ScanSnapshot),
        1 => any::<usize>().prop_map(Op::DropSnapshot),
        1 => Just(Op::Flush),
        1 => Just(Op::Step),
        1 => Just(Op::Reopen),
    ]
}

/// The model test's ops on top of the shared model harness.
trait ModelHarness {
    fn run(&mut self, op: Op) -> anyhow::Result<()>;
    fn pick(&self, i: usize) -> Option<&(Snapshot, Model)>;
    fn check_scan(&self, a: Option<u8>, b: Option<u8>, reverse: bool) -> anyhow::Result<()>;
}

impl ModelHarness for ModelDb {
    fn run(&mut self, op: Op) -> anyhow::Result<()> {
        match op {
            Op::Put(k, v) => self.put(key(k), value(k, v))?,
            Op::Delete(k) => self.delete(key(k))?,
            Op::Batch(ops) => {
                let mut batch = WriteBatch::new();
                for (k, v) in &ops {
                    match v {
                        Some(v) => {
                            batch.put(key(*k), value(*k, *v));
                            self.model.insert(key(*k), value(*k, *v));
                        }
                        None => {
                            batch.delete(key(*k));
                            self.model.remove(&key(*k));
                        }
                    }
                }
                self.db().write_opt(
                    &batch,
                    WriteOptions {
                        sync: ops.len() % 2 == 0,
                    },
                )?;
            }
            Op::Get(k) => {
                assert_eq!(
                    self.db().get(key(k))?,
                    self.model.get(&key(k)).cloned(),
                    "get {k}"
                );
            }
            Op::Scan(a, b, reverse) => self.check_scan(a, b, reverse)?,
            Op::TakeSnapshot => self.take_snapshot(),
            Op::ReadSnapshot(i, k) => {
                if let Some((snap, model)) = self.pick(i) {
                    assert_eq!(
                        snap.get(key(k))?,
                        model.get(&key(k)).cloned(),
                        "snapshot get"
                    );
                }
            }
            Op::ScanSnapshot(i) => {
                if let Some((snap, model)) = self.pick(i) {
                    let got: Vec<_> = snap.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
                    let want: Vec<_> = model.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                    assert_eq!(got, want, "snapshot scan");
                }
            }
            Op::DropSnapshot(i) => {
                if !self.snapshots.is_empty() {
                    self.snapshots.remove(i % self.snapshots.len());
                }
            }
            Op::Flush => self.db().flush()?,
            Op::Step => {
                self.db().maintenance_step()?;
            }
            Op::Reopen => self.reopen()?,
        }
        Ok(())
    }

    fn pick(&self, i: usize) -> Option<&(Snapshot, Model)> {
        self.snapshots.get(i % self.snapshots.len().max(1))
    }

    fn check_scan(&self, a: Option<u8>, b: Option<u8>, reverse: bool) -> anyhow::Result<()> {
        let lo = a.map_or(Bound::Unbounded, |a| Bound::Included(key(a)));
        let hi = b.map_or(Bound::Unbounded, |b| Bound::Excluded(key(b)));
        self.check_scan_bounds(lo, hi, reverse)
    }
}

/// Small sizes so a few hundred operations flush and compact many times.
fn options(strategy: usize, manual: bool) -> Options {
    common::model_options(strategy, manual)
}

fn run_sequence(storage: Arc<dyn Storage>, ops: Vec<Op>, options: Options) -> anyhow::Result<()> {
    let mut h = ModelDb::open(storage, options)?;
    for op in ops {
        h.run(op)?;
        h.db().check_invariants().map_err(anyhow::Error::msg)?;
    }
    // Snapshots are checked by the `ReadSnapshot` ops as they run; scanning
    // every held snapshot here would multiply the test's time.
    h.check_latest()?;
    h.run(Op::Reopen)?;
    h.check_latest()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn memory_backend_matches_a_btreemap(
        ops in prop::collection::vec(op(), 1..300), strategy in 0..4usize, manual in any::<bool>(),
    ) {
        run_sequence(Arc::new(MemStorage::new()), ops, options(strategy, manual))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }

    #[test]
    fn file_backend_matches_a_btreemap(
        ops in prop::collection::vec(op(), 1..200), strategy in 0..4usize, manual in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let storage = FsStorage::open(dir.path()).map_err(|e| TestCaseError::fail(e.to_string()))?;
        run_sequence(Arc::new(storage), ops, options(strategy, manual))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
    }
}

#[cfg_attr(test, test)]
pub fn long_mixed_workload_matches_a_btreemap() -> anyhow::Result<()> {
    // A deterministic longer run than proptest's cases: many flushes and
    // reopens over the same keys.
    let mut ops = Vec::new();
    let mut x: u64 = 7;
    for i in 0..6000u32 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = (x >> 33) as u8;
        let v = (x >> 17) as u16;
        ops.push(match (x >> 40) % 20 {
            0..=10 => Op::Put(k, v),
            11..=13 => Op::Delete(k),
            14..=16 => Op::Get(k),
            17 => Op::Scan(Some(k), Some(k.wrapping_add(20)), i % 2 == 0),
            18 if i % 500 == 0 => Op::Reopen,
            18 => Op::TakeSnapshot,
            _ => Op::ReadSnapshot(i as usize, k),
        });
    }
    for strategy in 0..STRATEGIES.len() {
        for manual in [false, true] {
            run_sequence(
                Arc::new(MemStorage::new()),
                ops.clone(),
                options(strategy, manual),
            )?;
        }
    }
    Ok(())
}
