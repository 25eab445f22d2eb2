//! The engine in a real browser: a seeded model test on the in-memory
//! backend, and a database that survives a reload through IndexedDB.
//!
//! Runs with `cargo test --target wasm32-unknown-unknown` (see
//! `.ci/browser-tests.sh`); natively this file compiles to nothing.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::Arc;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use strata_engine::rng::SeededRng;
use strata_engine::{Db, Error, Options, WriteBatch, WriteOptions};
use strata_storage::idb::{BLOCKS_STORE, BLOCK_SIZE_BYTES};
use strata_storage::{IdbStorage, MemStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{IdbDatabase, IdbFactory, IdbTransaction, IdbTransactionMode};

wasm_bindgen_test_configure!(run_in_browser);

type Model = BTreeMap<Vec<u8>, Vec<u8>>;

const SYNC: WriteOptions = WriteOptions { sync: true };

/// Small memtables and blocks, so a few thousand operations reach tables,
/// compactions and several levels.
fn small_options() -> Options {
    Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        ..Options::deterministic()
    }
}

fn key(k: u64) -> Vec<u8> {
    format!("k{:03}", k % 200).into_bytes()
}

fn value(k: u64, v: u64) -> Vec<u8> {
    let mut out = format!("v{k}-{v}-").into_bytes();
    out.resize(out.len() + (v % 90) as usize, b'a' + (v % 26) as u8);
    out
}

