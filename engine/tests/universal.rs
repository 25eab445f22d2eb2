//! Universal compaction: on an overwrite workload the run count stays
//! bounded by the trigger, the space-amplification and size-ratio triggers
//! both fire, every merge takes a contiguous stretch of runs by age and
//! puts its output where no newer run lies below it, and the contents
//! match a model, through reopens.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;

use common::{contents, key, open};
use strata_engine::event::CompactionTrigger;
use strata_engine::{CompactionStrategy, Db, Event, MaintenanceMode, Options, TraceRecorder};
use strata_storage::MemStorage;

fn options() -> Options {
    Options {
        memtable_bytes_max: 4096,
        block_size_bytes: 512,
        l0_compaction_trigger: 4,
        compaction_strategy: CompactionStrategy::Universal,
        maintenance: MaintenanceMode::Inline,
        ..Options::default()
    }
}

/// Tables per level, newest first within a level: the runs by age.
fn runs(db: &Db) -> Vec<(usize, u64)> {
    db.levels()
        .iter()
        .enumerate()
        .flat_map(|(l, tables)| tables.iter().map(move |t| (l, t.largest_seq)))
        .collect()
}

#[test]
fn runs_stay_bounded_and_both_triggers_fire() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let mut db = open(&storage, &options())?;
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    let mut model = BTreeMap::new();
    let mut x = 3u64;
    let mut most_runs = 0;
    for i in 0..20_000u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = key((x >> 33) % 1500);
        if i % 9 == 0 {
            db.delete(&k)?;
            model.remove(&k);
        } else {
            let v = format!("{i:010}-value");
            db.put(&k, &v)?;
            model.insert(k, v.into_bytes());
        }
        if i % 250 == 0 {
            let now = runs(&db);
            most_runs = most_runs.max(now.len());
            // Older runs never lie above newer ones.
            for pair in now.windows(2) {
                if let [newer, older] = pair {
                    assert!(newer.1 >= older.1, "runs out of age order: {now:?}");
                }
            }
        }
        if i == 10_000 {
            db.check_invariants().map_err(anyhow::Error::msg)?;
            drop(db);
            db = open(&storage, &options())?;
            db.set_observer(Some(recorder.clone()));
        }
    }
    // The trigger, plus the memtable flushed since the last check.
    assert!(most_runs <= 5, "at most {most_runs} runs");
    let triggers: Vec<CompactionTrigger> = recorder
        .take()
        .iter()
        .filter_map(|e| match e {
            Event::CompactionPicked { trigger, .. } => Some(*trigger),
            _ => None,
        })
        .collect();
    assert!(triggers
        .iter()
        .any(|t| matches!(t, CompactionTrigger::SpaceAmplification { .. })));
    assert!(triggers
        .iter()
        .any(|t| matches!(t, CompactionTrigger::SizeRatio { .. })));
    db.check_invariants().map_err(anyhow::Error::msg)?;
    let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
    assert_eq!(got, model);
    Ok(())
}

#[test]
fn a_space_amplification_merge_takes_every_run_into_the_last_level() -> anyhow::Result<()> {
    let db = open(
        &MemStorage::new(),
        &Options {
            maintenance: MaintenanceMode::Manual,
            ..options()
        },
    )?;
    for round in 0..4u64 {
        for i in 0..40u64 {
            db.put(key(i), format!("round {round}"))?;
        }
        db.flush()?;
    }
    assert_eq!(runs(&db).len(), 4, "one run per round");
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    while db.maintenance_step()?.is_some() {}
    let events = recorder.take();
    let first = events.iter().find_map(|e| match e {
        Event::CompactionPicked {
            trigger,
            output_level,
            inputs,
            ..
        } => Some((*trigger, *output_level, inputs.len())),
        _ => None,
    });
    let Some((trigger, output_level, inputs)) = first else {
        panic!("four equal runs compact");
    };
    // Four runs of the same 40 keys: the three newer ones are 300 % of
    // the oldest, over the 200 % limit.
    assert!(
        matches!(trigger, CompactionTrigger::SpaceAmplification { max_percent: 200, percent } if percent >= 250),
        "{trigger:?}"
    );
    assert_eq!((output_level, inputs), (6, 4));
    let levels = db.levels();
    assert_eq!(levels.iter().map(Vec::len).sum::<usize>(), 1);
    assert_eq!(levels.last().map(Vec::len), Some(1));
    assert_eq!(db.get(key(7))?, Some(b"round 3".to_vec()));
    Ok(())
}
