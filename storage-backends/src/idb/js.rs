//! The few IndexedDB calls the backend makes, as futures.
//!
//! IndexedDB reports through events. Each wrapper here makes a `Promise`
//! whose resolve and reject functions are installed as the event handlers
//! as soon as the request exists (before anything awaits, so no event is
//! missed), and awaits it.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, IdbDatabase, IdbFactory, IdbOpenDbRequest, IdbRequest, IdbTransaction};

use super::error::{describe, IdbError};
use super::layout::{BLOCKS_STORE, DB_VERSION, FILES_STORE};

/// The `indexedDB` factory of this window or worker.
fn factory() -> Result<IdbFactory, IdbError> {
    let unavailable = |reason: String| IdbError::Unavailable { reason };
    // Reading the property can itself throw (a sandboxed frame, `file://`).
    let value = Reflect::get(&js_sys::global(), &JsValue::from_str("indexedDB"))
        .map_err(|e| unavailable(describe(&e).1))?;
    if value.is_undefined() || value.is_null() {
        return Err(unavailable(String::from("this context has no indexedDB")));
    }
    value
        .dyn_into::<IdbFactory>()
        .map_err(|_| unavailable(String::from("indexedDB is not an IDBFactory")))
}

/// Settles when `target`'s success (or complete) event or its error (or
/// abort, or blocked) event fires: the promise's own resolve and reject
/// functions are the event handlers, so nothing is left to clean up.
fn events(set: impl FnOnce(&Function, &Function)) -> JsFuture {
    let mut set = Some(set);
    JsFuture::from(Promise::new(&mut |resolve: Function, reject: Function| {
        if let Some(set) = set.take() {
            set(&resolve, &reject);
        }
    }))
}

/// A request that is being waited on.
pub(super) struct Pending {
    request: IdbRequest,
    settled: JsFuture,
}

impl Pending {
    /// Starts listening at once, before any await, so no event is missed.
    pub(super) fn new(request: &IdbRequest) -> Pending {
        let settled = events(|resolve, reject| {
            request.set_onsuccess(Some(resolve));
            request.set_onerror(Some(reject));
        });
        Pending {
            request: request.clone(),
            settled,
        }
    }

    /// The request's result once it succeeded.
    pub(super) async fn result(self, operation: &'static str) -> Result<JsValue, IdbError> {
        let settled = self.settled.await;
        self.request.set_onsuccess(None);
        self.request.set_onerror(None);
        match settled {
            Ok(_) => self.request.result(),
            Err(_) => Err(self
                .request
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from)),
        }
        .map_err(|e| IdbError::from_js(operation, &e))
    }
}

/// Opens (creating or upgrading) Strata's database `name`.
pub(super) async fn open_database(name: &str) -> Result<IdbDatabase, IdbError> {
    let request =
        factory()?
            .open_with_u32(name, DB_VERSION)
            .map_err(|e| IdbError::Unavailable {
                reason: describe(&e).1,
            })?;
    let upgrading = request.clone();
    let on_upgrade = Closure::<dyn FnMut(Event)>::new(move |_: Event| create_stores(&upgrading));
    request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let settled = events(|resolve, reject| {
        request.set_onsuccess(Some(resolve));
        request.set_onerror(Some(reject));
        request.set_onblocked(Some(reject));
    });
    let outcome = settled.await;
    request.set_onblocked(None);
    match outcome {
        Ok(_) => {
            request.set_onupgradeneeded(None);
            let db = request
                .result()
                .map_err(|e| IdbError::from_js("open the database", &e))?;
            db.dyn_into::<IdbDatabase>().map_err(|_| IdbError::Failed {
                operation: "open the database",
                name: String::from("TypeError"),
                message: String::from("open did not return an IDBDatabase"),
            })
        }
        Err(event)
            if event
                .dyn_ref::<Event>()
                .is_some_and(|e| e.type_() == "blocked") =>
        {
            // The open stays queued until the other tab lets go: close that
            // late connection then, upgrading the stores if it must.
            let late = Pending::new(&request);
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(db) = late.result("open the database").await {
                    db.unchecked_into::<IdbDatabase>().close();
                }
                request.set_onupgradeneeded(None);
                drop(on_upgrade);
            });
            Err(IdbError::Blocked {
                db_name: String::from(name),
            })
        }
        Err(_) => {
            request.set_onupgradeneeded(None);
            let error = request
                .error()
                .ok()
                .flatten()
                .map_or(JsValue::NULL, JsValue::from);
            Err(open_failure(&error))
        }
    }
}

/// A failed open: a newer version on disk is a plain failure; anything else
/// (Firefox's private mode, a broken profile) means IndexedDB is unusable.
fn open_failure(error: &JsValue) -> IdbError {
    let (name, message) = describe(error);
    match name.as_str() {
        "VersionError" | "QuotaExceededError" => IdbError::from_js("open the database", error),
        _ => IdbError::Unavailable {
            reason: format!("{name}: {message}"),
        },
    }
}

/// The upgrade handler: creates whichever object store is missing.
fn create_stores(request: &IdbOpenDbRequest) {
    let Some(db) = request
        .result()
        .ok()
        .and_then(|db| db.dyn_into::<IdbDatabase>().ok())
    else {
        return;
    };
    let existing = db.object_store_names();
    for store in [FILES_STORE, BLOCKS_STORE] {
        if !existing.contains(store) {
            // A failure here aborts the upgrade; the open then reports it.
            let _ = db.create_object_store(store);
        }
    }
}

/// Deletes the database `name` and everything in it.
pub(super) async fn delete_database(name: &str) -> Result<(), IdbError> {
    let request = factory()?
        .delete_database(name)
        .map_err(|e| IdbError::from_js("delete the database", &e))?;
    Pending::new(&request)
        .result("delete the database")
        .await
        .map(drop)
}

/// A transaction over both stores. Read-write ones ask for `strict`
/// durability (committed means on disk), which web-sys only exposes behind
/// an unstable flag: the options dictionary is passed through JavaScript.
/// Browsers that do not know the option ignore it.
pub(super) fn transaction(db: &IdbDatabase, readwrite: bool) -> Result<IdbTransaction, JsValue> {
    let stores = Array::of2(
        &JsValue::from_str(FILES_STORE),
        &JsValue::from_str(BLOCKS_STORE),
    );
    let mode = JsValue::from_str(if readwrite { "readwrite" } else { "readonly" });
    let options = Object::new();
    if readwrite {
        Reflect::set(
            &options,
            &JsValue::from_str("durability"),
            &JsValue::from_str("strict"),
        )?;
    }
    let method = Reflect::get(db, &JsValue::from_str("transaction"))?.dyn_into::<Function>()?;
    method
        .call3(db, &stores, &mode, &options)?
        .dyn_into::<IdbTransaction>()
}

/// Waits until `tx` commits; an abort yields its error.
pub(super) async fn committed(tx: &IdbTransaction) -> Result<(), IdbError> {
    let settled = events(|resolve, reject| {
        tx.set_oncomplete(Some(resolve));
        tx.set_onabort(Some(reject));
    });
    let outcome = settled.await;
    tx.set_oncomplete(None);
    tx.set_onabort(None);
    match outcome {
        Ok(_) => Ok(()),
        Err(_) => Err(match tx.error() {
            Some(error) => IdbError::from_js("commit", &error),
            None => IdbError::Failed {
                operation: "commit",
                name: String::from("AbortError"),
                message: String::from("the transaction was aborted"),
            },
        }),
    }
}
