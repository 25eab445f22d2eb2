//! Fuzz checks over whole databases rather than one decoder:
//! - [`directory`]: an arbitrary directory image — files named as Strata
//!   names them, with arbitrary contents — must open to `Ok` or an
//!   `Error`, and an open database must read, write and close, never panic;
//! - [`operations`]: a sequence of operations against a `BTreeMap` model,
//!   with injected power cuts and I/O errors; after each crash the
//!   recovered database must equal the model after some prefix of the
//!   operations no shorter than the last acknowledged durable one.

use std::collections::BTreeMap;
use std::sync::Arc;

use strata_engine::{Db, Error, MaintenanceMode, Options, WriteBatch, WriteOptions};
use strata_storage::{CrashMode, FaultRule, FaultStorage, MemStorage, Op, Storage, Trigger};

/// Reads bytes from the fuzzer's input; zeros once it runs out.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        *first
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }
    fn bytes(&mut self, n: usize) -> &[u8] {
        let n = n.min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken
    }
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Numbers a file name can carry: small ones, both sides of a million,
/// and past the file-number limit.
const NUMBERS: [u64; 8] = [
    1,
    2,
    3,
    7,
    999_999,
    1_000_000,
    (1 << 48) - 1,
    18_446_744_073_709_551_613,
];

fn file_name(selector: u8) -> String {
    let n = NUMBERS
        .get(usize::from(selector >> 3) % NUMBERS.len())
        .copied()
        .unwrap_or(1);
    match selector % 8 {
        0 => "CURRENT".to_owned(),
        1 => format!("MANIFEST-{n:06}"),
        2 | 3 => format!("{n:06}.log"),
        4 | 5 => format!("{n:06}.sst"),
        6 => "CURRENT.tmp".to_owned(),
        _ => format!("{n}.log"),
    }
}

/// Options small enough that a fuzzed image stays cheap to open.
fn small_options() -> Options {
    Options {
        memtable_bytes_max: 4096,
        block_size_bytes: 512,
        maintenance: MaintenanceMode::Manual,
        ..Options::deterministic()
    }
}

/// A name selector from here on is followed by the name itself: a length
/// byte and the bytes (so seeds can hold real databases).
pub const INLINE_NAME: u8 = 0xF0;

/// Encodes `files` in the input format of [`directory`] (for seeds).
pub fn encode_directory(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![files.len().min(8) as u8];
    for (name, bytes) in files.iter().take(8) {
        out.push(INLINE_NAME);
        out.push(name.len() as u8);
        out.extend_from_slice(name.as_bytes());
        let len = bytes.len().min(usize::from(u16::MAX));
        out.extend_from_slice(&(len as u16).to_le_bytes());
        out.extend_from_slice(bytes.get(..len).unwrap_or_default());
    }
    out
}

/// Builds a directory image from `data` — up to 8 files, each a name
/// selector (or [`INLINE_NAME`] and a name), a length (at most 64 KiB) and
/// the bytes — then opens it, reads everything, writes and closes.
pub fn directory(data: &[u8]) {
    let mut input = Input(data);
    let storage = MemStorage::new();
    let files = input.byte() % 9;
    for _ in 0..files {
        let selector = input.byte();
        let name = if selector >= INLINE_NAME {
            let len = usize::from(input.byte() % 32);
            String::from_utf8_lossy(input.bytes(len)).into_owned()
        } else {
            file_name(selector)
        };
        if name.is_empty() {
            continue;
        }
        let len = usize::from(input.u16());
        let bytes = input.bytes(len).to_vec();
        let mut file = storage.create(&name).unwrap();
        file.append(&bytes).unwrap();
        file.sync().unwrap();
    }
    storage.sync_dir().unwrap();
    exercise(&storage);
}

/// Opens `storage`; if it opens, scans it, writes a few keys, flushes and
/// reopens. Every error must be an `Error`, never a panic.
pub fn exercise(storage: &MemStorage) {
    let open = || {
        Db::open(
            Arc::new(storage.clone()) as Arc<dyn Storage>,
            small_options(),
        )
    };
    let Ok(db) = open() else {
        return;
    };
    if let Ok(scan) = db.scan::<&[u8]>(..) {
        for kv in scan.take(100_000) {
            if kv.is_err() {
                break;
            }
        }
    }
    let _ = db.get(b"key");
    for i in 0..20u32 {
        if db.put(format!("fuzz{i}"), "value").is_err() {
            break;
        }
    }
    let _ = db.flush();
    let _ = db.close();
    if let Ok(db) = open() {
        let _ = db.get(b"fuzz3");
    }
}

