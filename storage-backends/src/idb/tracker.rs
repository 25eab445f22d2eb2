//! What has changed since IndexedDB last committed, and the writes that
//! catch it up.
//!
//! The engine's synchronous calls only update this bookkeeping; the
//! write-behind task turns it into a [`Plan`] and commits that in one
//! transaction. Each plan captures, at one instant, every dirty file's live
//! name and synced length, so what IndexedDB holds after any commit is a
//! state a power cut could have left: renames and removals applied, and
//! each file holding exactly its synced bytes. Bytes appended but not synced
//! are never written.

use std::collections::{BTreeMap, BTreeSet};
use std::mem;
use std::task::Waker;

use super::error::IdbError;
use super::layout::{block_count, Op, BLOCK_SIZE_BYTES};
use crate::{MemStorage, Storage};

const BLOCK: u64 = BLOCK_SIZE_BYTES as u64;

/// A file as some version of the store knows it: which in-memory file
/// (ids change when a name is created afresh) and how many bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stored {
    id: u64,
    len: u64,
}

/// One in-memory file's durable progress.
#[derive(Clone, Copy, Debug)]
struct Synced {
    len: u64,
    /// Bytes from here on may differ from what was last committed (a
    /// truncation rewound the file); `u64::MAX` when none did.
    changed_from: u64,
}

/// Everything the backend tracks, behind one mutex.
#[derive(Debug, Default)]
pub(super) struct State {
    names: BTreeMap<String, u64>,
    synced: BTreeMap<u64, Synced>,
    next_id: u64,
    /// What IndexedDB holds, as of the last successful commit.
    committed: BTreeMap<String, Stored>,
    dirty: BTreeSet<String>,
    /// Counts changes marked; `saved` is the count the last commit covered.
    marked: u64,
    saved: u64,
    failures: u64,
    last_failure: Option<IdbError>,
    /// Cleared by a failure so a full disk is not retried in a loop; set
    /// again by the next change or by a caller waiting on persistence.
    may_attempt: bool,
    pub(super) closing: bool,
    pub(super) writer: Option<Waker>,
    pub(super) waiters: Vec<Waker>,
}

/// The writes of one transaction and what they make IndexedDB hold.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) ops: Vec<Op>,
    /// Per file written: its new stored state and where its changes began.
    files: Vec<(String, Option<Stored>, u64)>,
    generation: u64,
}

