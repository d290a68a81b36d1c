//! Exercise 4.2, a reference solution: Python's `struct.pack`, `unpack` and
//! `calcsize` for the standard-size formats.

/// A value to pack, or one unpacked.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// For `b B h H i I l L q Q`.
    Int(i128),
    /// For `f` and `d`.
    Float(f64),
    /// For `s` (any length) and `c` (exactly one byte).
    Bytes(Vec<u8>),
    /// For `?`.
    Bool(bool),
}

/// Why a format or a value was refused. Python raises `struct.error` for
/// each of these (and `OverflowError` for a float too large for `f`).
#[derive(Debug, Clone, PartialEq)]
pub enum PackError {
    /// The format is not `<`, `>`, `!` or `=` followed by known codes.
    BadFormat(String),
    /// The format takes `expected` values; `got` were given.
    WrongCount { expected: usize, got: usize },
    /// Value number `index` (from 0) has the wrong type for its code.
    WrongType { index: usize },
    /// Value number `index` does not fit its code.
    OutOfRange { index: usize },
    /// `unpack` needs exactly `expected` bytes; `got` were given.
    WrongLength { expected: usize, got: usize },
}

/// One field of a format: a code and its count (`5s` is one field of five
/// bytes; `3h` is three fields).
#[derive(Debug, Clone, Copy)]
struct Field {
    code: char,
    count: usize,
}

/// Whether multi-byte numbers are big-endian, and the fields.
fn parse(format: &str) -> Result<(bool, Vec<Field>), PackError> {
    let bad = |why: &str| PackError::BadFormat(format!("{format:?}: {why}"));
    let mut chars = format.chars().peekable();
    let big_endian = match chars.next() {
        Some('>' | '!') => true,
        Some('<') => false,
        Some('=') => cfg!(target_endian = "big"),
        _ => {
            return Err(bad(
                "start with <, >, ! or = (native alignment is not supported)",
            ));
        }
    };
    let mut fields = Vec::new();
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            continue;
        }
        let mut count = None;
        let mut code = c;
        while let Some(digit) = code.to_digit(10) {
            let so_far: usize = count.unwrap_or(0);
            count = Some(
                so_far
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(digit as usize))
                    .ok_or_else(|| bad("count too large"))?,
            );
            code = chars.next().ok_or_else(|| bad("count without a code"))?;
        }
        if size(code).is_none() {
            return Err(bad(&format!("bad code {code:?}")));
        }
        fields.push(Field {
            code,
            count: count.unwrap_or(1),
        });
    }
    Ok((big_endian, fields))
}

/// The size in bytes of one item of `code`, in standard sizes.
fn size(code: char) -> Option<usize> {
    Some(match code {
        'x' | 'c' | 'b' | 'B' | '?' | 's' => 1,
        'h' | 'H' => 2,
        'i' | 'I' | 'l' | 'L' | 'f' => 4,
        'q' | 'Q' | 'd' => 8,
        _ => return None,
    })
}

/// The range of an integer code.
fn range(code: char) -> Option<(i128, i128)> {
    let bits = 8 * size(code)? as u32;
    match code {
        'b' | 'h' | 'i' | 'l' | 'q' => Some((-(1 << (bits - 1)), (1 << (bits - 1)) - 1)),
        'B' | 'H' | 'I' | 'L' | 'Q' => Some((0, (1 << bits) - 1)),
        _ => None,
    }
}

/// How many bytes `format` packs into.
pub fn calcsize(format: &str) -> Result<usize, PackError> {
    let (_, fields) = parse(format)?;
    fields.iter().try_fold(0usize, |total, field| {
        total
            .checked_add(size(field.code).unwrap_or(0) * field.count)
            .ok_or_else(|| PackError::BadFormat(format!("{format:?}: too large")))
    })
}

/// How many values `fields` take: `s` takes one per field, `x` none.
fn values_needed(fields: &[Field]) -> usize {
    fields
        .iter()
        .map(|field| match field.code {
            's' => 1,
            'x' => 0,
            _ => field.count,
        })
        .sum()
}

