//! Scenario presets: scene scripts in the engine's command language, each
//! showing one thing an LSM-tree does. Each starts from
//! [`visualizer_options`]; `option` lines adjust it.

use strata_engine::script::{Scene, ScriptError};

use super::claims::Claim;
use strata_engine::{CompactionStrategy, MaintenanceMode, Options};

/// The options the visualizer starts from: small memtables and tables, so
/// that a few dozen writes already make a tree worth looking at.
pub fn visualizer_options() -> Options {
    Options {
        memtable_bytes_max: 2048,
        block_size_bytes: 256,
        bloom_bits_per_key: 10,
        compaction_strategy: CompactionStrategy::Leveled,
        maintenance: MaintenanceMode::Manual,
        l0_compaction_trigger: 4,
        l0_slowdown_trigger: 8,
        l0_stop_trigger: 12,
        level_base_bytes: 8 << 10,
        level_size_ratio: 4,
        target_file_size_bytes: 2 << 10,
        seed: 7,
        ..Options::deterministic()
    }
}

/// A scenario preset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// Its id in links (`#s=first-flush`).
    pub id: &'static str,
    /// Its title.
    pub title: &'static str,
    /// What to watch for.
    pub blurb: &'static str,
    /// The scene script.
    pub script: &'static str,
    /// The command (0-based, among the script's non-option lines) where
    /// the interesting part starts: the timeline opens there.
    pub focus: usize,
    /// What the blurb claims, as checks on the trace.
    pub claims: &'static [Claim],
}

impl Preset {
    /// The parsed scene.
    pub fn scene(&self) -> Result<Scene, ScriptError> {
        Scene::parse(self.script, &visualizer_options())
    }
}

/// Every preset, in menu order.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "first-flush",
        title: "The first flush",
        blurb: "Writes go to the WAL and the memtable; when the memtable is full it is frozen and flushed into the first L0 table.",
        script: "# Writes fill the memtable; the flush writes it out as a sorted table in L0.\n\
                 put apple red\nput banana yellow\nput cherry dark-red\ndelete banana\nput date brown\n\
                 load sequential 25 prefix=fruit value_bytes=24\nstep\nget apple\n",
        focus: 0,
        claims: &[
            Claim::Trace("event wal_appended"),
            Claim::Trace("count memtable_frozen = 1"),
            Claim::Trace("event flush_finished"),
            Claim::Trace("tables L0=1"),
        ],
    },
    Preset {
        id: "bloom-saves-a-read",
        title: "A bloom filter saves a read",
        blurb: "A get for a missing key whose range the table covers: the filter answers “definitely absent” and no block is read.",
        script: "load sequential 60 prefix=user value_bytes=16\nflush\nget user000030\nget user000030x\n",
        focus: 2,
        claims: &[
            Claim::Trace("event bloom_probe verdict=definitely_absent"),
            Claim::Trace("count block_read = 1"),
        ],
    },
    Preset {
        id: "false-positive",
        title: "A false positive",
        blurb: "With few bits per key the filter sometimes says “maybe” for a key the table does not hold: one block is read for nothing.",
        script: "option bloom_bits_per_key=2\nload sequential 60 prefix=user value_bytes=16\nflush\n\
                 get user000010x\nget user000019x\nget user000033x\n",
        focus: 2,
        claims: &[Claim::Trace("event bloom_false_positive")],
    },
    Preset {
        id: "l0-to-l1",
        title: "L0 → L1 compaction",
        blurb: "Four overlapping L0 tables trigger a compaction that merges them with the L1 tables they overlap into sorted, disjoint tables.",
        script: "# A first round of four flushes and a step fills L1.\n\
                 load random 15 seed=1 keys=60 value_bytes=20\nflush\nload random 15 seed=2 keys=60 value_bytes=20\nflush\n\
                 load random 15 seed=3 keys=60 value_bytes=20\nflush\nload random 15 seed=4 keys=60 value_bytes=20\nflush\nstep\n\
                 # Four more L0 tables: the next step merges them with L1.\n\
                 load random 15 seed=5 keys=60 value_bytes=20\nflush\nload random 15 seed=6 keys=60 value_bytes=20\nflush\n\
                 load random 15 seed=7 keys=60 value_bytes=20\nflush\nload random 15 seed=8 keys=60 value_bytes=20\nflush\nstep\n",
        focus: 17,
        claims: &[
            Claim::Trace("count compaction_picked level=0 output_level=1 = 2"),
            Claim::Trace("event compaction_picked level=0 output_level=1 inputs.level=1"),
            Claim::Trace("tables L0=0"),
        ],
    },
    Preset {
        id: "tombstone-dropped",
        title: "A tombstone reaches the bottom",
        blurb: "A delete writes a tombstone. When it is compacted into the bottom level with nothing older below, it is dropped: the key is gone for good.",
        script: "load sequential 40 prefix=k value_bytes=20\nflush\ncompact\ndelete k000007\ndelete k000008\nflush\nput k000100 x\nflush\nput k000101 y\nflush\nput k000102 z\nflush\nstep\nget k000007\n",
        focus: 3,
        claims: &[
            Claim::Trace("event compaction_entry key=k000007 fate=tombstone_dropped_at_bottom"),
            Claim::Trace("value none"),
        ],
    },
    Preset {
        id: "tombstone-kept",
        title: "A tombstone that must be kept",
        blurb: "The old value of the key lies in a deeper level. Compacting the tombstone into the level above keeps it: dropping it would bring the old value back.",
        script: "option level_base_bytes=1024\noption level_size_ratio=2\n\
                 load sequential 120 prefix=k value_bytes=20\nflush\ncompact\n\
                 delete k000007\nload sequential 20 prefix=n value_bytes=20\nflush\nput n1 x\nflush\nput n2 x\nflush\nput n3 x\nflush\nstep\nget k000007\n",
        focus: 3,
        claims: &[
            Claim::Trace("event compaction_entry key=k000007 fate=tombstone_kept_older_data_below"),
            Claim::Trace("value none"),
        ],
    },
    Preset {
        id: "overwrites-leveled",
        title: "Overwrites under leveled compaction",
        blurb: "2,000 random overwrites of 1,000 keys: leveled compaction merges each level into the next as soon as it is over its target — it rewrites data often (write amplification about twice size-tiered's) but keeps one sorted run per level.",
        script: "option compaction_strategy=leveled\noption maintenance=inline\n\
                 option level_base_bytes=2048\noption level_size_ratio=2\n\
                 load random 2000 seed=5 keys=1000 value_bytes=24\nget key000010\nget key000140\n",
        focus: 0,
        claims: &[Claim::Trace("event compaction_picked trigger.kind=level_size")],
    },
    Preset {
        id: "overwrites-tiered",
        title: "Overwrites under size-tiered compaction",
        blurb: "The same overwrites under size-tiered compaction: runs pile up in a level (three at times) before they merge — at most half the rewriting of leveled, more runs to search and more stale data kept.",
        script: "option compaction_strategy=size_tiered\noption maintenance=inline\n\
                 option level_base_bytes=2048\noption level_size_ratio=2\n\
                 load random 2000 seed=5 keys=1000 value_bytes=24\nget key000010\nget key000140\n",
        focus: 0,
        claims: &[
            Claim::WriteAmpAtMostPercentOf {
                other: "overwrites-leveled",
                percent: 50,
            },
            Claim::LevelHoldsAtSomePoint { level: 1, tables: 3 },
            Claim::SpaceAmpAtLeastPercentOf {
                other: "overwrites-leveled",
                percent: 100,
            },
        ],
    },
    Preset {
        id: "big-tree",
        title: "A tree of 200 tables",
        blurb: "Many small tables in several levels: the structure view at scale.",
        script: "option memtable_bytes_max=4096\noption target_file_size_bytes=1024\noption level_base_bytes=4096\noption level_size_ratio=4\n\
                 load random 7000 seed=11 keys=6000 value_bytes=24\ncompact\n\
                 get key000123\nget key004321\nload random 300 seed=12 keys=6000 value_bytes=24\nstep\nstep\nget key000777\n",
        focus: 2,
        claims: &[
            Claim::TablesAtEnd(200),
            Claim::LevelHoldsAtSomePoint { level: 3, tables: 1 },
        ],
    },
];

