//! A scan's trace names the source of every entry it meets: the index of
//! the merging iterator's child (memtable, immutable memtable, each table
//! of a tiered level, one cursor per leveled level) the entry came from.
//! Without it a viewer of the trace could not tell which table a shadowed
//! version or a tombstone lay in, in either direction.

use std::sync::Arc;

use strata_engine::event::ScanDecision;
use strata_engine::{Db, Event, MaintenanceMode, Options, TraceRecorder};
use strata_storage::{MemStorage, Storage};

/// (key, decision, source) of each scan step, and the source count.
fn steps(events: &[Event]) -> (Vec<(String, ScanDecision, u32)>, Option<u32>) {
    let mut sources = None;
    let mut out = Vec::new();
    for e in events {
        match e {
            Event::ScanStarted { sources: n, .. } => sources = Some(*n),
            Event::ScanStep {
                key,
                decision,
                source,
                ..
            } => out.push((
                String::from_utf8_lossy(key).into_owned(),
                *decision,
                *source,
            )),
            _ => {}
        }
    }
    (out, sources)
}

#[test]
fn each_scan_step_names_the_source_it_came_from() -> anyhow::Result<()> {
    let recorder = TraceRecorder::new();
    let options = Options {
        maintenance: MaintenanceMode::Manual,
        ..Options::default()
    };
    let storage: Arc<dyn Storage> = Arc::new(MemStorage::new());
    let db = Db::open_observed(storage, options, recorder.clone())?;
    // The oldest L0 table: a, b, c.
    for k in ["a", "b", "c"] {
        db.put(k, "1")?;
    }
    db.flush()?;
    // The newer L0 table: b again, and c deleted.
    db.put("b", "2")?;
    db.delete("c")?;
    db.flush()?;
    // The memtable: a again.
    db.put("a", "3")?;
    recorder.take();

    // Sources: 0 memtable, 1 the newer L0 table, 2 the older one.
    let forward: Vec<_> = db.scan::<&str>(..)?.collect::<Result<_, _>>()?;
    assert_eq!(forward.len(), 2);
    let (got, sources) = steps(&recorder.take());
    use ScanDecision::{Returned, Shadowed, Tombstone};
    let want = vec![
        ("a".to_owned(), Returned, 0),
        ("a".to_owned(), Shadowed, 2),
        ("b".to_owned(), Returned, 1),
        ("b".to_owned(), Shadowed, 2),
        ("c".to_owned(), Tombstone, 1),
        ("c".to_owned(), Shadowed, 2),
    ];
    assert_eq!(sources, Some(3));
    assert_eq!(got, want);

    // Backwards, a key's versions arrive oldest first; each is still
    // named with the source it came from.
    let backward: Vec<_> = db.scan::<&str>(..)?.rev().collect::<Result<_, _>>()?;
    assert_eq!(backward.len(), 2);
    let (mut got, sources) = steps(&recorder.take());
    assert_eq!(sources, Some(3));
    let order = |v: &mut Vec<(String, ScanDecision, u32)>| {
        v.sort_by(|x, y| (&x.0, x.2).cmp(&(&y.0, y.2)));
    };
    order(&mut got);
    let mut want = want;
    order(&mut want);
    assert_eq!(got, want);
    Ok(())
}
