//! Scenario presets: scene scripts in the engine's command language, each
//! showing one thing an LSM-tree does. Each starts from
//! [`visualizer_options`]; `option` lines adjust it.

use strata_engine::script::{Scene, ScriptError};
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
        ..Options::default()
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
                 load sequential 40 prefix=fruit value_bytes=24\nstep\nget apple\n",
        focus: 0,
    },
    Preset {
        id: "bloom-saves-a-read",
        title: "A bloom filter saves a read",
        blurb: "A get for a missing key whose range the table covers: the filter answers “definitely absent” and no block is read.",
        script: "load sequential 60 prefix=user value_bytes=16\nflush\nget user000030\nget user000030x\n",
        focus: 2,
    },
    Preset {
        id: "false-positive",
        title: "A false positive",
        blurb: "With few bits per key the filter sometimes says “maybe” for a key the table does not hold: one block is read for nothing.",
        script: "option bloom_bits_per_key=2\nload sequential 60 prefix=user value_bytes=16\nflush\n\
                 get user000010x\nget user000019x\nget user000033x\n",
        focus: 2,
    },
    Preset {
        id: "l0-to-l1",
        title: "L0 → L1 compaction",
        blurb: "Four overlapping L0 tables trigger a compaction that merges them with L1 into sorted, disjoint tables.",
        script: "load random 15 seed=1 keys=60 value_bytes=20\nflush\nload random 15 seed=2 keys=60 value_bytes=20\nflush\n\
                 load random 15 seed=3 keys=60 value_bytes=20\nflush\nload random 15 seed=4 keys=60 value_bytes=20\nflush\nstep\n",
        focus: 8,
    },
    Preset {
        id: "tombstone-dropped",
        title: "A tombstone reaches the bottom",
        blurb: "A delete writes a tombstone. When it is compacted into the bottom level with nothing older below, it is dropped: the key is gone for good.",
        script: "load sequential 40 prefix=k value_bytes=20\nflush\ncompact\ndelete k000007\ndelete k000008\nflush\nput k000100 x\nflush\nput k000101 y\nflush\nput k000102 z\nflush\nstep\nget k000007\n",
        focus: 3,
    },
    Preset {
        id: "tombstone-kept",
        title: "A tombstone that must be kept",
        blurb: "The old value of the key lies in a deeper level. Compacting the tombstone into the level above keeps it: dropping it would bring the old value back.",
        script: "option level_base_bytes=1024\noption level_size_ratio=2\n\
                 load sequential 120 prefix=k value_bytes=20\nflush\ncompact\n\
                 delete k000007\nload sequential 20 prefix=n value_bytes=20\nflush\nput n1 x\nflush\nput n2 x\nflush\nput n3 x\nflush\nstep\nget k000007\n",
        focus: 3,
    },
    Preset {
        id: "overwrites-leveled",
        title: "Overwrites under leveled compaction",
        blurb: "A skewed overwrite-heavy load: leveled compaction rewrites data often (higher write amplification) but keeps one run per level (low read and space amplification).",
        script: "option compaction_strategy=leveled\n\
                 load skewed 300 seed=5 keys=150 value_bytes=24\ncompact\nload skewed 300 seed=6 keys=150 value_bytes=24\ncompact\n\
                 load skewed 300 seed=7 keys=150 value_bytes=24\ncompact\nload skewed 300 seed=8 keys=150 value_bytes=24\ncompact\n\
                 load skewed 300 seed=9 keys=150 value_bytes=24\ncompact\nget key000010\nget key000140\n",
        focus: 0,
    },
    Preset {
        id: "overwrites-tiered",
        title: "Overwrites under size-tiered compaction",
        blurb: "The same load under size-tiered compaction: runs pile up before they merge — less rewriting, more runs to search and more stale data kept.",
        script: "option compaction_strategy=size_tiered\n\
                 load skewed 300 seed=5 keys=150 value_bytes=24\ncompact\nload skewed 300 seed=6 keys=150 value_bytes=24\ncompact\n\
                 load skewed 300 seed=7 keys=150 value_bytes=24\ncompact\nload skewed 300 seed=8 keys=150 value_bytes=24\ncompact\n\
                 load skewed 300 seed=9 keys=150 value_bytes=24\ncompact\nget key000010\nget key000140\n",
        focus: 0,
    },
    Preset {
        id: "big-tree",
        title: "A tree of 200 tables",
        blurb: "Many small tables in several levels: the structure view at scale.",
        script: "option memtable_bytes_max=4096\noption target_file_size_bytes=1024\noption level_base_bytes=4096\noption level_size_ratio=4\n\
                 load random 7000 seed=11 keys=6000 value_bytes=24\ncompact\n\
                 get key000123\nget key004321\nload random 300 seed=12 keys=6000 value_bytes=24\nstep\nstep\nget key000777\n",
        focus: 2,
    },
];

/// The preset with `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