/// Packs `values` as `format` says, like Python's `struct.pack`.
pub fn pack(format: &str, values: &[Value]) -> Result<Vec<u8>, PackError> {
    let (big_endian, fields) = parse(format)?;
    let expected = values_needed(&fields);
    if values.len() != expected {
        return Err(PackError::WrongCount {
            expected,
            got: values.len(),
        });
    }
    let mut out = Vec::with_capacity(calcsize(format)?);
    let mut values = values.iter().enumerate();
    for field in fields {
        match field.code {
            'x' => out.resize(out.len() + field.count, 0),
            's' => {
                let (index, value) = values.next().expect("counted above");
                let Value::Bytes(bytes) = value else {
                    return Err(PackError::WrongType { index });
                };
                // Longer is cut, shorter is padded with zero bytes.
                let keep = bytes.len().min(field.count);
                out.extend_from_slice(&bytes[..keep]);
                out.resize(out.len() + field.count - keep, 0);
            }
            code => {
                for _ in 0..field.count {
                    let (index, value) = values.next().expect("counted above");
                    pack_one(&mut out, code, big_endian, index, value)?;
                }
            }
        }
    }
    Ok(out)
}

fn pack_one(
    out: &mut Vec<u8>,
    code: char,
    big_endian: bool,
    index: usize,
    value: &Value,
) -> Result<(), PackError> {
    let start = out.len();
    match (code, value) {
        ('c', Value::Bytes(bytes)) if bytes.len() == 1 => out.push(bytes[0]),
        ('?', Value::Bool(flag)) => out.push(u8::from(*flag)),
        // Python packs an int as a float too.
        ('f' | 'd', Value::Int(n)) => {
            return pack_one(out, code, big_endian, index, &Value::Float(*n as f64));
        }
        ('f', Value::Float(x)) => {
            let narrow = *x as f32;
            // Rounding a finite f64 to f32 can overflow to infinity: Python
            // refuses ("float too large to pack with f format").
            if narrow.is_infinite() && x.is_finite() {
                return Err(PackError::OutOfRange { index });
            }
            out.extend_from_slice(&narrow.to_le_bytes());
        }
        ('d', Value::Float(x)) => out.extend_from_slice(&x.to_le_bytes()),
        (code, Value::Int(n)) if range(code).is_some() => {
            let (low, high) = range(code).expect("checked");
            if !(low..=high).contains(n) {
                return Err(PackError::OutOfRange { index });
            }
            // Two's complement, little-endian, cut to the field's size.
            let width = size(code).expect("checked");
            out.extend_from_slice(&n.to_le_bytes()[..width]);
        }
        _ => return Err(PackError::WrongType { index }),
    }
    if big_endian && code != 'c' && code != '?' {
        out[start..].reverse();
    }
    Ok(())
}

/// Unpacks `bytes` as `format` says, like Python's `struct.unpack`.
pub fn unpack(format: &str, bytes: &[u8]) -> Result<Vec<Value>, PackError> {
    let (big_endian, fields) = parse(format)?;
    let expected = calcsize(format)?;
    if bytes.len() != expected {
        return Err(PackError::WrongLength {
            expected,
            got: bytes.len(),
        });
    }
    let mut values = Vec::new();
    let mut rest = bytes;
    for field in fields {
        match field.code {
            'x' => rest = &rest[field.count..],
            's' => {
                let (text, tail) = rest.split_at(field.count);
                values.push(Value::Bytes(text.to_vec()));
                rest = tail;
            }
            code => {
                let width = size(code).expect("parsed");
                for _ in 0..field.count {
                    let (item, tail) = rest.split_at(width);
                    rest = tail;
                    let mut le = item.to_vec();
                    if big_endian {
                        le.reverse();
                    }
                    values.push(unpack_one(code, &le));
                }
            }
        }
    }
    Ok(values)
}

/// One item, its bytes already in little-endian order.
fn unpack_one(code: char, le: &[u8]) -> Value {
    match code {
        'c' => Value::Bytes(le.to_vec()),
        '?' => Value::Bool(le[0] != 0),
        'f' => Value::Float(f64::from(f32::from_le_bytes(
            le.try_into().expect("4 bytes"),
        ))),
        'd' => Value::Float(f64::from_le_bytes(le.try_into().expect("8 bytes"))),
        _ => {
            let signed = matches!(code, 'b' | 'h' | 'i' | 'l' | 'q');
            // Extend to 16 bytes: with the sign bit for signed codes.
            let fill = if signed && le[le.len() - 1] & 0x80 != 0 {
                0xff
            } else {
                0
            };
            let mut wide = [fill; 16];
            wide[..le.len()].copy_from_slice(le);
            Value::Int(i128::from_le_bytes(wide))
        }
    }
}
