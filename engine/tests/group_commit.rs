//! Group commit: synced writers that arrive while another writer syncs
//! share one log record and one sync, and each still returns only after a
//! sync covered its write.
//!
//! Before the writer queue, every synced writer appended and synced on its
//! own while holding the database mutex, so four synced writers paid four
//! syncs one after another (fillsync with 4 writers ran at half the speed
//! of one writer). The test holds the first writer inside its sync (an
//! observer blocks on the `WalSynced` event, which is emitted with the
//! mutex held), waits until two more synced writers are queued, and lets
//! it go: the next leader must commit both in one record with one sync.

// Threads and real files: native only.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{mpsc, Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use strata_engine::event::Observer;
use strata_engine::{Db, Event, Options, WriteBatch, WriteOptions};
use strata_storage::{FsStorage, Storage};

/// Records the log events; blocks the first sync until released.
struct GateFirstSync {
    events: Mutex<Vec<Event>>,
    entered: Mutex<Option<mpsc::Sender<()>>>,
    release: Mutex<Option<mpsc::Receiver<()>>>,
}

impl Observer for GateFirstSync {
    fn on_event(&self, event: &Event) {
        if !matches!(event, Event::WalAppended { .. } | Event::WalSynced { .. }) {
            return;
        }
        self.events.lock().unwrap().push(event.clone());
        if matches!(event, Event::WalSynced { .. }) {
            let entered = self.entered.lock().unwrap().take();
            if let Some(entered) = entered {
                entered.send(()).unwrap();
                let release = self.release.lock().unwrap().take().unwrap();
                release.recv().unwrap();
            }
        }
    }
}

fn synced_put(db: &Db, key: &str) -> strata_engine::Result<()> {
    let mut batch = WriteBatch::new();
    batch.put(key, format!("value of {key}"));
    db.write_opt(&batch, WriteOptions { sync: true })
}

#[test]
fn writers_queued_behind_a_sync_share_the_next_record_and_sync() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let storage: Arc<dyn Storage> = Arc::new(FsStorage::open(dir.path())?);
    let db = Arc::new(Db::open(storage.clone(), Options::deterministic())?);
    let (entered_tx, entered_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel();
    let gate = Arc::new(GateFirstSync {
        events: Mutex::new(Vec::new()),
        entered: Mutex::new(Some(entered_tx)),
        release: Mutex::new(Some(release_rx)),
    });
    db.set_observer(Some(gate.clone()));

    let spawn = |key: &'static str| {
        let db = Arc::clone(&db);
        thread::spawn(move || synced_put(&db, key))
    };
    let first = spawn("a");
    entered_rx.recv_timeout(Duration::from_secs(30))?;
    let followers = [spawn("b"), spawn("c")];
    let deadline = Instant::now() + Duration::from_secs(30);
    while db.queued_writers() < 2 {
        assert!(Instant::now() < deadline, "the two writers never queued");
        thread::sleep(Duration::from_millis(1));
    }
    release_tx.send(())?;
    first.join().unwrap()?;
    for follower in followers {
        follower.join().unwrap()?;
    }

    let events = gate.events.lock().unwrap().clone();
    let shape: Vec<String> = events
        .iter()
        .map(|e| match e {
            Event::WalAppended { count, .. } => format!("append {count}"),
            _ => "sync".to_owned(),
        })
        .collect();
    assert_eq!(shape, ["append 1", "sync", "append 2", "sync"]);

    db.set_observer(None);
    drop(db);
    let db = Db::open(storage, Options::deterministic())?;
    for key in ["a", "b", "c"] {
        assert_eq!(db.get(key)?, Some(format!("value of {key}").into_bytes()));
    }
    Ok(())
}

#[test]
fn many_synced_writers_all_survive_a_reopen() -> anyhow::Result<()> {
    const WRITERS: usize = 4;
    const WRITES_PER_WRITER: usize = 200;
    let dir = tempfile::tempdir()?;
    let storage: Arc<dyn Storage> = Arc::new(FsStorage::open(dir.path())?);
    let options = Options {
        memtable_bytes_max: 16 << 10,
        ..Options::default()
    };
    let db = Arc::new(Db::open(storage.clone(), options.clone())?);
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let db = Arc::clone(&db);
            thread::spawn(move || -> strata_engine::Result<()> {
                for i in 0..WRITES_PER_WRITER {
                    synced_put(&db, &format!("w{w}-{i:04}"))?;
                }
                Ok(())
            })
        })
        .collect();
    for writer in writers {
        writer.join().unwrap()?;
    }
    let last_seq = db.last_seq();
    assert_eq!(last_seq, (WRITERS * WRITES_PER_WRITER) as u64);
    Arc::into_inner(db).unwrap().close()?;
    let db = Db::open(storage, options)?;
    for w in 0..WRITERS {
        for i in 0..WRITES_PER_WRITER {
            let key = format!("w{w}-{i:04}");
            assert_eq!(db.get(&key)?, Some(format!("value of {key}").into_bytes()));
        }
    }
    Ok(())
}
