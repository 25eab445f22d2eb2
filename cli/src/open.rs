//! Opening a directory as a database, refusing anything that is not one.
//!
//! The rules, checked before anything is written:
//! - a directory holding a `CURRENT` file is a Strata database and opens;
//! - an absent or empty directory gets a new database, unless `--no-create`
//!   or `--read-only` asks for an existing one;
//! - a directory with other entries but no `CURRENT` is refused untouched.
//!
//! `--read-only` copies the files into memory and opens the copy, so
//! nothing on disk changes (recovery included).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use strata_engine::filename::CURRENT;
use strata_engine::manifest::{read_current, replay_manifest};
use strata_engine::{CompactionStrategy, Db, Options};
use strata_storage::{FsStorage, MemStorage, Storage};

/// How to open a directory.
#[derive(Clone, Debug)]
pub struct OpenRequest {
    /// The database directory.
    pub dir: PathBuf,
    /// Fail unless a database already exists.
    pub no_create: bool,
    /// Work on an in-memory copy; nothing on disk changes.
    pub read_only: bool,
    /// The options to open with.
    pub options: Options,
    /// Whether the user chose the compaction strategy; if not, an existing
    /// database is opened with the strategy its manifest records.
    pub strategy_given: bool,
}

/// An open database and the storage it lives in.
pub struct Opened {
    /// The database.
    pub db: Db,
    /// Its storage (for the inspection commands).
    pub storage: Arc<dyn Storage>,
}

/// Opens the directory per [`OpenRequest`].
pub fn open(request: &OpenRequest) -> Result<Opened> {
    let dir = &request.dir;
    check_directory(dir, request.no_create || request.read_only)?;
    let fs: Arc<dyn Storage> =
        Arc::new(FsStorage::open(dir).with_context(|| format!("cannot use {}", dir.display()))?);
    let mut options = request.options.clone();
    if !request.strategy_given {
        if let Some(strategy) = recorded_strategy(fs.as_ref()) {
            options.compaction_strategy = strategy;
        }
    }
    let storage = if request.read_only {
        options.create_if_missing = false;
        copy_to_memory(fs.as_ref())?
    } else {
        fs
    };
    let db = Db::open(storage.clone(), options)
        .with_context(|| format!("cannot open the database in {}", dir.display()))?;
    Ok(Opened { db, storage })
}

/// Checks that `dir` is a database, or may become one.
fn check_directory(dir: &Path, must_exist: bool) -> Result<()> {
    let shown = dir.display();
    let meta = match std::fs::metadata(dir) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if must_exist {
                bail!("no Strata database at {shown}: the directory does not exist");
            }
            return Ok(());
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {shown}")),
    };
    if !meta.is_dir() {
        bail!("{shown} is not a directory");
    }
    if dir.join(CURRENT).is_file() {
        return Ok(());
    }
    let mut entries: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {shown}"))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    let strata_files: Vec<&String> = entries
        .iter()
        .filter(|n| {
            matches!(
                strata_engine::filename::parse(n),
                Some(
                    strata_engine::filename::FileKind::Table(_)
                        | strata_engine::filename::FileKind::Wal(_)
                )
            )
        })
        .collect();
    if let Some(first) = strata_files.first() {
        bail!(
            "{shown}: {CURRENT} is missing, but the directory holds {} Strata table and \
             log files (such as {first:?}); nothing was changed. `strata repair {shown}` \
             rebuilds the manifest from them",
            strata_files.len()
        );
    }
    if let Some(first) = entries.first() {
        bail!(
            "{shown} is not a Strata database: it has no {CURRENT} file but holds {} \
             entries (such as {first:?}); nothing was changed",
            entries.len()
        );
    }
    if must_exist {
        bail!("no Strata database at {shown}: the directory is empty");
    }
    Ok(())
}

/// The compaction strategy an existing database was created with, read
/// from its manifest (`None` for a new or unreadable one: opening reports
/// the problem).
fn recorded_strategy(storage: &dyn Storage) -> Option<CompactionStrategy> {
    let number = read_current(storage).ok()??;
    let tiered = replay_manifest(storage, number)
        .ok()?
        .version
        .tiered_levels();
    // Universal records the same tiered levels as size-tiered; the two
    // read each other's layout, so size-tiered is the one assumed.
    [
        CompactionStrategy::Leveled,
        CompactionStrategy::Hybrid,
        CompactionStrategy::SizeTiered,
    ]
    .into_iter()
    .find(|s| s.tiered_levels() == tiered)
}

/// Copies every file of `storage` into a new in-memory storage.
fn copy_to_memory(storage: &dyn Storage) -> Result<Arc<dyn Storage>> {
    let mem = MemStorage::new();
    for name in storage.list().context("cannot list the database")? {
        let bytes = strata_storage::read_all(storage, &name)
            .with_context(|| format!("cannot read {name}"))?;
        let mut file = mem.create(&name)?;
        file.append(&bytes)?;
        file.sync()?;
    }
    mem.sync_dir()?;
    Ok(Arc::new(mem))
}
