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

use std::path::Path;

use anyhow::Result;
use redb::{Database, Durability, ReadOnlyTable, TableDefinition, WriteTransaction};

use crate::engine::{Engine, EngineConfig};

const TABLE: TableDefinition<&[u8], &[u8]> = TableDefinition::new("bench");

struct Redb {
    db: Database,
    reader: Option<ReadOnlyTable<&'static [u8], &'static [u8]>>,
    writer: Option<WriteTransaction>,
    writes_in_txn: usize,
    writes_per_txn: usize,
    sync: bool,
    bytes_since_durable: usize,
    durable_every_bytes: usize,
}

pub fn open(dir: &Path, config: &EngineConfig) -> Result<Box<dyn Engine>> {
    let db = Database::builder()
        .set_cache_size(config.cache_bytes)
        .create(dir.join("bench.redb"))?;
    let txn = db.begin_write()?;
    txn.open_table(TABLE)?;
    txn.commit()?;
    Ok(Box::new(Redb {
        db,
        reader: None,
        writer: None,
        writes_in_txn: 0,
        writes_per_txn: if config.sync {
            1
        } else {
            config.redb_writes_per_txn.max(1)
        },
        sync: config.sync,
        bytes_since_durable: 0,
        durable_every_bytes: config.memtable_bytes,
    }))
}

impl Redb {
    fn write(&mut self, key: &[u8], value: Option<&[u8]>) -> Result<()> {
        self.reader = None;
        self.bytes_since_durable += key.len() + value.map_or(0, <[u8]>::len);
        let txn = match self.writer.take() {
            Some(txn) => txn,
            None => self.db.begin_write()?,
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
        self.writer = Some(txn);
        self.writes_in_txn += 1;
        if self.writes_in_txn >= self.writes_per_txn {
            self.commit(false)?;
        }
        Ok(())
    }

    /// Commits the pending transaction, durably if asked, in sync mode, or
    /// once enough bytes were written since the last durable commit.
    fn commit(&mut self, force_durable: bool) -> Result<()> {
        let durable =
            force_durable || self.sync || self.bytes_since_durable >= self.durable_every_bytes;
        let mut txn = match self.writer.take() {
            Some(txn) => txn,
            None if durable => self.db.begin_write()?,
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

    fn reader(&mut self) -> Result<&ReadOnlyTable<&'static [u8], &'static [u8]>> {
        if self.writer.is_some() {
            self.commit(false)?;
        }
        let table = match self.reader.take() {
            Some(t) => t,
            None => self.db.begin_read()?.open_table(TABLE)?,
        };
        Ok(self.reader.insert(table))
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
        self.commit(true)?;
        self.db.compact()?;
        Ok(())
    }

    fn close(mut self: Box<Self>) -> Result<()> {
        self.reader = None;
        self.commit(true)?;
        drop(self);
        Ok(())
    }
}
