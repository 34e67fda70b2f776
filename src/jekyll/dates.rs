//! Dates as Jekyll reads them: `Time.parse(value).localtime`, where "local"
//! is the site's `timezone` (UTC when it sets none, as the reference builds
//! ran in UTC).

use std::sync::LazyLock;

use jiff::civil;
use jiff::tz::{Offset, TimeZone};
use regex::Regex;

use crate::ir::DateTime;

mod fast;

/// A zone after the time, possibly after other words (Ruby's `Time.parse`
/// skips what it does not understand: `18:30:22 2023 -0800`).
static ZONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(Z|z|UTC|GMT|[-+]\d{1,2}(?::?\d{2})?)(?:\s|$)")
        .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

static DATE_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)^\s*
        (\d{4})[-/](\d{1,2})[-/](\d{1,2})
        (?:[Tt\s]\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?
        (.*)$",
    )
    .unwrap_or_else(|e| panic!("bad built-in pattern: {e}"))
});

/// `DATE_TIME`'s groups for `text`, by hand when the text is plain ASCII.
fn date_groups(text: &str) -> Option<fast::Groups<'_>> {
    fast::date_time(text).unwrap_or_else(|| regex_groups(text))
}

/// `DATE_TIME`'s groups for `text`, from the regex.
fn regex_groups(text: &str) -> Option<fast::Groups<'_>> {
    let c = DATE_TIME.captures(text)?;
    Some(std::array::from_fn(|i| c.get(i).map(|m| m.as_str())))
}

/// The first zone `ZONE` finds in `rest`, by hand when it is ASCII.
fn zone_in(rest: &str) -> Option<&str> {
    match fast::zone(rest) {
        Some(zone) => zone,
        None => ZONE
            .captures(rest)
            .and_then(|z| z.get(1))
            .map(|m| m.as_str()),
    }
}

/// The site's time zone from its `timezone` setting.
#[derive(Debug, Clone)]
pub struct SiteZone {
    /// The zone; UTC when the site names none.
    pub tz: TimeZone,
}

impl Default for SiteZone {
    fn default() -> Self {
        SiteZone { tz: TimeZone::UTC }
    }
}

impl SiteZone {
    /// Looks up an IANA name in the bundled database.
    pub fn named(name: &str) -> Result<SiteZone, String> {
        TimeZone::get(name)
            .map(|tz| SiteZone { tz })
            .map_err(|e| e.to_string())
    }

    /// The civil date-time of `dt` in this zone (what `strftime` shows after
    /// Ruby's `localtime`).
    pub fn civil(&self, dt: &DateTime) -> civil::DateTime {
        self.tz.to_offset(dt.instant).to_datetime(dt.instant)
    }

    /// `dt` shown with this zone's offset at its instant.
    pub fn localize(&self, dt: DateTime) -> DateTime {
        DateTime {
            instant: dt.instant,
            offset: self.tz.to_offset(dt.instant),
        }
    }

    /// The current time in this zone (Jekyll's `site.time`).
    pub fn now(&self) -> DateTime {
        let instant = jiff::Timestamp::now();
        DateTime {
            instant,
            offset: self.tz.to_offset(instant),
        }
    }

    /// Resolves a civil date-time in this zone (a time skipped by a DST
    /// change moves forward, as Ruby's `Time.local` does).
    fn resolve(&self, dt: civil::DateTime) -> Option<DateTime> {
        let zoned = self.tz.to_ambiguous_zoned_datetime(dt).compatible().ok()?;
        Some(DateTime {
            instant: zoned.timestamp(),
            offset: zoned.offset(),
        })
    }
}

/// True when `text` has the shape of a date even if [`parse`] rejects it
/// (a day past 31, or an instant outside the range jiff represents).
pub fn looks_like_date(text: &str) -> bool {
    let Some(c) = date_groups(text) else {
        return false;
    };
    let n = |i: usize| c[i].and_then(|m| m.parse::<u32>().ok());
    matches!((n(2), n(3)), (Some(1..=12), Some(1..=31)))
}

/// Parses a date as Jekyll's `Utils.parse_date` would: with an offset it is
/// that instant (shown with that offset); without one it is a civil time in
/// the site's zone. Returns `None` for what Ruby could not parse.
pub fn parse(text: &str, zone: &SiteZone) -> Option<DateTime> {
    parse_noting_rollover(text, zone).map(|(d, _)| d)
}

