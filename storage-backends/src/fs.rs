//! Real files in one directory (native targets only).
//!
//! `sync` is `fsync` of the file; `sync_dir` is `fsync` of the directory, and
//! `create`, `rename` and `remove` call it themselves so a directory change
//! is durable when the call returns.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{DirLock, ReadableFile, Storage, WritableFile};

#[cfg(unix)]
mod mapped;
#[cfg(unix)]
pub use mapped::MAPPED_FILES_MAX;

/// A directory of real files.
///
/// Files opened with [`Storage::open_immutable`] (Strata's tables) are
/// memory-mapped on Unix, up to [`FsStorage::with_mapped_files_max`] of
/// them at once; every other read is a positional `pread`.
#[derive(Debug, Clone)]
pub struct FsStorage {
    root: PathBuf,
    #[cfg(unix)]
    maps: Arc<mapped::MapBudget>,
}

impl FsStorage {
    /// Uses `root` as the directory, creating it if absent.
    pub fn open(root: impl AsRef<Path>) -> io::Result<Self> {
        let root = root.as_ref().to_path_buf();
        fs::create_dir_all(&root)?;
        Ok(Self {
            root,
            #[cfg(unix)]
            maps: Arc::new(mapped::MapBudget::new(MAPPED_FILES_MAX)),
        })
    }

    /// At most `files_max` files mapped at once (0: never map, read every
    /// file with `pread`). The default is `MAPPED_FILES_MAX`. Mapped pages
    /// are the kernel's page cache, shared and reclaimable, but they count
    /// in the process's resident set.
    #[must_use]
    pub fn with_mapped_files_max(self, files_max: usize) -> Self {
        #[cfg(unix)]
        {
            Self {
                maps: Arc::new(mapped::MapBudget::new(files_max)),
                ..self
            }
        }
        #[cfg(not(unix))]
        {
            let _ = files_max;
            self
        }
    }

    /// The directory this storage lives in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, name: &str) -> io::Result<PathBuf> {
        let valid =
            !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0']);
        if valid {
            Ok(self.root.join(name))
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("invalid file name {name:?}"),
            ))
        }
    }
}

impl Storage for FsStorage {
    fn create(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        let file = File::create(self.path(name)?)?;
        self.sync_dir()?;
        Ok(Box::new(FsWriter::new(file, 0, false)))
    }

    fn open_append(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        let file = OpenOptions::new().append(true).open(self.path(name)?)?;
        let len = file.metadata()?.len();
        Ok(Box::new(FsWriter::new(file, len, true)))
    }

    fn open(&self, name: &str) -> io::Result<Arc<dyn ReadableFile>> {
        Ok(Arc::new(FsReader::open(&self.path(name)?)?))
    }

    fn open_immutable(&self, name: &str) -> io::Result<Arc<dyn ReadableFile>> {
        #[cfg(unix)]
        {
            let reader = FsReader::open(&self.path(name)?)?;
            match mapped::MappedReader::new(&reader.file, reader.len, &self.maps)? {
                Some(mapped) => Ok(Arc::new(mapped)),
                None => Ok(Arc::new(reader)),
            }
        }
        #[cfg(not(unix))]
        self.open(name)
    }

    fn len(&self, name: &str) -> io::Result<u64> {
        Ok(fs::metadata(self.path(name)?)?.len())
    }

    fn exists(&self, name: &str) -> io::Result<bool> {
        self.path(name)?.try_exists()
    }

    fn truncate(&self, name: &str, len: u64) -> io::Result<()> {
        let file = OpenOptions::new().write(true).open(self.path(name)?)?;
        file.set_len(len)?;
        file.sync_all()
    }

    fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        fs::rename(self.path(from)?, self.path(to)?)?;
        self.sync_dir()
    }

    fn remove(&self, name: &str) -> io::Result<()> {
        fs::remove_file(self.path(name)?)?;
        self.sync_dir()
    }

    fn list(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(&self.root)? {
            let entry = entry?;
            if entry.file_type()?.is_file() {
                if let Ok(name) = entry.file_name().into_string() {
                    names.push(name);
                }
            }
        }
        names.sort();
        Ok(names)
    }

    fn sync_dir(&self) -> io::Result<()> {
        #[cfg(unix)]
        File::open(&self.root)?.sync_all()?;
        Ok(())
    }

    /// An exclusive advisory lock (`flock`) on the file `LOCK` in the
    /// directory, held by the open file the returned lock owns. The file is
    /// never removed: removing it would let a second opener lock a new file
    /// of the same name.
    fn lock(&self) -> io::Result<DirLock> {
        let path = self.path(LOCK_FILE)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock::holding(file)),
            Err(fs::TryLockError::WouldBlock) => Err(io::Error::new(
                io::ErrorKind::WouldBlock,
                format!(
                    "{} is locked: the database is open elsewhere (another process, or another handle in this one)",
                    path.display()
                ),
            )),
            Err(fs::TryLockError::Error(e)) => Err(e),
        }
    }
}

