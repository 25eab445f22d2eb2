//! Storage that fails on purpose, for proving what the engine promises.
//!
//! [`FaultStorage`] wraps any [`Storage`] and passes every call through,
//! while keeping its own account of what is *durable*: per file, the bytes
//! the last successful `sync` covered and the writes appended since; for
//! the directory, the names as of the last `sync_dir`. From that account it
//! can
//! - build the image a power cut would leave ([`FaultStorage::crash_image`],
//!   or [`FaultStorage::crash_at_op`] to crash in the middle of whatever the
//!   engine is doing), deciding the fate of each unsynced write per
//!   [`CrashMode`]: kept, dropped, torn, or reordered;
//! - fail chosen operations ([`FaultRule`]): the n-th call, every call from
//!   the n-th on, or one call in n at random. A failed append may have
//!   written a prefix of its bytes; a failed sync may have made only some
//!   of its writes durable; a failed `sync_dir` may or may not have taken
//!   effect;
//! - flip a random bit in one read in n ([`FaultStorage::flip_bits_on_read`]).
//!
//! Every random choice comes from the seed given to [`FaultStorage::new`],
//! so a failing run replays exactly (when one thread drives it).

mod image;

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use image::{build_image, write_at, PendingWrite};
pub use image::{CrashMode, SECTOR_BYTES};

use crate::{read_all, MemStorage, ReadableFile, Storage, WritableFile};

/// The operations a [`FaultRule`] can target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    /// [`Storage::create`].
    Create,
    /// [`Storage::open_append`].
    OpenAppend,
    /// [`Storage::open`].
    Open,
    /// [`ReadableFile::read_exact_at`].
    Read,
    /// [`Storage::len`] and [`Storage::exists`].
    Stat,
    /// [`Storage::truncate`].
    Truncate,
    /// [`Storage::rename`].
    Rename,
    /// [`Storage::remove`].
    Remove,
    /// [`Storage::list`].
    List,
    /// [`Storage::sync_dir`].
    SyncDir,
    /// [`WritableFile::append`].
    Append,
    /// [`WritableFile::sync`].
    Sync,
}

/// When a [`FaultRule`] fires, counting only the calls it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// The n-th matching call fails (1 = the next one), once.
    Nth(u64),
    /// Every matching call from the n-th on fails.
    From(u64),
    /// Each matching call fails with probability 1/n.
    OneIn(u64),
}

/// An I/O error injected on the calls of `op` whose file name contains
/// `file` (every file when `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    /// The operation to fail.
    pub op: Op,
    /// A substring of the file names to fail on (`".log"`, `"MANIFEST"`).
    pub file: Option<String>,
    /// Which matching calls fail.
    pub trigger: Trigger,
}

impl FaultRule {
    /// A rule failing `op` on every file per `trigger`.
    pub fn new(op: Op, trigger: Trigger) -> Self {
        Self {
            op,
            file: None,
            trigger,
        }
    }

    /// Restricts the rule to files whose name contains `part`.
    pub fn on_files(mut self, part: &str) -> Self {
        self.file = Some(part.to_owned());
        self
    }
}

/// Deterministic randomness (SplitMix64): the storage crate depends on
/// nothing, and fault runs must replay from their seed.
#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    pub(crate) fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// The durable account of one file.
#[derive(Debug, Default)]
struct FileModel {
    /// What the last successful sync made durable.
    durable: Vec<u8>,
    /// Appends since, in order.
    pending: Vec<PendingWrite>,
    /// Current length, unsynced bytes included.
    len: u64,
}

impl FileModel {
    /// Makes the first `count` pending writes durable.
    fn make_durable(&mut self, count: usize) {
        let count = count.min(self.pending.len());
        for w in self.pending.drain(..count) {
            write_at(&mut self.durable, w.offset, &w.data);
        }
    }
}

