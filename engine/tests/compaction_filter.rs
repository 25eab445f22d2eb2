//! Compaction filters: a filter that removes some records and rewrites
//! others, checked against a `BTreeMap` to which the same rule is applied
//! when a full compaction has run; reads before compaction and snapshots
//! see the records unfiltered; a removed record above an older version
//! becomes a tombstone, so the older version never resurfaces; the trace
//! reports each filtered record.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::sync::Arc;

use common::{contents, key, open};
use strata_engine::compaction::filter::{
    CompactionFilter, FilterDecision, FilterOutcome, FilterSlot,
};
use strata_engine::{CompactionStrategy, Event, MaintenanceMode, Options, TraceRecorder};
use strata_storage::MemStorage;

/// Removes values starting with `drop`, upper-cases values starting with
/// `up`.
struct Rule;

impl CompactionFilter for Rule {
    fn name(&self) -> &str {
        "drop-and-up"
    }
    fn filter(&self, _level: u32, _key: &[u8], value: &[u8]) -> FilterDecision {
        if value.starts_with(b"drop") {
            FilterDecision::Remove
        } else if value.starts_with(b"up") {
            FilterDecision::ChangeValue(value.to_ascii_uppercase())
        } else {
            FilterDecision::Keep
        }
    }
}

fn apply_rule(model: &BTreeMap<Vec<u8>, Vec<u8>>) -> BTreeMap<Vec<u8>, Vec<u8>> {
    model
        .iter()
        .filter(|(_, v)| !v.starts_with(b"drop"))
        .map(|(k, v)| match v.starts_with(b"up") {
            true => (k.clone(), v.to_ascii_uppercase()),
            false => (k.clone(), v.clone()),
        })
        .collect()
}

fn options(strategy: CompactionStrategy) -> Options {
    Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        level_base_bytes: 4 << 10,
        target_file_size_bytes: 2 << 10,
        l0_compaction_trigger: 2,
        compaction_strategy: strategy,
        maintenance: MaintenanceMode::Manual,
        compaction_filter: FilterSlot::new(Arc::new(Rule)),
        ..Options::default()
    }
}

#[test]
fn a_full_compaction_applies_the_filter_to_every_strategy_as_the_model_does() -> anyhow::Result<()>
{
    for strategy in [
        CompactionStrategy::Leveled,
        CompactionStrategy::SizeTiered,
        CompactionStrategy::Hybrid,
        CompactionStrategy::Universal,
    ] {
        let storage = MemStorage::new();
        let db = open(&storage, &options(strategy))?;
        let mut model = BTreeMap::new();
        let mut x = 11u64;
        for round in 0..8u64 {
            for _ in 0..300 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let k = key((x >> 33) % 400);
                let v = match (x >> 20) % 4 {
                    0 => format!("drop-{round}"),
                    1 => format!("up-{round}"),
                    _ => format!("keep-{round}"),
                };
                db.put(&k, &v)?;
                model.insert(k, v.into_bytes());
            }
            while db.maintenance_step()?.is_some() {}
            // Compactions so far filtered only some records: reads see
            // either a record's value or its filtered form.
            for (k, v) in &model {
                let got = db.get(k)?;
                let filtered = apply_rule(&BTreeMap::from([(k.clone(), v.clone())]));
                assert!(
                    got.as_ref() == Some(v) || got == filtered.get(k).cloned(),
                    "{strategy:?}: {k:?} read {got:?}"
                );
            }
        }
        // While a snapshot sees the newest versions, nothing it sees is
        // filtered, even by a full compaction.
        let snapshot = db.snapshot();
        let seen_by_snapshot = contents(&db)?;
        db.compact_range::<&[u8]>(..)?;
        assert_eq!(
            contents(&db)?,
            seen_by_snapshot,
            "{strategy:?}: held by the snapshot"
        );
        let through_snapshot: Vec<_> = snapshot.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
        assert_eq!(
            through_snapshot, seen_by_snapshot,
            "{strategy:?}: the snapshot's view"
        );
        drop(snapshot);
        db.compact_range::<&[u8]>(..)?;
        let got: BTreeMap<_, _> = contents(&db)?.into_iter().collect();
        assert_eq!(got, apply_rule(&model), "{strategy:?}");
        db.check_invariants().map_err(anyhow::Error::msg)?;
    }
    Ok(())
}

#[test]
fn a_removed_record_over_an_older_version_becomes_a_tombstone() -> anyhow::Result<()> {
    let db = open(&MemStorage::new(), &options(CompactionStrategy::Leveled))?;
    db.put(key(1), "keep-old")?;
    db.put(key(2), "keep-other")?;
    db.compact_range::<&[u8]>(..)?;
    assert_eq!(db.levels().iter().rposition(|l| !l.is_empty()), Some(1));
    db.put(key(1), "drop-new")?;
    db.put(key(3), "drop-fresh")?;
    db.flush()?;
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    // L0 → L1 is the bottom here, but the older "keep-old" is in the same
    // compaction: the filter's removal must still hide it.
    db.compact_range::<&[u8]>(..)?;
    assert_eq!(
        db.get(key(1))?,
        None,
        "the older version must not resurface"
    );
    assert_eq!(db.get(key(3))?, None);
    assert_eq!(db.get(key(2))?, Some(b"keep-other".to_vec()));
    let outcomes: Vec<(Vec<u8>, FilterOutcome)> = recorder
        .take()
        .into_iter()
        .filter_map(|e| match e {
            Event::CompactionFiltered { key, outcome, .. } => Some((key, outcome)),
            _ => None,
        })
        .collect();
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    Ok(())
}
