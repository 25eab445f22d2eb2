//! fjall (an LSM-tree in Rust): one keyspace, no compression, 10-bit bloom
//! filters on every level, the shared cache budget and memtable size.

use std::path::Path;

use anyhow::Result;
use fjall::config::{BloomConstructionPolicy, CompressionPolicy, FilterPolicy, FilterPolicyEntry};
use fjall::{CompressionType, Database, Keyspace, KeyspaceCreateOptions, PersistMode};

use crate::engine::{Engine, EngineConfig, Handle};

#[derive(Clone)]
struct Fjall {
    db: Database,
    tree: Keyspace,
    sync: bool,
}

pub fn open(dir: &Path, config: &EngineConfig) -> Result<Box<dyn Engine>> {
    if config.defaults {
        let db = Database::builder(dir).open()?;
        let tree = db.keyspace("bench", KeyspaceCreateOptions::default)?;
        return Ok(Box::new(Fjall {
            db,
            tree,
            sync: config.sync,
        }));
    }
    let db = Database::builder(dir)
        .cache_size(config.cache_bytes as u64)
        .open()?;
    let memtable_bytes = config.memtable_bytes as u64;
    let tree = db.keyspace("bench", || {
        KeyspaceCreateOptions::default()
            .max_memtable_size(memtable_bytes)
            .data_block_compression_policy(CompressionPolicy::all(CompressionType::None))
            .filter_policy(FilterPolicy::all(FilterPolicyEntry::Bloom(
                BloomConstructionPolicy::BitsPerKey(10.0),
            )))
    })?;
    Ok(Box::new(Fjall {
        db,
        tree,
        sync: config.sync,
    }))
}

impl Fjall {
    fn after_write(&self) -> Result<()> {
        if self.sync {
            self.db.persist(PersistMode::SyncAll)?;
        }
        Ok(())
    }
}

impl Handle for Fjall {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        Engine::put(self, key, value)
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        Engine::get(self, key)
    }
}

impl Engine for Fjall {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        self.tree.insert(key, value)?;
        self.after_write()
    }

    fn delete(&mut self, key: &[u8]) -> Result<()> {
        self.tree.remove(key)?;
        self.after_write()
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        Ok(self.tree.get(key)?.map(|v| v.len()))
    }

    fn scan(&mut self, start: &[u8], limit: usize) -> Result<(u64, u64)> {
        let (mut n, mut bytes) = (0u64, 0u64);
        for guard in self.tree.range(start..).take(limit) {
            let (k, v) = guard.into_inner()?;
            n += 1;
            bytes += (k.len() + v.len()) as u64;
        }
        Ok((n, bytes))
    }

    fn compact(&mut self) -> Result<()> {
        self.tree.rotate_memtable_and_wait()?;
        self.tree.major_compact()?;
        Ok(())
    }

    fn shape(&self) -> Option<String> {
        Some(format!(
            "L0:{} tables:{}",
            self.tree.l0_table_count(),
            self.tree.table_count()
        ))
    }

    fn handle(&mut self) -> Result<Box<dyn Handle>> {
        Ok(Box::new(self.clone()))
    }

    fn close(self: Box<Self>) -> Result<()> {
        self.db.persist(PersistMode::SyncAll)?;
        drop(self);
        Ok(())
    }
}
