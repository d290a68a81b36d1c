//! Exercise 12.1, a solution: chmod's symbolic modes, as GNU chmod applies
//! them.

/// A mode string that chmod would refuse: `chmod: invalid mode: 'u+z'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMode(pub String);

const SUID: u32 = 0o4000;
const SGID: u32 = 0o2000;
const STICKY: u32 = 0o1000;

/// `mode` after `chmod SPEC`, for a directory if `is_dir`, with the
/// process's umask `umask`.
pub fn apply(
    mode: u32,
    spec: &str,
    is_dir: bool,
    umask: u32,
) -> Result<u32, InvalidMode> {
    let invalid = || InvalidMode(spec.to_owned());
    let mut new = mode & 0o7777;
    for clause in spec.split(',') {
        let mut chars = clause.chars().peekable();
        // Who: the bits this clause may touch. 0 means "not given".
        let mut who = 0;
        while let Some(&c) = chars.peek() {
            who |= match c {
                'u' => SUID | 0o700,
                'g' => SGID | 0o070,
                'o' => STICKY | 0o007,
                'a' => 0o7777,
                _ => break,
            };
            chars.next();
        }
        // One or more operations: an operator, then permission letters.
        let mut operations = 0;
        while let Some(op) = chars.next() {
            if !matches!(op, '+' | '-' | '=') {
                return Err(invalid());
            }
            operations += 1;
            let mut value = 0;
            let mut big_x = false;
            while let Some(&c) = chars.peek() {
                value |= match c {
                    'r' => 0o444,
                    'w' => 0o222,
                    'x' => 0o111,
                    's' => SUID | SGID,
                    't' => STICKY,
                    'X' => {
                        big_x = true;
                        0
                    }
                    _ => break,
                };
                chars.next();
            }
            // Bits the clause names explicitly: a directory keeps its
            // set-ID bits unless they are among them.
            let mentioned = if who != 0 { who & value } else { value };
            let kept = if is_dir {
                (SUID | SGID) & !mentioned
            } else {
                0
            };
            // X looks at the mode as it is now, after earlier operations.
            if big_x && (is_dir || new & 0o111 != 0) {
                value |= 0o111;
            }
            let reach = if who != 0 { who } else { !umask };
            value &= reach & !kept;
            new = match op {
                '+' => new | value,
                '-' => new & !value,
                // `=` without who clears every bit, not only the umask's.
                _ => {
                    let preserved = (if who != 0 { !who } else { 0 }) | kept;
                    (new & preserved) | value
                }
            };
        }
        if operations == 0 {
            return Err(invalid()); // "u", or an empty clause
        }
    }
    Ok(new & 0o7777)
}
