//! The storage trait Strata does all of its I/O through, and its backends.
//!
//! The idea is LevelDB's `Env`: a flat directory of named files that can be
//! created, appended to, read at any offset, synced, renamed atomically and
//! removed. The engine never touches `std::fs`; it only sees [`Storage`].
//!
//! ## Durability contract
//! - Bytes appended to a file are durable once [`WritableFile::sync`] returns
//!   `Ok`. Unsynced bytes may be lost, torn or reordered by a crash.
//! - Creating, renaming and removing files changes the directory; those
//!   changes are durable once [`Storage::sync_dir`] returns `Ok`.
//! - [`Storage::rename`] is atomic: after a crash the target holds either its
//!   old content or the source's content, never a mix.
//!
//! Backends: [`MemStorage`] (every target; simulates crashes), natively
//! [`FsStorage`] (real files, `fsync`) and, in the browser, `IdbStorage`
//! (memory written behind to IndexedDB).

pub mod fault;
#[cfg(not(target_arch = "wasm32"))]
mod fs;
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod idb;
mod mem;
mod shared;

use std::fmt;
use std::io;
use std::sync::Arc;

pub use fault::{CrashMode, FaultRule, FaultStorage, Op, Trigger};
#[cfg(not(target_arch = "wasm32"))]
pub use fs::{FsStorage, LOCK_FILE};
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub use idb::{IdbError, IdbStorage};
pub use mem::MemStorage;
pub use shared::SharedBytes;

/// A flat directory of named files. Object safe: the engine holds an
/// `Arc<dyn Storage>`.
pub trait Storage: Send + Sync + fmt::Debug {
    /// Creates `name` empty (truncating it if it exists) and opens it for
    /// appending.
    fn create(&self, name: &str) -> io::Result<Box<dyn WritableFile>>;
    /// Opens an existing file for appending at its end.
    fn open_append(&self, name: &str) -> io::Result<Box<dyn WritableFile>>;
    /// Opens an existing file for positional reads.
    fn open(&self, name: &str) -> io::Result<Arc<dyn ReadableFile>>;
    /// Opens an existing file for positional reads, with the caller's
    /// promise that nobody truncates, rewrites or appends to it while the
    /// returned reader, or bytes it lent ([`ReadableFile::read_shared`]),
    /// live (it may be removed). Strata's tables are such
    /// files. A backend may then read it a cheaper way: `FsStorage` maps
    /// it into memory. The default is [`Storage::open`].
    fn open_immutable(&self, name: &str) -> io::Result<Arc<dyn ReadableFile>> {
        self.open(name)
    }
    /// Length of a file in bytes.
    fn len(&self, name: &str) -> io::Result<u64>;
    /// Whether a file of that name exists.
    fn exists(&self, name: &str) -> io::Result<bool>;
    /// Shortens a file to `len` bytes and makes the new length durable.
    fn truncate(&self, name: &str, len: u64) -> io::Result<()>;
    /// Atomically replaces `to` with `from`.
    fn rename(&self, from: &str, to: &str) -> io::Result<()>;
    /// Removes a file.
    fn remove(&self, name: &str) -> io::Result<()>;
    /// Names of all files, sorted.
    fn list(&self) -> io::Result<Vec<String>>;
    /// Makes creations, renames and removals so far durable.
    fn sync_dir(&self) -> io::Result<()>;
    /// Takes the directory for one user: while the returned [`DirLock`]
    /// lives, another `lock` of the same directory fails with
    /// `io::ErrorKind::WouldBlock`. A database holds it while open, so two
    /// processes never write one directory. Backends whose directory only
    /// one handle can reach (memory) need no lock and keep this default.
    fn lock(&self) -> io::Result<DirLock> {
        Ok(DirLock::unlocked())
    }
    /// Resolves once everything synced before the call is in the
    /// backend's permanent store. Where [`WritableFile::sync`] itself is
    /// that point (real files; memory, which has no permanent store) it
    /// resolves at once; `IdbStorage`'s sync only marks the data for a
    /// write-behind IndexedDB transaction, and this waits for its commit.
    fn persisted(&self) -> Persisted {
        Box::pin(std::future::ready(Ok(())))
    }
}

/// What [`Storage::persisted`] returns: a future (not `Send`: in the
/// browser it waits on JavaScript promises).
pub type Persisted = std::pin::Pin<Box<dyn std::future::Future<Output = io::Result<()>>>>;

