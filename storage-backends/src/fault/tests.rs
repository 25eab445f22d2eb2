use super::*;

fn faulty(seed: u64) -> io::Result<(MemStorage, FaultStorage)> {
    let mem = MemStorage::new();
    let fault = FaultStorage::new(Arc::new(mem.clone()), seed)?;
    Ok((mem, fault))
}

fn read(s: &dyn Storage, name: &str) -> io::Result<Vec<u8>> {
    read_all(s, name)
}

#[test]
fn passes_calls_through_to_the_inner_storage() -> io::Result<()> {
    let (mem, fault) = faulty(1)?;
    let mut f = fault.create("a")?;
    f.append(b"hello")?;
    f.sync()?;
    fault.rename("a", "b")?;
    assert_eq!(read(&mem, "b")?, b"hello");
    assert_eq!(read(&fault, "b")?, b"hello");
    assert_eq!(fault.list()?, vec!["b".to_owned()]);
    Ok(())
}

#[test]
fn existing_files_of_the_inner_storage_are_durable() -> io::Result<()> {
    let mem = MemStorage::new();
    mem.create("old")?.append(b"kept")?;
    let fault = FaultStorage::new(Arc::new(mem), 2)?;
    let image = fault.crash_image(CrashMode::DropUnsynced)?;
    assert_eq!(read(&image, "old")?, b"kept");
    Ok(())
}

#[test]
fn crash_keeps_synced_bytes_and_synced_names_only() -> io::Result<()> {
    let (_mem, fault) = faulty(3)?;
    let mut a = fault.create("a")?;
    a.append(b"synced")?;
    a.sync()?;
    fault.sync_dir()?;
    a.append(b" unsynced")?;
    let mut b = fault.create("b")?;
    b.append(b"no dir sync")?;
    b.sync()?;
    let image = fault.crash_image(CrashMode::DropUnsynced)?;
    assert_eq!(image.list()?, vec!["a".to_owned()]);
    assert_eq!(read(&image, "a")?, b"synced");
    Ok(())
}

#[test]
fn renames_and_removals_are_undone_without_sync_dir() -> io::Result<()> {
    let (_mem, fault) = faulty(4)?;
    crate::write_atomic(&fault, "CURRENT", b"one")?;
    let mut keep = fault.create("keep")?;
    keep.sync()?;
    fault.sync_dir()?;
    let mut t = fault.create("CURRENT.tmp")?;
    t.append(b"two")?;
    t.sync()?;
    fault.rename("CURRENT.tmp", "CURRENT")?;
    fault.remove("keep")?;
    let image = fault.crash_image(CrashMode::Reorder)?;
    assert_eq!(read(&image, "CURRENT")?, b"one");
    assert!(image.exists("keep")?);
    Ok(())
}

/// Appends `count` records of 100 bytes each, `i` repeated, unsynced.
fn unsynced_records(fault: &FaultStorage, count: u8) -> io::Result<Box<dyn WritableFile>> {
    let mut f = fault.create("log")?;
    f.sync()?;
    fault.sync_dir()?;
    for i in 1..=count {
        f.append(&[i; 100])?;
    }
    Ok(f)
}

#[test]
fn prefix_crashes_keep_whole_writes_then_at_most_one_torn_one() -> io::Result<()> {
    for seed in 0..200 {
        let (_mem, fault) = faulty(seed)?;
        let _f = unsynced_records(&fault, 8)?;
        let image = read(&fault.crash_image(CrashMode::Prefix)?, "log")?;
        // Every write but the last one present is whole; the last one may
        // be torn: a prefix of it, maybe followed by garbage.
        let chunks: Vec<&[u8]> = image.chunks(100).collect();
        for (i, chunk) in chunks.iter().enumerate().rev().skip(1) {
            assert!(chunk.iter().all(|&b| b == i as u8 + 1), "seed {seed}");
        }
        assert!(image.len() <= 800, "seed {seed}");
    }
    Ok(())
}

#[test]
fn reorder_crashes_can_keep_a_later_write_and_lose_an_earlier_one() -> io::Result<()> {
    let mut reordered = 0;
    for seed in 0..200 {
        let (_mem, fault) = faulty(seed)?;
        let _f = unsynced_records(&fault, 8)?;
        let image = read(&fault.crash_image(CrashMode::Reorder)?, "log")?;
        let intact = |i: usize| {
            image
                .get(i * 100..(i + 1) * 100)
                .is_some_and(|c| c.iter().all(|&b| b == i as u8 + 1))
        };
        if !intact(0) && (1..8).any(intact) {
            reordered += 1;
        }
    }
    assert!(reordered > 10, "only {reordered} reordered crashes");
    Ok(())
}

