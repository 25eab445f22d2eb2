//! Golden trace: a fixed, seeded scenario — enough writes for several
//! flushes and compactions, with deletes, a snapshot, gets and scans —
//! must produce the same event trace on every target. Natively this runs as
//! a plain test; in the browser (`cargo test --target wasm32-unknown-unknown`)
//! the same scenario runs in headless Chromium. Both compare the trace's
//! hash with one constant, so a change to the engine's behaviour or to the
//! event schema shows up here first: update the constant only on purpose.

mod common;

use std::sync::Arc;

use strata_engine::{Db, Event, MaintenanceMode, Options, TraceRecorder};
use strata_storage::{MemStorage, Storage};

/// FNV-1a 64 of the trace's JSON lines.
const GOLDEN_TRACE_HASH: u64 = 0x0155_c3b0_4eb6_7431;
const GOLDEN_TRACE_EVENTS: usize = 18_941;

fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Runs the scenario and returns (hash, event count).
fn golden_scenario() -> (u64, usize) {
    let recorder = TraceRecorder::new();
    let options = Options {
        memtable_bytes_max: 4096,
        block_size_bytes: 512,
        level_base_bytes: 16 << 10,
        target_file_size_bytes: 8 << 10,
        l0_compaction_trigger: 3,
        maintenance: MaintenanceMode::Manual,
        seed: 2026,
        ..Options::deterministic()
    };
    let storage: Arc<dyn Storage> = Arc::new(MemStorage::new());
    let db = Db::open_observed(storage, options, recorder.clone()).expect("open");
    let mut x: u64 = 1;
    let mut snapshot = None;
    for i in 0..3000u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let k = common::key((x >> 33) % 600);
        match (x >> 20) % 10 {
            0 | 1 => db.delete(&k).expect("delete"),
            2 => {
                db.get(&k).expect("get");
            }
            _ => db.put(&k, format!("value-{i}")).expect("put"),
        }
        if i == 1000 {
            snapshot = Some(db.snapshot());
        }
        if i % 100 == 99 {
            while db.maintenance_step().expect("step").is_some() {}
        }
    }
    let _: Vec<_> = db
        .scan(common::key(100)..common::key(140))
        .expect("scan")
        .collect();
    let _: Vec<_> = db
        .scan(common::key(500)..)
        .expect("scan")
        .rev()
        .take(10)
        .collect();
    drop(snapshot);
    db.flush().expect("flush");
    while db.maintenance_step().expect("step").is_some() {}
    let events = recorder.take();
    assert!(
        events
            .iter()
            .filter(|e| matches!(e, Event::CompactionFinished { .. }))
            .count()
            >= 3,
        "the scenario must compact several times"
    );
    let hash = events.iter().fold(0xcbf2_9ce4_8422_2325, |h, e| {
        let line = serde_json::to_string(e).expect("events serialise");
        fnv1a(fnv1a(h, line.as_bytes()), b"\n")
    });
    (hash, events.len())
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_golden_scenario_gives_the_golden_trace_natively() {
    let (hash, events) = golden_scenario();
    assert_eq!(
        (hash, events),
        (GOLDEN_TRACE_HASH, GOLDEN_TRACE_EVENTS),
        "hash {hash:#018x}"
    );
}

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
mod browser {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn the_golden_scenario_gives_the_golden_trace_in_the_browser() {
        let (hash, events) = super::golden_scenario();
        assert_eq!(
            (hash, events),
            (super::GOLDEN_TRACE_HASH, super::GOLDEN_TRACE_EVENTS),
            "hash {hash:#018x}"
        );
    }
}
