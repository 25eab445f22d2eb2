//! A freeze between `Db::flush`'s two steps must not replace a frozen
//! memtable.
//!
//! `Db::flush` first flushes the memtable already frozen, then freezes the
//! active one and flushes that. Between the two steps the state mutex is
//! free, and a writer whose memtable filled up froze it there: the slot
//! for a frozen memtable was empty again. `flush` then froze once more,
//! and the second freeze overwrote the first frozen memtable. Its records
//! vanished from every read, and since the manifest moved the log number
//! past its log, they were gone after a reopen too. Under background
//! maintenance this showed as a rare scan in `concurrency.rs` missing one
//! memtable's worth of writes, when one writer called `flush` while the
//! others still wrote.
//!
//! The test makes the race certain: an observer writes from inside the
//! flush, at the moment the first step has finished, until the memtable
//! freezes.

mod common;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};

use common::{contents, fill_until_frozen, key, open};
use strata_engine::{Db, Event, MaintenanceMode, Observer, Options};
use strata_storage::{MemStorage, Storage};

/// Manual maintenance: a frozen memtable waits for `flush`, and a write
/// that fills the memtable freezes it without flushing anything.
fn options() -> Options {
    Options {
        memtable_bytes_max: 1024,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    }
}

/// Once armed, at the next finished flush writes keys from `next` on
/// until the memtable freezes, then one more into the new memtable.
#[derive(Default)]
struct FreezeDuringFlush {
    db: Mutex<Weak<Db>>,
    armed: AtomicBool,
    /// The next key to write; after the flush, how many were written.
    next: AtomicU64,
    froze: AtomicBool,
}

impl FreezeDuringFlush {
    fn write_until_frozen(&self, db: &Db) -> anyhow::Result<()> {
        loop {
            let n = self.next.fetch_add(1, Ordering::SeqCst);
            db.put(key(n), format!("value {n}"))?;
            if self.froze.load(Ordering::SeqCst) {
                return Ok(());
            }
            anyhow::ensure!(n < 10_000, "no freeze after {n} puts");
        }
    }
}

impl Observer for FreezeDuringFlush {
    fn on_event(&self, event: &Event) {
        match event {
            Event::MemtableFrozen { .. } => self.froze.store(true, Ordering::SeqCst),
            Event::FlushFinished { .. } if self.armed.swap(false, Ordering::SeqCst) => {
                // Emitted after the flush released the state mutex.
                let db = self.db.lock().unwrap_or_else(|e| e.into_inner()).upgrade();
                if let Some(db) = db {
                    self.froze.store(false, Ordering::SeqCst);
                    if let Err(e) = self.write_until_frozen(&db) {
                        panic!("writing during the flush failed: {e}");
                    }
                }
            }
            _ => {}
        }
    }
}

/// The keys of `expected(count)` that `db` does not hold with their value.
fn missing(db: &Db, count: u64) -> anyhow::Result<Vec<String>> {
    let got: std::collections::BTreeMap<_, _> = contents(db)?.into_iter().collect();
    Ok(expected(count)
        .into_iter()
        .filter(|(k, v)| got.get(k) != Some(v))
        .map(|(k, _)| String::from_utf8_lossy(&k).into_owned())
        .collect())
}

fn expected(count: u64) -> Vec<(Vec<u8>, Vec<u8>)> {
    (0..count)
        .map(|n| (key(n), format!("value {n}").into_bytes()))
        .collect()
}

#[test]
fn a_memtable_frozen_while_flush_runs_keeps_its_records() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let observer = Arc::new(FreezeDuringFlush::default());
    let db = Arc::new(Db::open_observed(
        Arc::new(storage.clone()) as Arc<dyn Storage>,
        options(),
        observer.clone(),
    )?);
    *observer.db.lock().unwrap_or_else(|e| e.into_inner()) = Arc::downgrade(&db);

    // A memtable frozen and waiting, and one record in the new one.
    let before = fill_until_frozen(&db)?;
    observer.next.store(before, Ordering::SeqCst);
    observer.armed.store(true, Ordering::SeqCst);
    db.flush()?;
    let written = observer.next.load(Ordering::SeqCst);
    assert!(
        observer.froze.load(Ordering::SeqCst) && written > before,
        "the observer's writes froze a memtable during the flush"
    );

    assert_eq!(
        missing(&db, written)?,
        Vec::<String>::new(),
        "after the flush"
    );
    assert!(
        !db.stats().immutable_memtable,
        "flush leaves no frozen memtable behind"
    );
    drop(db);
    let db = open(&storage, &options())?;
    assert_eq!(
        missing(&db, written)?,
        Vec::<String>::new(),
        "after a reopen"
    );
    assert_eq!(contents(&db)?, expected(written));
    Ok(())
}
