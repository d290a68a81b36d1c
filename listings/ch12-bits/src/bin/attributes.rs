//! `attributes`: the notes' five attributes as bits of one integer, and
//! the five things you do with flags: combine, add, test, remove, toggle.

// ANCHOR: consts
// One bit each, with the notes' names.
const TALL: u8 = 1 << 0; // 0b00001 = 1, 高大
const SKILLED: u8 = 1 << 1; // 0b00010 = 2, 技术
const RICH: u8 = 1 << 2; // 0b00100 = 4, 有钱
const PASSIONATE: u8 = 1 << 3; // 0b01000 = 8, 激情
const HUMOROUS: u8 = 1 << 4; // 0b10000 = 16, 幽默
// ANCHOR_END: consts

/// The names of the flags set in `attrs`, for printing.
fn names(attrs: u8) -> String {
    let all = [
        (TALL, "TALL"),
        (SKILLED, "SKILLED"),
        (RICH, "RICH"),
        (PASSIONATE, "PASSIONATE"),
        (HUMOROUS, "HUMOROUS"),
    ];
    let set: Vec<&str> = all
        .iter()
        .filter(|(bit, _)| attrs & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    if set.is_empty() {
        "(none)".to_owned()
    } else {
        set.join("|")
    }
}

fn show(what: &str, attrs: u8) {
    println!("{what:<20} {attrs:#07b} = {attrs:>2}  {}", names(attrs));
}

fn main() {
    // ANCHOR: all
    show("all five", TALL | SKILLED | RICH | PASSIONATE | HUMOROUS);
    show("the first four", TALL | SKILLED | RICH | PASSIONATE);
    // ANCHOR_END: all

    // ANCHOR: ops
    let mut person = SKILLED | PASSIONATE; // combine: |
    show("SKILLED | PASSIONATE", person);
    person |= TALL; // add: | sets the bit, whether it was set or not
    show("|= TALL", person);
    person |= TALL;
    show("|= TALL again", person);
    // test: & keeps only the bit asked about; it is 0 or the bit itself
    println!("person & RICH    = {}", person & RICH);
    println!("person & SKILLED = {}", person & SKILLED);
    println!("has SKILLED: {}", person & SKILLED != 0);
    person &= !SKILLED; // remove: & with every bit but this one
    show("&= !SKILLED", person);
    person ^= HUMOROUS; // toggle: ^ flips the bit
    show("^= HUMOROUS", person);
    person ^= HUMOROUS;
    show("^= HUMOROUS again", person);
    // ANCHOR_END: ops

    // ANCHOR: many
    let wanted = TALL | PASSIONATE;
    println!("has all of TALL, PASSIONATE: {}", person & wanted == wanted);
    let either = RICH | HUMOROUS;
    println!("has any of RICH, HUMOROUS:   {}", person & either != 0);
    // ANCHOR_END: many
}
