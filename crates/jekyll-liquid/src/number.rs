//! Numbers as Liquid's math filters see them (utils.rb `to_number`,
//! standardfilters.rb `apply_operation`): integers stay integers, anything
//! with a float goes through BigDecimal (exact decimal) and back to a float.

use crate::value::{ruby_float, Value};

/// A number after `Utils.to_number`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// Ruby Integer.
    Int(i64),
    /// Ruby BigDecimal: `mantissa / 10^scale`.
    Dec(i128, u32),
    /// A Float that has no decimal form (NaN, Infinity, huge).
    Float(f64),
}

/// Ruby `String#to_i`: leading blanks, a sign, digits (with `_`), the rest ignored.
pub fn ruby_to_i(s: &str) -> i64 {
    let t = s.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    let (neg, digits) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let mut n: i64 = 0;
    let mut prev_digit = false;
    for c in digits.bytes() {
        if c.is_ascii_digit() {
            n = n.saturating_mul(10).saturating_add((c - b'0') as i64);
            prev_digit = true;
        } else if c == b'_' && prev_digit {
            prev_digit = false;
        } else {
            break;
        }
    }
    if neg {
        -n
    } else {
        n
    }
}

/// Ruby `String#to_f`: the longest leading float, 0.0 when there is none.
pub fn ruby_to_f(s: &str) -> f64 {
    let t = s.trim_start();
    let b = t.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == int_start {
        return 0.0;
    }
    if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'-' || b[j] == b'+') {
            j += 1;
        }
        if j < b.len() && b[j].is_ascii_digit() {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    t[..i].parse().unwrap_or(0.0)
}

/// Parses a decimal string (`-12.5`, `1.0e+20`) exactly.
fn decimal(s: &str) -> Option<Num> {
    let (mant, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (s, 0),
    };
    let neg = mant.starts_with('-');
    let mant = mant.trim_start_matches(['-', '+']);
    let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = format!("{ip}{fp}");
    let mut m: i128 = digits.parse().ok()?;
    let mut scale = fp.len() as i32 - exp;
    while scale < 0 {
        m = m.checked_mul(10)?;
        scale += 1;
    }
    if scale > 30 {
        return None;
    }
    Some(Num::Dec(if neg { -m } else { m }, scale as u32).normalized())
}

impl Num {
    fn from_f64(f: f64) -> Num {
        if !f.is_finite() {
            return Num::Float(f);
        }
        decimal(&ruby_float(f)).unwrap_or(Num::Float(f))
    }

    fn normalized(self) -> Num {
        match self {
            Num::Dec(mut m, mut s) => {
                while s > 0 && m % 10 == 0 {
                    m /= 10;
                    s -= 1;
                }
                Num::Dec(m, s)
            }
            n => n,
        }
    }

    /// As a float (BigDecimal#to_f).
    pub fn to_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
            Num::Dec(m, s) => {
                if s == 0 {
                    return m as f64;
                }
                let neg = m < 0;
                let digits = m.unsigned_abs().to_string();
                let s = s as usize;
                let padded = if digits.len() <= s {
                    format!("{}{}", "0".repeat(s - digits.len() + 1), digits)
                } else {
                    digits
                };
                let (a, b) = padded.split_at(padded.len() - s);
                format!("{}{a}.{b}", if neg { "-" } else { "" })
                    .parse()
                    .unwrap_or(0.0)
            }
        }
    }

    /// The Liquid value: Integer stays, BigDecimal becomes Float.
    pub fn to_value(self) -> Value {
        match self {
            Num::Int(i) => Value::Int(i),
            n => Value::Float(n.to_f64()),
        }
    }

    fn is_zero(self) -> bool {
        match self {
            Num::Int(i) => i == 0,
            Num::Dec(m, _) => m == 0,
            Num::Float(f) => f == 0.0,
        }
    }
}

/// `Utils.to_number`.
pub fn to_number(v: &Value) -> Num {
    match v {
        Value::Int(i) => Num::Int(*i),
        Value::Float(f) => Num::from_f64(*f),
        Value::Str(s) => {
            let t = crate::expression::ruby_strip(s);
            if is_decimal_str(t) {
                decimal(t).unwrap_or_else(|| Num::Float(ruby_to_f(t)))
            } else {
                Num::Int(ruby_to_i(s))
            }
        }
        _ => Num::Int(0),
    }
}

/// `\A-?\d+\.\d+\z`.
fn is_decimal_str(t: &str) -> bool {
    let d = t.strip_prefix('-').unwrap_or(t);
    match d.split_once('.') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// `Utils.to_integer`: integers as they are, else `Integer(to_s)` strictly.
pub fn to_integer(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        other => {
            let s = other.to_s();
            let t = s.trim().replace('_', "");
            t.parse::<i64>().map_err(|_| "invalid integer".to_string())
        }
    }
}

