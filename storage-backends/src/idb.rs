//! Storage that survives a page reload: the files live in memory, and what
//! the engine syncs is written behind to IndexedDB.
//!
//! IndexedDB is asynchronous and [`Storage`] is not, so the backend is an
//! in-memory image ([`MemStorage`]) plus bookkeeping:
//! - [`IdbStorage::open`] loads every stored file into the image before the
//!   engine starts;
//! - the engine's `sync`, `sync_dir`, `truncate`, `rename` and `remove` run
//!   on the image at once and mark the files they touch;
//! - a write-behind task turns the marks into one read-write transaction
//!   (asking for `durability: "strict"`) holding the changed blocks, the
//!   file table and any deletions, and commits it;
//! - [`IdbStorage::persisted`] resolves once everything synced before the
//!   call is committed, so a page can say "saved".
//!
//! Only synced bytes are persisted: what the engine appended without
//! syncing stays in memory and is gone after a reload, exactly as a power
//! cut may drop it from a disk. Each commit captures one instant, so the
//! stored copy is always a state a crash could have left. The layout
//! ([`BLOCK_SIZE_BYTES`]-byte blocks keyed by `[file name, block index]`
//! plus a name → length table) is given on [`IdbStorage`].
//!
//! ## Why web-sys rather than the `idb` crate
//! The backend needs five IndexedDB calls (open with an upgrade handler,
//! `getAll`/`getAllKeys`, `put`, `delete` of a key range, commit). web-sys
//! has them all, brings no dependency beyond wasm-bindgen, which the engine
//! in the browser needs anyway, and lets us pass the transaction's
//! `durability` option and handle every event without panicking; `idb`
//! adds a layer (and error types) over the same calls without those two.
//!
//! ## Falling back to memory
//! - Opening fails ([`IdbError::Unavailable`] in private browsing,
//!   [`IdbError::Blocked`] by another tab, [`IdbError::Malformed`] data):
//!   run on `MemStorage::new()` instead and tell the user changes will not
//!   be kept (or, for malformed data, offer [`IdbStorage::delete_database`]).
//! - A later commit fails ([`IdbError::QuotaExceeded`]): nothing stored is
//!   lost and the engine keeps running on the image; `persisted` reports
//!   the error, and the next change or `persisted` call tries again. To
//!   stop persisting altogether, move to [`IdbStorage::memory`]'s snapshot.

mod error;
mod js;
mod layout;
mod tracker;
mod web_lock;

use std::fmt;
use std::future::poll_fn;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, IdbDatabase};

pub use error::IdbError;
pub use layout::{BLOCKS_STORE, BLOCK_SIZE_BYTES, FILES_STORE, MAX_FILE_BYTES};
pub use web_lock::LOCK_WAIT_MS;

use crate::{not_found, MemStorage, ReadableFile, Storage, WritableFile};
use tracker::State;

/// A [`Storage`] kept in memory and persisted to an IndexedDB database.
/// Cloning gives another handle to the same files.
///
/// One `IdbStorage` per database name at a time: [`IdbStorage::open`]
/// takes a Web Lock on the name (held until the last handle is dropped and
/// the last change written), and a second open — another tab, or this
/// page — waits [`LOCK_WAIT_MS`] for it and then fails with
/// [`IdbError::Locked`], so two tabs never overwrite each other's files. Await
/// [`IdbStorage::persisted`] before dropping the last handle when the same
/// page reopens the database: dropping starts a last write of anything
/// still unsaved, but nothing waits for it.
///
/// ## Format
/// IndexedDB database version 1 with two object stores, out-of-line keys:
/// - [`FILES_STORE`] (`"files"`): key = file name (string); value = the
///   file's length in bytes (number, an integer in `0..=`[`MAX_FILE_BYTES`]).
/// - [`BLOCKS_STORE`] (`"blocks"`): key = `[file name (string), block index
///   (number)]`; value = `Uint8Array` with bytes `index *
///   BLOCK_SIZE_BYTES ..` of the file: [`BLOCK_SIZE_BYTES`] of them, except
///   the last block, which holds the remaining 1..=`BLOCK_SIZE_BYTES`. A file
///   of length 0 has no blocks; one of length `n` has blocks
///   `0..ceil(n / BLOCK_SIZE_BYTES)`.
#[derive(Clone)]
pub struct IdbStorage {
    inner: Arc<Inner>,
}

