//! The skiplist under every Strata memtable.
//!
//! Nodes live in one growing `Vec` (the arena) and point at each other by
//! `u32` index, so the list needs no `unsafe` and no reference counting. A
//! node is never moved or removed once inserted: its index stays valid for
//! the life of the list, which is what lets memtable cursors keep their place
//! while the writer keeps inserting.
//!
//! Each node carries a tower of forward links. Level 0 links every node in
//! key order; each higher level skips ahead, holding about a quarter of the
//! nodes of the level below. Tower heights are drawn from a
//! [`SeededRng`], so the same seed and the same inserts build the same
//! towers natively and in the browser (the visualizer draws them).
//!
//! There are no backward links: the predecessor of a key is found by a fresh
//! search from the top, which costs O(log n) like a seek.
//!
//! A search touches one node per step, so each node keeps what a step needs
//! inline: its lowest [`INLINE_LINKS`] links (most towers are shorter) and
//! the first 16 bytes of its user key as two integers. Comparing those
//! integers decides almost every step without following the pointer to the
//! key's bytes; only keys that share those 16 bytes compare in full.

use std::cmp::Ordering;

use crate::key_prefix::{compare_prefixed, KeyPrefix};
use crate::record::user_key;
use crate::rng::SeededRng;

/// The tallest tower a node can have.
pub const MAX_HEIGHT: usize = 12;
/// One node in `BRANCHING` reaches each next level up (a power of two, so
/// each level costs a fixed number of random bits).
pub const BRANCHING: u64 = 4;
const _: () = assert!(BRANCHING.is_power_of_two());

/// Bytes charged per node besides its key, value and links: the three
/// vector headers of a node on a 64-bit target. A constant rather than
/// `size_of`, so native and wasm32 runs freeze memtables at the same points.
pub const NODE_OVERHEAD_BYTES: u64 = 72;
/// Bytes charged per tower link.
pub const LINK_BYTES: u64 = 4;

/// Links kept inside the node; taller towers keep the rest in a vector.
/// With `BRANCHING` 4, one node in 256 needs it.
pub const INLINE_LINKS: usize = 4;

/// The end-of-list marker in a link.
const NIL: u32 = u32::MAX;
/// Arena index of the head sentinel: it has a full tower and no key.
const HEAD: u32 = 0;

/// Index of a node in the arena. Stable for the life of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

#[derive(Clone, Debug)]
struct Node {
    /// [`KeyPrefix`] of the user key.
    prefix: KeyPrefix,
    /// Forward links of levels `0..INLINE_LINKS` (those above the tower's
    /// height are `NIL`); `NIL` ends a level.
    low: [u32; INLINE_LINKS],
    /// Forward links of levels `INLINE_LINKS..height`.
    high: Vec<u32>,
    /// Tower height.
    height: u8,
    /// The internal key (user key + trailer); empty for the head.
    key: Vec<u8>,
    /// The value (empty for tombstones and the head).
    value: Vec<u8>,
}

impl Node {
    fn new(key: Vec<u8>, value: Vec<u8>, height: usize) -> Self {
        Node {
            prefix: KeyPrefix::of(user_key(&key)),
            low: [NIL; INLINE_LINKS],
            high: vec![NIL; height.saturating_sub(INLINE_LINKS)],
            height: u8::try_from(height).unwrap_or(u8::MAX),
            key,
            value,
        }
    }

    fn link(&self, level: usize) -> u32 {
        let link = match level.checked_sub(INLINE_LINKS) {
            None => self.low.get(level),
            Some(high) => self.high.get(high),
        };
        link.copied().unwrap_or(NIL)
    }

    fn link_mut(&mut self, level: usize) -> Option<&mut u32> {
        match level.checked_sub(INLINE_LINKS) {
            None => self.low.get_mut(level),
            Some(high) => self.high.get_mut(high),
        }
    }
}

/// A search target: an internal key and its user key's prefix.
struct Target<'a> {
    key: &'a [u8],
    prefix: KeyPrefix,
}

impl<'a> Target<'a> {
    fn new(key: &'a [u8]) -> Self {
        Target {
            key,
            prefix: KeyPrefix::of(user_key(key)),
        }
    }
}

/// A skiplist of (internal key, value) pairs ordered by
/// [`compare_internal_keys`].
#[derive(Clone, Debug)]
pub struct SkipList {
    nodes: Vec<Node>,
    /// Levels in use: the tallest tower so far (at least 1).
    height: usize,
    rng: SeededRng,
    /// Sum of key and value bytes over all entries.
    payload_bytes: u64,
    /// Sum of tower links over all entries.
    links: u64,
}

