//! Sub-compactions: one merge split into key-range parts writes what one
//! merge would, each part tags its events, a failing part leaves nothing
//! behind, and no cut falls inside a range tombstone.

use super::*;

/// Four overlapping L0 tables of 150 records each, and below them an
/// older L1 of six tables holding a version of every third key and a
/// tombstone of every seventh.
fn wide_fixture() -> Result<Fixture> {
    let mut fx = Fixture::new(Options {
        // L1 is not due: L0 is.
        level_base_bytes: 1 << 20,
        ..options(CompactionStrategy::Leveled)
    });
    for t in 0..6u64 {
        let below: Vec<Entry> = (t * 100..t * 100 + 100)
            .filter(|i| i % 3 == 0 || i % 7 == 0)
            .map(|i| match i % 7 {
                0 => del(&format!("key{i:03}"), 1 + i),
                _ => put(&format!("key{i:03}"), 1 + i, "old"),
            })
            .collect();
        fx.table(1, &below)?;
    }
    for t in 0..4u64 {
        let entries: Vec<Entry> = (0..150u64)
            .map(|j| j * 4 + t)
            .map(|i| put(&format!("key{i:03}"), 1000 + t * 1000 + i, "new"))
            .collect();
        fx.table(0, &entries)?;
    }
    Ok(fx)
}

#[test]
fn a_split_compaction_writes_what_one_merge_writes() -> Result<()> {
    let mut whole = wide_fixture()?;
    let plan = whole.pick();
    let one = whole.run(&plan, &[500])?;
    let mut split = wide_fixture()?;
    let opener = CountingOpener::new(Arc::clone(&split.storage));
    let three = split.run_with(&plan, &[500], &opener, &NoPacing, &Sequential(3))?;

    assert_eq!(
        split.read_all(&three.outcome.outputs)?,
        whole.read_all(&one.outcome.outputs)?,
        "same records in the same order"
    );
    assert_eq!(fates(&three.events).len(), fates(&one.events).len());
    assert_eq!(three.outcome.entries_out, one.outcome.entries_out);
    assert_disjoint(&three.outcome.outputs);
    applied(&split, &three.outcome);
    assert!(one.parts.iter().all(Option::is_none), "one part: no tags");
    Ok(())
}

#[test]
fn each_part_merges_its_own_key_range_and_tags_its_events() -> Result<()> {
    let mut fx = wide_fixture()?;
    let plan = fx.pick();
    assert_eq!(
        crate::compaction::subcompaction::split(&plan, 3, &fx.options, &[]).len(),
        3,
        "{plan:?}"
    );
    let opener = CountingOpener::new(Arc::clone(&fx.storage));
    let ran = fx.run_with(&plan, &[], &opener, &NoPacing, &Sequential(3))?;
    let mut keys_by_part: BTreeMap<u32, Vec<Vec<u8>>> = BTreeMap::new();
    for (event, part) in ran.events.iter().zip(&ran.parts) {
        match (event, part) {
            (Event::CompactionPicked { .. }, None) => {}
            (Event::CompactionPicked { .. }, Some(_)) => panic!("the pick is the whole job's"),
            (Event::CompactionEntry { key, .. }, Some(p)) => {
                keys_by_part.entry(*p).or_default().push(key.clone());
            }
            (Event::CompactionEntry { .. }, None) => panic!("an entry without its part"),
            _ => {}
        }
    }
    assert_eq!(keys_by_part.len(), 3, "three parts ran");
    let ranges: Vec<(Vec<u8>, Vec<u8>)> = keys_by_part
        .values()
        .map(|keys| {
            assert!(
                keys.windows(2).all(|w| w.first() <= w.last()),
                "in key order"
            );
            let lo = keys.first().cloned().unwrap_or_default();
            let hi = keys.last().cloned().unwrap_or_default();
            (lo, hi)
        })
        .collect();
    for pair in ranges.windows(2) {
        if let [a, b] = pair {
            assert!(a.1 < b.0, "parts {a:?} and {b:?} share keys");
        }
    }
    Ok(())
}

#[test]
fn a_failing_part_removes_every_part_s_tables() -> Result<()> {
    let mut fx = wide_fixture()?;
    let plan = fx.pick();
    // The first block of the newest L0 table is damaged: only the first
    // part reads it, and that part runs last, after the others wrote
    // their tables.
    let damaged = plan
        .inputs
        .iter()
        .map(|(_, t)| t.file_number)
        .max()
        .unwrap_or_default();
    let name = crate::filename::table_name(damaged);
    for offset in 0..64 {
        fx.storage
            .corrupt_byte(&name, offset, 0xa5)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let before: BTreeSet<String> = fx.storage.list().unwrap_or_default().into_iter().collect();
    let opener = CountingOpener::new(Arc::clone(&fx.storage));
    let ran = fx.run_with(&plan, &[], &opener, &NoPacing, &Sequential(3));
    assert!(
        matches!(ran, Err(crate::error::Error::Corruption { .. })),
        "{:?}",
        ran.map(|r| r.outcome.outputs.len())
    );
    let after: BTreeSet<String> = fx.storage.list().unwrap_or_default().into_iter().collect();
    assert_eq!(after, before, "no output table is left behind");
    Ok(())
}

/// A regression: a part used to clip a range tombstone at the cut, and a
/// table holding a tombstone ends at the tombstone's end key, so the last
/// table of one part and the first of the next shared the cut key. The
/// level was no longer disjoint, and the next open refused the manifest.
#[test]
fn a_range_tombstone_across_the_cuts_keeps_the_outputs_disjoint() -> Result<()> {
    let mut fx = wide_fixture()?;
    let n = fx.next_file_number;
    fx.next_file_number += 1;
    let mut builder =
        crate::sstable::TableBuilder::new(fx.storage.as_ref(), n, 0, &fx.options, Tracer::off())?;
    builder.add(
        &crate::record::internal_key(b"key151", 9001, ValueKind::Put),
        b"x",
    )?;
    builder.add_range_tombstone(&crate::range_tombstone::RangeTombstone::new(
        "key150", "key450", 9000,
    ))?;
    fx.tables.push((0, builder.finish()?));
    // Older data below the output keeps the tombstone in the output.
    fx.phantom(2, "key000", "key999", 100);
    let plan = fx.pick();
    let opener = CountingOpener::new(Arc::clone(&fx.storage));
    let ran = fx.run_with(&plan, &[], &opener, &NoPacing, &Sequential(3))?;
    assert_disjoint(&ran.outcome.outputs);
    applied(&fx, &ran.outcome);
    let parts: BTreeSet<u32> = ran.parts.iter().flatten().copied().collect();
    assert!(
        parts.len() >= 2,
        "still split, outside the tombstone: {parts:?}"
    );
    Ok(())
}
