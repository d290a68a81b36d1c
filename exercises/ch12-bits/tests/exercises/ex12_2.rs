//! Exercise 12.2: A set of numbers, one bit each
//! Edit: exercises/ch12-bits/src/bitset.rs
//! Hint: Number `n` lives in word `n / 64` as bit `1u64 << (n % 64)`; `insert` grows the vector with `resize` first. `len` sums `count_ones()` of the words. For `iter`, keep the current word's unvisited bits: `trailing_zeros()` is the next member's offset, and `bits &= bits - 1` clears it; when `bits` is 0, move to the next word.

use std::collections::BTreeSet;

#[cfg(not(feature = "reference"))]
use ex12_bits::bitset::BitSet;
#[cfg(feature = "reference")]
use ex12_bits::bitset_reference::BitSet;

/// A small deterministic random number generator (xorshift64).
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[track_caller]
fn assert_same(set: &BitSet, model: &BTreeSet<usize>, context: &str) {
    assert_eq!(set.len(), model.len(), "len() {context}");
    assert_eq!(set.is_empty(), model.is_empty(), "is_empty() {context}");
    let members: Vec<usize> = set.iter().collect();
    let expected: Vec<usize> = model.iter().copied().collect();
    assert_eq!(members, expected, "iter() {context}");
}

#[test]
fn an_empty_set_has_nothing() {
    let set = BitSet::new();
    assert!(set.is_empty());
    assert_eq!(set.len(), 0);
    assert_eq!(set.iter().next(), None);
    assert!(!set.contains(0));
    assert!(!set.contains(1_000_000));
}

#[test]
fn word_boundaries_are_kept_apart() {
    let mut set = BitSet::new();
    let edges = [0, 1, 62, 63, 64, 65, 127, 128, 4095, 4096];
    for n in edges {
        assert!(set.insert(n), "{n} was not in the set yet");
        assert!(!set.insert(n), "{n} is in the set now");
    }
    assert_eq!(set.iter().collect::<Vec<_>>(), edges);
    assert!(!set.contains(2) && !set.contains(66) && !set.contains(4097));
    assert!(set.remove(64));
    assert!(!set.remove(64));
    assert!(!set.remove(1_000_000), "removing what was never there");
    assert!(set.contains(63) && set.contains(65) && !set.contains(64));
    assert_eq!(set.len(), edges.len() - 1);
}

#[test]
fn it_behaves_like_a_btreeset() {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut set = BitSet::new();
    let mut model = BTreeSet::new();
    for step in 0..20_000 {
        let n = random.below(3000) as usize;
        let context = format!("after step {step} (n = {n})");
        match random.below(3) {
            0 | 1 => {
                assert_eq!(set.insert(n), model.insert(n), "insert {context}")
            }
            _ => {
                assert_eq!(set.remove(n), model.remove(&n), "remove {context}")
            }
        }
        assert_eq!(set.contains(n), model.contains(&n), "contains {context}");
        if step % 1000 == 0 {
            assert_same(&set, &model, &context);
        }
    }
    assert_same(&set, &model, "at the end");
}

#[test]
fn union_and_intersection_match_btreeset() {
    let mut random = Random(42);
    for round in 0..50 {
        let (mut a, mut b) = (BitSet::new(), BitSet::new());
        let (mut ma, mut mb) = (BTreeSet::new(), BTreeSet::new());
        // Different sizes, so the word vectors differ in length.
        let (range_a, range_b) = (1 + random.below(700), 1 + random.below(700));
        for _ in 0..random.below(200) {
            let n = random.below(range_a) as usize;
            a.insert(n);
            ma.insert(n);
        }
        for _ in 0..random.below(200) {
            let n = random.below(range_b) as usize;
            b.insert(n);
            mb.insert(n);
        }
        let mut union = a.clone();
        union.union_with(&b);
        let expected: BTreeSet<usize> = ma.union(&mb).copied().collect();
        assert_same(&union, &expected, &format!("union, round {round}"));
        let mut both = a.clone();
        both.intersect_with(&b);
        let expected: BTreeSet<usize> = ma.intersection(&mb).copied().collect();
        assert_same(&both, &expected, &format!("intersection, round {round}"));
    }
}

#[test]
fn a_million_numbers() {
    let mut set = BitSet::new();
    for n in (0..1_000_000).step_by(3) {
        set.insert(n);
    }
    assert_eq!(set.len(), 333_334);
    assert!(set.iter().eq((0..1_000_000).step_by(3)));
    let mut sparse = BitSet::new();
    sparse.insert(999_999);
    assert_eq!(sparse.iter().collect::<Vec<_>>(), [999_999]);
}