type Node = Arc<Mutex<FileModel>>;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug)]
struct State {
    rng: Rng,
    live: BTreeMap<String, Node>,
    /// The namespace as of the last `sync_dir`.
    durable: BTreeMap<String, Node>,
    rules: Vec<(FaultRule, u64)>,
    ops: u64,
    injected: u64,
    crash_at: Option<(u64, CrashMode)>,
    /// Set once the device has crashed: every later call fails.
    dead: bool,
    /// The image the crash left, until taken.
    crash_image: Option<MemStorage>,
    flip_one_in: Option<u64>,
    flips: u64,
}

/// Why a call was refused.
enum Refusal {
    /// A rule fired: the call may have partly happened.
    Injected(io::Error),
    /// The device crashed earlier: nothing happens.
    Crashed(io::Error),
}

impl Refusal {
    fn into_error(self) -> io::Error {
        match self {
            Refusal::Injected(e) | Refusal::Crashed(e) => e,
        }
    }
}

/// A [`Storage`] wrapper that injects crashes, I/O errors and bit flips.
/// Cloning gives another handle to the same storage and account.
#[derive(Clone)]
pub struct FaultStorage {
    inner: Arc<dyn Storage>,
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for FaultStorage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("FaultStorage")
            .field("inner", &self.inner)
            .field("ops", &state.ops)
            .field("injected", &state.injected)
            .field("crashed", &state.dead)
            .finish()
    }
}

impl FaultStorage {
    /// Wraps `inner`, whose existing files count as durable. All random
    /// choices derive from `seed`.
    pub fn new(inner: Arc<dyn Storage>, seed: u64) -> io::Result<Self> {
        let mut live = BTreeMap::new();
        for name in inner.list()? {
            let durable = read_all(inner.as_ref(), &name)?;
            let len = durable.len() as u64;
            let node = Arc::new(Mutex::new(FileModel {
                durable,
                pending: Vec::new(),
                len,
            }));
            live.insert(name, node);
        }
        let state = State {
            rng: Rng(seed),
            durable: live.clone(),
            live,
            rules: Vec::new(),
            ops: 0,
            injected: 0,
            crash_at: None,
            dead: false,
            crash_image: None,
            flip_one_in: None,
            flips: 0,
        };
        Ok(Self {
            inner,
            state: Arc::new(Mutex::new(state)),
        })
    }

    /// Adds a fault rule.
    pub fn fail(&self, rule: FaultRule) {
        lock(&self.state).rules.push((rule, 0));
    }

    /// Removes every fault rule and stops flipping bits (a crash stays).
    pub fn clear_faults(&self) {
        let mut state = lock(&self.state);
        state.rules.clear();
        state.flip_one_in = None;
    }

    /// Flips one random bit of one read in `n` (`None` stops it).
    pub fn flip_bits_on_read(&self, one_in: Option<u64>) {
        lock(&self.state).flip_one_in = one_in;
    }

    /// The image a crash now would leave, as a fresh synced `MemStorage`.
    /// The storage itself carries on unchanged.
    pub fn crash_image(&self, mode: CrashMode) -> io::Result<MemStorage> {
        let mut state = lock(&self.state);
        let State { durable, rng, .. } = &mut *state;
        build_image(durable, mode, rng)
    }

    /// Crashes the device just before the `op`-th call from now (1 = the
    /// next call): the image is taken then, and that call and every later
    /// one fails. [`FaultStorage::take_crash_image`] returns the image.
    pub fn crash_at_op(&self, op: u64, mode: CrashMode) {
        let mut state = lock(&self.state);
        state.crash_at = Some((state.ops + op.max(1), mode));
    }

    /// The image left by a crash set up with [`FaultStorage::crash_at_op`],
    /// once it happened.
    pub fn take_crash_image(&self) -> Option<MemStorage> {
        lock(&self.state).crash_image.take()
    }

    /// Whether the device has crashed (it stays crashed).
    pub fn has_crashed(&self) -> bool {
        lock(&self.state).dead
    }

