//! Times for the `date` filters: Liquid's `Utils.to_date` (utils.rb) and a
//! subset of Ruby's `Time.parse` (Date._parse): ISO 8601 dates and times,
//! RFC 2822, and "March 14, 2016" / "14 Mar 2016" forms.

use crate::value::Value;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

/// `Utils.to_date`: a time, "now"/"today", seconds since the epoch, or a
/// parsable string; `None` otherwise.
pub fn to_date(v: &Value, tz: &TimeZone) -> Option<ZonedDateTime> {
    match v {
        Value::Date(d) => Some((**d).clone()),
        Value::Int(i) => Timestamp::from_second(*i)
            .ok()
            .map(|t| t.to_zoned_datetime(tz.clone())),
        Value::Str(s) => {
            if s.is_empty() {
                return None;
            }
            let l = s.to_lowercase();
            if l == "now" || l == "today" {
                return Some(ZonedDateTime::now().with_time_zone(tz.clone()));
            }
            if l.bytes().all(|b| b.is_ascii_digit()) {
                return Timestamp::from_second(l.parse().ok()?)
                    .ok()
                    .map(|t| t.to_zoned_datetime(tz.clone()));
            }
            parse_time(s, tz)
        }
        _ => None,
    }
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

#[derive(Default)]
struct Parts {
    year: Option<i16>,
    month: Option<i8>,
    day: Option<i8>,
    time: Option<(i8, i8, i8, i32)>,
    offset: Option<i32>,
}

/// Time.parse, for the forms dates are written in; missing parts are
/// today's (Ruby fills the date from now), a missing zone is `tz`.
pub fn parse_time(s: &str, tz: &TimeZone) -> Option<ZonedDateTime> {
    let p = scan(s)?;
    let today = ZonedDateTime::now().with_time_zone(tz.clone()).date();
    let date = Date::new(
        p.year.unwrap_or(today.year()),
        p.month
            .unwrap_or(if p.year.is_some() { 1 } else { today.month() }),
        p.day.unwrap_or(if p.month.is_some() || p.year.is_some() {
            1
        } else {
            today.day()
        }),
    )
    .ok()?;
    let (h, mi, se, ns) = p.time.unwrap_or((0, 0, 0, 0));
    let dt = DateTime::from_parts(date, Time::new(h, mi, se, ns).ok()?);
    match p.offset {
        Some(off) => {
            let o = Offset::from_seconds(off).ok()?;
            dt.to_zoned_datetime(TimeZone::fixed(o)).ok()
        }
        None => dt.to_zoned_datetime(tz.clone()).ok(),
    }
}

fn scan(s: &str) -> Option<Parts> {
    let mut p = Parts::default();
    let t = s.trim();
    // ISO 8601: 2016-03-14[T ]10:20:30(.123)?(Z|±hh:mm)?
    if let Some(rest) = iso_date(t, &mut p) {
        let rest = rest.trim_start_matches(['T', 't', ' ']);
        let rest = time_part(rest, &mut p);
        zone_part(rest.trim(), &mut p);
        return Some(p);
    }
    let mut found = false;
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let mut numbers = Vec::new();
    for w in &words {
        let lw = w.to_lowercase();
        if let Some(m) = MONTHS
            .iter()
            .position(|m| lw.starts_with(m) && lw.chars().all(|c| c.is_alphabetic() || c == '.'))
        {
            p.month = Some(m as i8 + 1);
            found = true;
        } else if w.contains(':') {
            let rest = time_part(w, &mut p);
            zone_part(rest, &mut p);
        } else if (w.starts_with('+') || w.starts_with('-')) && w.len() == 5
            || lw == "utc"
            || lw == "gmt"
            || lw == "z"
        {
            zone_part(w, &mut p);
        } else if numeric_date(w, &mut p) {
            found = true;
        } else if let Ok(n) = w
            .strip_suffix(['.'])
            .unwrap_or(w)
            .trim_end_matches(|c: char| c.is_alphabetic())
            .parse::<i32>()
        {
            numbers.push((n, w.len()));
        }
    }
    for (n, len) in numbers {
        if !(0..=9999).contains(&n) {
            return None;
        }
        if len >= 3 || n > 31 {
            p.year = Some(n as i16);
        } else if p.day.is_none() && (1..=31).contains(&n) {
            p.day = Some(n as i8);
        } else if p.year.is_none() {
            p.year = Some(if n < 100 {
                n as i16 + if n < 69 { 2000 } else { 1900 }
            } else {
                n as i16
            });
        }
        found = true;
    }
    (found && (p.month.is_some() || p.time.is_some())).then_some(p)
}

/// Date._parse's all-digit forms: `20160314`, US `03/14/2016`, and
/// European `14.03.2016`.
fn numeric_date(w: &str, p: &mut Parts) -> bool {
    if w.len() == 8 && w.bytes().all(|b| b.is_ascii_digit()) {
        let n = |r: std::ops::Range<usize>| w[r].parse::<i32>().unwrap_or(0);
        p.year = Some(n(0..4) as i16);
        p.month = Some(n(4..6) as i8);
        p.day = Some(n(6..8) as i8);
        return true;
    }
    for (sep, us) in [('/', true), ('.', false)] {
        let parts: Vec<&str> = w.split(sep).collect();
        if parts.len() == 3
            && parts
                .iter()
                .all(|x| !x.is_empty() && x.len() <= 4 && x.bytes().all(|b| b.is_ascii_digit()))
        {
            let n: Vec<i32> = parts.iter().map(|x| x.parse().unwrap_or(0)).collect();
            let (m, d) = if us { (n[0], n[1]) } else { (n[1], n[0]) };
            let y = if parts[2].len() <= 2 {
                n[2] + if n[2] < 69 { 2000 } else { 1900 }
            } else {
                n[2]
            };
            p.year = Some(y as i16);
            p.month = Some(m.clamp(0, 99) as i8);
            p.day = Some(d.clamp(0, 99) as i8);
            return true;
        }
    }
    false
}

fn digits(s: &str, n: usize) -> Option<(i32, &str)> {
    let d = s.get(..n)?;
    if !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((d.parse().ok()?, &s[n..]))
}

fn iso_date<'a>(s: &'a str, p: &mut Parts) -> Option<&'a str> {
    let (y, r) = digits(s, 4)?;
    let sep = r.chars().next().filter(|c| *c == '-' || *c == '/')?;
    let r = &r[1..];
    let mlen = r.bytes().take_while(u8::is_ascii_digit).count();
    let (m, r) = digits(r, mlen.clamp(1, 2))?;
    let r = r.strip_prefix(sep)?;
    let dlen = r.bytes().take_while(u8::is_ascii_digit).count();
    let (d, r) = digits(r, dlen.clamp(1, 2))?;
    p.year = Some(y as i16);
    p.month = Some(m as i8);
    p.day = Some(d as i8);
    Some(r)
}

