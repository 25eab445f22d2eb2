//! Dynamic level targets (`level_compaction_dynamic_level_bytes`): level 0
//! compacts straight into the base level, the levels above the base stay
//! empty, the targets grow by the size ratio from the base down, a database
//! built with static targets drains its upper levels when reopened with
//! dynamic ones, and on an overwrite workload the space amplification is
//! lower than with static targets. Contents are checked against a model
//! throughout.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;

use common::{contents, key, open};
use strata_engine::{CompactionStrategy, Db, Event, MaintenanceMode, Options, TraceRecorder};
use strata_storage::MemStorage;

fn options(dynamic: bool) -> Options {
    Options {
        memtable_bytes_max: 4096,
        block_size_bytes: 512,
        level_base_bytes: 16 << 10,
        level_size_ratio: 4,
        target_file_size_bytes: 4 << 10,
        l0_compaction_trigger: 2,
        compaction_strategy: CompactionStrategy::Leveled,
        maintenance: MaintenanceMode::Inline,
        level_compaction_dynamic_level_bytes: dynamic,
        ..Options::default()
    }
}

/// Overwrites `keys` keys `rounds` times (values of 40 bytes), checking
/// against a model.
fn overwrite(
    db: &Db,
    keys: u64,
    rounds: u64,
    model: &mut BTreeMap<Vec<u8>, Vec<u8>>,
) -> anyhow::Result<()> {
    let mut x = 7u64;
    for round in 0..rounds {
        for _ in 0..keys {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let k = key((x >> 33) % keys);
            let v = format!("{round:08}-{:031}", x >> 40).into_bytes();
            db.put(&k, &v)?;
            model.insert(k, v);
        }
    }
    Ok(())
}

fn space_amp(db: &Db) -> anyhow::Result<f64> {
    let table_bytes: u64 = db.stats().levels.iter().map(|l| l.bytes).sum();
    Ok(table_bytes as f64 / db.live_data_bytes()?.max(1) as f64)
}

#[test]
fn level0_compacts_into_the_base_level_and_the_levels_above_it_stay_empty() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &options(true))?;
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    let mut model = BTreeMap::new();
    overwrite(&db, 3000, 4, &mut model)?;
    db.check_invariants().map_err(anyhow::Error::msg)?;
    let stats = db.stats();
    let base = (1..stats.levels.len())
        .find(|&l| stats.levels.get(l).is_some_and(|s| s.target_bytes > 0))
        .expect("a base level");
    assert!(base > 1, "the tree is small enough to start below L1");
    for l in 1..base {
        assert_eq!(
            stats.levels.get(l).map(|s| s.tables),
            Some(0),
            "L{l} is above the base"
        );
    }
    let targets: Vec<u64> = stats
        .levels
        .iter()
        .skip(base)
        .map(|s| s.target_bytes)
        .collect();
    for pair in targets.windows(2) {
        if let [upper, lower] = pair {
            assert_eq!(*upper, lower / 4, "targets grow by the ratio: {targets:?}");
        }
    }
    let last = stats.levels.last().expect("levels");
    assert_eq!(
        last.target_bytes,
        last.bytes.max(16 << 10),
        "the last level's target is its size"
    );
    let from_l0: Vec<u32> = recorder
        .take()
        .iter()
        .filter_map(|e| match e {
            Event::CompactionPicked {
                level: 0,
                output_level,
                ..
            } => Some(*output_level),
            _ => None,
        })
        .collect();
    assert!(!from_l0.is_empty());
    assert!(
        from_l0.iter().all(|&l| l >= 2),
        "L0 never writes into the unused L1: {from_l0:?}"
    );
    let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
    assert_eq!(got, model);
    Ok(())
}

#[test]
fn a_static_tree_reopened_with_dynamic_targets_drains_its_upper_levels() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let mut model = BTreeMap::new();
    {
        let db = open(&storage, &options(false))?;
        overwrite(&db, 3000, 3, &mut model)?;
        assert!(
            db.stats().levels.get(1).is_some_and(|l| l.tables > 0),
            "static targets use L1"
        );
        db.close()?;
    }
    let db = open(&storage, &options(true))?;
    db.compact()?;
    db.check_invariants().map_err(anyhow::Error::msg)?;
    let stats = db.stats();
    for (l, level) in stats.levels.iter().enumerate().skip(1) {
        if level.target_bytes == 0 {
            assert_eq!(level.tables, 0, "L{l} is above the base level and drained");
        }
    }
    let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
    assert_eq!(got, model);
    Ok(())
}

/// Static targets fit some data sizes (the last level just full) and not
/// others (the last level far below its target, the levels above it full);
/// dynamic targets keep the last level the bulk of the data at every size.
/// Both include the same per-table overheads (keys carry 8 bytes of
/// sequence number, plus indexes and filters), about 1.4× live data here.
#[test]
fn dynamic_targets_keep_space_amplification_low_at_every_size() -> anyhow::Result<()> {
    let (mut fixed, mut dynamic) = (Vec::new(), Vec::new());
    for keys in [1500u64, 2500, 4000] {
        for is_dynamic in [false, true] {
            let db = open(&MemStorage::new(), &options(is_dynamic))?;
            let mut model = BTreeMap::new();
            overwrite(&db, keys, 5, &mut model)?;
            db.flush()?;
            let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
            assert_eq!(got, model);
            let amp = space_amp(&db)?;
            if is_dynamic {
                dynamic.push(amp)
            } else {
                fixed.push(amp)
            }
        }
    }
    let max = |v: &[f64]| v.iter().copied().fold(f64::MIN, f64::max);
    let min = |v: &[f64]| v.iter().copied().fold(f64::MAX, f64::min);
    assert!(
        max(&dynamic) + 0.2 < max(&fixed),
        "worst case: dynamic {dynamic:.2?} against static {fixed:.2?}"
    );
    assert!(
        max(&dynamic) - min(&dynamic) < 0.15,
        "dynamic targets hold space amplification steady: {dynamic:.2?}"
    );
    Ok(())
}