/// [`parse`], and for a date naming a day its month does not have
/// (`2021-02-30`, which Ruby rolls over into the next month) the date as
/// written, from one match of the pattern.
pub fn parse_noting_rollover(text: &str, zone: &SiteZone) -> Option<(DateTime, Option<String>)> {
    let c = date_groups(text)?;
    let num = |i: usize| -> Option<i64> {
        match c[i] {
            Some(m) => m.parse().ok(),
            None => Some(0),
        }
    };
    let year = i16::try_from(num(1)?).ok()?;
    let month = i8::try_from(num(2)?).ok()?;
    let day = i8::try_from(num(3)?).ok()?;
    let hour = i8::try_from(num(4)?).ok()?;
    let minute = i8::try_from(num(5)?).ok()?;
    let second = i8::try_from(num(6)?).ok()?;
    let nanos = match c[7] {
        Some(m) => {
            let digits: String = m.chars().take(9).collect();
            let padded = format!("{digits:0<9}");
            padded.parse::<i32>().ok()?
        }
        None => 0,
    };
    if !(1..=31).contains(&day) {
        return None;
    }
    let rolled = civil::Date::new(year, month, day)
        .is_err()
        .then(|| format!("{year:04}-{month:02}-{day:02}"));
    // Ruby's `Time` rolls a day past the month's end over (`Feb 30` is
    // `Mar 2`), so build the first of the month and add days.
    let civil = civil::DateTime::new(year, month, 1, hour, minute, second, nanos)
        .ok()?
        .checked_add(jiff::Span::new().days(i64::from(day) - 1))
        .ok()?;
    let rest = c[8].unwrap_or("");
    if !rest.is_empty()
        && !rest.starts_with(char::is_whitespace)
        && !rest.starts_with(['Z', 'z', '+', '-'])
    {
        return None;
    }
    let written_zone = zone_in(rest);
    let date = match written_zone {
        None => zone.resolve(civil),
        // A time YAML read with no offset comes as `… UTC` (Ruby's `to_s` of
        // such a time): that instant, shown in the site's zone as Jekyll
        // shows it after `localtime`.
        Some("UTC") => {
            let instant = Offset::UTC.to_timestamp(civil).ok()?;
            Some(zone.localize(DateTime {
                instant,
                offset: Offset::UTC,
            }))
        }
        Some(z) => {
            let offset = parse_offset(z)?;
            let instant = offset.to_timestamp(civil).ok()?;
            Some(DateTime { instant, offset })
        }
    }?;
    Some((date, rolled))
}

/// `Z`, `UTC`, `+0530`, `-07:00`, `+9`.
fn parse_offset(z: &str) -> Option<Offset> {
    match z {
        "Z" | "z" | "UTC" | "GMT" => return Some(Offset::UTC),
        _ => {}
    }
    let sign: i32 = if z.starts_with('-') { -1 } else { 1 };
    let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        3 => (digits[..1].parse().ok()?, digits[1..].parse().ok()?),
        4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
        _ => return None,
    };
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> SiteZone {
        SiteZone::named("America/New_York").unwrap()
    }

    #[test]
    fn a_day_past_the_months_end_rolls_over_and_is_noted() {
        let (d, rolled) = parse_noting_rollover("2021-02-30 10:00:00 +0000", &SiteZone::default())
            .expect("Ruby reads it");
        assert_eq!(d.rfc3339(), "2021-03-02T10:00:00+00:00");
        assert_eq!(rolled.as_deref(), Some("2021-02-30"));
        let (_, rolled) = parse_noting_rollover("2024-02-29", &SiteZone::default()).unwrap();
        assert_eq!(rolled, None);
    }

    #[test]
    fn offset_in_the_text_wins_and_is_kept() {
        let d = parse("2017-05-01 01:21:12 -0700", &SiteZone::default()).unwrap();
        assert_eq!(d.rfc3339(), "2017-05-01T01:21:12-07:00");
        let utc = SiteZone::default().civil(&d);
        assert_eq!((utc.day(), utc.hour()), (1, 8));
    }

    #[test]
    fn no_offset_means_the_site_zone() {
        assert_eq!(
            parse("2016-12-31", &ny()).unwrap().rfc3339(),
            "2016-12-31T00:00:00-05:00"
        );
        // Past the last instant jiff represents.
        assert!(parse("9999-12-31", &ny()).is_none());
        assert!(looks_like_date("9999-12-31"));
        assert!(!looks_like_date("2020-13-01"));
        assert_eq!(
            parse("2016-10-06", &ny()).unwrap().rfc3339(),
            "2016-10-06T00:00:00-04:00"
        );
        assert_eq!(
            parse("2017-2-5", &SiteZone::default()).unwrap().rfc3339(),
            "2017-02-05T00:00:00+00:00"
        );
    }

    #[test]
    fn utc_times_show_in_the_site_zone() {
        assert_eq!(
            parse("2021-03-14 01:30:00 UTC", &ny()).unwrap().rfc3339(),
            "2021-03-13T20:30:00-05:00"
        );
        assert_eq!(
            parse("2021-03-14 01:30:00 +00:00", &ny())
                .unwrap()
                .rfc3339(),
            "2021-03-14T01:30:00+00:00"
        );
    }

    #[test]
    fn garbage_is_none() {
        assert!(parse("yesterday", &SiteZone::default()).is_none());
        assert_eq!(
            parse("2023-01-29 18:30:22 2023 -0800", &SiteZone::default())
                .unwrap()
                .rfc3339(),
            "2023-01-29T18:30:22-08:00"
        );
        assert!(parse("2023-01-290", &SiteZone::default()).is_none());
        assert!(parse("2019-02-32", &SiteZone::default()).is_none());
        assert_eq!(
            parse("2019-02-30", &SiteZone::default()).unwrap().rfc3339(),
            "2019-03-02T00:00:00+00:00"
        );
        assert_eq!(
            parse("2019-07-02T11:21:02.5+05:30", &SiteZone::default())
                .unwrap()
                .rfc3339(),
            "2019-07-02T11:21:02+05:30"
        );
    }
}
