//! Exercise 12.2, a solution: a set of numbers, one bit each.

/// A set of numbers, stored as bits.
#[derive(Debug, Clone, Default)]
pub struct BitSet {
    /// Bit `n % 64` of `words[n / 64]` is 1 when `n` is in the set.
    words: Vec<u64>,
}

/// The word that holds `n`, and `n`'s bit in it.
fn locate(n: usize) -> (usize, u64) {
    (n / 64, 1 << (n % 64)) // n % 64 < 64: the shift cannot overflow
}

impl BitSet {
    /// An empty set.
    pub fn new() -> Self {
        BitSet { words: Vec::new() }
    }

    /// Adds `n`; true if it was not in the set before.
    pub fn insert(&mut self, n: usize) -> bool {
        let (word, bit) = locate(n);
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let was = self.words[word] & bit != 0;
        self.words[word] |= bit;
        !was
    }

    /// Removes `n`; true if it was in the set.
    pub fn remove(&mut self, n: usize) -> bool {
        let (word, bit) = locate(n);
        let Some(bits) = self.words.get_mut(word) else {
            return false;
        };
        let was = *bits & bit != 0;
        *bits &= !bit;
        was
    }

    /// Whether `n` is in the set.
    pub fn contains(&self, n: usize) -> bool {
        let (word, bit) = locate(n);
        self.words.get(word).is_some_and(|bits| bits & bit != 0)
    }

    /// How many numbers are in the set.
    pub fn len(&self) -> usize {
        self.words
            .iter()
            .map(|bits| bits.count_ones() as usize)
            .sum()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&bits| bits == 0)
    }

    /// The numbers in the set, smallest first.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            words: &self.words,
            word: 0,
            bits: self.words.first().copied().unwrap_or(0),
        }
    }

    /// Adds every number of `other`.
    pub fn union_with(&mut self, other: &BitSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine |= theirs;
        }
    }

    /// Keeps only the numbers that are also in `other`.
    pub fn intersect_with(&mut self, other: &BitSet) {
        // Words that `other` lacks are all zeros there.
        self.words.truncate(other.words.len());
        for (mine, theirs) in self.words.iter_mut().zip(&other.words) {
            *mine &= theirs;
        }
    }
}

/// The numbers of a `BitSet`, smallest first.
pub struct Iter<'a> {
    words: &'a [u64],
    /// The index of the word being visited.
    word: usize,
    /// Its bits not visited yet.
    bits: u64,
}

impl Iterator for Iter<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        // Skip words with nothing left: a sparse set costs one test per
        // empty word, not 64.
        while self.bits == 0 {
            self.word += 1;
            self.bits = *self.words.get(self.word)?;
        }
        let lowest = self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1; // clear the lowest set bit
        Some(self.word * 64 + lowest)
    }
}
