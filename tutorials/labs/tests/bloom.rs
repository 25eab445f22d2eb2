//! Lab 4 — the bloom filter: the hash count, double hashing, no false
//! negatives, the false positive rate against theory, and the engine with
//! the student's filter in every table.

mod common;

use common::Data;
use strata_engine::bloom::theoretical_false_positive_rate;
use strata_labs::bloom::{build, hash_count, key_hash, may_contain, probe_positions};
use strata_labs::plug::{with_labs, Lab};

fn key(prefix: &str, i: u32) -> Vec<u8> {
    format!("{prefix}{i:08}").into_bytes()
}

fn hashes(prefix: &str, n: u32) -> Vec<u64> {
    (0..n).map(|i| key_hash(&key(prefix, i))).collect()
}

#[test]
fn the_hash_count_is_bits_per_key_times_ln2() {
    for (bits_per_key, k) in [(0, 1), (1, 1), (2, 1), (5, 3), (10, 7), (16, 11), (64, 30)] {
        assert_eq!(
            hash_count(bits_per_key),
            k,
            "bloom lab: {bits_per_key} bits per key want round({bits_per_key} * ln 2) = {k} \
             probes (clamped to 1..=30)"
        );
    }
}

#[test]
fn probes_step_by_a_fixed_odd_stride_within_the_filter() {
    let mut data = Data::new(8);
    for bits in [64u64, 1000, 4096, 8 * 999_983] {
        for _ in 0..200 {
            let hash = data.below(u64::MAX);
            let positions = probe_positions(hash, bits, 7);
            assert_eq!(positions.len(), 7, "bloom lab: one position per probe");
            assert_eq!(
                positions[0],
                hash % bits,
                "bloom lab: probe 0 is h1 = hash mod bits"
            );
            assert!(
                positions.iter().all(|&p| p < bits),
                "bloom lab: positions below {bits}"
            );
            let step = (positions[1] + bits - positions[0]) % bits;
            assert!(step % 2 == 1, "bloom lab: the stride h2 is odd");
            assert!(
                positions
                    .windows(2)
                    .all(|w| (w[1] + bits - w[0]) % bits == step),
                "bloom lab: double hashing adds the same stride h2 (mod bits) at every probe"
            );
        }
    }
}

#[test]
fn a_filter_never_forgets_a_key() {
    for bits_per_key in [1, 4, 10, 20] {
        let keys = hashes("present-", 20_000);
        let (k, bytes) = build(&keys, bits_per_key);
        assert_eq!(
            k,
            hash_count(bits_per_key),
            "bloom lab: build uses hash_count"
        );
        let bits = (20_000 * u64::from(bits_per_key)).div_ceil(8).max(8) * 8;
        assert_eq!(
            bytes.len() as u64 * 8,
            bits,
            "bloom lab: bit count for {bits_per_key} bits/key"
        );
        assert!(
            keys.iter().all(|&h| may_contain(k, &bytes, h)),
            "bloom lab: a false negative at {bits_per_key} bits per key"
        );
    }
    let (k, bytes) = build(&[], 10);
    assert_eq!(
        bytes.len() * 8,
        64,
        "bloom lab: an empty filter still has 64 bits"
    );
    assert!(
        !may_contain(k, &bytes, key_hash(b"x")),
        "bloom lab: an empty filter holds nothing"
    );
}

#[test]
fn the_false_positive_rate_is_within_a_quarter_of_theory() {
    for bits_per_key in [6, 10, 14] {
        let n = 100_000;
        let (k, bytes) = build(&hashes("present-", n), bits_per_key);
        let false_positives = hashes("absent-", n)
            .into_iter()
            .filter(|&h| may_contain(k, &bytes, h))
            .count();
        let measured = false_positives as f64 / f64::from(n);
        let theory = theoretical_false_positive_rate(f64::from(bits_per_key), k);
        let deviation = (measured - theory).abs() / theory;
        assert!(
            deviation < 0.25,
            "bloom lab: {bits_per_key} bits per key: measured false positive rate {measured:.5}, \
             theory {theory:.5} (more than 25 % apart)"
        );
    }
}

#[test]
fn the_engine_with_your_filter_agrees_with_a_btreemap() {
    let checked = with_labs(&[Lab::Bloom], || common::model_test(4, 4000));
    assert!(checked > 500, "bloom lab: only {checked} reads checked");
}

#[test]
fn the_chapter_scenes_are_unchanged_with_your_filter() {
    let scenes = common::scenes_unchanged_with(&[Lab::Bloom]);
    assert!(scenes > 14, "bloom lab: only {scenes} scenes replayed");
}