impl State {
    /// The state right after loading `files` from IndexedDB.
    pub(super) fn loaded<'a>(files: impl Iterator<Item = (&'a String, u64)>) -> State {
        let mut state = State::default();
        for (name, len) in files {
            let id = state.add(name);
            let synced = Synced {
                len,
                changed_from: u64::MAX,
            };
            state.synced.insert(id, synced);
            state.committed.insert(name.clone(), Stored { id, len });
        }
        state
    }

    fn add(&mut self, name: &str) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        if let Some(old) = self.names.insert(name.to_owned(), id) {
            self.synced.remove(&old);
        }
        id
    }

    fn mark(&mut self, name: &str) {
        self.dirty.insert(name.to_owned());
        self.marked += 1;
        self.may_attempt = true;
    }

    /// `name` was created (emptied if it existed). Creation alone persists
    /// nothing: the file appears once it is synced or the directory is.
    pub(super) fn created(&mut self, name: &str) -> u64 {
        let id = self.add(name);
        let synced = Synced {
            len: 0,
            changed_from: u64::MAX,
        };
        self.synced.insert(id, synced);
        id
    }

    pub(super) fn id_of(&self, name: &str) -> Option<u64> {
        self.names.get(name).copied()
    }

    /// The file `id` has `len` bytes synced.
    pub(super) fn synced(&mut self, id: u64, len: u64) {
        if let Some(synced) = self.synced.get_mut(&id) {
            synced.len = len;
        }
        let name = self
            .names
            .iter()
            .find(|(_, v)| **v == id)
            .map(|(k, _)| k.clone());
        if let Some(name) = name {
            self.mark(&name);
        }
    }

    pub(super) fn truncated(&mut self, name: &str, len: u64) {
        if let Some(synced) = self.id_of(name).and_then(|id| self.synced.get_mut(&id)) {
            synced.len = len;
            synced.changed_from = synced.changed_from.min(len);
        }
        self.mark(name);
    }

    pub(super) fn renamed(&mut self, from: &str, to: &str) {
        if let Some(id) = self.names.remove(from) {
            if let Some(old) = self.names.insert(to.to_owned(), id) {
                if old != id {
                    self.synced.remove(&old);
                }
            }
        }
        self.mark(from);
        self.mark(to);
    }

    pub(super) fn removed(&mut self, name: &str) {
        if let Some(id) = self.names.remove(name) {
            self.synced.remove(&id);
        }
        self.mark(name);
    }

    /// The directory was synced: every live name becomes durable.
    pub(super) fn dir_synced(&mut self) {
        let names: Vec<String> = self.names.keys().cloned().collect();
        names.iter().for_each(|name| self.mark(name));
    }

    /// Whether the write-behind task has something to try.
    pub(super) fn has_work(&self) -> bool {
        self.may_attempt && !self.dirty.is_empty()
    }

    /// A caller waits for persistence: allows one more attempt after a
    /// failure, and returns the change count and failure count to wait on.
    pub(super) fn wait_target(&mut self) -> (u64, u64) {
        self.may_attempt = true;
        (self.marked, self.failures)
    }

    /// `Some` once everything up to `target` is committed, or once an
    /// attempt failed after `failures` were counted.
    pub(super) fn outcome(&self, target: u64, failures: u64) -> Option<Result<(), IdbError>> {
        if self.saved >= target {
            return Some(Ok(()));
        }
        if self.failures > failures {
            let failure = self.last_failure.clone();
            return failure.map(Err);
        }
        None
    }

    /// Takes every dirty file into a plan, reading the synced bytes that
    /// IndexedDB lacks from `image`. `None` when that read failed (recorded
    /// as a failed attempt).
    pub(super) fn plan(&mut self, image: &MemStorage) -> Option<Plan> {
        let mut plan = Plan {
            ops: Vec::new(),
            files: Vec::new(),
            generation: self.marked,
        };
        for name in mem::take(&mut self.dirty) {
            let id = self.id_of(&name);
            let live = id.and_then(|id| self.synced.get_mut(&id).map(|s| (id, s)));
            let (now, changed_from) = match live {
                Some((id, synced)) => {
                    let from = mem::replace(&mut synced.changed_from, u64::MAX);
                    (
                        Some(Stored {
                            id,
                            len: synced.len,
                        }),
                        from,
                    )
                }
                None => (None, u64::MAX),
            };
            plan.files.push((name, now, changed_from));
        }
        for (name, now, changed_from) in &plan.files {
            let before = self.committed.get(name).copied();
            if let Err(error) = file_ops(name, before, *now, *changed_from, image, &mut plan.ops) {
                self.finish(plan, Err(error));
                return None;
            }
        }
        Some(plan)
    }

    /// Records how the transaction carrying `plan` ended.
    pub(super) fn finish(&mut self, plan: Plan, outcome: Result<(), IdbError>) {
        match outcome {
            Ok(()) => {
                for (name, now, _) in plan.files {
                    match now {
                        Some(stored) => self.committed.insert(name, stored),
                        None => self.committed.remove(&name),
                    };
                }
                self.saved = self.saved.max(plan.generation);
                self.last_failure = None;
            }
            Err(error) => {
                for (name, _, changed_from) in plan.files {
                    if let Some(s) = self.id_of(&name).and_then(|id| self.synced.get_mut(&id)) {
                        s.changed_from = s.changed_from.min(changed_from);
                    }
                    self.dirty.insert(name);
                }
                self.failures += 1;
                self.last_failure = Some(error);
                self.may_attempt = false;
            }
        }
    }
}

/// The writes that turn the stored `before` into `now` for one name.
fn file_ops(
    name: &str,
    before: Option<Stored>,
    now: Option<Stored>,
    changed_from: u64,
    image: &MemStorage,
    ops: &mut Vec<Op>,
) -> Result<(), IdbError> {
    let Some(now) = now else {
        if before.is_some() {
            ops.push(Op::DeleteLen {
                name: name.to_owned(),
            });
            ops.push(Op::DeleteBlocksFrom {
                name: name.to_owned(),
                index: 0,
            });
        }
        return Ok(());
    };
    // Bytes below `kept` are already stored as they are now.
    let kept = match before {
        Some(b) if b.id == now.id => b.len.min(now.len).min(changed_from),
        _ => 0,
    };
    let blocks = block_count(now.len);
    let first = if kept == now.len {
        blocks
    } else {
        kept / BLOCK
    };
    if first < blocks {
        let reader = image.open(name).map_err(|e| read_failure(name, &e))?;
        for index in first..blocks {
            let start = index * BLOCK;
            let end = now.len.min(start + BLOCK);
            let mut data = vec![0; usize::try_from(end - start).unwrap_or(0)];
            reader
                .read_exact_at(start, &mut data)
                .map_err(|e| read_failure(name, &e))?;
            ops.push(Op::PutBlock {
                name: name.to_owned(),
                index,
                data,
            });
        }
    }
    if before.map_or(0, |b| block_count(b.len)) > blocks {
        ops.push(Op::DeleteBlocksFrom {
            name: name.to_owned(),
            index: blocks,
        });
    }
    if before.map(|b| b.len) != Some(now.len) {
        ops.push(Op::PutLen {
            name: name.to_owned(),
            len: now.len,
        });
    }
    Ok(())
}

fn read_failure(name: &str, error: &std::io::Error) -> IdbError {
    IdbError::Failed {
        operation: "read the in-memory image",
        name: name.to_owned(),
        message: error.to_string(),
    }
}