fn time_part<'a>(s: &'a str, p: &mut Parts) -> &'a str {
    let hl = s.bytes().take_while(u8::is_ascii_digit).count();
    let Some((h, r)) = digits(s, hl.clamp(1, 2)) else {
        return s;
    };
    let Some(r) = r.strip_prefix(':') else {
        return s;
    };
    let Some((mi, mut r)) = digits(r, 2) else {
        return s;
    };
    let mut sec = 0;
    let mut ns = 0;
    if let Some(x) = r.strip_prefix(':') {
        if let Some((se, rr)) = digits(x, 2) {
            sec = se;
            r = rr;
            if let Some(f) = r.strip_prefix('.') {
                let fl = f.bytes().take_while(u8::is_ascii_digit).count();
                let frac = &f[..fl];
                let padded = format!("{:0<9}", &frac[..fl.min(9)]);
                ns = padded.parse().unwrap_or(0);
                r = &f[fl..];
            }
        }
    }
    let r = r.trim_start();
    let lower = r.to_ascii_lowercase();
    let mut h = h;
    let r = if lower.starts_with("pm") || lower.starts_with("am") {
        if lower.starts_with("pm") && h < 12 {
            h += 12;
        } else if lower.starts_with("am") && h == 12 {
            h = 0;
        }
        &r[2..]
    } else {
        r
    };
    p.time = Some((h as i8, mi as i8, sec as i8, ns));
    r
}

fn zone_part(s: &str, p: &mut Parts) {
    let z = s.trim();
    if z.eq_ignore_ascii_case("z") || z.eq_ignore_ascii_case("utc") || z.eq_ignore_ascii_case("gmt")
    {
        p.offset = Some(0);
        return;
    }
    let sign = match z.chars().next() {
        Some('+') => 1,
        Some('-') => -1,
        _ => return,
    };
    let d: String = z[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    if d.len() == 4 || d.len() == 2 {
        let h: i32 = d[..2].parse().unwrap_or(0);
        let m: i32 = d.get(2..).and_then(|x| x.parse().ok()).unwrap_or(0);
        p.offset = Some(sign * (h * 3600 + m * 60));
    }
}

/// Ruby's strftime, through jiff's: each directive is handed to jiff alone,
/// after Ruby's composites (`%c`, `%x`, `%r`, `%v`, `%+`) are spelled out
/// and Ruby's own (`%L`, `%Z` of a bare offset) are mapped; a directive
/// neither knows is written as it is, as Ruby does.
pub fn strftime(d: &ZonedDateTime, fmt: &str) -> String {
    let mut out = String::with_capacity(fmt.len() + 16);
    let mut rest = fmt;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let spec = &rest[i..];
        let len = directive_len(spec);
        directive(d, &spec[..len], &mut out);
        rest = &spec[len..];
    }
    out.push_str(rest);
    out
}

