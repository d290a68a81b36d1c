//! `attribute_flags`: the five attributes again, as a type of their own
//! made by the `bitflags` crate.

use bitflags::bitflags;

// ANCHOR: define
bitflags! {
    /// The notes' five attributes, one bit each, in a `u8`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Attributes: u8 {
        const TALL = 1 << 0; // 高大
        const SKILLED = 1 << 1; // 技术
        const RICH = 1 << 2; // 有钱
        const PASSIONATE = 1 << 3; // 激情
        const HUMOROUS = 1 << 4; // 幽默
    }
}
// ANCHOR_END: define

fn main() {
    // ANCHOR: ops
    println!(
        "all: {:?} = {}",
        Attributes::all(),
        Attributes::all().bits()
    );

    let mut person = Attributes::SKILLED | Attributes::PASSIONATE;
    println!("person: {person:?} = {:#07b}", person.bits());
    person.insert(Attributes::TALL); //      person |= TALL
    person.remove(Attributes::SKILLED); //   person &= !SKILLED
    person.toggle(Attributes::HUMOROUS); //  person ^= HUMOROUS
    println!("person: {person:?}");
    println!("contains(RICH): {}", person.contains(Attributes::RICH));
    let wanted = Attributes::TALL | Attributes::PASSIONATE;
    println!("contains(TALL | PASSIONATE): {}", person.contains(wanted));
    println!(
        "intersects(RICH | HUMOROUS): {}",
        person.intersects(Attributes::RICH | Attributes::HUMOROUS)
    );
    // ANCHOR_END: ops

    // ANCHOR: names
    for (name, flag) in person.iter_names() {
        println!("  {name:<10} {:#07b}", flag.bits());
    }
    println!("!person: {:?}", !person); // the complement, within the five
    // ANCHOR_END: names

    // ANCHOR: bits
    // From a bare integer, e.g. one read from a file or the network:
    println!("from_bits(25): {:?}", Attributes::from_bits(25));
    println!("from_bits(45): {:?}", Attributes::from_bits(45)); // bit 5 is no flag
    println!(
        "from_bits_truncate(45): {:?}",
        Attributes::from_bits_truncate(45)
    );
    println!(
        "from_bits_retain(45): {:?}",
        Attributes::from_bits_retain(45)
    );
    // ANCHOR_END: bits
}
