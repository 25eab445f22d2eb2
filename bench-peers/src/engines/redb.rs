//! redb (a copy-on-write B-tree in Rust).
//!
//! A commit rewrites the B-tree path to every changed leaf, so redb pays
//! about half a millisecond per committed write; one transaction per write
//! would make its write workloads take hours at a million entries. The
//! adapter therefore groups `redb_writes_per_txn` writes per transaction
//! (committed with `Durability::None`, no fsync), and makes one commit
//! durable after every `memtable_bytes` of writes, as an LSM engine syncs a
//! table per flushed memtable (redb frees pages only at durable commits).
//! Pending writes are committed before any read. With `sync`, every write
//! is its own durable transaction. Reads reuse one read transaction until
//! the next write.
//!
//! Handles for other threads share the one pending write transaction
//! (redb has a single writer) behind a mutex; each handle's reads reuse a
//! read transaction for 256 reads, then start a new one to see newer
//! commits.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Result;
use redb::{Database, Durability, ReadOnlyTable, TableDefinition, WriteTransaction};

use crate::engine::{Engine, EngineConfig, Handle};

const TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("bench");

/// Reads a handle serves from one read transaction before it starts a
/// newer one.
const READS_PER_READ_TXN: u32 = 256;

type Table = ReadOnlyTable<&'static [u8], &'static [u8]>;

/// The pending write transaction and when to commit it.
struct Writer {
    txn: Option<WriteTransaction>,
    writes_in_txn: usize,
    writes_per_txn: usize,
    sync: bool,
    bytes_since_durable: usize,
    durable_every_bytes: usize,
}

struct Redb {
    db: Arc<Database>,
    reader: Option<Table>,
    writer: Arc<Mutex<Writer>>,
}

pub fn open(dir: &Path, config: &EngineConfig) -> Result<Box<dyn Engine>> {
    let mut builder = Database::builder();
    if !config.defaults {
        builder.set_cache_size(config.cache_bytes);
    }
    let db = Arc::new(builder.create(dir.join("bench.redb"))?);
    let txn = db.begin_write()?;
    txn.open_table(TABLE)?;
    txn.commit()?;
    let writer = Writer {
        txn: None,
        writes_in_txn: 0,
        writes_per_txn: if config.sync {
            1
        } else {
            config.redb_writes_per_txn.max(1)
        },
        sync: config.sync,
        bytes_since_durable: 0,
        durable_every_bytes: config.memtable_bytes,
    };
    Ok(Box::new(Redb {
        db,
        reader: None,
        writer: Arc::new(Mutex::new(writer)),
    }))
}

impl Writer {
    fn write(&mut self, db: &Database, key: &[u8], value: Option<&[u8]>) -> Result<()> {
        self.bytes_since_durable += key.len() + value.map_or(0, <[u8]>::len);
        let txn = match self.txn.take() {
            Some(txn) => txn,
            None => db.begin_write()?,
        };
        {
            let mut table = txn.open_table(TABLE)?;
            match value {
                Some(v) => {
                    table.insert(key, v)?;
                }
                None => {
                    table.remove(key)?;
                }
            }
        }
        self.txn = Some(txn);
        self.writes_in_txn += 1;
        if self.writes_in_txn >= self.writes_per_txn {
            self.commit(db, false)?;
        }
        Ok(())
    }

    /// Commits the pending transaction, durably if asked, in sync mode, or
    /// once enough bytes were written since the last durable commit.
    fn commit(&mut self, db: &Database, force_durable: bool) -> Result<()> {
        let durable =
            force_durable || self.sync || self.bytes_since_durable >= self.durable_every_bytes;
        let mut txn = match self.txn.take() {
            Some(txn) => txn,
            None if durable => db.begin_write()?,
            None => return Ok(()),
        };
        txn.set_durability(if durable {
            Durability::Immediate
        } else {
            Durability::None
        });
        txn.commit()?;
        self.writes_in_txn = 0;
        if durable {
            self.bytes_since_durable = 0;
        }
        Ok(())
    }
}

fn lock(writer: &Mutex<Writer>) -> std::sync::MutexGuard<'_, Writer> {
    writer.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Redb {
    fn write(&mut self, key: &[u8], value: Option<&[u8]>) -> Result<()> {
        self.reader = None;
        lock(&self.writer).write(&self.db, key, value)
    }

    fn reader(&mut self) -> Result<&Table> {
        {
            let mut writer = lock(&self.writer);
            if writer.txn.is_some() {
                writer.commit(&self.db, false)?;
            }
        }
        let table = match self.reader.take() {
            Some(t) => t,
            None => self.db.begin_read()?.open_table(TABLE)?,
        };
        Ok(self.reader.insert(table))
    }
}

struct RedbHandle {
    db: Arc<Database>,
    writer: Arc<Mutex<Writer>>,
    reader: Option<(Table, u32)>,
}

impl Handle for RedbHandle {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        self.reader = None;
        lock(&self.writer).write(&self.db, key, Some(value))
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        let (table, reads) = match self.reader.take() {
            Some((t, n)) if n < READS_PER_READ_TXN => (t, n),
            _ => (self.db.begin_read()?.open_table(TABLE)?, 0),
        };
        let len = table.get(key)?.map(|v| v.value().len());
        self.reader = Some((table, reads + 1));
        Ok(len)
    }

    fn finish(&mut self) -> Result<()> {
        lock(&self.writer).commit(&self.db, false)
    }
}

impl Engine for Redb {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        self.write(key, Some(value))
    }

    fn delete(&mut self, key: &[u8]) -> Result<()> {
        self.write(key, None)
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        Ok(self.reader()?.get(key)?.map(|v| v.value().len()))
    }

    fn scan(&mut self, start: &[u8], limit: usize) -> Result<(u64, u64)> {
        let (mut n, mut bytes) = (0u64, 0u64);
        for entry in self.reader()?.range(start..)?.take(limit) {
            let (k, v) = entry?;
            n += 1;
            bytes += (k.value().len() + v.value().len()) as u64;
        }
        Ok((n, bytes))
    }

    fn compact(&mut self) -> Result<()> {
        self.reader = None;
        lock(&self.writer).commit(&self.db, true)?;
        match Arc::get_mut(&mut self.db) {
            Some(db) => {
                db.compact()?;
            }
            None => anyhow::bail!("redb: compaction while a handle is alive"),
        }
        Ok(())
    }

    fn handle(&mut self) -> Result<Box<dyn Handle>> {
        self.reader = None;
        lock(&self.writer).commit(&self.db, false)?;
        Ok(Box::new(RedbHandle {
            db: Arc::clone(&self.db),
            writer: Arc::clone(&self.writer),
            reader: None,
        }))
    }

    fn close(mut self: Box<Self>) -> Result<()> {
        self.reader = None;
        lock(&self.writer).commit(&self.db, true)?;
        drop(self);
        Ok(())
    }
}