/// The file whose lock marks a directory as in use.
pub const LOCK_FILE: &str = "LOCK";

struct FsWriter {
    file: File,
    /// Bytes appended (the file's logical length).
    len: u64,
    /// The file's size on disk: `len`, or more while space is reserved.
    disk_len: u64,
    /// Growth step of the reserved space; 0 when nothing is reserved.
    reserve_bytes: u64,
    /// Opened with `O_APPEND`: writes go to the end on disk, so no space
    /// can be reserved ahead of them.
    appending: bool,
}

impl FsWriter {
    fn new(file: File, len: u64, appending: bool) -> Self {
        Self {
            file,
            len,
            disk_len: len,
            reserve_bytes: 0,
            appending,
        }
    }

    /// Extends the file on disk so `end` fits, a whole step at a time.
    fn grow_to(&mut self, end: u64) -> io::Result<()> {
        let steps = end.div_ceil(self.reserve_bytes);
        let disk_len = steps.saturating_mul(self.reserve_bytes);
        self.file.set_len(disk_len)?;
        self.disk_len = disk_len;
        Ok(())
    }
}

impl WritableFile for FsWriter {
    fn append(&mut self, data: &[u8]) -> io::Result<()> {
        let end = self.len + data.len() as u64;
        if self.reserve_bytes > 0 && end > self.disk_len {
            self.grow_to(end)?;
        }
        // Without `O_APPEND` the cursor stays at `len`, before the
        // reserved space.
        self.file.write_all(data)?;
        self.len = end;
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn len(&self) -> u64 {
        self.len
    }

    fn reserve_ahead(&mut self, step_bytes: u64) {
        if !self.appending {
            self.reserve_bytes = step_bytes;
        }
    }
}

impl Drop for FsWriter {
    /// A file closed cleanly ends at its last append. (After a crash the
    /// reserved zeros remain; only files whose readers stop at a zero tail
    /// reserve space.) The trim happens only while the file is exactly as
    /// this writer left it: if it grew since, another writer appended to it
    /// (the engine's directory lock prevents that, but a trim would cut
    /// that writer's bytes, synced or not, so it is never risked).
    fn drop(&mut self) {
        let untouched = self.file.metadata().is_ok_and(|m| m.len() == self.disk_len);
        if self.disk_len > self.len && untouched {
            let _ = self.file.set_len(self.len);
        }
    }
}

struct FsReader {
    file: File,
    len: u64,
}

impl FsReader {
    fn open(path: &Path) -> io::Result<Self> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(Self { file, len })
    }
}