/// The preset with `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::claims::check;
    use crate::model::controller::build;
    use crate::model::session::Session;
    use crate::model::setup::Setup;

    /// A preset's session as the visualizer builds it.
    fn run(id: &str) -> Result<Session, String> {
        let setup = Setup::of_preset(id).ok_or_else(|| format!("no preset {id}"))?;
        build(&setup).map(|(session, _)| session)
    }

    /// Every preset claims something, and every claim holds on the run the
    /// visualizer shows.
    #[test]
    fn every_preset_shows_what_its_blurb_claims() {
        let failures: Vec<String> = std::thread::scope(|s| {
            let runs: Vec<_> = PRESETS
                .iter()
                .map(|p| {
                    s.spawn(move || {
                        if p.claims.is_empty() {
                            return vec![format!("{} claims nothing", p.id)];
                        }
                        let session = match run(p.id) {
                            Ok(s) => s,
                            Err(e) => return vec![format!("{}: {e}", p.id)],
                        };
                        p.claims
                            .iter()
                            .filter_map(|c| {
                                check(c, &session, &run)
                                    .err()
                                    .map(|e| format!("{}: {c:?}: {e}", p.id))
                            })
                            .collect()
                    })
                })
                .collect();
            runs.into_iter()
                .flat_map(|r| r.join().unwrap_or_else(|_| vec!["panicked".to_owned()]))
                .collect()
        });
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// A claim that does not hold is reported with what the trace shows.
    #[test]
    fn a_false_claim_says_what_the_trace_shows() {
        let session = run("first-flush").map_err(|e| e.to_string());
        let Ok(session) = session else {
            panic!("{session:?}", session = session.err());
        };
        let err = check(&Claim::Trace("tables L0=3"), &session, &run).err();
        assert!(err.is_some_and(|e| e.contains("L0 holds 1 tables")));
        let err = check(
            &Claim::LevelHoldsAtSomePoint {
                level: 2,
                tables: 1,
            },
            &session,
            &run,
        )
        .err();
        assert!(err.is_some_and(|e| e.contains("at most 0")));
    }
}
