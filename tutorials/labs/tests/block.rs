//! Lab 3 — blocks: byte-identical to the engine's builder, seek against a
//! linear search, and no panic on malformed blocks.

mod common;

use std::cmp::Ordering;
use std::collections::BTreeMap;

use common::Data;
use strata_engine::record::{compare_internal_keys, internal_key, ValueKind};
use strata_engine::sstable::BlockBuilder as EngineBuilder;
use strata_labs::block::{seek, BlockBuilder};

/// `n` entries in internal-key order, keys sharing prefixes.
fn entries(seed: u64, n: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut data = Data::new(seed);
    let mut sorted = BTreeMap::new();
    let mut seq = 1;
    while sorted.len() < n {
        let mut user = b"user/".to_vec();
        user.extend(data.user_key());
        let value = data.bytes_below(20);
        sorted.insert((user, std::cmp::Reverse(seq)), value);
        seq += 1;
    }
    sorted
        .into_iter()
        .map(|((u, std::cmp::Reverse(s)), v)| (internal_key(&u, s, ValueKind::Put), v))
        .collect()
}

fn student_block(entries: &[(Vec<u8>, Vec<u8>)], interval: usize) -> Vec<u8> {
    let mut builder = BlockBuilder::new(interval);
    for (k, v) in entries {
        builder.add(k, v);
    }
    builder.finish()
}

#[test]
fn blocks_are_byte_identical_to_the_engines() {
    for interval in [1, 2, 3, 16] {
        for n in [0, 1, 5, 17, 200] {
            let entries = entries(n as u64 + 1, n);
            let mut engine = EngineBuilder::new(interval);
            for (k, v) in &entries {
                engine.add(k, v);
            }
            assert!(
                student_block(&entries, interval) == engine.finish(),
                "block lab: {n} entries, restart interval {interval}: the block must equal the \
                 engine's byte for byte (prefix compression, restart array, restart count)"
            );
        }
    }
}

#[test]
fn a_builder_starts_over_after_finish() {
    let first = entries(3, 10);
    let second = entries(4, 12);
    let mut builder = BlockBuilder::new(4);
    for (k, v) in &first {
        builder.add(k, v);
    }
    builder.finish();
    for (k, v) in &second {
        builder.add(k, v);
    }
    assert_eq!(
        builder.finish(),
        student_block(&second, 4),
        "block lab: finish() must reset the builder for the next block"
    );
}

#[test]
fn seek_agrees_with_a_linear_search() {
    for interval in [1, 4, 16] {
        let entries = entries(9, 300);
        let block = student_block(&entries, interval);
        let mut data = Data::new(interval as u64);
        for _ in 0..1000 {
            let mut user = b"user/".to_vec();
            user.extend(data.user_key());
            let target = internal_key(&user, data.below(400), ValueKind::Put);
            let expected = entries
                .iter()
                .find(|(k, _)| compare_internal_keys(k, &target) != Ordering::Less)
                .cloned();
            assert_eq!(
                seek(&block, &target),
                Ok(expected),
                "block lab: seek must return the first entry >= the target (interval {interval})"
            );
        }
        let past = internal_key(b"zzz", 1, ValueKind::Put);
        assert_eq!(
            seek(&block, &past),
            Ok(None),
            "block lab: seek past the end"
        );
    }
}

#[test]
fn malformed_blocks_are_errors_never_panics() {
    let block = student_block(&entries(2, 40), 4);
    let target = internal_key(b"user/b", 5, ValueKind::Put);
    for cut in 0..block.len() {
        let outcome = std::panic::catch_unwind(|| seek(&block[..cut], &target));
        assert!(
            outcome.is_ok(),
            "block lab: seek on the block cut to {cut} bytes panicked instead of returning Err"
        );
    }
    for at in 0..block.len() {
        let mut bad = block.clone();
        bad[at] ^= 0xff;
        let outcome = std::panic::catch_unwind(|| seek(&bad, &target));
        assert!(
            outcome.is_ok(),
            "block lab: seek on the block with byte {at} flipped panicked instead of returning Err"
        );
    }
    assert!(
        seek(&[1, 0, 0], &target).is_err(),
        "block lab: three bytes cannot hold a restart count"
    );
}
