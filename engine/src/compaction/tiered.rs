//! Picking in tiered levels.
//!
//! A tiered level collects runs (one table each) until it holds
//! `l0_compaction_trigger` of them, then merges them all. Under the
//! size-tiered and hybrid strategies the runs of a level are of similar
//! size by construction (each is the merge of a whole level above), so the
//! whole level goes at once:
//! - into one new run of the next level when that level is tiered too;
//! - into the next level's overlapping tables, cut into many outputs, when
//!   it is leveled (the hybrid strategy's last tiered level);
//! - into one run in place when it is the last level.
//!
//! Level 0 under the leveled strategy is tiered too but picked as LevelDB
//! does (see [`super::leveled`]).

use crate::manifest::Version;
use crate::options::{CompactionStrategy, Options};

use super::{complete_plan, leveled, CompactionPlan, Due};

/// Picks in the tiered level `due.level`.
pub(super) fn pick(version: &Version, options: &Options, due: &Due) -> Option<CompactionPlan> {
    if due.level == 0 && options.compaction_strategy == CompactionStrategy::Leveled {
        return leveled::pick_level0(version, options, due);
    }
    let runs = version.level(due.level as usize).to_vec();
    complete_plan(version, options, due, runs, false, None)
}