impl SkipList {
    /// An empty list whose towers are drawn from `seed`.
    pub fn new(seed: u64) -> Self {
        let head = Node::new(Vec::new(), Vec::new(), MAX_HEIGHT);
        Self {
            nodes: vec![head],
            height: 1,
            rng: SeededRng::new(seed),
            payload_bytes: 0,
            links: 0,
        }
    }

    /// Number of entries.
    pub fn len(&self) -> u64 {
        // The head sentinel is not an entry.
        (self.nodes.len() as u64).saturating_sub(1)
    }

    /// Whether the list holds no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes of keys and values plus a fixed charge per node and per tower
    /// link: an estimate of the memory the list holds, identical on every
    /// target.
    pub fn approximate_bytes(&self) -> u64 {
        self.payload_bytes + self.len() * NODE_OVERHEAD_BYTES + self.links * LINK_BYTES
    }

    /// Inserts `key` with `value` and returns the new node's tower height.
    ///
    /// Keys are expected to be unique (each record has its own sequence
    /// number); an equal key is placed before the existing one.
    pub fn insert(&mut self, key: Vec<u8>, value: Vec<u8>) -> u8 {
        let preds = self.predecessors(&Target::new(&key));
        let height = self.random_height();
        let id = u32::try_from(self.nodes.len()).unwrap_or(NIL);
        // Unreachable in practice: a memtable is frozen at
        // `options::MAX_MEMTABLE_BYTES` (1 GiB), far below 4 billion nodes of
        // at least 60 bytes each. Should it happen, the node is not linked
        // rather than let its index collide with the end marker.
        if id == NIL {
            return 0;
        }
        self.payload_bytes += (key.len() + value.len()) as u64;
        self.links += height as u64;
        let mut node = Node::new(key, value, height);
        for (level, &pred) in preds.iter().take(height).enumerate() {
            if let Some(slot) = node.link_mut(level) {
                *slot = self.link(pred, level);
            }
        }
        self.nodes.push(node);
        for (level, &pred) in preds.iter().take(height).enumerate() {
            if let Some(slot) = self
                .nodes
                .get_mut(pred as usize)
                .and_then(|n| n.link_mut(level))
            {
                *slot = id;
            }
        }
        self.height = self.height.max(height);
        u8::try_from(height).unwrap_or(u8::MAX)
    }

    /// The first entry whose key is `>= key`.
    pub fn seek(&self, key: &[u8]) -> Option<NodeId> {
        let last_lt = self.last_less_than(&Target::new(key));
        self.next_id(last_lt, 0)
    }

    /// The last entry whose key is `< key`.
    pub fn predecessor(&self, key: &[u8]) -> Option<NodeId> {
        Some(self.last_less_than(&Target::new(key)))
            .filter(|&n| n != HEAD)
            .map(NodeId)
    }

    /// The first entry.
    pub fn first(&self) -> Option<NodeId> {
        self.next_id(HEAD, 0)
    }

    /// The last entry.
    pub fn last(&self) -> Option<NodeId> {
        let mut at = HEAD;
        for level in (0..self.height).rev() {
            while let Some(next) = self.next_id(at, level) {
                at = next.0;
            }
        }
        Some(at).filter(|&n| n != HEAD).map(NodeId)
    }

    /// The entry after `id` (level-0 link).
    pub fn next(&self, id: NodeId) -> Option<NodeId> {
        self.next_id(id.0, 0)
    }

    /// The entry before `id`, found by searching for its key.
    pub fn prev(&self, id: NodeId) -> Option<NodeId> {
        self.predecessor(self.key(id))
    }

    /// The internal key of `id` (empty if `id` is not an entry).
    pub fn key(&self, id: NodeId) -> &[u8] {
        self.node(id.0).map_or(&[], |n| n.key.as_slice())
    }

    /// The value of `id` (empty if `id` is not an entry).
    pub fn value(&self, id: NodeId) -> &[u8] {
        self.node(id.0).map_or(&[], |n| n.value.as_slice())
    }

    /// The tower height of `id` (0 if `id` is not an entry).
    pub fn height(&self, id: NodeId) -> u8 {
        self.node(id.0).map_or(0, |n| n.height)
    }

    fn node(&self, id: u32) -> Option<&Node> {
        self.nodes.get(id as usize)
    }

    /// The raw link out of node `id` at `level` (`NIL` if there is none).
    fn link(&self, id: u32, level: usize) -> u32 {
        self.node(id).map_or(NIL, |n| n.link(level))
    }

