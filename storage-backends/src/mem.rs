//! In-memory storage that can simulate a crash.
//!
//! Each file keeps its content and how much of it was synced; the directory
//! keeps the set of names as of the last `sync_dir`. [`MemStorage::crash`]
//! throws away whatever was not durable, which is what a power cut does to a
//! real disk in the worst case the contract allows.
//!
//! Contents are shared copy-on-write (`Arc<Vec<u8>>`), so [`MemStorage::snapshot`]
//! of a database full of immutable tables is cheap.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::{not_found, ReadableFile, SharedBytes, Storage, WritableFile};

#[derive(Clone, Debug, Default)]
struct Content {
    data: Arc<Vec<u8>>,
    synced_len: usize,
}

type Node = Arc<Mutex<Content>>;

#[derive(Debug, Default)]
struct Dir {
    live: BTreeMap<String, Node>,
    /// The namespace as of the last `sync_dir`.
    durable: BTreeMap<String, Node>,
}

/// Files held in memory. Cloning gives another handle to the same files.
#[derive(Clone, Debug, Default)]
pub struct MemStorage {
    dir: Arc<Mutex<Dir>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MemStorage {
    /// An empty directory.
    pub fn new() -> Self {
        Self::default()
    }

    /// An independent copy of every file as it is now (synced or not).
    /// Later writes to either copy do not affect the other.
    pub fn snapshot(&self) -> MemStorage {
        let dir = lock(&self.dir);
        let mut copies: BTreeMap<*const Mutex<Content>, Node> = BTreeMap::new();
        let mut copy = |node: &Node| {
            copies
                .entry(Arc::as_ptr(node))
                .or_insert_with(|| Arc::new(Mutex::new(lock(node).clone())))
                .clone()
        };
        let live = dir.live.iter().map(|(k, v)| (k.clone(), copy(v))).collect();
        let durable = dir
            .durable
            .iter()
            .map(|(k, v)| (k.clone(), copy(v)))
            .collect();
        MemStorage {
            dir: Arc::new(Mutex::new(Dir { live, durable })),
        }
    }

    /// Simulates a crash: the namespace returns to the last `sync_dir`, and
    /// every file loses the bytes appended after its last `sync`. Open
    /// handles should be dropped first (they would keep writing into files
    /// that no longer exist in the namespace).
    pub fn crash(&self) {
        let mut dir = lock(&self.dir);
        let durable = dir.durable.clone();
        for node in durable.values() {
            let mut content = lock(node);
            let synced = content.synced_len;
            Arc::make_mut(&mut content.data).truncate(synced);
        }
        dir.live = durable;
    }

    /// Every file's current content, for tests and for persisting backends.
    pub fn files(&self) -> Vec<(String, Vec<u8>)> {
        let dir = lock(&self.dir);
        dir.live
            .iter()
            .map(|(name, node)| (name.clone(), lock(node).data.as_ref().clone()))
            .collect()
    }

    /// Overwrites one byte of a file, for corruption tests.
    pub fn corrupt_byte(&self, name: &str, offset: usize, xor: u8) -> io::Result<()> {
        let node = self.node(name)?;
        let mut content = lock(&node);
        let data = Arc::make_mut(&mut content.data);
        let byte = data
            .get_mut(offset)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "offset past end"))?;
        *byte ^= xor;
        Ok(())
    }

    fn node(&self, name: &str) -> io::Result<Node> {
        lock(&self.dir)
            .live
            .get(name)
            .cloned()
            .ok_or_else(|| not_found(name))
    }
}

impl Storage for MemStorage {
    fn create(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        let node = Node::default();
        lock(&self.dir).live.insert(name.to_owned(), node.clone());
        Ok(Box::new(MemWriter { node }))
    }

    fn open_append(&self, name: &str) -> io::Result<Box<dyn WritableFile>> {
        Ok(Box::new(MemWriter {
            node: self.node(name)?,
        }))
    }

    fn open(&self, name: &str) -> io::Result<Arc<dyn ReadableFile>> {
        let node = self.node(name)?;
        let data = lock(&node).data.clone();
        Ok(Arc::new(MemReader { data }))
    }

    fn len(&self, name: &str) -> io::Result<u64> {
        let node = self.node(name)?;
        let len = lock(&node).data.len() as u64;
        Ok(len)
    }

    fn exists(&self, name: &str) -> io::Result<bool> {
        Ok(lock(&self.dir).live.contains_key(name))
    }

    fn truncate(&self, name: &str, len: u64) -> io::Result<()> {
        let node = self.node(name)?;
        let mut content = lock(&node);
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        Arc::make_mut(&mut content.data).truncate(len);
        content.synced_len = content.data.len();
        Ok(())
    }

    fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        let mut dir = lock(&self.dir);
        let node = dir.live.remove(from).ok_or_else(|| not_found(from))?;
        dir.live.insert(to.to_owned(), node);
        Ok(())
    }

    fn remove(&self, name: &str) -> io::Result<()> {
        lock(&self.dir)
            .live
            .remove(name)
            .map(drop)
            .ok_or_else(|| not_found(name))
    }

    fn list(&self) -> io::Result<Vec<String>> {
        Ok(lock(&self.dir).live.keys().cloned().collect())
    }

    fn sync_dir(&self) -> io::Result<()> {
        let mut dir = lock(&self.dir);
        dir.durable = dir.live.clone();
        Ok(())
    }
}

struct MemWriter {
    node: Node,
}

impl WritableFile for MemWriter {
    fn append(&mut self, data: &[u8]) -> io::Result<()> {
        Arc::make_mut(&mut lock(&self.node).data).extend_from_slice(data);
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        let mut content = lock(&self.node);
        content.synced_len = content.data.len();
        Ok(())
    }

    fn len(&self) -> u64 {
        lock(&self.node).data.len() as u64
    }
}

/// Reads see the content as of `open`: later appends copy-on-write.
struct MemReader {
    data: Arc<Vec<u8>>,
}

impl ReadableFile for MemReader {
    fn read_exact_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<()> {
        let start = usize::try_from(offset).unwrap_or(usize::MAX);
        let src = start
            .checked_add(buf.len())
            .and_then(|end| self.data.get(start..end))
            .ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "read past end of file"))?;
        buf.copy_from_slice(src);
        Ok(())
    }

    fn len(&self) -> u64 {
        self.data.len() as u64
    }

    /// The reader holds the file's bytes as of `open`; later writes (and
    /// `corrupt_byte`) copy them first.
    fn fixed_contents(&self) -> bool {
        true
    }

    fn read_shared(&self, offset: u64, len: usize) -> Option<SharedBytes> {
        let start = usize::try_from(offset).ok()?;
        SharedBytes::of_vec(&self.data, start..start.checked_add(len)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crash_drops_unsynced_bytes_and_undurable_names() -> io::Result<()> {
        let s = MemStorage::new();
        let mut a = s.create("a")?;
        a.append(b"hello")?;
        a.sync()?;
        s.sync_dir()?;
        a.append(b" world")?;
        let mut b = s.create("b")?;
        b.append(b"x")?;
        b.sync()?;
        drop((a, b));
        s.crash();
        assert_eq!(s.list()?, vec!["a".to_string()]);
        assert_eq!(crate::read_all(&s, "a")?, b"hello");
        Ok(())
    }

    #[test]
    fn rename_is_undone_by_a_crash_before_sync_dir() -> io::Result<()> {
        let s = MemStorage::new();
        crate::write_atomic(&s, "CURRENT", b"one")?;
        let mut t = s.create("CURRENT.tmp")?;
        t.append(b"two")?;
        t.sync()?;
        s.rename("CURRENT.tmp", "CURRENT")?;
        assert_eq!(crate::read_all(&s, "CURRENT")?, b"two");
        s.crash();
        assert_eq!(crate::read_all(&s, "CURRENT")?, b"one");
        Ok(())
    }

    #[test]
    fn snapshot_is_independent_of_later_writes() -> io::Result<()> {
        let s = MemStorage::new();
        let mut a = s.create("a")?;
        a.append(b"12")?;
        let snap = s.snapshot();
        a.append(b"34")?;
        assert_eq!(crate::read_all(&snap, "a")?, b"12");
        assert_eq!(crate::read_all(&s, "a")?, b"1234");
        Ok(())
    }

    #[test]
    fn a_reader_keeps_the_bytes_it_opened_when_the_file_changes() -> io::Result<()> {
        let s = MemStorage::new();
        s.create("a")?.append(b"abc")?;
        let r = s.open("a")?;
        assert!(r.fixed_contents());
        s.corrupt_byte("a", 1, 0xff)?;
        s.open_append("a")?.append(b"def")?;
        let mut buf = [0; 3];
        r.read_exact_at(0, &mut buf)?;
        assert_eq!(&buf, b"abc");
        assert_eq!(r.len(), 3);
        Ok(())
    }

    #[test]
    fn reading_past_the_end_is_an_error() -> io::Result<()> {
        let s = MemStorage::new();
        s.create("a")?.append(b"abc")?;
        let r = s.open("a")?;
        let mut buf = [0; 4];
        assert!(r.read_exact_at(0, &mut buf).is_err());
        assert!(r.read_exact_at(u64::MAX, &mut buf[..1]).is_err());
        Ok(())
    }
}
