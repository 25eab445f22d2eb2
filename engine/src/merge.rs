//! The merging iterator: one sorted view over many sorted sources.
//!
//! Reads and scans see the memtables and every table as one sequence of
//! internal keys. Each step compares the children's current keys and moves
//! to the smallest (or, backwards, the largest); with the handful of sources
//! an LSM-tree has, a linear pass beats a heap and keeps ties deterministic:
//! equal keys resolve to the lowest child index, which callers order newest
//! first.

use std::cmp::Ordering;

use crate::error::Result;
use crate::iter::InternalIterator;
use crate::sstable::key_order::compare_internal;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Forward,
    Backward,
}

/// Merges sorted children into one sorted cursor.
pub struct MergingIterator {
    children: Vec<Box<dyn InternalIterator + Send>>,
    current: Option<usize>,
    direction: Direction,
}

impl MergingIterator {
    /// A cursor over the union of `children` (not positioned yet).
    pub fn new(children: Vec<Box<dyn InternalIterator + Send>>) -> Self {
        Self {
            children,
            current: None,
            direction: Direction::Forward,
        }
    }

    /// Number of merged sources.
    pub fn source_count(&self) -> usize {
        self.children.len()
    }

    /// Index of the child the cursor is on.
    pub fn current_source(&self) -> Option<usize> {
        self.current
    }

    fn pick(&mut self, want: Ordering) {
        #[cfg(feature = "labs")]
        if let Some(lab_pick) = crate::labs::current().merge_pick {
            let keys: Vec<Option<&[u8]>> = self
                .children
                .iter()
                .map(|c| c.valid().then(|| c.key()))
                .collect();
            self.current = lab_pick(&keys, want == Ordering::Less)
                .filter(|&i| self.children.get(i).is_some_and(|c| c.valid()));
            return;
        }
        let mut best: Option<usize> = None;
        for (i, child) in self.children.iter().enumerate() {
            if !child.valid() {
                continue;
            }
            let better = match best.and_then(|b| self.children.get(b)) {
                None => true,
                Some(b) => compare_internal(child.key(), b.key()) == want,
            };
            if better {
                best = Some(i);
            }
        }
        self.current = best;
    }

    fn current_child(&mut self) -> Option<&mut Box<dyn InternalIterator + Send>> {
        self.current.and_then(|i| self.children.get_mut(i))
    }

    /// Puts every child other than the current one just after (forward) or
    /// just before (backward) the current key, so the direction can change.
    fn turn(&mut self, direction: Direction) -> Result<()> {
        let Some(cur) = self.current else {
            return Ok(());
        };
        let key = self.key().to_vec();
        for (i, child) in self.children.iter_mut().enumerate() {
            if i == cur {
                continue;
            }
            child.seek(&key)?;
            match direction {
                Direction::Forward => {
                    if child.valid() && compare_internal(child.key(), &key) == Ordering::Equal {
                        child.next()?;
                    }
                }
                Direction::Backward => {
                    if child.valid() {
                        child.prev()?;
                    } else {
                        child.seek_to_last()?;
                    }
                }
            }
        }
        self.direction = direction;
        Ok(())
    }
}

impl InternalIterator for MergingIterator {
    fn valid(&self) -> bool {
        self.current.is_some()
    }

    fn key(&self) -> &[u8] {
        self.current
            .and_then(|i| self.children.get(i))
            .map_or(&[], |c| c.key())
    }

    fn value(&self) -> &[u8] {
        self.current
            .and_then(|i| self.children.get(i))
            .map_or(&[], |c| c.value())
    }

    fn seek_to_first(&mut self) -> Result<()> {
        for child in &mut self.children {
            child.seek_to_first()?;
        }
        self.direction = Direction::Forward;
        self.pick(Ordering::Less);
        Ok(())
    }

    fn seek_to_last(&mut self) -> Result<()> {
        for child in &mut self.children {
            child.seek_to_last()?;
        }
        self.direction = Direction::Backward;
        self.pick(Ordering::Greater);
        Ok(())
    }

    fn seek(&mut self, target: &[u8]) -> Result<()> {
        for child in &mut self.children {
            child.seek(target)?;
        }
        self.direction = Direction::Forward;
        self.pick(Ordering::Less);
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        if self.direction != Direction::Forward {
            self.turn(Direction::Forward)?;
        }
        if let Some(child) = self.current_child() {
            child.next()?;
        }
        self.pick(Ordering::Less);
        Ok(())
    }