/// Owned by the handles; dropping the last one lets the write-behind task
/// finish its work and close the connection.
struct Inner {
    shared: Arc<Shared>,
}

/// What the handles and the write-behind task share.
struct Shared {
    db_name: String,
    /// The Web Lock on the name, released when the write-behind task ends.
    lock: web_lock::LockId,
    image: MemStorage,
    state: Mutex<State>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies `change` to the bookkeeping, then wakes the write-behind
    /// task if it has work (outside the lock).
    fn change<R>(&self, change: impl FnOnce(&mut State) -> R) -> R {
        let mut state = self.lock();
        let result = change(&mut state);
        let wake = if state.has_work() || state.closing {
            state.writer.take()
        } else {
            None
        };
        drop(state);
        wake.into_iter().for_each(Waker::wake);
        result
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.shared.change(|state| state.closing = true);
    }
}

impl IdbStorage {
    /// Opens (creating if needed) the IndexedDB database `db_name` and loads
    /// every file it holds into memory.
    pub async fn open(db_name: &str) -> Result<IdbStorage, IdbError> {
        let lock = web_lock::acquire(db_name).await?;
        let db = match js::open_database(db_name).await {
            Ok(db) => db,
            Err(error) => {
                web_lock::release(lock);
                return Err(error);
            }
        };
        let files = match load(&db).await {
            Ok(files) => files,
            Err(error) => {
                db.close();
                web_lock::release(lock);
                return Err(error);
            }
        };
        let image = MemStorage::new();
        if let Err(e) = fill(&image, &files) {
            db.close();
            web_lock::release(lock);
            return Err(IdbError::Failed {
                operation: "fill the in-memory image",
                name: String::from("Error"),
                message: e.to_string(),
            });
        }
        let state = State::loaded(files.iter().map(|(name, data)| (name, data.len() as u64)));
        let shared = Arc::new(Shared {
            db_name: db_name.to_owned(),
            lock,
            image,
            state: Mutex::new(state),
        });
        wasm_bindgen_futures::spawn_local(write_behind(db, shared.clone()));
        Ok(IdbStorage {
            inner: Arc::new(Inner { shared }),
        })
    }

    /// Deletes the IndexedDB database `db_name` and everything in it. Waits
    /// until every connection to it is closed.
    pub async fn delete_database(db_name: &str) -> Result<(), IdbError> {
        js::delete_database(db_name).await
    }

