//! RocksDB through the `rocksdb` crate: no compression, 10-bit bloom
//! filters, 4 KiB blocks, an LRU block cache of the shared budget, the
//! shared write-buffer size, two background jobs (the machine's cores).

use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use rocksdb::{BlockBasedOptions, Cache, DBCompressionType, Options, WriteOptions, DB};

use crate::engine::{Engine, EngineConfig, Handle};

struct Rocks {
    db: Arc<DB>,
    write: WriteOptions,
    sync: bool,
    _cache: Option<Cache>,
}

fn write_options(sync: bool) -> WriteOptions {
    let mut write = WriteOptions::default();
    write.set_sync(sync);
    write
}

pub fn open(dir: &Path, config: &EngineConfig) -> Result<Box<dyn Engine>> {
    if config.defaults {
        let mut options = Options::default();
        options.create_if_missing(true);
        return Ok(Box::new(Rocks {
            db: Arc::new(DB::open(&options, dir)?),
            write: write_options(config.sync),
            sync: config.sync,
            _cache: None,
        }));
    }
    let cache = Cache::new_lru_cache(config.cache_bytes);
    let mut table = BlockBasedOptions::default();
    table.set_block_cache(&cache);
    table.set_bloom_filter(10.0, false);
    table.set_block_size(4096);
    let mut options = Options::default();
    options.create_if_missing(true);
    options.set_compression_type(DBCompressionType::None);
    options.set_write_buffer_size(config.memtable_bytes);
    options.set_max_background_jobs(2);
    options.set_block_based_table_factory(&table);
    let db = Arc::new(DB::open(&options, dir)?);
    Ok(Box::new(Rocks {
        db,
        write: write_options(config.sync),
        sync: config.sync,
        _cache: Some(cache),
    }))
}

struct RocksHandle {
    db: Arc<DB>,
    write: WriteOptions,
}

impl Handle for RocksHandle {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        Ok(self.db.put_opt(key, value, &self.write)?)
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        Ok(self.db.get_pinned(key)?.map(|v| v.len()))
    }
}

impl Engine for Rocks {
    fn put(&mut self, key: &[u8], value: &[u8]) -> Result<()> {
        Ok(self.db.put_opt(key, value, &self.write)?)
    }

    fn delete(&mut self, key: &[u8]) -> Result<()> {
        Ok(self.db.delete_opt(key, &self.write)?)
    }

    fn get(&mut self, key: &[u8]) -> Result<Option<usize>> {
        Ok(self.db.get_pinned(key)?.map(|v| v.len()))
    }

    fn scan(&mut self, start: &[u8], limit: usize) -> Result<(u64, u64)> {
        let (mut n, mut bytes) = (0u64, 0u64);
        let mut it = self.db.raw_iterator();
        it.seek(start);
        while it.valid() && (n as usize) < limit {
            if let (Some(k), Some(v)) = (it.key(), it.value()) {
                n += 1;
                bytes += (k.len() + v.len()) as u64;
            }
            it.next();
        }
        it.status()?;
        Ok((n, bytes))
    }

    fn compact(&mut self) -> Result<()> {
        self.db.flush()?;
        self.db.compact_range(None::<&[u8]>, None::<&[u8]>);
        Ok(())
    }

    fn handle(&mut self) -> Result<Box<dyn Handle>> {
        Ok(Box::new(RocksHandle {
            db: Arc::clone(&self.db),
            write: write_options(self.sync),
        }))
    }

    fn close(self: Box<Self>) -> Result<()> {
        self.db.flush_wal(true)?;
        drop(self);
        Ok(())
    }
}