type Contents = BTreeMap<Vec<u8>, Vec<u8>>;

/// The model: the contents after every write attempted since the last
/// crash (a write that failed may still have reached the disk), the ones
/// acknowledged, and how many attempts are durable.
struct Model {
    attempted: Vec<Contents>,
    applied: Contents,
    durable: usize,
}

impl Model {
    fn attempt(
        &mut self,
        key: Vec<u8>,
        value: Option<Vec<u8>>,
        result: Result<(), Error>,
        durable: bool,
    ) {
        let mut next = self.attempted.last().cloned().unwrap_or_default();
        match &value {
            Some(v) => next.insert(key.clone(), v.clone()),
            None => next.remove(&key),
        };
        self.attempted.push(next);
        if result.is_ok() {
            match value {
                Some(v) => self.applied.insert(key, v),
                None => self.applied.remove(&key),
            };
            if durable {
                self.durable = self.attempted.len() - 1;
            }
        }
    }
}

/// Runs operations read from `data` on a fault-injecting storage, checking
/// the database against a model after every crash.
pub fn operations(data: &[u8]) {
    let mut input = Input(data);
    let seed = u64::from(input.u16());
    let mut fault = FaultStorage::new(Arc::new(MemStorage::new()), seed).unwrap();
    let mut model = Model {
        attempted: vec![Contents::new()],
        applied: Contents::new(),
        durable: 0,
    };
    let mut db = open_db(&fault);
    let mut steps = 0u64;
    while !input.is_empty() && steps < 400 {
        steps += 1;
        let op = input.byte();
        let key = format!("k{:02}", input.byte() % 40).into_bytes();
        match (op % 16, &db) {
            (0..=6, Some(db)) => {
                let sync = op % 16 == 6;
                let value = vec![b'a' + op % 26; usize::from(input.byte()) * 4];
                let mut batch = WriteBatch::new();
                batch.put(&key, &value);
                let result = db.write_opt(&batch, WriteOptions { sync });
                model.attempt(key, Some(value), result, sync);
            }
            (7 | 8, Some(db)) => {
                let result = db.delete(&key);
                model.attempt(key, None, result, false);
            }
            (9, Some(db)) if db.flush().is_ok() => model.durable = model.attempted.len() - 1,
            (10, Some(db)) => {
                let _ = db.maintenance_step();
            }
            (11, Some(db)) => {
                if let Ok(got) = db.get(&key) {
                    assert_eq!(got.as_ref(), model.applied.get(&key), "get of {key:?}");
                }
            }
            (12, _) => {
                let op = [Op::Append, Op::Sync, Op::Create, Op::SyncDir, Op::Rename]
                    .get(usize::from(input.byte()) % 5)
                    .copied()
                    .unwrap_or(Op::Append);
                let nth = u64::from(input.byte() % 8) + 1;
                fault.fail(FaultRule::new(op, Trigger::Nth(nth)));
            }
            (13..=15, _) => {
                let mode = if op % 2 == 0 {
                    CrashMode::DropUnsynced
                } else {
                    CrashMode::Prefix
                };
                let image = fault.crash_image(mode).unwrap();
                drop(db.take());
                let got = recovered(&image);
                let kept = (model.durable..model.attempted.len())
                    .rev()
                    .find(|&n| model.attempted.get(n) == Some(&got))
                    .unwrap_or_else(|| {
                        panic!(
                            "recovered contents match no prefix from {} on",
                            model.durable
                        )
                    });
                model = Model {
                    attempted: vec![got.clone()],
                    applied: got,
                    durable: 0,
                };
                let _ = kept;
                fault = FaultStorage::new(Arc::new(image), seed.wrapping_add(steps)).unwrap();
                db = open_db(&fault);
                assert!(db.is_some(), "a recovered database did not reopen");
            }
            _ => {}
        }
    }
}

fn open_db(fault: &FaultStorage) -> Option<Db> {
    Db::open(Arc::new(fault.clone()) as Arc<dyn Storage>, small_options()).ok()
}

/// Opens a crash image (which must open) and reads everything.
fn recovered(image: &MemStorage) -> Contents {
    let db = match Db::open(Arc::new(image.clone()) as Arc<dyn Storage>, small_options()) {
        Ok(db) => db,
        Err(e) => panic!("a crash image did not open: {e}"),
    };
    let got = db
        .scan::<&[u8]>(..)
        .unwrap()
        .collect::<Result<_, Error>>()
        .unwrap();
    drop(db);
    got
}