fn contents(db: &Db) -> Vec<(Vec<u8>, Vec<u8>)> {
    db.scan::<&[u8]>(..)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn expected(model: &Model, lo: &Bound<Vec<u8>>, hi: &Bound<Vec<u8>>) -> Vec<(Vec<u8>, Vec<u8>)> {
    let inverted = matches!(
        (lo, hi),
        (Bound::Included(a), Bound::Excluded(b)) if a > b
    );
    if inverted {
        return Vec::new();
    }
    model
        .range::<Vec<u8>, _>((lo.clone(), hi.clone()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The database under test, its storage and the model it must match.
struct Harness {
    storage: Arc<dyn Storage>,
    db: Option<Db>,
    model: Model,
}

impl Harness {
    fn db(&self) -> &Db {
        self.db.as_ref().unwrap()
    }

    fn reopen(&mut self) {
        self.db.take().unwrap().close().unwrap();
        self.db = Some(Db::open(self.storage.clone(), small_options()).unwrap());
    }

    /// One random operation against both the database and the model.
    fn step(&mut self, rng: &mut SeededRng, i: u64) {
        let r = rng.next_u64();
        let (k, v) = (r >> 8, r >> 24);
        match r % 100 {
            0..=44 => {
                self.db().put(key(k), value(k, v)).unwrap();
                self.model.insert(key(k), value(k, v));
            }
            45..=59 => {
                self.db().delete(key(k)).unwrap();
                self.model.remove(&key(k));
            }
            60..=64 => self.batch(k, v),
            65..=84 => {
                let got = self.db().get(key(k)).unwrap();
                assert_eq!(got, self.model.get(&key(k)).cloned(), "get at op {i}");
            }
            85..=93 => self.scan(k, v, i),
            94..=95 => self.db().flush().unwrap(),
            96..=98 => {
                self.db().maintenance_step().unwrap();
            }
            _ => self.reopen(),
        }
    }

    fn batch(&mut self, k: u64, v: u64) {
        let mut batch = WriteBatch::new();
        for j in 0..(v % 5) {
            let bk = k + j * 7;
            if (v >> j) & 1 == 0 {
                batch.put(key(bk), value(bk, v));
                self.model.insert(key(bk), value(bk, v));
            } else {
                batch.delete(key(bk));
                self.model.remove(&key(bk));
            }
        }
        let options = WriteOptions { sync: v & 1 == 0 };
        self.db().write_opt(&batch, options).unwrap();
    }

    fn scan(&self, k: u64, v: u64, i: u64) {
        let lo = Bound::Included(key(k));
        let hi = Bound::Excluded(key(k + v % 40));
        let mut want = expected(&self.model, &lo, &hi);
        let scan = self.db().scan((lo, hi)).unwrap();
        let got: Vec<_> = if v & 1 == 0 {
            want.reverse();
            scan.rev().collect::<Result<_, _>>().unwrap()
        } else {
            scan.collect::<Result<_, _>>().unwrap()
        };
        assert_eq!(got, want, "scan at op {i}");
    }
}

#[wasm_bindgen_test]
fn seeded_workload_matches_a_btreemap() {
    let storage: Arc<dyn Storage> = Arc::new(MemStorage::new());
    let db = Db::open(storage.clone(), small_options()).unwrap();
    let mut h = Harness {
        storage,
        db: Some(db),
        model: Model::new(),
    };
    let mut rng = SeededRng::new(0x5eed);
    for i in 0..3000 {
        h.step(&mut rng, i);
    }
    let want: Vec<_> = h
        .model
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    assert_eq!(contents(h.db()), want);
    h.reopen();
    assert_eq!(contents(h.db()), want);
    let tables: u64 = h.db().stats().levels.iter().map(|l| l.tables).sum();
    assert!(tables > 0, "the workload never reached the tables");
}

#[wasm_bindgen_test]
async fn a_database_on_indexeddb_survives_a_reload() {
    let name = "strata-engine-reload";
    IdbStorage::delete_database(name).await.unwrap();
    let storage = IdbStorage::open(name).await.unwrap();
    let db = Db::open(Arc::new(storage.clone()), small_options()).unwrap();
    let mut model = Model::new();
    for i in 0..400u64 {
        db.write_opt(&put_batch(i), SYNC).unwrap();
        model.insert(key(i), value(i, i));
        if i % 150 == 149 {
            db.flush().unwrap();
        }
    }
    for i in (0..400u64).step_by(7) {
        let mut batch = WriteBatch::new();
        batch.delete(key(i));
        db.write_opt(&batch, SYNC).unwrap();
        model.remove(&key(i));
    }
    db.close().unwrap();
    storage.persisted().await.unwrap();
    drop(storage);

    // A fresh load from IndexedDB, as after a page reload.
    let storage = IdbStorage::open(name).await.unwrap();
    assert!(storage.list().unwrap().iter().any(|f| f.ends_with(".sst")));
    let db = Db::open(Arc::new(storage.clone()), small_options()).unwrap();
    for k in 0..200u64 {
        assert_eq!(
            db.get(key(k)).unwrap(),
            model.get(&key(k)).cloned(),
            "key {k}"
        );
    }
    let want: Vec<_> = model.into_iter().collect();
    assert_eq!(contents(&db), want);
    db.close().unwrap();
    drop(storage);
    IdbStorage::delete_database(name).await.unwrap();
}

fn put_batch(i: u64) -> WriteBatch {
    let mut batch = WriteBatch::new();
    batch.put(key(i), value(i, i));
    batch
}

#[wasm_bindgen_test]
async fn garbage_in_a_stored_table_is_reported_as_corruption() {
    let name = "strata-engine-garbage";
    IdbStorage::delete_database(name).await.unwrap();
    let storage = IdbStorage::open(name).await.unwrap();
    let db = Db::open(Arc::new(storage.clone()), small_options()).unwrap();
    for i in 0..100u64 {
        db.put(key(i), value(i, i)).unwrap();
    }
    db.flush().unwrap();
    db.close().unwrap();
    storage.persisted().await.unwrap();
    let tables: Vec<(String, u64)> = storage
        .list()
        .unwrap()
        .into_iter()
        .filter(|f| f.ends_with(".sst"))
        .map(|f| {
            let len = storage.len(&f).unwrap();
            (f, len)
        })
        .collect();
    drop(storage);
    assert!(!tables.is_empty());

    // Same-length garbage: IndexedDB loads it, the engine's checks catch it.
    for (table, len) in &tables {
        let blocks = len.div_ceil(BLOCK_SIZE_BYTES as u64);
        for index in 0..blocks {
            let size = (len - index * BLOCK_SIZE_BYTES as u64).min(BLOCK_SIZE_BYTES as u64);
            let garbage = Uint8Array::new_with_length(size as u32);
            garbage.fill(0x5A, 0, size as u32);
            put_raw_block(name, table, index, &garbage).await;
        }
    }
    let storage = IdbStorage::open(name).await.unwrap();
    let outcome = Db::open(Arc::new(storage.clone()), small_options())
        .and_then(|db| (0..100u64).try_for_each(|k| db.get(key(k)).map(drop)));
    match outcome {
        Err(Error::Corruption { file, .. }) => assert!(file.ends_with(".sst"), "{file}"),
        other => panic!("expected corruption in a table, got {other:?}"),
    }
    drop(storage);
    IdbStorage::delete_database(name).await.unwrap();
}

/// Waits for a request or transaction whose handlers `set` installs.
async fn settle(set: impl FnOnce(&Function, &Function)) {
    let mut set = Some(set);
    let promise = Promise::new(&mut |resolve, reject| {
        if let Some(set) = set.take() {
            set(&resolve, &reject);
        }
    });
    JsFuture::from(promise).await.unwrap();
}

/// Overwrites one stored block straight in IndexedDB, bypassing the backend.
async fn put_raw_block(db_name: &str, file: &str, index: u64, data: &Uint8Array) {
    let factory: IdbFactory = Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .unwrap()
        .unchecked_into();
    let open = factory.open(db_name).unwrap();
    settle(|ok, err| {
        open.set_onsuccess(Some(ok));
        open.set_onerror(Some(err));
    })
    .await;
    let db: IdbDatabase = open.result().unwrap().unchecked_into();
    let tx: IdbTransaction = db
        .transaction_with_str_and_mode(BLOCKS_STORE, IdbTransactionMode::Readwrite)
        .unwrap();
    let key = Array::of2(&JsValue::from_str(file), &JsValue::from_f64(index as f64));
    tx.object_store(BLOCKS_STORE)
        .unwrap()
        .put_with_key(data, &key)
        .unwrap();
    settle(|ok, err| {
        tx.set_oncomplete(Some(ok));
        tx.set_onabort(Some(err));
    })
    .await;
    db.close();
}
