//! Exercise 12.1: `chmod`'s symbolic modes.
//!
//! Write `apply`, which changes the permission bits `mode` (0o7777 at
//! most) as `chmod SPEC` would, given the process's umask and whether the
//! file is a directory. SPEC is one or more clauses separated by commas;
//! each clause is
//!
//! - who: any of `u` (owner), `g` (group), `o` (others), `a` (all),
//!   possibly none;
//! - then one or more operations, each an operator (`+` adds, `-` removes,
//!   `=` sets exactly) followed by any of `r`, `w`, `x`, `X` (execute, but
//!   only if the file is a directory or some execute bit is already set),
//!   `s` (set-user-ID for `u`, set-group-ID for `g`) and `t` (sticky, for
//!   `o`), possibly none.
//!
//! Examples: `u+x`, `g-w,o=r`, `a+rX`, `u=rw,go=`, `+t`, `ug+x-w`.
//!
//! Two rules need care. With no who, the change applies to all, except
//! that `+` and `-` leave alone the bits set in the umask (`=` clears
//! everything first). And on a directory, set-user-ID and set-group-ID are
//! kept unless the clause names them with `s`. Anything else (an unknown
//! letter, an empty clause, a clause without an operator) is an
//! `InvalidMode`. chmod's octal modes (`644`) and copy forms (`u=g`) are
//! not part of the exercise.
//!
//! Check your solution with `cargo xtask exercise 12.1`.

/// A mode string that chmod would refuse: `chmod: invalid mode: 'u+z'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMode(pub String);

/// `mode` after `chmod SPEC`, for a directory if `is_dir`, with the
/// process's umask `umask`.
pub fn apply(
    mode: u32,
    spec: &str,
    is_dir: bool,
    umask: u32,
) -> Result<u32, InvalidMode> {
    todo!("exercise 12.1: apply {spec:?} to {mode:#o} ({is_dir}, {umask:#o})")
}