    /// Calls made so far (every operation counts one).
    pub fn op_count(&self) -> u64 {
        lock(&self.state).ops
    }

    /// Faults injected so far by rules.
    pub fn injected_faults(&self) -> u64 {
        lock(&self.state).injected
    }

    /// Bits flipped in reads so far.
    pub fn flipped_bits(&self) -> u64 {
        lock(&self.state).flips
    }

    /// Counts a call and decides whether it fails.
    fn check(&self, op: Op, name: &str) -> Result<(), Refusal> {
        let mut state = lock(&self.state);
        state.ops += 1;
        if let Some((at, mode)) = state.crash_at {
            if state.ops >= at {
                state.crash_at = None;
                state.dead = true;
                let State { durable, rng, .. } = &mut *state;
                let image = build_image(durable, mode, rng).map_err(Refusal::Crashed)?;
                state.crash_image = Some(image);
                return Err(crashed());
            }
        }
        if state.dead {
            return Err(crashed());
        }
        let State { rules, rng, .. } = &mut *state;
        let mut fire = false;
        for (rule, seen) in rules.iter_mut() {
            let matches = rule.op == op && rule.file.as_deref().is_none_or(|f| name.contains(f));
            if !matches {
                continue;
            }
            *seen += 1;
            fire |= match rule.trigger {
                Trigger::Nth(n) => *seen == n,
                Trigger::From(n) => *seen >= n,
                Trigger::OneIn(n) => rng.one_in(n),
            };
        }
        if fire {
            state.injected += 1;
            return Err(Refusal::Injected(io::Error::other(format!(
                "injected fault: {op:?} on {name:?}"
            ))));
        }
        Ok(())
    }

    fn check_io(&self, op: Op, name: &str) -> io::Result<()> {
        self.check(op, name).map_err(Refusal::into_error)
    }

    fn random(&self, n: u64) -> u64 {
        lock(&self.state).rng.below(n)
    }

    fn node(&self, name: &str) -> io::Result<Node> {
        lock(&self.state)
            .live
            .get(name)
            .cloned()
            .ok_or_else(|| crate::not_found(name))
    }
}

fn crashed() -> Refusal {
    Refusal::Crashed(io::Error::other("the storage device crashed"))
}

impl Storage for FaultStorage {
    fn persisted(&self) -> crate::Persisted {
        self.inner.persisted()
    }

    fn create(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        self.check_io(Op::Create, name)?;
        let inner = self.inner.create(name)?;
        let node = Node::default();
        lock(&self.state).live.insert(name.to_owned(), node.clone());
        Ok(Box::new(FaultWriter {
            storage: self.clone(),
            name: name.to_owned(),
            inner,
            node,
        }))
    }

    fn open_append(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        self.check_io(Op::OpenAppend, name)?;
        let inner = self.inner.open_append(name)?;
        Ok(Box::new(FaultWriter {
            storage: self.clone(),
            name: name.to_owned(),
            inner,
            node: self.node(name)?,
        }))
    }

    fn open(&self, name: &str) -> io::Result<Arc<dyn ReadableFile>> {
        self.check_io(Op::Open, name)?;
        Ok(Arc::new(FaultReader {
            storage: self.clone(),
            name: name.to_owned(),
            inner: self.inner.open(name)?,
        }))
    }

    fn len(&self, name: &str) -> io::Result<u64> {
        self.check_io(Op::Stat, name)?;
        self.inner.len(name)
    }

    fn exists(&self, name: &str) -> io::Result<bool> {
        self.check_io(Op::Stat, name)?;
        self.inner.exists(name)
    }

    fn truncate(&self, name: &str, len: u64) -> io::Result<()> {
        self.check_io(Op::Truncate, name)?;
        self.inner.truncate(name, len)?;
        let node = self.node(name)?;
        let mut file = lock(&node);
        file.make_durable(usize::MAX);
        file.durable
            .truncate(usize::try_from(len).unwrap_or(usize::MAX));
        file.len = file.durable.len() as u64;
        Ok(())
    }

    fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        self.check_io(Op::Rename, from)?;
        self.inner.rename(from, to)?;
        let mut state = lock(&self.state);
        let node = state
            .live
            .remove(from)
            .ok_or_else(|| crate::not_found(from))?;
        state.live.insert(to.to_owned(), node);
        Ok(())
    }

    fn remove(&self, name: &str) -> io::Result<()> {
        self.check_io(Op::Remove, name)?;
        self.inner.remove(name)?;
        lock(&self.state).live.remove(name);
        Ok(())
    }

    fn list(&self) -> io::Result<Vec<String>> {
        self.check_io(Op::List, "")?;
        self.inner.list()
    }

    fn sync_dir(&self) -> io::Result<()> {
        match self.check(Op::SyncDir, "") {
            Ok(()) => {}
            Err(Refusal::Injected(e)) => {
                // A failed directory sync may still have taken effect.
                if self.random(2) == 0 {
                    let mut state = lock(&self.state);
                    state.durable = state.live.clone();
                }
                return Err(e);
            }
            Err(refusal) => return Err(refusal.into_error()),
        }
        self.inner.sync_dir()?;
        let mut state = lock(&self.state);
        state.durable = state.live.clone();
        Ok(())
    }

    fn lock(&self) -> io::Result<crate::DirLock> {
        self.inner.lock()
    }
}

struct FaultWriter {
    storage: FaultStorage,
    name: String,
    inner: Box<dyn WritableFile>,
    node: Node,
}

impl FaultWriter {
    fn record(&mut self, data: &[u8]) -> io::Result<()> {
        self.inner.append(data)?;
        let mut file = lock(&self.node);
        let offset = file.len;
        file.len += data.len() as u64;
        file.pending.push(PendingWrite {
            offset,
            data: data.to_vec(),
        });
        Ok(())
    }
}

impl WritableFile for FaultWriter {
    fn append(&mut self, data: &[u8]) -> io::Result<()> {
        match self.storage.check(Op::Append, &self.name) {
            Ok(()) => self.record(data),
            Err(Refusal::Injected(e)) => {
                // A short write: some prefix of the bytes made it.
                let keep = self.storage.random(data.len() as u64 + 1) as usize;
                self.record(data.get(..keep).unwrap_or_default())?;
                Err(e)
            }
            Err(refusal) => Err(refusal.into_error()),
        }
    }

    fn sync(&mut self) -> io::Result<()> {
        match self.storage.check(Op::Sync, &self.name) {
            Ok(()) => {
                self.inner.sync()?;
                lock(&self.node).make_durable(usize::MAX);
                Ok(())
            }
            Err(Refusal::Injected(e)) => {
                // Only some of the writes reached the disk.
                let pending = lock(&self.node).pending.len() as u64;
                let count = self.storage.random(pending + 1) as usize;
                lock(&self.node).make_durable(count);
                Err(e)
            }
            Err(refusal) => Err(refusal.into_error()),
        }
    }

    fn len(&self) -> u64 {
        self.inner.len()
    }
}

struct FaultReader {
    storage: FaultStorage,
    name: String,
    inner: Arc<dyn ReadableFile>,
}

impl ReadableFile for FaultReader {
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        self.storage.check_io(Op::Read, &self.name)?;
        self.inner.read_exact_at(offset, buf)?;
        let mut state = lock(&self.storage.state);
        if let Some(n) = state.flip_one_in {
            if !buf.is_empty() && state.rng.one_in(n) {
                let bit = state.rng.below(buf.len() as u64 * 8);
                if let Some(byte) = buf.get_mut((bit / 8) as usize) {
                    *byte ^= 1 << (bit % 8);
                    state.flips += 1;
                }
            }
        }
        Ok(())
    }

    fn len(&self) -> u64 {
        self.inner.len()
    }
}

#[cfg(test)]
mod tests;
