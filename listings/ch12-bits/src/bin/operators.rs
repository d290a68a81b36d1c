//! `operators`: Rust's six bitwise operators on fixed-width integers, next
//! to what the notes say each one does. `python/operators.py` prints the
//! same expressions in Python.

fn main() {
    // ANCHOR: basic
    let a: u8 = 0b1100; // 12
    let b: u8 = 0b1010; // 10
    println!("a      = {a:#06b} = {a}");
    println!("b      = {b:#06b} = {b}");
    println!("a & b  = {:#06b} = {}", a & b, a & b); // 1 only where both are 1
    println!("a | b  = {:#06b} = {}", a | b, a | b); // 1 where either is 1
    println!("a ^ b  = {:#06b} = {}", a ^ b, a ^ b); // 1 where they differ
    println!("(a | b) - (a & b) = {}", (a | b) - (a & b)); // XOR: OR minus AND
    println!("a << 2 = {} = a * 4", a << 2);
    println!("a >> 2 = {} = a / 4", a >> 2);
    // ANCHOR_END: basic

    // ANCHOR: not
    println!("!5i32 = {}", !5i32); // -6: -x - 1, like Python's ~5
    println!("!5u8  = {} = {:#010b}", !5u8, !5u8); // eight bits flipped
    println!("!5u32 = {}", !5u32); // 32 bits flipped
    // ANCHOR_END: not

    // ANCHOR: shift_right
    let minus_five: i32 = -5;
    // Arithmetic shift: copies of the sign bit come in from the left.
    println!("-5i32 >> 1          = {}", minus_five >> 1);
    // Logical shift: the same 32 bits as a u32, and zeros come in.
    println!("(-5i32 as u32) >> 1 = {}", (minus_five as u32) >> 1);
    println!("-5i32 / 2           = {}", minus_five / 2); // toward zero
    println!("-5i32.div_euclid(2) = {}", minus_five.div_euclid(2)); // down
    // ANCHOR_END: shift_right

    // ANCHOR: shift_left
    println!("0x80u8 << 1  = {}", 0x80u8 << 1); // the top bit falls off
    println!("1i32 << 31   = {}", 1i32 << 31); // into the sign bit
    println!("1u128 << 100 = {}", 1u128 << 100); // the widest std integer
    // ANCHOR_END: shift_left
}
