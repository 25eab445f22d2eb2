//! Round trips and cursor movement within one block.

use crate::error::Result;
use crate::iter::InternalIterator;
use crate::record::{internal_key, ValueKind};

use super::block::{Block, BlockBuilder};

fn entries(n: u32) -> Vec<(Vec<u8>, Vec<u8>)> {
    (0..n)
        .map(|i| {
            let key = internal_key(
                format!("user-key-{i:06}").as_bytes(),
                u64::from(i),
                ValueKind::Put,
            );
            (key, format!("value {i}").into_bytes())
        })
        .collect()
}

fn build(items: &[(Vec<u8>, Vec<u8>)], restart_interval: usize) -> Result<Block> {
    let mut builder = BlockBuilder::new(restart_interval);
    for (k, v) in items {
        builder.add(k, v);
    }
    Block::new(builder.finish(), 1, 0)
}

fn collect_forward(block: &Block) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut it = block.iter();
    let mut out = Vec::new();
    it.seek_to_first()?;
    while it.valid() {
        out.push((it.key().to_vec(), it.value().to_vec()));
        it.next()?;
    }
    Ok(out)
}

fn collect_backward(block: &Block) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    let mut it = block.iter();
    let mut out = Vec::new();
    it.seek_to_last()?;
    while it.valid() {
        out.push((it.key().to_vec(), it.value().to_vec()));
        it.prev()?;
    }
    out.reverse();
    Ok(out)
}

#[test]
fn blocks_round_trip_at_every_restart_interval() -> Result<()> {
    let items = entries(200);
    for interval in [1, 2, 3, 7, 16, 64, 199, 200, 1024] {
        let block = build(&items, interval)?;
        assert_eq!(
            block.restart_count() as usize,
            items.len().div_ceil(interval)
        );
        assert_eq!(collect_forward(&block)?, items, "interval {interval}");
        assert_eq!(collect_backward(&block)?, items, "interval {interval}");
    }
    Ok(())
}

#[test]
fn prefix_compression_shrinks_shared_keys() -> Result<()> {
    let items = entries(100);
    let whole = build(&items, 1)?;
    let compressed = build(&items, 16)?;
    // Keys share "user-key-0000" and more; only a few bytes differ.
    assert!(compressed.size_bytes() * 10 < whole.size_bytes() * 7);
    assert_eq!(collect_forward(&compressed)?, items);
    Ok(())
}

#[test]
fn seek_finds_the_first_key_at_or_after_the_target() -> Result<()> {
    let items = entries(50);
    for interval in [1, 4, 16] {
        let block = build(&items, interval)?;
        let mut it = block.iter();
        for (i, (key, _)) in items.iter().enumerate() {
            it.seek(key)?;
            assert_eq!(it.key(), key.as_slice());
            // Just past an existing user key lands on the next one.
            let between = internal_key(format!("user-key-{i:06}~").as_bytes(), 0, ValueKind::Put);
            it.seek(&between)?;
            let expected = items.get(i + 1).map_or(&[][..], |(k, _)| k.as_slice());
            assert_eq!(it.key(), expected);
        }
        it.seek(b"\xff\xff\xff\xff\xff\xff\xff\xff\xff")?;
        assert!(!it.valid());
    }
    Ok(())
}

#[test]
fn empty_blocks_have_no_entries() -> Result<()> {
    let block = build(&[], 16)?;
    assert!(block.is_empty());
    let mut it = block.iter();
    it.seek_to_first()?;
    assert!(!it.valid());
    it.seek_to_last()?;
    assert!(!it.valid());
    it.seek(b"anything")?;
    assert!(!it.valid());
    assert_eq!((it.key(), it.value()), (&[][..], &[][..]));
    Ok(())
}

#[test]
fn damaged_blocks_are_errors_never_panics() {
    let mut builder = BlockBuilder::new(4);
    for (k, v) in entries(20) {
        builder.add(&k, &v);
    }
    let contents = builder.finish();
    for cut in 0..contents.len() {
        let prefix = contents.get(..cut).unwrap_or_default().to_vec();
        exercise(prefix);
    }
    for i in 0..contents.len() {
        for xor in [0x01, 0x80, 0xff] {
            let mut damaged = contents.clone();
            if let Some(b) = damaged.get_mut(i) {
                *b ^= xor;
            }
            exercise(damaged);
        }
    }
}

/// Moves every which way over possibly damaged bytes; errors are fine.
fn exercise(contents: Vec<u8>) {
    let Ok(block) = Block::new(contents, 9, 4096) else {
        return;
    };
    let mut it = block.iter();
    let _ = it.seek_to_first();
    for _ in 0..40 {
        if it.next().is_err() {
            break;
        }
    }
    let _ = it.seek_to_last();
    for _ in 0..40 {
        if it.prev().is_err() {
            break;
        }
    }
    let _ = it.seek(b"user-key-000010");
    let _ = (it.key(), it.value());
}

#[test]
fn restart_counts_that_do_not_fit_are_rejected() {
    for contents in [
        vec![],
        vec![1, 0, 0],
        vec![5, 0, 0, 0],
        vec![0xff; 4],
        vec![0, 0, 0, 0, 0],
    ] {
        let result = Block::new(contents, 4, 128);
        assert!(
            matches!(result, Err(crate::Error::Corruption { ref file, offset: 128, .. }) if file == "000004.sst")
        );
    }
}