    fn prev(&mut self) -> Result<()> {
        if self.direction != Direction::Backward {
            self.turn(Direction::Backward)?;
        }
        if let Some(child) = self.current_child() {
            child.prev()?;
        }
        self.pick(Ordering::Greater);
        Ok(())
    }
}

/// A sorted in-memory source, for tests of anything built on iterators.
#[cfg(test)]
pub(crate) mod vec_iter {
    use super::*;
    use crate::record::compare_internal_keys;

    pub struct VecIter {
        pub entries: Vec<(Vec<u8>, Vec<u8>)>,
        pub pos: Option<usize>,
    }

    impl VecIter {
        pub fn new(mut entries: Vec<(Vec<u8>, Vec<u8>)>) -> Self {
            entries.sort_by(|a, b| compare_internal_keys(&a.0, &b.0));
            Self { entries, pos: None }
        }
        fn at(&self) -> Option<&(Vec<u8>, Vec<u8>)> {
            self.pos.and_then(|p| self.entries.get(p))
        }
    }

    impl InternalIterator for VecIter {
        fn valid(&self) -> bool {
            self.at().is_some()
        }
        fn key(&self) -> &[u8] {
            self.at().map_or(&[], |e| &e.0)
        }
        fn value(&self) -> &[u8] {
            self.at().map_or(&[], |e| &e.1)
        }
        fn seek_to_first(&mut self) -> Result<()> {
            self.pos = (!self.entries.is_empty()).then_some(0);
            Ok(())
        }
        fn seek_to_last(&mut self) -> Result<()> {
            self.pos = self.entries.len().checked_sub(1);
            Ok(())
        }
        fn seek(&mut self, target: &[u8]) -> Result<()> {
            let p = self
                .entries
                .partition_point(|e| compare_internal_keys(&e.0, target) == Ordering::Less);
            self.pos = (p < self.entries.len()).then_some(p);
            Ok(())
        }
        fn next(&mut self) -> Result<()> {
            self.pos = self.pos.map(|p| p + 1).filter(|&p| p < self.entries.len());
            Ok(())
        }
        fn prev(&mut self) -> Result<()> {
            self.pos = self.pos.and_then(|p| p.checked_sub(1));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::vec_iter::VecIter;
    use super::*;
    use crate::record::{compare_internal_keys, internal_key, ValueKind};

    fn source(keys: &[(&str, u64)]) -> Box<dyn InternalIterator + Send> {
        Box::new(VecIter::new(
            keys.iter()
                .map(|(k, s)| (internal_key(k.as_bytes(), *s, ValueKind::Put), vec![]))
                .collect(),
        ))
    }

    fn collect_forward(m: &mut MergingIterator) -> Result<Vec<Vec<u8>>> {
        let mut out = vec![];
        m.seek_to_first()?;
        while m.valid() {
            out.push(m.key().to_vec());
            m.next()?;
        }
        Ok(out)
    }

    #[test]
    fn merged_output_is_sorted_in_both_directions() -> Result<()> {
        let mut m = MergingIterator::new(vec![
            source(&[("a", 5), ("c", 9), ("e", 1)]),
            source(&[("b", 2), ("c", 3), ("f", 4)]),
            source(&[]),
        ]);
        let forward = collect_forward(&mut m)?;
        let mut expected = forward.clone();
        expected.sort_by(|a, b| compare_internal_keys(a, b));
        assert_eq!(forward, expected);
        assert_eq!(forward.len(), 6);
        let mut backward = vec![];
        m.seek_to_last()?;
        while m.valid() {
            backward.push(m.key().to_vec());
            m.prev()?;
        }
        backward.reverse();
        assert_eq!(backward, forward);
        Ok(())
    }

    #[test]
    fn changing_direction_visits_neighbours() -> Result<()> {
        let mut m = MergingIterator::new(vec![
            source(&[("a", 1), ("c", 1), ("e", 1)]),
            source(&[("b", 1), ("d", 1)]),
        ]);
        m.seek(&internal_key(b"c", 1, ValueKind::Put))?;
        m.next()?;
        assert_eq!(crate::record::user_key(m.key()), b"d");
        m.prev()?;
        assert_eq!(crate::record::user_key(m.key()), b"c");
        m.prev()?;
        assert_eq!(crate::record::user_key(m.key()), b"b");
        m.next()?;
        assert_eq!(crate::record::user_key(m.key()), b"c");
        Ok(())
    }
}
