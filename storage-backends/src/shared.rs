//! Shared bytes: a range of a file handed to the reader without a copy.
//!
//! A table block read from a memory-mapped file or from an in-memory
//! file's snapshot is already in memory; copying it into a buffer of its
//! own was a sixth of a seek's time. [`ReadableFile::read_shared`]
//! (crate::ReadableFile::read_shared) instead returns a [`SharedBytes`]:
//! the range, and a reference count on what holds it, so the bytes stay
//! valid (and unchanged) for as long as the value lives, even after the
//! reader is dropped or the file removed.

use std::fmt;
use std::ops::{Deref, Range};
use std::sync::Arc;

/// What holds the bytes.
#[derive(Clone)]
enum Owner {
    /// A buffer of its own, or an in-memory file's snapshot.
    Vec(Arc<Vec<u8>>),
    /// A file mapped read-only.
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    Map(Arc<memmap2::Mmap>),
}

/// An immutable range of bytes that shares its storage: cloning it copies
/// a pointer, not the bytes.
#[derive(Clone)]
pub struct SharedBytes {
    owner: Owner,
    start: usize,
    end: usize,
}

impl SharedBytes {
    /// Bytes that own their buffer.
    pub fn from_vec(bytes: Vec<u8>) -> Self {
        let end = bytes.len();
        Self {
            owner: Owner::Vec(Arc::new(bytes)),
            start: 0,
            end,
        }
    }

    /// `range` of `data`; `None` if the range does not lie inside it.
    pub(crate) fn of_vec(data: &Arc<Vec<u8>>, range: Range<usize>) -> Option<Self> {
        data.get(range.clone())?;
        Some(Self {
            owner: Owner::Vec(Arc::clone(data)),
            start: range.start,
            end: range.end,
        })
    }

    /// `range` of the mapped file `map`; `None` if it does not lie inside.
    #[cfg(all(unix, not(target_arch = "wasm32")))]
    pub(crate) fn of_map(map: &Arc<memmap2::Mmap>, range: Range<usize>) -> Option<Self> {
        map.get(range.clone())?;
        Some(Self {
            owner: Owner::Map(Arc::clone(map)),
            start: range.start,
            end: range.end,
        })
    }

    /// Keeps the first `len` bytes (all of them if there are fewer).
    pub fn truncate(&mut self, len: usize) {
        self.end = self.end.min(self.start.saturating_add(len));
    }

    /// The buffer back, for reuse, if these bytes are a whole buffer of
    /// their own that nothing else shares.
    pub fn into_vec(self) -> Option<Vec<u8>> {
        match self.owner {
            Owner::Vec(data) if self.start == 0 && self.end == data.len() => {
                Arc::try_unwrap(data).ok()
            }
            _ => None,
        }
    }

    /// Whether the bytes are a range of a file rather than a buffer of
    /// their own (a cache that keeps them would keep the whole file).
    pub fn is_borrowed(&self) -> bool {
        match &self.owner {
            Owner::Vec(data) => self.start != 0 || self.end != data.len(),
            #[cfg(all(unix, not(target_arch = "wasm32")))]
            Owner::Map(_) => true,
        }
    }
}

impl Deref for SharedBytes {
    type Target = [u8];

    #[cfg_attr(
        not(all(unix, not(target_arch = "wasm32"))),
        expect(
            clippy::infallible_destructuring_match,
            reason = "without maps a buffer is the only owner"
        )
    )]
    fn deref(&self) -> &[u8] {
        // The constructors checked the range; `get` keeps that a fact the
        // compiler can see, at the price of one comparison.
        let all: &[u8] = match &self.owner {
            Owner::Vec(data) => data,
            #[cfg(all(unix, not(target_arch = "wasm32")))]
            Owner::Map(map) => map,
        };
        all.get(self.start..self.end).unwrap_or_default()
    }
}

impl fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedBytes")
            .field("len", &(self.end - self.start))
            .field("borrowed", &self.is_borrowed())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_of_a_buffer_reads_its_bytes_and_keeps_them_alive() {
        let data = Arc::new((0u8..100).collect::<Vec<u8>>());
        let part = SharedBytes::of_vec(&data, 10..20);
        drop(data);
        let part = part.expect("in range");
        assert_eq!(&*part, &(10u8..20).collect::<Vec<u8>>()[..]);
        let mut head = part.clone();
        head.truncate(3);
        assert_eq!(&*head, &[10, 11, 12]);
        head.truncate(30);
        assert_eq!(head.len(), 3, "truncating never grows");
        assert!(part.is_borrowed());
        assert_eq!(part.into_vec(), None, "a range is not a buffer of its own");
    }

    #[test]
    fn a_range_outside_the_buffer_is_refused() {
        let data = Arc::new(vec![1u8; 8]);
        assert!(SharedBytes::of_vec(&data, 4..9).is_none());
        assert!(SharedBytes::of_vec(&data, 8..8).is_some());
    }

    #[test]
    fn an_owned_buffer_comes_back_for_reuse_unless_shared() {
        let bytes = SharedBytes::from_vec(vec![7u8; 5]);
        assert!(!bytes.is_borrowed());
        let clone = bytes.clone();
        assert_eq!(clone.into_vec(), None, "shared with `bytes`");
        assert_eq!(bytes.into_vec(), Some(vec![7u8; 5]));
    }
}