    fn next_id(&self, id: u32, level: usize) -> Option<NodeId> {
        Some(self.link(id, level)).filter(|&n| n != NIL).map(NodeId)
    }

    /// Whether `node` holds a key that sorts before `target`: decided by
    /// the prefixes when they differ, by the full keys otherwise.
    fn is_before(node: &Node, target: &Target<'_>) -> bool {
        compare_prefixed(node.prefix, &node.key, target.prefix, target.key) == Ordering::Less
    }

    /// Descends from the top level and returns the last node (possibly the
    /// head) whose key is `< key`.
    fn last_less_than(&self, key: &Target<'_>) -> u32 {
        let mut at = HEAD;
        for level in (0..self.height).rev() {
            at = self.advance(at, level, key);
        }
        at
    }

    /// Walks right along `level` from `at` while the next key is `< key`.
    fn advance(&self, mut at: u32, level: usize, key: &Target<'_>) -> u32 {
        loop {
            let next = self.link(at, level);
            match self.node(next) {
                Some(node) if Self::is_before(node, key) => at = next,
                _ => return at,
            }
        }
    }

    /// For every level, the last node whose key is `< key`: the nodes whose
    /// links a new node with that key splices into.
    fn predecessors(&self, key: &Target<'_>) -> [u32; MAX_HEIGHT] {
        let mut preds = [HEAD; MAX_HEIGHT];
        let mut at = HEAD;
        for (level, pred) in preds.iter_mut().enumerate().take(self.height).rev() {
            at = self.advance(at, level, key);
            *pred = at;
        }
        preds
    }

    /// A tower height in `1..=MAX_HEIGHT`: each extra level with
    /// probability `1 / BRANCHING`, taking log2(`BRANCHING`) random bits per
    /// level from one draw (12 levels of 2 bits fit easily in 64).
    fn random_height(&mut self) -> usize {
        let mut bits = self.rng.next_u64();
        let mut height = 1;
        while height < MAX_HEIGHT && bits & (BRANCHING - 1) == 0 {
            height += 1;
            bits /= BRANCHING;
        }
        height
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{compare_internal_keys, internal_key, ValueKind};

    fn key(user: &str, seq: u64) -> Vec<u8> {
        internal_key(user.as_bytes(), seq, ValueKind::Put)
    }

    fn filled(seed: u64, count: u64) -> SkipList {
        let mut list = SkipList::new(seed);
        for i in 0..count {
            // Scatter the keys so inserts land all over the list.
            let user = format!("k{:05}", (i * 7919) % count);
            list.insert(key(&user, i), i.to_le_bytes().to_vec());
        }
        list
    }

    fn keys_forward(list: &SkipList) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut at = list.first();
        while let Some(id) = at {
            out.push(list.key(id).to_vec());
            at = list.next(id);
        }
        out
    }

    #[test]
    fn empty_list_has_no_entries() {
        let list = SkipList::new(1);
        assert!(list.is_empty());
        assert_eq!(list.first(), None);
        assert_eq!(list.last(), None);
        assert_eq!(list.seek(&key("a", 1)), None);
        assert_eq!(list.predecessor(&key("a", 1)), None);
        assert_eq!(list.approximate_bytes(), 0);
    }

    #[test]
    fn approximate_bytes_charges_payload_node_and_links() {
        let mut list = SkipList::new(2);
        let k = key("abc", 1);
        let height = u64::from(list.insert(k.clone(), b"value".to_vec()));
        let expected = (k.len() + 5) as u64 + NODE_OVERHEAD_BYTES + height * LINK_BYTES;
        assert_eq!(list.approximate_bytes(), expected);
    }

    #[test]
    fn level_zero_walk_is_sorted_and_complete() {
        let list = filled(7, 500);
        let keys = keys_forward(&list);
        assert_eq!(keys.len(), 500);
        assert!(keys
            .windows(2)
            .all(|w| matches!(w, [a, b] if compare_internal_keys(a, b) == Ordering::Less)));
    }

    #[test]
    fn every_level_is_sorted_and_a_subset_of_the_one_below() {
        let list = filled(3, 2000);
        let mut below: Option<Vec<u32>> = None;
        for level in 0..MAX_HEIGHT {
            let mut ids = Vec::new();
            let mut at = HEAD;
            while let Some(next) = list.next_id(at, level) {
                ids.push(next.0);
                at = next.0;
            }
            if let Some(below) = &below {
                assert!(ids.iter().all(|id| below.contains(id)));
            }
            below = Some(ids);
        }
    }