/// Exclusive use of a storage directory, released on drop (and by the
/// operating system when the process dies).
pub struct DirLock {
    _held: Option<Box<dyn Send + Sync>>,
}

impl DirLock {
    /// A lock that holds nothing (backends that need none).
    pub fn unlocked() -> Self {
        Self { _held: None }
    }

    /// A lock released when `held` is dropped.
    pub fn holding(held: impl Send + Sync + 'static) -> Self {
        Self {
            _held: Some(Box::new(held)),
        }
    }

    /// Whether this lock excludes anyone.
    pub fn is_held(&self) -> bool {
        self._held.is_some()
    }
}

impl fmt::Debug for DirLock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DirLock")
            .field("held", &self.is_held())
            .finish()
    }
}

/// A file open for appending.
pub trait WritableFile: Send + Sync {
    /// Appends bytes at the end of the file.
    fn append(&mut self, data: &[u8]) -> io::Result<()>;
    /// Makes everything appended so far durable.
    fn sync(&mut self) -> io::Result<()>;
    /// Current length of the file, including unsynced bytes.
    fn len(&self) -> u64;
    /// A hint: the backend may extend the file on disk ahead of its
    /// appends, `step_bytes` at a time, so that most syncs need not record
    /// a new file size (on real files that cuts the cost of a small synced
    /// append by about a third). After a crash such a file may end in
    /// zeros past its last append, so only files whose reader stops at a
    /// zero tail (the write-ahead log and the manifest, both in the log
    /// format) ask for it; dropping the file trims it to `len`.
    fn reserve_ahead(&mut self, step_bytes: u64) {
        let _ = step_bytes;
    }
    /// Whether the file is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether this handle's bytes are fixed for its lifetime: reading the
    /// same range twice returns the same bytes (an in-memory snapshot).
    /// A reader may then verify a checksum once per range and trust later
    /// reads of it. Real files say no: a disk can return different bytes
    /// tomorrow, and each read is checked again.
    fn fixed_contents(&self) -> bool {
        false
    }
}

/// A file open for positional reads.
pub trait ReadableFile: Send + Sync {
    /// Fills `buf` with the bytes at `offset`. Reading past the end is an
    /// `UnexpectedEof` error.
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()>;
    /// Length of the file when it was opened (files read this way are not
    /// appended to while open, except the log being recovered).
    fn len(&self) -> u64;
    /// Whether the file is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether this handle's bytes are fixed for its lifetime: reading the
    /// same range twice returns the same bytes (an in-memory snapshot).
    /// A reader may then verify a checksum once per range and trust later
    /// reads of it. Real files say no: a disk can return different bytes
    /// tomorrow, and each read is checked again.
    fn fixed_contents(&self) -> bool {
        false
    }
    /// The `len` bytes at `offset` without a copy, if this reader holds
    /// the file in memory (a map, an in-memory snapshot). `None` if it
    /// does not, or if the range runs past the end: read them with
    /// [`ReadableFile::read_exact_at`] then.
    fn read_shared(&self, offset: u64, len: usize) -> Option<SharedBytes> {
        let _ = (offset, len);
        None
    }
    /// Whether this reader lends bytes ([`ReadableFile::read_shared`]).
    fn lends_bytes(&self) -> bool {
        self.read_shared(0, 0).is_some()
    }
}

/// Reads a whole file. Callers bound the length first when it matters.
pub fn read_all(storage: &dyn Storage, name: &str) -> io::Result<Vec<u8>> {
    let file = storage.open(name)?;
    let len = usize::try_from(file.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "file too large"))?;
    let mut buf = vec![0; len];
    file.read_exact_at(0, &mut buf)?;
    Ok(buf)
}

/// Writes `data` to `name` through a temporary file and an atomic rename,
/// syncing the data and the directory: after a crash `name` holds either the
/// old or the new content.
pub fn write_atomic(storage: &dyn Storage, name: &str, data: &[u8]) -> io::Result<()> {
    let tmp = format!("{name}.tmp");
    let mut file = storage.create(&tmp)?;
    file.append(data)?;
    file.sync()?;
    drop(file);
    storage.rename(&tmp, name)?;
    storage.sync_dir()
}

pub(crate) fn not_found(name: &str) -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, format!("no such file: {name}"))
}