/// Conversions Ruby's strftime knows (others are written as they are).
const RUBY_DIRECTIVES: &str = "aAbBCdDeFgGhHIjklmMnNpPRsStTuUVwWXyYzZ%";

/// Length of `%[flags][width][:]conv` at the start of `spec` (1 for a lone `%`).
fn directive_len(spec: &str) -> usize {
    let b = spec.as_bytes();
    let mut i = 1;
    while i < b.len() && matches!(b[i], b'-' | b'_' | b'0' | b'^' | b'#') {
        i += 1;
    }
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    while i < b.len() && b[i] == b':' {
        i += 1;
    }
    match spec[i..].chars().next() {
        Some(c) => i + c.len_utf8(),
        None => spec.len(),
    }
}

fn directive(d: &ZonedDateTime, spec: &str, out: &mut String) {
    let conv = spec.chars().last().unwrap_or('%');
    let flags = &spec[1..spec.len() - conv.len_utf8().min(spec.len() - 1)];
    let composite = match conv {
        'c' => Some("%a %b %e %H:%M:%S %Y"),
        'x' => Some("%m/%d/%y"),
        'r' => Some("%I:%M:%S %p"),
        'v' => Some("%e-%^b-%Y"),
        '+' => Some("%a %b %e %H:%M:%S %Z %Y"),
        _ => None,
    };
    if let Some(c) = composite {
        out.push_str(&strftime(d, c));
        return;
    }
    let jiff_fmt: std::borrow::Cow<'_, str> = match conv {
        'L' => format!("%{flags}3N").into(),
        // Time.parse of a bare offset has no zone name: Ruby prints nothing.
        'Z' if d.time_zone().iana_name().is_none() => return,
        c if RUBY_DIRECTIVES.contains(c) => spec.into(),
        _ => {
            out.push_str(spec);
            return;
        }
    };
    match jiff::fmt::strtime::format(jiff_fmt.as_ref(), d) {
        Ok(s) => out.push_str(&s),
        Err(_) => out.push_str(spec),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        let tz = TimeZone::UTC;
        let f =
            |s: &str| parse_time(s, &tz).map(|z| z.strftime("%Y-%m-%d %H:%M:%S %z").to_string());
        assert_eq!(
            f("March 14, 2016").as_deref(),
            Some("2016-03-14 00:00:00 +0000")
        );
        assert_eq!(
            f("2016-03-14T10:20:30+01:00").as_deref(),
            Some("2016-03-14 10:20:30 +0100")
        );
        assert_eq!(
            f("Mon, 14 Mar 2016 10:00:00 -0500").as_deref(),
            Some("2016-03-14 10:00:00 -0500")
        );
        assert_eq!(f("hello"), None);
        assert_eq!(f("20160314").as_deref(), Some("2016-03-14 00:00:00 +0000"));
        assert_eq!(
            f("03/14/2016 10:00").as_deref(),
            Some("2016-03-14 10:00:00 +0000")
        );
        assert_eq!(
            f("14.03.2016").as_deref(),
            Some("2016-03-14 00:00:00 +0000")
        );
        assert_eq!(f("70000 March"), None);
    }

    // Ruby's Time#strftime composites and its own directives.
    #[test]
    fn strftime_as_ruby() {
        let tz = TimeZone::UTC;
        let d = parse_time("2016-03-04 05:06:07.123 +0100", &tz).unwrap();
        assert_eq!(strftime(&d, "%c"), "Fri Mar  4 05:06:07 2016");
        assert_eq!(strftime(&d, "%x %r %L"), "03/04/16 05:06:07 AM 123");
        assert_eq!(strftime(&d, "[%Z] %% %-d %q"), "[] % 4 %q");
        let u = parse_time("2016-03-04", &tz).unwrap();
        assert_eq!(strftime(&u, "%Z"), "UTC");
    }
}