/// An arithmetic operation of the math filters.
#[derive(Debug, Clone, Copy)]
pub enum Op {
    /// `plus`.
    Add,
    /// `minus`.
    Sub,
    /// `times`.
    Mul,
    /// `divided_by`.
    Div,
    /// `modulo`.
    Rem,
}

fn align(a: (i128, u32), b: (i128, u32)) -> Option<(i128, i128, u32)> {
    let s = a.1.max(b.1);
    let am = a.0.checked_mul(10i128.checked_pow(s - a.1)?)?;
    let bm = b.0.checked_mul(10i128.checked_pow(s - b.1)?)?;
    Some((am, bm, s))
}

fn as_dec(n: Num) -> Option<(i128, u32)> {
    match n {
        Num::Int(i) => Some((i as i128, 0)),
        Num::Dec(m, s) => Some((m, s)),
        Num::Float(_) => None,
    }
}

/// `apply_operation`: Integer op Integer stays Integer (floored division and
/// modulo, as Ruby), otherwise decimal arithmetic and a Float result.
pub fn apply(a: Num, b: Num, op: Op) -> Result<Value, String> {
    if let (Num::Int(x), Num::Int(y)) = (a, b) {
        let r = match op {
            Op::Add => x.checked_add(y),
            Op::Sub => x.checked_sub(y),
            Op::Mul => x.checked_mul(y),
            Op::Div | Op::Rem if y == 0 => return Err("divided by 0".into()),
            Op::Div => (x != i64::MIN || y != -1).then(|| floor_div(x, y)),
            Op::Rem => x.checked_rem(y).map(|r| {
                if r != 0 && (r < 0) != (y < 0) {
                    r + y
                } else {
                    r
                }
            }),
        };
        return Ok(r.map_or_else(
            || Value::Float(float_op(x as f64, y as f64, op)),
            Value::Int,
        ));
    }
    if matches!(op, Op::Div | Op::Rem) && b.is_zero() {
        return Err("divided by 0".into());
    }
    let exact = as_dec(a).zip(as_dec(b)).and_then(|(x, y)| {
        let (xm, ym, s) = align(x, y)?;
        match op {
            Op::Add => Some(Num::Dec(xm.checked_add(ym)?, s)),
            Op::Sub => Some(Num::Dec(xm.checked_sub(ym)?, s)),
            Op::Mul => Some(Num::Dec(x.0.checked_mul(y.0)?, x.1 + y.1)),
            Op::Rem => {
                let r = xm.checked_rem(ym)?;
                Some(Num::Dec(
                    if r != 0 && (r < 0) != (ym < 0) {
                        r + ym
                    } else {
                        r
                    },
                    s,
                ))
            }
            Op::Div => None,
        }
    });
    Ok(match exact {
        Some(n) => Value::Float(n.to_f64()),
        None => Value::Float(float_op(a.to_f64(), b.to_f64(), op)),
    })
}

fn floor_div(x: i64, y: i64) -> i64 {
    let q = x / y;
    if (x % y != 0) && ((x < 0) != (y < 0)) {
        q - 1
    } else {
        q
    }
}

fn float_op(x: f64, y: f64, op: Op) -> f64 {
    match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => x / y,
        Op::Rem => x - y * (x / y).floor(),
    }
}

/// BigDecimal#round(n) with ROUND_HALF_UP, on the number's decimal digits.
pub fn round_half_up(n: Num, places: i64) -> f64 {
    let Some((m, s)) = as_dec(n) else {
        return n.to_f64();
    };
    let s = s as i64;
    if places >= s {
        return n.to_f64();
    }
    let drop = (s - places).min(38) as u32;
    let p = 10i128.pow(drop);
    let q = m / p;
    let r = (m % p).abs();
    let q = if r >= p - r { q + m.signum() } else { q };
    let out = if places >= 0 {
        Num::Dec(q, places as u32)
    } else {
        Num::Dec(q.saturating_mul(10i128.pow((-places).min(30) as u32)), 0)
    };
    out.to_f64()
}

#[cfg(test)]
mod tests {
    use super::*;

    // standardfilters.rb apply_operation via BigDecimal: 0.1 + 0.2 is 0.3.
    #[test]
    fn decimal_math() {
        let f = |v: Value| v.to_s();
        assert_eq!(
            f(apply(
                to_number(&Value::Float(0.1)),
                to_number(&Value::Float(0.2)),
                Op::Add
            )
            .unwrap()),
            "0.3"
        );
        assert_eq!(f(apply(Num::Int(7), Num::Int(-2), Op::Div).unwrap()), "-4");
        assert_eq!(f(apply(Num::Int(-7), Num::Int(3), Op::Rem).unwrap()), "2");
        assert_eq!(
            f(apply(to_number(&Value::str("2.5")), Num::Int(2), Op::Mul).unwrap()),
            "5.0"
        );
        assert_eq!(ruby_to_i(" 12abc"), 12);
        assert_eq!(round_half_up(to_number(&Value::Float(2.5)), 0), 3.0);
        assert_eq!(round_half_up(to_number(&Value::Float(1.005)), 2), 1.01);
    }
}
