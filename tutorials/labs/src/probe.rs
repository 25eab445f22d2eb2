//! Is a lab ready to run inside the engine? A probe calls the lab's
//! functions, then runs a small workload on the engine with only that lab
//! plugged in and checks every answer against a `BTreeMap`.
//!
//! The visualizer built with `--features labs` plugs in only the labs
//! whose probe passed and runs the engine's own code for the rest, with a
//! notice naming why. That matters in the browser: there a panic aborts
//! the whole page (the wasm build has `panic = "abort"`), so an unwritten
//! `todo!()` must be found before the page runs — natively, where
//! [`std::panic::catch_unwind`] can catch it. The site tool runs
//! `cargo run -p strata-labs --bin probe` and hands its [`Report`] to the
//! wasm build; native builds of the visualizer probe at start-up.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use strata_engine::rng::SeededRng;
use strata_engine::{Db, MaintenanceMode, Options, ValueKind};
use strata_storage::MemStorage;

use strata_engine::labs::Hooks;

use crate::plug::{with_hooks, with_labs, Lab};

/// Operations of the probe's workload: enough for flushes, level-0
/// compactions and compactions into deeper levels.
const WORKLOAD_OPS: u64 = 1500;

/// What the probe found for each lab with an engine seam.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Each lab and `Ok` when it is ready, or why not.
    pub labs: Vec<(Lab, Result<(), String>)>,
}

impl Report {
    /// Whether `lab` passed its probe.
    pub fn is_ready(&self, lab: Lab) -> bool {
        self.status(lab).is_ok()
    }

    /// `Ok` when `lab` passed its probe, or why it did not.
    pub fn status(&self, lab: Lab) -> Result<(), String> {
        self.labs
            .iter()
            .find(|(l, _)| *l == lab)
            .map(|(_, status)| status.clone())
            .unwrap_or_else(|| Err(format!("the probe report names no {} lab", lab.name())))
    }

    /// The labs that passed.
    pub fn ready(&self) -> Vec<Lab> {
        Lab::ALL.into_iter().filter(|l| self.is_ready(*l)).collect()
    }

    /// The report as text, one line per lab: `<lab> ok` or `<lab> <why
    /// not>` (what the `probe` binary prints and [`Report::parse`] reads).
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for (lab, status) in &self.labs {
            let why = match status {
                Ok(()) => "ok".to_string(),
                Err(why) => one_line(why),
            };
            text.push_str(&format!("{} {why}\n", lab.name()));
        }
        text
    }

    /// Reads [`Report::to_text`]'s format. A lab the text does not name,
    /// or names in a line that cannot be read, counts as not ready.
    pub fn parse(text: &str) -> Report {
        let labs = Lab::ALL
            .into_iter()
            .map(|lab| {
                let line = text.lines().find_map(|line| {
                    let (name, rest) = line.split_once(' ')?;
                    (name == lab.name()).then_some(rest.trim())
                });
                let status = match line {
                    Some("ok") => Ok(()),
                    Some(why) if !why.is_empty() => Err(why.to_string()),
                    _ => Err(format!("the probe report names no {} lab", lab.name())),
                };
                (lab, status)
            })
            .collect();
        Report { labs }
    }
}

/// Probes every lab with an engine seam.
pub fn probe_all() -> Report {
    Report {
        labs: Lab::ALL.into_iter().map(|lab| (lab, probe(lab))).collect(),
    }
}

/// Probes `lab`: `Ok` when its functions answer without panicking and the
/// engine, with only this lab plugged in, gives the answers a `BTreeMap`
/// gives; otherwise why not (a panic's message, or the first wrong
/// answer).
pub fn probe(lab: Lab) -> Result<(), String> {
    caught(|| {
        call_each_function(lab);
        with_labs(&[lab], workload)
    })
}

/// The probe's workload with `table` in the engine's seams: `Ok`, or the
/// panic or first wrong answer (what [`probe`] runs after calling a lab's
/// functions; public so that the probe itself can be tested on broken
/// functions).
pub fn workload_with(table: Hooks) -> Result<(), String> {
    caught(|| with_hooks(table, workload))
}

