//! One tab per database name: a Web Lock (`navigator.locks`) named after
//! the IndexedDB database, held from [`super::IdbStorage::open`] until the
//! write-behind task has written its last change and closed the
//! connection. A second tab's open waits [`LOCK_WAIT_MS`] for it, then
//! fails with [`IdbError::Locked`], so two tabs never interleave files.
//!
//! The lock is held by a promise the lock's callback returns; its resolve
//! function stays on the JavaScript side, in a map on the global object
//! keyed by a number, so Rust keeps only that number (JavaScript values
//! cannot cross threads, and the storage handles must be `Send`).

use std::sync::atomic::{AtomicU64, Ordering};

use js_sys::{Function, Map, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::error::{describe, IdbError};

/// How long an open waits for another tab to let go of the database.
pub const LOCK_WAIT_MS: u32 = 3000;

/// The global property holding the release functions of held locks.
const RELEASERS: &str = "__strataIdbLockReleasers";

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A held lock, released by [`release`]; `None` where the context has no
/// `navigator.locks` (then nothing is locked).
pub(super) type LockId = Option<u64>;

fn locks() -> Option<JsValue> {
    let navigator = Reflect::get(&js_sys::global(), &JsValue::from_str("navigator")).ok()?;
    let locks = Reflect::get(&navigator, &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

fn releasers() -> Result<Map, JsValue> {
    let global = js_sys::global();
    let key = JsValue::from_str(RELEASERS);
    let existing = Reflect::get(&global, &key)?;
    if let Ok(map) = existing.dyn_into::<Map>() {
        return Ok(map);
    }
    let map = Map::new();
    Reflect::set(&global, &key, &map)?;
    Ok(map)
}

/// Takes the lock named after `db_name`, waiting up to [`LOCK_WAIT_MS`].
pub(super) async fn acquire(db_name: &str) -> Result<LockId, IdbError> {
    let Some(locks) = locks() else {
        return Ok(None);
    };
    let failed = |e: JsValue| {
        let (name, message) = describe(&e);
        if name == "AbortError" || name == "TimeoutError" {
            IdbError::Locked {
                db_name: db_name.to_owned(),
            }
        } else {
            IdbError::Failed {
                operation: "take the database's Web Lock",
                name,
                message,
            }
        }
    };
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let map = releasers().map_err(failed)?;
    // Resolved by the lock callback once the lock is granted.
    let mut granted_resolve: Option<Function> = None;
    let granted = Promise::new(&mut |resolve, _reject| granted_resolve = Some(resolve));
    let on_grant = Closure::once_into_js(move |_lock: JsValue| -> Promise {
        // The lock is held until this promise resolves: its resolve
        // function waits in the map for `release`.
        let held = Promise::new(&mut |resolve, _reject| {
            map.set(&JsValue::from_f64(id as f64), &resolve);
        });
        if let Some(resolve) = &granted_resolve {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
        held
    });
    let options = Object::new();
    let signal = abort_after(LOCK_WAIT_MS).map_err(failed)?;
    Reflect::set(&options, &JsValue::from_str("signal"), &signal).map_err(failed)?;
    let request: Function = Reflect::get(&locks, &JsValue::from_str("request"))
        .and_then(|f| f.dyn_into())
        .map_err(failed)?;
    let requested = request
        .call3(
            &locks,
            &JsValue::from_str(&lock_name(db_name)),
            &options,
            &on_grant,
        )
        .map_err(failed)?;
    let requested: Promise = requested.dyn_into().map_err(failed)?;
    // The request's promise rejects if the wait is aborted; otherwise it
    // settles only once the lock is released, long after the grant.
    let either = Promise::race(&js_sys::Array::of2(&granted, &requested));
    JsFuture::from(either).await.map_err(failed)?;
    Ok(Some(id))
}

/// Lets go of a lock taken by [`acquire`].
pub(super) fn release(id: LockId) {
    let Some(id) = id else { return };
    let Ok(map) = releasers() else { return };
    let key = JsValue::from_f64(id as f64);
    if let Ok(resolve) = map.get(&key).dyn_into::<Function>() {
        let _ = resolve.call0(&JsValue::UNDEFINED);
    }
    map.delete(&key);
}

/// The lock's name: the database name, prefixed so it cannot clash with a
/// page's own locks.
fn lock_name(db_name: &str) -> String {
    format!("strata-idb:{db_name}")
}

/// `AbortSignal.timeout(ms)`.
fn abort_after(ms: u32) -> Result<JsValue, JsValue> {
    let abort_signal = Reflect::get(&js_sys::global(), &JsValue::from_str("AbortSignal"))?;
    let timeout: Function =
        Reflect::get(&abort_signal, &JsValue::from_str("timeout"))?.dyn_into()?;
    timeout.call1(&abort_signal, &JsValue::from_f64(f64::from(ms)))
}
