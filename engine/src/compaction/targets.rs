//! Level targets: the size each leveled level may reach before it is
//! compacted.
//!
//! - **Static** (the default): the first leveled level may hold
//!   `level_base_bytes`, each deeper level `level_size_ratio` times the
//!   one above. The last level holds whatever the tree has, so while it is
//!   far below its target the levels above hold a large share of the data:
//!   stale versions there cost space.
//! - **Dynamic** (`level_compaction_dynamic_level_bytes`, RocksDB's idea):
//!   targets are set from the bottom up. The last level's target is its
//!   own size (at least `level_base_bytes`); each level above gets the one
//!   below's over `T`, up to the first whose target is at most
//!   `level_base_bytes`: the *base level*. Levels between the last tiered
//!   level and the base level are unused (target 0), and the last tiered
//!   level (L0 under the leveled strategy) compacts straight into the base
//!   level. The last level then holds about `T/(T+1)` of the data, so the
//!   worst-case space amplification approaches `1 + 1/T`.
//!
//! A strategy with no leveled level (size-tiered) has no targets.

use crate::manifest::{Version, NUM_LEVELS};
use crate::options::Options;

/// Each level's target in bytes, level 0 first; 0 for tiered levels and,
/// with dynamic targets, for the unused levels above the base level.
pub fn level_targets(version: &Version, options: &Options) -> Vec<u64> {
    if !options.level_compaction_dynamic_level_bytes {
        return (0..NUM_LEVELS)
            .map(|l| options.level_target_bytes(l))
            .collect();
    }
    let first = version.tiered_levels().max(1);
    let mut targets = vec![0u64; NUM_LEVELS];
    if first >= NUM_LEVELS {
        return targets;
    }
    let largest = (first..NUM_LEVELS)
        .map(|l| version.level_bytes(l))
        .max()
        .unwrap_or(0);
    let ratio = u64::from(options.level_size_ratio.max(2));
    let mut target = largest.max(options.level_base_bytes);
    for (level, slot) in targets.iter_mut().enumerate().skip(first).rev() {
        *slot = target;
        if target <= options.level_base_bytes || level == first {
            break;
        }
        target /= ratio;
    }
    targets
}

/// The base level: the first leveled level with a target (the first
/// leveled level under static targets).
pub fn base_level(targets: &[u64], version: &Version) -> usize {
    let first = version.tiered_levels().max(1);
    (first..NUM_LEVELS)
        .find(|&l| targets.get(l).is_some_and(|t| *t > 0))
        .unwrap_or(NUM_LEVELS - 1)
}

/// Where a compaction of `level` writes: `level + 1`, except that with
/// dynamic targets a level above the base level skips the empty levels
/// below it, down to the base level at most (nothing lies in between, so
/// no newer version lands below an older one).
pub fn output_level(version: &Version, options: &Options, level: usize) -> usize {
    let next = (level + 1).min(NUM_LEVELS - 1);
    if !options.level_compaction_dynamic_level_bytes || version.is_tiered(next) {
        return next;
    }
    let base = base_level(&level_targets(version, options), version);
    let mut out = next;
    while out < base && version.level(out).is_empty() {
        out += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::VersionEdit;
    use crate::record::{internal_key, ValueKind};
    use crate::table_meta::TableMeta;

    fn version_with(sizes: &[(u32, u64)]) -> Version {
        let mut edit = VersionEdit::default();
        for (i, (level, size_bytes)) in sizes.iter().enumerate() {
            let n = i as u64 + 1;
            let key = |k: &str| internal_key(format!("{k}{n:03}").as_bytes(), n, ValueKind::Put);
            edit.added.push((
                *level,
                TableMeta {
                    file_number: n,
                    size_bytes: *size_bytes,
                    entries: 1,
                    smallest: key("a"),
                    largest: key("b"),
                    smallest_seq: n,
                    largest_seq: n,
                },
            ));
        }
        Version::default()
            .apply(&edit)
            .expect("valid edit")
            .with_tiered_levels(1)
    }

    fn dynamic() -> Options {
        Options {
            level_compaction_dynamic_level_bytes: true,
            level_base_bytes: 10 << 20,
            level_size_ratio: 10,
            ..Options::default()
        }
    }

    #[test]
    fn a_small_tree_has_only_the_last_level_as_its_base() {
        let v = version_with(&[(0, 1 << 20)]);
        let t = level_targets(&v, &dynamic());
        assert_eq!(t, vec![0, 0, 0, 0, 0, 0, 10 << 20]);
        assert_eq!(base_level(&t, &v), 6);
        assert_eq!(output_level(&v, &dynamic(), 0), 6);
    }

    #[test]
    fn targets_shrink_by_the_ratio_from_the_last_level_up() {
        let v = version_with(&[(6, 5000 << 20), (5, 100 << 20)]);
        let t = level_targets(&v, &dynamic());
        assert_eq!(t.get(6), Some(&(5000 << 20)));
        assert_eq!(t.get(5), Some(&(500 << 20)));
        assert_eq!(t.get(4), Some(&(50 << 20)));
        assert_eq!(t.get(3), Some(&(5 << 20)));
        assert_eq!(t.get(2), Some(&0));
        assert_eq!(base_level(&t, &v), 3);
        assert_eq!(
            output_level(&v, &dynamic(), 0),
            3,
            "L0 skips the empty L1, L2"
        );
        assert_eq!(output_level(&v, &dynamic(), 4), 5);
    }

    #[test]
    fn a_non_empty_level_above_the_base_stops_the_skip() {
        let v = version_with(&[(6, 50 << 20), (2, 1 << 20)]);
        assert_eq!(base_level(&level_targets(&v, &dynamic()), &v), 5);
        assert_eq!(output_level(&v, &dynamic(), 0), 2);
        assert_eq!(output_level(&v, &dynamic(), 2), 5);
    }

    #[test]
    fn static_targets_grow_from_the_first_leveled_level() {
        let v = version_with(&[(6, 5000 << 20)]);
        let options = Options::default();
        let t = level_targets(&v, &options);
        assert_eq!(t.get(1), Some(&(10 << 20)));
        assert_eq!(t.get(2), Some(&(100 << 20)));
        assert_eq!(output_level(&v, &options, 0), 1);
    }
}
