//! The public API's behaviour at its edges: limits, snapshots, threads and
//! the event trace.

mod common;

use std::future::Future;
use std::sync::Arc;

use common::{contents, key, open, small_options};
use strata_engine::event::{BloomVerdict, GetOutcome};
use strata_engine::{
    Db, Error, Event, Options, TraceRecorder, WriteBatch, WriteOptions, MAX_KEY_BYTES,
    MAX_VALUE_BYTES,
};
use strata_storage::{MemStorage, Storage};

#[test]
fn oversized_keys_and_values_are_refused_and_nothing_is_written() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    let big_key = vec![b'k'; MAX_KEY_BYTES + 1];
    assert!(matches!(
        db.put(&big_key, b"v"),
        Err(Error::KeyTooLarge { .. })
    ));
    assert!(matches!(db.get(&big_key), Err(Error::KeyTooLarge { .. })));
    let big_value = vec![0; MAX_VALUE_BYTES + 1];
    assert!(matches!(
        db.put(b"k", &big_value),
        Err(Error::ValueTooLarge { .. })
    ));
    assert_eq!(db.last_seq(), 0);
    // The largest allowed key works, through a flush and a reopen.
    let max_key = vec![b'm'; MAX_KEY_BYTES];
    db.put(&max_key, b"max")?;
    db.flush()?;
    drop(db);
    let db = open(&storage, &Options::deterministic())?;
    assert_eq!(db.get(&max_key)?, Some(b"max".to_vec()));
    Ok(())
}

#[test]
fn empty_keys_and_values_round_trip() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    db.put(b"", b"empty key")?;
    db.put(b"k", b"")?;
    db.flush()?;
    assert_eq!(db.get(b"")?, Some(b"empty key".to_vec()));
    assert_eq!(db.get(b"k")?, Some(vec![]));
    Ok(())
}

#[test]
fn snapshot_keeps_a_stable_view_through_writes_and_flushes() -> anyhow::Result<()> {
    let db = open(&MemStorage::new(), &small_options())?;
    for i in 0..200 {
        db.put(key(i), b"old")?;
    }
    let snap = db.snapshot();
    for i in 0..200 {
        if i % 2 == 0 {
            db.delete(key(i))?;
        } else {
            db.put(key(i), b"new")?;
        }
    }
    db.flush()?;
    assert_eq!(snap.get(key(4))?, Some(b"old".to_vec()));
    assert_eq!(db.get(key(4))?, None);
    assert_eq!(db.get(key(5))?, Some(b"new".to_vec()));
    let seen: Vec<_> = snap.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
    assert_eq!(seen.len(), 200);
    assert!(seen.iter().all(|(_, v)| v == b"old"));
    assert_eq!(contents(&db)?.len(), 100);
    Ok(())
}

#[test]
fn reverse_scans_return_descending_keys_within_bounds() -> anyhow::Result<()> {
    let db = open(&MemStorage::new(), &small_options())?;
    for i in 0..100 {
        db.put(key(i), b"v")?;
    }
    db.flush()?;
    db.delete(key(50))?;
    let keys: Vec<_> = db
        .scan(key(45)..=key(55))?
        .rev()
        .map(|kv| kv.map(|(k, _)| k))
        .collect::<Result<_, _>>()?;
    let want: Vec<_> = (45..=55).rev().filter(|&i| i != 50).map(key).collect();
    assert_eq!(keys, want);
    // Both ends of one scan meet in the middle without repeating a key.
    let mut scan = db.scan(key(0)..key(4))?;
    let (a, b, c, d) = (scan.next(), scan.next_back(), scan.next(), scan.next_back());
    let got: Vec<_> = [a, b, c, d]
        .into_iter()
        .flatten()
        .map(|r| r.map(|kv| kv.0))
        .collect::<Result<_, _>>()?;
    assert_eq!(got, vec![key(0), key(3), key(1), key(2)]);
    assert!(scan.next().is_none() && scan.next_back().is_none());
    Ok(())
}

#[test]
fn db_is_shared_between_threads() -> anyhow::Result<()> {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Db>();
    let db = Arc::new(open(&MemStorage::new(), &small_options())?);
    let writers: Vec<_> = (0..4u64)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || -> strata_engine::Result<()> {
                for i in 0..250 {
                    db.put(key(t * 1000 + i), b"v")?;
                    db.get(key(t * 1000 + i / 2))?;
                }
                Ok(())
            })
        })
        .collect();
    for w in writers {
        w.join().map_err(|_| anyhow::anyhow!("writer panicked"))??;
    }
    assert_eq!(contents(&db)?.len(), 1000);
    Ok(())
}