fn caught(f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(format!("it panicked: {}", panic_message(payload.as_ref()))),
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_string()
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Calls every function of `lab` the engine may call once, so that an
/// unwritten one panics here even if the workload never reaches it.
fn call_each_function(lab: Lab) {
    match lab {
        Lab::Bloom => {
            let hashes: Vec<u64> = (1..=20u64).map(|i| i.wrapping_mul(0x9e37_79b9)).collect();
            let (hash_count, bytes) = crate::bloom::build(&hashes, 10);
            let _ = crate::bloom::may_contain(hash_count, &bytes, 7);
            let bits = (bytes.len() as u64).saturating_mul(8).max(1);
            let _ = crate::bloom::probe_positions(7, bits, hash_count);
        }
        Lab::Merge => {
            let keys: [Option<&[u8]>; 3] = [Some(b"b"), None, Some(b"a")];
            let _ = crate::merge::pick(&keys, true);
            let _ = crate::merge::pick(&keys, false);
        }
        Lab::Picking => {
            let _ = crate::picking::choose_level(&[1.5, 0.5, 2.0], &[true, true, false]);
            let largest: [&[u8]; 2] = [b"c", b"m"];
            let _ = crate::picking::next_after_pointer(&largest, Some(b"d"));
            let ranges: [(&[u8], &[u8]); 2] = [(b"a", b"f"), (b"e", b"k")];
            let _ = crate::picking::level0_inputs(&ranges);
        }
        Lab::Fates => {
            let _ = crate::fates::stripe(&[5, 9], 7);
            let _ = crate::fates::decide(None, 0, ValueKind::Put, &mut || false);
            let _ = crate::fates::decide(Some(0), 0, ValueKind::Delete, &mut || true);
        }
    }
}

/// Puts, deletes, gets, snapshots and scans on a database with small
/// memtables (inline maintenance: it flushes and compacts as it goes),
/// each answer checked against a `BTreeMap`.
fn workload() -> Result<(), String> {
    let options = Options {
        memtable_bytes_max: 2048,
        level_base_bytes: 16 << 10,
        target_file_size_bytes: 4 << 10,
        l0_compaction_trigger: 2,
        maintenance: MaintenanceMode::Inline,
        ..Options::default()
    };
    let db = Db::open(Arc::new(MemStorage::new()), options).map_err(|e| e.to_string())?;
    let mut rng = SeededRng::new(17);
    let mut model: BTreeMap<Vec<u8>, Vec<u8>> = BTreeMap::new();
    let mut snapshot = None;
    for op in 0..WORKLOAD_OPS {
        let key = format!("key{:03}", rng.next_u64() % 200).into_bytes();
        match rng.next_u64() % 10 {
            0..=5 => {
                let value = format!("v{op}-{}", "x".repeat((op % 40) as usize)).into_bytes();
                db.put(&key, &value).map_err(|e| e.to_string())?;
                model.insert(key, value);
            }
            6 | 7 => {
                db.delete(&key).map_err(|e| e.to_string())?;
                model.remove(&key);
            }
            8 if op % 300 == 8 => snapshot = Some((db.snapshot(), model.clone())),
            _ => {
                let got = db.get(&key).map_err(|e| e.to_string())?;
                if got.as_ref() != model.get(&key) {
                    return Err(wrong_answer("a get", &key, op));
                }
            }
        }
    }
    if let Some((snapshot, then)) = &snapshot {
        for (key, value) in then {
            let got = snapshot.get(key).map_err(|e| e.to_string())?;
            if got.as_ref() != Some(value) {
                return Err(wrong_answer("a snapshot's get", key, WORKLOAD_OPS));
            }
        }
    }
    db.compact().map_err(|e| e.to_string())?;
    check_scans(&db, &model)?;
    db.check_invariants().map_err(|e| e.to_string())
}

fn wrong_answer(what: &str, key: &[u8], op: u64) -> String {
    format!(
        "{what} of {} after {op} operations answered differently from a BTreeMap",
        String::from_utf8_lossy(key)
    )
}

fn check_scans(db: &Db, model: &BTreeMap<Vec<u8>, Vec<u8>>) -> Result<(), String> {
    let expected: Vec<(Vec<u8>, Vec<u8>)> =
        model.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let forward: Vec<(Vec<u8>, Vec<u8>)> = db
        .scan::<Vec<u8>>(..)
        .map_err(|e| e.to_string())?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    if forward != expected {
        return Err("a full scan answered differently from a BTreeMap".to_string());
    }
    let mut backward: Vec<(Vec<u8>, Vec<u8>)> = db
        .scan::<Vec<u8>>(..)
        .map_err(|e| e.to_string())?
        .rev()
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    backward.reverse();
    if backward != expected {
        return Err("a reverse scan answered differently from a BTreeMap".to_string());
    }
    Ok(())
}