#[test]
fn the_same_seed_gives_the_same_crash() -> io::Result<()> {
    let images = (0..2)
        .map(|_| {
            let (_mem, fault) = faulty(77)?;
            let _f = unsynced_records(&fault, 20)?;
            read(&fault.crash_image(CrashMode::Reorder)?, "log")
        })
        .collect::<io::Result<Vec<_>>>()?;
    assert_eq!(images.first(), images.get(1));
    Ok(())
}

#[test]
fn nth_rule_fails_exactly_that_call() -> io::Result<()> {
    let (_mem, fault) = faulty(5)?;
    fault.fail(FaultRule::new(Op::Sync, Trigger::Nth(2)).on_files(".log"));
    let mut other = fault.create("x.sst")?;
    let mut log = fault.create("1.log")?;
    other.sync()?;
    log.sync()?;
    other.sync()?;
    assert!(log.sync().is_err());
    log.sync()?;
    assert_eq!(fault.injected_faults(), 1);
    Ok(())
}

#[test]
fn from_rule_fails_every_later_call() -> io::Result<()> {
    let (_mem, fault) = faulty(6)?;
    fault.fail(FaultRule::new(Op::Create, Trigger::From(2)));
    fault.create("a")?;
    assert!(fault.create("b").is_err());
    assert!(fault.create("c").is_err());
    fault.clear_faults();
    fault.create("d")?;
    Ok(())
}

#[test]
fn one_in_n_rule_fails_about_that_often() -> io::Result<()> {
    let (_mem, fault) = faulty(7)?;
    fault.fail(FaultRule::new(Op::Stat, Trigger::OneIn(10)));
    let failures = (0..2000).filter(|_| fault.exists("a").is_err()).count();
    assert!((100..300).contains(&failures), "{failures} failures");
    Ok(())
}

#[test]
fn failed_append_may_leave_a_prefix_of_its_bytes() -> io::Result<()> {
    let mut short = 0;
    for seed in 0..50 {
        let (mem, fault) = faulty(seed)?;
        fault.fail(FaultRule::new(Op::Append, Trigger::Nth(1)));
        let mut f = fault.create("a")?;
        assert!(f.append(&[9; 64]).is_err());
        let len = mem.len("a")?;
        assert!(len <= 64);
        short += u32::from(len > 0 && len < 64);
    }
    assert!(short > 10);
    Ok(())
}

#[test]
fn failed_sync_makes_only_some_writes_durable() -> io::Result<()> {
    let mut partial = 0;
    for seed in 0..50 {
        let (_mem, fault) = faulty(seed)?;
        let mut f = unsynced_records(&fault, 10)?;
        fault.fail(FaultRule::new(Op::Sync, Trigger::Nth(1)));
        assert!(f.sync().is_err());
        let image = read(&fault.crash_image(CrashMode::DropUnsynced)?, "log")?;
        assert_eq!(image.len() % 100, 0);
        partial += u32::from(!image.is_empty() && image.len() < 1000);
    }
    assert!(partial > 10);
    Ok(())
}

#[test]
fn crash_at_op_takes_the_image_and_fails_every_later_call() -> io::Result<()> {
    let (_mem, fault) = faulty(8)?;
    let mut f = fault.create("a")?;
    fault.sync_dir()?;
    fault.crash_at_op(3, CrashMode::DropUnsynced);
    f.append(b"one")?;
    f.sync()?;
    assert!(!fault.has_crashed());
    assert!(f.append(b"two").is_err());
    assert!(fault.has_crashed());
    assert!(fault.list().is_err());
    let image = fault
        .take_crash_image()
        .ok_or_else(|| io::Error::other("no image"))?;
    assert_eq!(read(&image, "a")?, b"one");
    Ok(())
}

#[test]
fn truncate_makes_the_shorter_file_durable() -> io::Result<()> {
    let (_mem, fault) = faulty(9)?;
    let mut f = fault.create("a")?;
    fault.sync_dir()?;
    f.append(b"abcdef")?;
    fault.truncate("a", 4)?;
    let image = fault.crash_image(CrashMode::DropUnsynced)?;
    assert_eq!(read(&image, "a")?, b"abcd");
    Ok(())
}

#[test]
fn bit_flips_on_read_change_one_bit() -> io::Result<()> {
    let (_mem, fault) = faulty(10)?;
    let mut f = fault.create("a")?;
    f.append(&[0; 32])?;
    fault.flip_bits_on_read(Some(1));
    let mut buf = [0u8; 32];
    fault.open("a")?.read_exact_at(0, &mut buf)?;
    let ones: u32 = buf.iter().map(|b| b.count_ones()).sum();
    assert_eq!(ones, 1);
    assert_eq!(fault.flipped_bits(), 1);
    Ok(())
}
