//! Exercise 12.2: a set of small numbers, one bit each.
//!
//! A `BitSet` holds numbers `n` (any `usize`) as bit `n % 64` of word
//! `n / 64` of a `Vec<u64>`, growing the vector as needed. Write its
//! methods so that it behaves like a `BTreeSet<usize>`: `insert`,
//! `remove`, `contains`, `len` (without counting bit by bit), `iter`
//! (ascending, visiting only the set bits), `union_with` and
//! `intersect_with`.
//!
//! Check your solution with `cargo xtask exercise 12.2`.

/// A set of numbers, stored as bits.
#[derive(Debug, Clone, Default)]
pub struct BitSet {
    /// Bit `n % 64` of `words[n / 64]` is 1 when `n` is in the set.
    words: Vec<u64>,
}

impl BitSet {
    /// An empty set.
    pub fn new() -> Self {
        BitSet { words: Vec::new() }
    }

    /// Adds `n`; true if it was not in the set before.
    pub fn insert(&mut self, n: usize) -> bool {
        todo!("exercise 12.2: insert {n} into {:?}", self.words)
    }

    /// Removes `n`; true if it was in the set.
    pub fn remove(&mut self, n: usize) -> bool {
        todo!("exercise 12.2: remove {n}")
    }

    /// Whether `n` is in the set.
    pub fn contains(&self, n: usize) -> bool {
        todo!("exercise 12.2: is {n} in the set?")
    }

    /// How many numbers are in the set.
    pub fn len(&self) -> usize {
        todo!("exercise 12.2: count the set bits")
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        todo!("exercise 12.2: no bit set?")
    }

    /// The numbers in the set, smallest first.
    pub fn iter(&self) -> Iter<'_> {
        todo!("exercise 12.2: an iterator over the set bits")
    }

    /// Adds every number of `other`.
    pub fn union_with(&mut self, other: &BitSet) {
        todo!("exercise 12.2: union with {other:?}")
    }

    /// Keeps only the numbers that are also in `other`.
    pub fn intersect_with(&mut self, other: &BitSet) {
        todo!("exercise 12.2: intersection with {other:?}")
    }
}

/// The numbers of a `BitSet`, smallest first. Change the fields as you
/// need.
pub struct Iter<'a> {
    set: &'a BitSet,
}

impl Iterator for Iter<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        todo!("exercise 12.2: the next set bit of {:?}", self.set)
    }
}