fn traced_run(storage: &MemStorage) -> anyhow::Result<Vec<Event>> {
    let recorder = TraceRecorder::new();
    let db = Db::open_observed(
        Arc::new(storage.clone()) as Arc<dyn Storage>,
        small_options(),
        recorder.clone(),
    )?;
    for i in 0..300 {
        db.put(key(i * 7 % 300), format!("value-{i}"))?;
        if i % 11 == 0 {
            db.delete(key(i))?;
        }
    }
    db.flush()?;
    for i in 0..50 {
        db.get(key(i * 13))?;
    }
    let _: Vec<_> = db.scan(key(10)..key(20))?.collect();
    Ok(recorder.take())
}

#[test]
fn same_operations_and_seed_give_the_same_trace() -> anyhow::Result<()> {
    let a = traced_run(&MemStorage::new())?;
    let b = traced_run(&MemStorage::new())?;
    assert!(a.len() > 1000, "trace too short: {}", a.len());
    assert_eq!(serde_json::to_string(&a)?, serde_json::to_string(&b)?);
    let kinds = |name: &str| {
        a.iter()
            .filter(|e| {
                serde_json::to_value(e)
                    .is_ok_and(|v| v.get("event").and_then(|e| e.as_str()) == Some(name))
            })
            .count()
    };
    for name in [
        "wal_appended",
        "memtable_insert",
        "memtable_frozen",
        "flush_started",
        "block_written",
        "bloom_built",
        "table_finished",
        "manifest_edit",
        "wal_retired",
        "get_started",
        "table_considered",
        "bloom_probe",
        "index_search",
        "block_read",
        "get_finished",
        "scan_started",
        "scan_step",
        "recovery_started",
        "recovery_finished",
    ] {
        assert!(kinds(name) > 0, "no {name} event");
    }
    Ok(())
}

#[test]
fn a_get_for_an_absent_key_is_answered_by_the_bloom_filter() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = open(&storage, &Options::deterministic())?;
    for i in 0..1000 {
        db.put(key(i), b"v")?;
    }
    db.flush()?;
    let recorder = TraceRecorder::new();
    db.set_observer(Some(recorder.clone()));
    // A key inside the table's range that was never written.
    assert_eq!(db.get(b"key00500x")?, None);
    let events = recorder.take();
    let verdicts: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::BloomProbe {
                verdict,
                bit_positions,
                ..
            } => Some((*verdict, bit_positions.len())),
            _ => None,
        })
        .collect();
    assert_eq!(verdicts.len(), 1);
    let reads = events
        .iter()
        .filter(|e| matches!(e, Event::BlockRead { .. }))
        .count();
    match verdicts.first() {
        Some((BloomVerdict::DefinitelyAbsent, k)) => {
            assert_eq!(*k, 7, "10 bits per key gives k = 7 probes");
            assert_eq!(reads, 0, "a negative filter saves the block read");
        }
        other => panic!("unexpected verdict {other:?} (a 1% false positive would land here)"),
    }
    assert!(events.iter().any(|e| matches!(
        e,
        Event::GetFinished {
            outcome: GetOutcome::NotFound,
            ..
        }
    )));
    let stats = db.stats();
    assert_eq!(stats.bloom_negatives, 1);
    Ok(())
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_directory_open_in_one_handle_is_refused_to_another() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let storage = || -> anyhow::Result<Arc<dyn Storage>> {
        Ok(Arc::new(strata_storage::FsStorage::open(dir.path())?))
    };
    let db = Db::open(storage()?, Options::deterministic())?;
    db.put("k", "v")?;
    let refused = Db::open(storage()?, Options::deterministic()).err();
    let message = refused.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        message.contains("LOCK"),
        "second open was not refused: {message:?}"
    );
    assert!(message.contains("open elsewhere"), "{message}");
    drop(db);
    let db = Db::open(storage()?, Options::deterministic())?;
    assert_eq!(db.get("k")?.as_deref(), Some(&b"v"[..]));
    Ok(())
}

/// `Db::persisted` resolves at once where a sync is already durable.
#[test]
fn persisted_resolves_at_once_on_storage_whose_sync_is_durable() -> anyhow::Result<()> {
    let storage = MemStorage::new();
    let db = Db::open(
        Arc::new(storage) as Arc<dyn Storage>,
        Options::deterministic(),
    )?;
    db.write_opt(WriteBatch::new().put("k", "v"), WriteOptions { sync: true })?;
    let mut pending = std::pin::pin!(db.persisted());
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match pending.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(result) => result?,
        std::task::Poll::Pending => anyhow::bail!("persisted() did not resolve at once"),
    }
    Ok(())
}
