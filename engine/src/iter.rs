//! The internal iterator every sorted source implements: memtable cursors,
//! blocks, tables and the merging iterator over all of them.

use crate::error::Result;

/// A cursor over entries sorted by internal key
/// ([`crate::record::compare_internal_keys`]).
///
/// Movement can fail (a block read from storage may be corrupt); accessors
/// cannot. `key` and `value` return empty slices when the cursor is not
/// [`valid`](InternalIterator::valid).
pub trait InternalIterator {
    /// Whether the cursor is at an entry.
    fn valid(&self) -> bool;
    /// The internal key at the cursor.
    fn key(&self) -> &[u8];
    /// The value at the cursor (empty for tombstones).
    fn value(&self) -> &[u8];
    /// Moves to the first entry.
    fn seek_to_first(&mut self) -> Result<()>;
    /// Moves to the last entry.
    fn seek_to_last(&mut self) -> Result<()>;
    /// Moves to the first entry whose key is `>= target`.
    fn seek(&mut self, target: &[u8]) -> Result<()>;
    /// Moves to the next entry (invalid after the last).
    fn next(&mut self) -> Result<()>;
    /// Moves to the previous entry (invalid before the first).
    fn prev(&mut self) -> Result<()>;
}

impl<I: InternalIterator + ?Sized> InternalIterator for Box<I> {
    fn valid(&self) -> bool {
        (**self).valid()
    }
    fn key(&self) -> &[u8] {
        (**self).key()
    }
    fn value(&self) -> &[u8] {
        (**self).value()
    }
    fn seek_to_first(&mut self) -> Result<()> {
        (**self).seek_to_first()
    }
    fn seek_to_last(&mut self) -> Result<()> {
        (**self).seek_to_last()
    }
    fn seek(&mut self, target: &[u8]) -> Result<()> {
        (**self).seek(target)
    }
    fn next(&mut self) -> Result<()> {
        (**self).next()
    }
    fn prev(&mut self) -> Result<()> {
        (**self).prev()
    }
}
