//! The IndexedDB backend in a real browser: what is synced survives a
//! reopen, what is not does not, and damaged stored data is an error that
//! names the file, never a panic.
//!
//! Runs with `cargo test --target wasm32-unknown-unknown` (see
//! `.ci/browser-tests.sh`); natively this file compiles to nothing.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use strata_storage::idb::{BLOCKS_STORE, BLOCK_SIZE_BYTES, FILES_STORE};
use strata_storage::{read_all, write_atomic, IdbError, IdbStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{IdbDatabase, IdbFactory, IdbRequest, IdbTransaction};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh, empty database for one test.
async fn fresh(db_name: &str) -> IdbStorage {
    IdbStorage::delete_database(db_name).await.unwrap();
    IdbStorage::open(db_name).await.unwrap()
}

/// Bytes that differ from block to block, so a misplaced block shows.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i / 7) as u8 ^ (i % 251) as u8 ^ seed)
        .collect()
}

#[wasm_bindgen_test]
async fn synced_files_survive_a_reopen() {
    let name = "strata-test-survive";
    let storage = fresh(name).await;
    let big = pattern(BLOCK_SIZE_BYTES * 2 + 123, 1);
    let mut file = storage.create("000001.log").unwrap();
    // Three syncs, the second straddling a block boundary, so partial last
    // blocks are rewritten as the file grows.
    let cuts = [100, BLOCK_SIZE_BYTES + 50, big.len()];
    let mut at = 0;
    for cut in cuts {
        file.append(&big[at..cut]).unwrap();
        file.sync().unwrap();
        storage.persisted().await.unwrap();
        at = cut;
    }
    drop(file);
    write_atomic(&storage, "CURRENT", b"MANIFEST-000002\n").unwrap();
    storage.persisted().await.unwrap();
    drop(storage);

    let reopened = IdbStorage::open(name).await.unwrap();
    assert_eq!(reopened.list().unwrap(), ["000001.log", "CURRENT"]);
    assert_eq!(read_all(&reopened, "000001.log").unwrap(), big);
    assert_eq!(
        read_all(&reopened, "CURRENT").unwrap(),
        b"MANIFEST-000002\n"
    );

    // Appending to a reopened file continues where the stored copy ends.
    let mut file = reopened.open_append("000001.log").unwrap();
    file.append(b"tail").unwrap();
    file.sync().unwrap();
    drop(file);
    reopened.persisted().await.unwrap();
    drop(reopened);
    let again = IdbStorage::open(name).await.unwrap();
    let mut want = big;
    want.extend_from_slice(b"tail");
    assert_eq!(read_all(&again, "000001.log").unwrap(), want);
    drop(again);
    IdbStorage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn unsynced_bytes_and_files_are_not_persisted() {
    let name = "strata-test-unsynced";
    let storage = fresh(name).await;
    let mut log = storage.create("log").unwrap();
    log.append(b"durable").unwrap();
    log.sync().unwrap();
    log.append(b" and lost").unwrap();
    let mut scratch = storage.create("scratch").unwrap();
    scratch.append(b"never synced").unwrap();
    storage.persisted().await.unwrap();
    drop((log, scratch));
    drop(storage);

    let reopened = IdbStorage::open(name).await.unwrap();
    assert_eq!(read_all(&reopened, "log").unwrap(), b"durable");
    assert!(!reopened.exists("scratch").unwrap());
    drop(reopened);
    IdbStorage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn renames_removals_and_truncations_are_persisted() {
    let name = "strata-test-namespace";
    let storage = fresh(name).await;
    let d_len = BLOCK_SIZE_BYTES * 2 + 500;
    for (file, len) in [
        ("a", 5000),
        ("b", BLOCK_SIZE_BYTES * 3),
        ("c", 10),
        ("d", d_len),
    ] {
        let mut w = storage.create(file).unwrap();
        w.append(&pattern(len, 2)).unwrap();
        w.sync().unwrap();
    }
    storage.sync_dir().unwrap();
    storage.persisted().await.unwrap();

    storage.rename("a", "c").unwrap();
    storage.remove("b").unwrap();
    storage.create("b").unwrap().sync().unwrap();
    storage.truncate("c", 1000).unwrap();
    // A truncated file that regrows to its old length must not keep the
    // old bytes past the cut.
    let mut c = storage.open_append("c").unwrap();
    c.append(&[0xAA; 4000]).unwrap();
    c.sync().unwrap();
    drop(c);
    // The same for a file that keeps its identity: cut, then regrown to
    // exactly its stored length.
    storage.truncate("d", 100).unwrap();
    let mut d = storage.open_append("d").unwrap();
    d.append(&vec![0xBB; d_len - 100]).unwrap();
    d.sync().unwrap();
    drop(d);
    let want_d = read_all(&storage, "d").unwrap();
    storage.sync_dir().unwrap();
    storage.persisted().await.unwrap();
    let want_c = read_all(&storage, "c").unwrap();
    drop(storage);

    let reopened = IdbStorage::open(name).await.unwrap();
    assert_eq!(reopened.list().unwrap(), ["b", "c", "d"]);
    assert_eq!(read_all(&reopened, "d").unwrap(), want_d);
    assert_eq!(reopened.len("b").unwrap(), 0);
    assert_eq!(read_all(&reopened, "c").unwrap(), want_c);
    assert_eq!(&want_c[1000..], &[0xAA; 4000][..]);
    drop(reopened);
    IdbStorage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_block_of_the_wrong_length_is_an_error_naming_the_file() {
    let name = "strata-test-short-block";
    let storage = fresh(name).await;
    let mut w = storage.create("000007.sst").unwrap();
    w.append(&pattern(BLOCK_SIZE_BYTES + 10, 3)).unwrap();
    w.sync().unwrap();
    drop(w);
    storage.persisted().await.unwrap();
    drop(storage);

    put_raw(
        name,
        BLOCKS_STORE,
        &block_key("000007.sst", 0.0),
        &Uint8Array::from(&b"junk"[..]),
    )
    .await;
    let error = IdbStorage::open(name).await.unwrap_err();
    assert!(
        matches!(&error, IdbError::Malformed { file, .. } if file == "000007.sst"),
        "{error}"
    );
    assert!(error.to_string().contains("000007.sst"), "{error}");
    IdbStorage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn malformed_keys_and_lengths_are_errors_not_panics() {
    let name = "strata-test-bad-keys";
    let cases: [(&str, JsValue, JsValue); 4] = [
        (FILES_STORE, JsValue::from_str("f"), JsValue::from_f64(-1.0)),
        (
            FILES_STORE,
            JsValue::from_str("g"),
            JsValue::from_str("ten"),
        ),
        (
            BLOCKS_STORE,
            block_key("h", 0.5),
            Uint8Array::new_with_length(4).into(),
        ),
        (
            BLOCKS_STORE,
            JsValue::from_str("i"),
            Uint8Array::new_with_length(4).into(),
        ),
    ];
    for (store, key, value) in cases {
        drop(fresh(name).await);
        put_raw(name, store, &key, &value).await;
        match IdbStorage::open(name).await {
            Err(IdbError::Malformed { .. }) => {}
            other => panic!("{store} {key:?}: expected Malformed, got {other:?}"),
        }
    }
    IdbStorage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn same_length_garbage_loads_and_reads_back_as_stored() {
    // The backend cannot tell garbage of the right length from data: it
    // loads it, and the engine's checksums report it (see the engine's
    // browser suite).
    let name = "strata-test-garbage";
    let storage = fresh(name).await;
    let mut w = storage.create("x").unwrap();
    w.append(&[1; 64]).unwrap();
    w.sync().unwrap();
    drop(w);
    storage.persisted().await.unwrap();
    drop(storage);

    put_raw(
        name,
        BLOCKS_STORE,
        &block_key("x", 0.0),
        &Uint8Array::from(&[9u8; 64][..]),
    )
    .await;
    let reopened = IdbStorage::open(name).await.unwrap();
    assert_eq!(read_all(&reopened, "x").unwrap(), [9; 64]);
    drop(reopened);
    IdbStorage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn losing_the_connection_is_an_error_that_keeps_data() {
    let name = "strata-test-closed";
    let storage = fresh(name).await;
    let mut a = storage.create("a").unwrap();
    a.append(b"committed").unwrap();
    a.sync().unwrap();
    storage.persisted().await.unwrap();

    // Another tab upgrades the database: the backend lets go of it.
    let other = open_raw(name, Some(2)).await;
    other.close();
    a.append(b" and then some").unwrap();
    a.sync().unwrap();
    let error = storage.persisted().await.unwrap_err();
    assert!(matches!(error, IdbError::Closed { .. }), "{error}");
    // The engine keeps running on memory; what was committed stays.
    assert_eq!(read_all(&storage, "a").unwrap(), b"committed and then some");
    let db = open_raw(name, None).await;
    let tx = db.transaction_with_str(FILES_STORE).unwrap();
    let get = tx
        .object_store(FILES_STORE)
        .unwrap()
        .get(&JsValue::from_str("a"))
        .unwrap();
    settle(|ok, err| {
        get.set_onsuccess(Some(ok));
        get.set_onerror(Some(err));
    })
    .await;
    assert_eq!(get.result().unwrap().as_f64(), Some(9.0));
    db.close();
    drop((a, storage));
    IdbStorage::delete_database(name).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_context_without_indexeddb_is_reported_as_unavailable() {
    let global = js_sys::global();
    let key = JsValue::from_str("indexedDB");
    // On a window, `indexedDB` is the global's own property: keep its
    // descriptor to put it back.
    let original = js_sys::Object::get_own_property_descriptor(&global, &key);
    let hidden = js_sys::Object::new();
    Reflect::set(&hidden, &JsValue::from_str("value"), &JsValue::UNDEFINED).unwrap();
    Reflect::set(&hidden, &JsValue::from_str("configurable"), &JsValue::TRUE).unwrap();
    // Shadow `indexedDB` as private modes do. `open` fails before its first
    // await, so no other test runs while it is hidden.
    js_sys::Object::define_property(&global, &key, &hidden);
    let outcome = IdbStorage::open("strata-test-unavailable").await;
    if original.is_undefined() {
        Reflect::delete_property(&global, &key).unwrap();
    } else {
        js_sys::Object::define_property(&global, &key, &original.unchecked_into());
    }
    let error = outcome.unwrap_err();
    assert!(matches!(error, IdbError::Unavailable { .. }), "{error}");
    assert!(error.to_string().contains("not available"), "{error}");
}

#[wasm_bindgen_test]
fn errors_explain_themselves() {
    let quota = IdbError::QuotaExceeded {
        message: String::from("full"),
    };
    assert!(quota.to_string().contains("quota"), "{quota}");
    let blocked = IdbError::Blocked {
        db_name: String::from("strata"),
    };
    assert!(blocked.to_string().contains("another tab"), "{blocked}");
}

fn block_key(file: &str, index: f64) -> JsValue {
    Array::of2(&JsValue::from_str(file), &JsValue::from_f64(index)).into()
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

/// A connection of our own, as another tab would hold.
async fn open_raw(db_name: &str, version: Option<u32>) -> IdbDatabase {
    let factory: IdbFactory = Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .unwrap()
        .unchecked_into();
    let open = match version {
        Some(version) => factory.open_with_u32(db_name, version).unwrap(),
        None => factory.open(db_name).unwrap(),
    };
    settle(|ok, err| {
        open.set_onsuccess(Some(ok));
        open.set_onerror(Some(err));
    })
    .await;
    open.result().unwrap().unchecked_into()
}

/// Writes `value` under `key` straight into the database, bypassing the
/// backend: how a test damages stored data.
async fn put_raw(db_name: &str, store: &str, key: &JsValue, value: &JsValue) {
    let db = open_raw(db_name, None).await;
    let tx: IdbTransaction = db
        .transaction_with_str_and_mode(store, web_sys::IdbTransactionMode::Readwrite)
        .unwrap();
    let request: IdbRequest = tx
        .object_store(store)
        .unwrap()
        .put_with_key(value, key)
        .unwrap();
    drop(request);
    settle(|ok, err| {
        tx.set_oncomplete(Some(ok));
        tx.set_onabort(Some(err));
    })
    .await;
    db.close();
}

/// Two tabs on one database name would interleave their files: the second
/// open waits for the first one's Web Lock, then is refused with a clear
/// error; once the first handle is gone (and its last write done), an open
/// succeeds.
#[wasm_bindgen_test]
async fn a_second_open_of_the_same_name_is_refused_while_the_first_lives() {
    let name = "strata-test-web-lock";
    let first = fresh(name).await;
    match IdbStorage::open(name).await {
        Err(IdbError::Locked { db_name }) => assert_eq!(db_name, name),
        Err(other) => panic!("refused with the wrong error: {other}"),
        Ok(_) => panic!("a second handle opened a locked database"),
    }
    let message = IdbError::Locked {
        db_name: name.to_owned(),
    }
    .to_string();
    assert!(message.contains("another tab"), "{message}");
    drop(first);
    let again = IdbStorage::open(name).await.unwrap();
    assert!(again.list().unwrap().is_empty());
}
