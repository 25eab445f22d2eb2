//! Running the lab code inside the real engine.
//!
//! The engine, built with its `labs` feature (this crate turns it on),
//! asks a process-wide table for a lab's functions at four seams: the
//! bloom filter of every table, the merging iterator's next source, the
//! compaction picker's decisions and the fate of each compacted record.
//! [`with_labs`] installs this crate's functions (the student's, or the
//! reference with `--features reference`) for the duration of a closure;
//! [`without_labs`] runs one with the engine's own code. Both hold one
//! lock, so tests that run side by side never see each other's table.
//!
//! ```no_run
//! use strata_labs::plug::{self, Lab};
//! // Any engine code in the closure uses the lab's bloom filter.
//! let answer = plug::with_labs(&[Lab::Bloom], || 1 + 1);
//! # let _ = answer;
//! ```

use std::sync::{Mutex, MutexGuard};

use strata_engine::labs::{self, BloomHooks, FateHooks, Hooks, PickingHooks};

/// A lab the engine can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lab {
    /// [`crate::bloom`]: every table's filter.
    Bloom,
    /// [`crate::merge::pick`]: the merging iterator's step.
    Merge,
    /// [`crate::picking`]: which level, which table, which level-0 set.
    Picking,
    /// [`crate::fates`]: the fate of each record in a compaction.
    Fates,
}

impl Lab {
    /// Every lab with an engine seam.
    pub const ALL: [Lab; 4] = [Lab::Bloom, Lab::Merge, Lab::Picking, Lab::Fates];

    /// Its name, as in `tests/<name>.rs` and `src/student/<name>.rs`.
    pub fn name(self) -> &'static str {
        match self {
            Lab::Bloom => "bloom",
            Lab::Merge => "merge",
            Lab::Picking => "picking",
            Lab::Fates => "fates",
        }
    }

    /// The lab called `name`, if it has an engine seam.
    pub fn from_name(name: &str) -> Option<Lab> {
        Lab::ALL.into_iter().find(|lab| lab.name() == name)
    }
}

/// The engine's seam table with `labs` plugged in.
pub fn hooks(plugged: &[Lab]) -> Hooks {
    let mut hooks = Hooks::default();
    for lab in plugged {
        match lab {
            Lab::Bloom => {
                hooks.bloom = Some(BloomHooks {
                    build: crate::bloom::build,
                    may_contain: crate::bloom::may_contain,
                    positions: crate::bloom::probe_positions,
                });
            }
            Lab::Merge => hooks.merge_pick = Some(crate::merge::pick),
            Lab::Picking => {
                hooks.picking = Some(PickingHooks {
                    choose_level: crate::picking::choose_level,
                    next_after_pointer: crate::picking::next_after_pointer,
                    level0_inputs: crate::picking::level0_inputs,
                });
            }
            Lab::Fates => {
                hooks.fate = Some(FateHooks {
                    stripe: crate::fates::stripe,
                    decide: crate::fates::decide,
                });
            }
        }
    }
    hooks
}

static ENGINE: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    ENGINE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Restores the engine's own code when dropped, even if `f` panicked.
struct Unplug(Hooks);

impl Drop for Unplug {
    fn drop(&mut self) {
        labs::install(self.0);
    }
}

/// Runs `f` with the lab code of `plugged` inside the engine.
pub fn with_labs<T>(plugged: &[Lab], f: impl FnOnce() -> T) -> T {
    with_hooks(hooks(plugged), f)
}

/// Runs `f` with any seam table inside the engine (under the same lock
/// as [`with_labs`]).
pub fn with_hooks<T>(table: Hooks, f: impl FnOnce() -> T) -> T {
    let _lock = lock();
    let _unplug = Unplug(labs::install(table));
    f()
}

/// Runs `f` with the engine's own code (none of the labs plugged in).
pub fn without_labs<T>(f: impl FnOnce() -> T) -> T {
    with_labs(&[], f)
}