impl ReadableFile for FsReader {
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        #[cfg(unix)]
        {
            std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, offset)
        }
        #[cfg(windows)]
        {
            let mut done = 0;
            while done < buf.len() {
                let n = std::os::windows::fs::FileExt::seek_read(
                    &self.file,
                    &mut buf[done..],
                    offset + done as u64,
                )?;
                if n == 0 {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
                done += n;
            }
            Ok(())
        }
    }

    fn len(&self) -> u64 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_round_trip_through_a_real_directory() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = FsStorage::open(dir.path())?;
        let mut w = s.create("000001.log")?;
        w.append(b"abc")?;
        w.append(b"def")?;
        w.sync()?;
        assert_eq!(w.len(), 6);
        drop(w);
        let mut w = s.open_append("000001.log")?;
        w.append(b"g")?;
        drop(w);
        let r = s.open("000001.log")?;
        let mut buf = [0; 3];
        r.read_exact_at(4, &mut buf)?;
        assert_eq!(&buf, b"efg");
        s.truncate("000001.log", 2)?;
        assert_eq!(s.len("000001.log")?, 2);
        crate::write_atomic(&s, "CURRENT", b"x")?;
        assert_eq!(s.list()?, vec!["000001.log", "CURRENT"]);
        s.remove("000001.log")?;
        assert!(!s.exists("000001.log")?);
        Ok(())
    }

    #[test]
    #[cfg(unix)]
    fn immutable_files_are_mapped_within_the_budget_and_read_like_files() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = FsStorage::open(dir.path())?.with_mapped_files_max(2);
        for name in ["1.sst", "2.sst", "3.sst"] {
            let mut w = s.create(name)?;
            w.append(name.as_bytes())?;
            w.append(b"-payload")?;
            w.sync()?;
        }
        s.create("empty.sst")?.sync()?;
        let a = s.open_immutable("1.sst")?;
        let b = s.open_immutable("2.sst")?;
        assert_eq!(s.maps.live(), 2);
        let c = s.open_immutable("3.sst")?;
        assert_eq!(
            s.maps.live(),
            2,
            "past the budget a file is read with pread"
        );
        let empty = s.open_immutable("empty.sst")?;
        assert_eq!((empty.len(), s.maps.live()), (0, 2));
        for (reader, name) in [(&a, "1.sst"), (&b, "2.sst"), (&c, "3.sst")] {
            let mut buf = [0; 7];
            reader.read_exact_at(6, &mut buf)?;
            assert_eq!(&buf, b"payload", "{name}");
            assert_eq!(reader.len(), 13);
            let past = reader.read_exact_at(10, &mut buf).map_err(|e| e.kind());
            assert_eq!(past, Err(io::ErrorKind::UnexpectedEof), "{name}");
            assert!(reader.read_exact_at(u64::MAX, &mut buf).is_err(), "{name}");
        }
        s.remove("1.sst")?;
        let mut buf = [0; 5];
        a.read_exact_at(0, &mut buf)?;
        assert_eq!(
            &buf, b"1.sst",
            "a removed file stays readable through its map"
        );
        drop((a, b));
        assert_eq!(s.maps.live(), 0, "dropping a map returns its slot");
        let clone = s.clone();
        let _again = clone.open_immutable("3.sst")?;
        assert_eq!(s.maps.live(), 1, "clones share one budget");
        Ok(())
    }

    #[test]
    #[cfg(unix)]
    fn a_zero_budget_maps_nothing() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = FsStorage::open(dir.path())?.with_mapped_files_max(0);
        let mut w = s.create("1.sst")?;
        w.append(b"abc")?;
        drop(w);
        let r = s.open_immutable("1.sst")?;
        let mut buf = [0; 2];
        r.read_exact_at(1, &mut buf)?;
        assert_eq!((&buf, s.maps.live()), (b"bc", 0));
        Ok(())
    }

    #[test]
    fn reserved_space_grows_in_steps_and_is_trimmed_on_close() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = FsStorage::open(dir.path())?;
        let mut w = s.create("000001.log")?;
        w.reserve_ahead(4096);
        w.append(&[7; 100])?;
        w.sync()?;
        assert_eq!((w.len(), s.len("000001.log")?), (100, 4096));
        w.append(&[8; 5000])?;
        assert_eq!((w.len(), s.len("000001.log")?), (5100, 8192));
        let r = s.open("000001.log")?;
        let mut buf = [0; 4];
        r.read_exact_at(98, &mut buf)?;
        assert_eq!(buf, [7, 7, 8, 8]);
        drop(w);
        assert_eq!(s.len("000001.log")?, 5100);
        let mut w = s.open_append("000001.log")?;
        w.reserve_ahead(4096);
        w.append(b"end")?;
        drop(w);
        assert_eq!(
            s.len("000001.log")?,
            5103,
            "an appending file reserves nothing"
        );
        Ok(())
    }

    /// A writer that reserved space must not trim a file someone else has
    /// appended to since: the trim would cut their (possibly synced) bytes.
    #[test]
    fn closing_a_reserving_writer_keeps_another_writers_appends() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = FsStorage::open(dir.path())?;
        let mut first = s.create("000001.log")?;
        first.reserve_ahead(4096);
        first.append(b"abc")?;
        let mut second = s.open_append("000001.log")?;
        second.append(b"synced")?;
        second.sync()?;
        drop(second);
        drop(first);
        assert_eq!(s.len("000001.log")?, 4096 + 6);
        let mut tail = [0; 6];
        s.open("000001.log")?.read_exact_at(4096, &mut tail)?;
        assert_eq!(&tail, b"synced");
        Ok(())
    }

    #[test]
    fn a_locked_directory_refuses_a_second_lock_until_released() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let first = FsStorage::open(dir.path())?;
        let second = FsStorage::open(dir.path())?;
        let held = first.lock()?;
        assert!(held.is_held());
        let refused = second.lock().err().map(|e| e.kind());
        assert_eq!(refused, Some(io::ErrorKind::WouldBlock));
        drop(held);
        let again = second.lock()?;
        assert!(again.is_held());
        assert!(first.exists(LOCK_FILE)?);
        Ok(())
    }

    #[test]
    fn names_that_escape_the_directory_are_refused() -> io::Result<()> {
        let dir = tempfile::tempdir()?;
        let s = FsStorage::open(dir.path())?;
        for bad in ["", "..", "a/b", "../x"] {
            assert!(s.create(bad).is_err(), "{bad:?} accepted");
        }
        Ok(())
    }
}