    /// Resolves once everything synced before this call is committed to
    /// IndexedDB, or with the error that stopped the latest attempt.
    pub async fn persisted(&self) -> Result<(), IdbError> {
        let shared = &self.inner.shared;
        let (target, failures) = shared.change(State::wait_target);
        poll_fn(|cx| {
            let mut state = shared.lock();
            match state.outcome(target, failures) {
                Some(outcome) => Poll::Ready(outcome),
                None => {
                    state.waiters.push(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
        .await
    }

    /// The in-memory image the engine runs on (another handle to it).
    /// `memory().snapshot()` is an independent copy to carry on without
    /// IndexedDB.
    pub fn memory(&self) -> MemStorage {
        self.inner.shared.image.clone()
    }

    /// The IndexedDB database's name.
    pub fn db_name(&self) -> &str {
        &self.inner.shared.db_name
    }
}

async fn load(db: &IdbDatabase) -> Result<std::collections::BTreeMap<String, Vec<u8>>, IdbError> {
    let tx = js::transaction(db, false).map_err(|e| IdbError::from_js("start reading", &e))?;
    layout::load(&tx).await
}

fn fill(image: &MemStorage, files: &std::collections::BTreeMap<String, Vec<u8>>) -> io::Result<()> {
    for (name, data) in files {
        let mut file = image.create(name)?;
        file.append(data)?;
        file.sync()?;
    }
    image.sync_dir()
}

/// What the write-behind task does next.
enum Work {
    Persist,
    Stop,
}

/// Commits marked changes until the last handle is dropped, then closes
/// the connection.
async fn write_behind(db: IdbDatabase, shared: Arc<Shared>) {
    // Another tab upgrading or deleting the database asks us to let go.
    let on_version_change = {
        let db = db.clone();
        Closure::<dyn FnMut(Event)>::new(move |_: Event| db.close())
    };
    db.set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
    loop {
        let work = poll_fn(|cx| {
            let mut state = shared.lock();
            if state.has_work() {
                Poll::Ready(Work::Persist)
            } else if state.closing {
                Poll::Ready(Work::Stop)
            } else {
                state.writer = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        if let Work::Stop = work {
            break;
        }
        persist_once(&db, &shared).await;
    }
    db.set_onversionchange(None);
    db.close();
    web_lock::release(shared.lock);
}

/// Plans, commits and records one transaction, then wakes the waiters.
async fn persist_once(db: &IdbDatabase, shared: &Shared) {
    let planned = shared.lock().plan(&shared.image);
    if let Some(mut plan) = planned {
        let ops = std::mem::take(&mut plan.ops);
        let outcome = if ops.is_empty() {
            Ok(())
        } else {
            commit(db, ops, &shared.db_name).await
        };
        shared.lock().finish(plan, outcome);
    }
    let waiters = std::mem::take(&mut shared.lock().waiters);
    waiters.into_iter().for_each(Waker::wake);
}

async fn commit(db: &IdbDatabase, ops: Vec<layout::Op>, db_name: &str) -> Result<(), IdbError> {
    let tx = js::transaction(db, true).map_err(|e| match error::describe(&e).0.as_str() {
        "InvalidStateError" => IdbError::Closed {
            db_name: db_name.to_owned(),
        },
        _ => IdbError::from_js("start a transaction", &e),
    })?;
    if let Err(e) = layout::issue(&tx, ops) {
        let _ = tx.abort();
        return Err(IdbError::from_js("write blocks", &e));
    }
    js::committed(&tx).await
}

impl fmt::Debug for IdbStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdbStorage")
            .field("db_name", &self.inner.shared.db_name)
            .finish_non_exhaustive()
    }
}

impl Storage for IdbStorage {
    /// [`IdbStorage::persisted`], for callers that hold a `dyn Storage`
    /// (such as `Db::persisted`).
    fn persisted(&self) -> crate::Persisted {
        let this = self.clone();
        Box::pin(async move {
            IdbStorage::persisted(&this)
                .await
                .map_err(|e| io::Error::other(e.to_string()))
        })
    }

    fn create(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        let shared = &self.inner.shared;
        let inner = shared.image.create(name)?;
        let id = shared.change(|state| state.created(name));
        Ok(Box::new(IdbWriter {
            inner,
            id,
            shared: shared.clone(),
        }))
    }

    fn open_append(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        let shared = &self.inner.shared;
        let inner = shared.image.open_append(name)?;
        let id = shared.lock().id_of(name).ok_or_else(|| not_found(name))?;
        Ok(Box::new(IdbWriter {
            inner,
            id,
            shared: shared.clone(),
        }))
    }

    fn open(&self, name: &str) -> io::Result<Arc<dyn ReadableFile>> {
        self.inner.shared.image.open(name)
    }

    fn len(&self, name: &str) -> io::Result<u64> {
        self.inner.shared.image.len(name)
    }

    fn exists(&self, name: &str) -> io::Result<bool> {
        self.inner.shared.image.exists(name)
    }

    fn truncate(&self, name: &str, len: u64) -> io::Result<()> {
        let shared = &self.inner.shared;
        shared.image.truncate(name, len)?;
        let len = shared.image.len(name)?;
        shared.change(|state| state.truncated(name, len));
        Ok(())
    }

    fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        let shared = &self.inner.shared;
        shared.image.rename(from, to)?;
        shared.change(|state| state.renamed(from, to));
        Ok(())
    }

    fn remove(&self, name: &str) -> io::Result<()> {
        let shared = &self.inner.shared;
        shared.image.remove(name)?;
        shared.change(|state| state.removed(name));
        Ok(())
    }

    fn list(&self) -> io::Result<Vec<String>> {
        self.inner.shared.image.list()
    }

    fn sync_dir(&self) -> io::Result<()> {
        let shared = &self.inner.shared;
        shared.image.sync_dir()?;
        shared.change(State::dir_synced);
        Ok(())
    }
}

/// A file open for appending: syncs mark it for the write-behind task.
struct IdbWriter {
    inner: Box<dyn WritableFile>,
    id: u64,
    shared: Arc<Shared>,
}

impl WritableFile for IdbWriter {
    fn append(&mut self, data: &[u8]) -> io::Result<()> {
        self.inner.append(data)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.inner.sync()?;
        let len = self.inner.len();
        self.shared.change(|state| state.synced(self.id, len));
        Ok(())
    }

    fn len(&self) -> u64 {
        self.inner.len()
    }
}
