//! Log records that span blocks: values of 40–200 KiB make each record a
//! first fragment, middle fragments over whole 32 KiB blocks, and a last
//! fragment. A crash can tear such a record anywhere — in any fragment,
//! at a block boundary — and recovery must still yield a prefix holding
//! every acknowledged synced write.

mod common;

use std::sync::Arc;

use common::key;
use strata_engine::rng::SeededRng;
use strata_engine::{Db, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{CrashMode, FaultStorage, MemStorage, Storage};

fn options() -> Options {
    Options {
        memtable_bytes_max: 1 << 20,
        maintenance: MaintenanceMode::Inline,
        ..Options::deterministic()
    }
}

fn value(i: u64, len: usize) -> Vec<u8> {
    (0..len).map(|j| (i as usize * 7 + j) as u8).collect()
}

#[test]
fn records_spanning_blocks_recover_a_prefix_after_any_crash() -> anyhow::Result<()> {
    for seed in 0..24u64 {
        let mut rng = SeededRng::new(seed);
        let fault = FaultStorage::new(Arc::new(MemStorage::new()), seed)?;
        let db = Db::open(Arc::new(fault.clone()) as Arc<dyn Storage>, options())?;
        let mode = if seed % 2 == 0 {
            CrashMode::Prefix
        } else {
            CrashMode::DropUnsynced
        };
        fault.crash_at_op(5 + rng.next_u64() % 120, mode);
        let mut lens = Vec::new();
        let mut durable = 0;
        for i in 0..40u64 {
            let len = 40 * 1024 + (rng.next_u64() % (160 * 1024)) as usize;
            let sync = i % 2 == 1;
            let mut batch = WriteBatch::new();
            batch.put(key(i), value(i, len));
            lens.push(len);
            if db.write_opt(&batch, WriteOptions { sync }).is_err() {
                break;
            }
            if sync {
                durable = lens.len();
            }
        }
        drop(db);
        let image = match fault.take_crash_image() {
            Some(image) => image,
            None => fault.crash_image(mode)?,
        };
        let db = Db::open(Arc::new(image) as Arc<dyn Storage>, options())?;
        let got: Vec<_> = db.scan::<&[u8]>(..)?.collect::<Result<_, _>>()?;
        assert!(
            got.len() >= durable,
            "seed {seed}: {} < {durable}",
            got.len()
        );
        assert!(got.len() <= lens.len(), "seed {seed}");
        for (i, ((k, v), len)) in got.iter().zip(&lens).enumerate() {
            assert_eq!(k, &key(i as u64), "seed {seed}: hole at {i}");
            assert_eq!(v, &value(i as u64, *len), "seed {seed}: value {i}");
        }
    }
    Ok(())
}