    #[test]
    fn backward_walk_mirrors_forward_walk() {
        let list = filled(11, 300);
        let mut backward = Vec::new();
        let mut at = list.last();
        while let Some(id) = at {
            backward.push(list.key(id).to_vec());
            at = list.prev(id);
        }
        backward.reverse();
        assert_eq!(backward, keys_forward(&list));
    }

    #[test]
    fn seek_lands_on_first_key_not_less_than_target() {
        let list = filled(5, 100);
        // Newest version of k00042 sorts first; a seek at MAX finds it.
        let found = list.seek(&internal_key(b"k00042", crate::MAX_SEQNO, ValueKind::Put));
        let found_key = found.map(|id| list.key(id).to_vec());
        assert_eq!(
            found_key.as_deref().map(crate::record::user_key),
            Some(&b"k00042"[..])
        );
        assert_eq!(list.seek(&key("zzz", 0)), None);
        assert_eq!(list.seek(&key("", 0)), list.first());
    }

    #[test]
    fn heights_depend_only_on_the_seed() {
        let heights = |seed| {
            let mut list = SkipList::new(seed);
            (0..200u64)
                .map(|i| list.insert(key("same", i), Vec::new()))
                .collect::<Vec<u8>>()
        };
        assert_eq!(heights(42), heights(42));
        assert_ne!(heights(42), heights(43));
    }

    #[test]
    fn tower_heights_are_roughly_geometric() {
        let mut list = SkipList::new(0xfeed);
        let heights: Vec<u8> = (0..10_000u64)
            .map(|i| list.insert(key(&format!("{i:08}"), i), Vec::new()))
            .collect();
        let at_least = |h: u8| heights.iter().filter(|&&x| x >= h).count();
        assert!(heights.iter().all(|&h| (1..=MAX_HEIGHT as u8).contains(&h)));
        // Expected: 2500 nodes reach level 2, 625 level 3, 156 level 4.
        assert!((2000..3000).contains(&at_least(2)), "{}", at_least(2));
        assert!((450..800).contains(&at_least(3)), "{}", at_least(3));
        assert!((80..250).contains(&at_least(4)), "{}", at_least(4));
    }

    #[test]
    fn keys_sharing_a_long_prefix_still_sort_fully() {
        let mut list = SkipList::new(4);
        let long = |tail: u64| format!("{:0>24}", tail);
        for i in (0..300u64).rev() {
            list.insert(key(&long(i), i), Vec::new());
        }
        let users: Vec<Vec<u8>> = keys_forward(&list)
            .iter()
            .map(|k| crate::record::user_key(k).to_vec())
            .collect();
        let expected: Vec<Vec<u8>> = (0..300u64).map(|i| long(i).into_bytes()).collect();
        assert_eq!(users, expected);
        // Versions of one key: newest first.
        list.insert(key(&long(7), 1000), Vec::new());
        let found = list.seek(&internal_key(
            long(7).as_bytes(),
            crate::MAX_SEQNO,
            ValueKind::Put,
        ));
        let seq =
            found.and_then(|id| crate::record::parse_internal_key(list.key(id)).map(|p| p.seq));
        assert_eq!(seq, Some(1000));
    }

    #[test]
    fn tall_towers_link_every_level() {
        let list = filled(21, 20_000);
        let tall = (1..=list.len())
            .filter(|&i| usize::from(list.height(NodeId(i as u32))) > INLINE_LINKS)
            .count();
        assert!(tall > 0, "no tower above the inline links");
        for level in 0..MAX_HEIGHT {
            let mut at = HEAD;
            let mut prev: Option<Vec<u8>> = None;
            while let Some(next) = list.next_id(at, level) {
                let k = list.key(next).to_vec();
                assert!(prev
                    .as_ref()
                    .is_none_or(|p| compare_internal_keys(p, &k) == Ordering::Less));
                assert!(usize::from(list.height(next)) > level);
                prev = Some(k);
                at = next.0;
            }
        }
    }

    #[test]
    fn node_ids_stay_valid_across_inserts() {
        let mut list = SkipList::new(9);
        list.insert(key("m", 1), b"mid".to_vec());
        let mid = list.first();
        for i in 0..100u64 {
            list.insert(key(&format!("a{i:03}"), i + 10), Vec::new());
            list.insert(key(&format!("z{i:03}"), i + 200), Vec::new());
        }
        let mid = mid.map(|id| list.value(id).to_vec());
        assert_eq!(mid.as_deref(), Some(&b"mid"[..]));
    }
}
