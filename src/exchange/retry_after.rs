//! How long Zoom asks a caller to wait: the `Retry-After` header (seconds, an HTTP
//! date or an ISO 8601 date-time) and the wait a 429's message states.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Parses a `Retry-After` value: whole seconds, an HTTP date, or an ISO 8601 date-time
/// (`2024-05-01T12:00:00Z`, with optional fractions and a `±hh:mm` offset; seen from
/// Zoom), a date turned into the wait from `now` (zero when it has passed). Anything
/// else is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurd values saturate rather than fail: the retry cap refuses them anyway.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let when = match httpdate::parse_http_date(value) {
        Ok(when) => when,
        Err(_) => parse_iso8601(value)?,
    };
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// An ISO 8601 / RFC 3339 date-time: `YYYY-MM-DD[T ]hh:mm[:ss[.fff]][Z|±hh[:]mm]`
/// (no zone: UTC). Dates before 1970 are `None`.
fn parse_iso8601(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = b.get(range)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    let mut at = 16;
    let mut second = 0;
    if b.get(at) == Some(&b':') {
        second = num(17..19)?;
        at = 19;
    }
    let mut nanos = 0u32;
    if matches!(b.get(at), Some(b'.' | b',')) {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        let digits = std::str::from_utf8(&b[start..at]).ok()?;
        if digits.is_empty() {
            return None;
        }
        let padded: String = digits
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        nanos = padded.parse().ok()?;
    }
    let offset = match &b[at..] {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let rest = std::str::from_utf8(rest).ok()?.replace(':', "");
            if rest.len() != 4 || !rest.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let (h, m): (i64, i64) = (rest[..2].parse().ok()?, rest[2..].parse().ok()?);
            let secs = h * 3600 + m * 60;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    // Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
    let secs = u64::try_from(secs).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::new(secs, nanos))
}

/// The wait a 429's message states ("... retry after 30 seconds", "retry making a new
/// request after 30 seconds", "after 2 minutes"), for answers without `Retry-After`.
pub(crate) fn stated_wait(message: &str) -> Option<Duration> {
    let lower = message.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("after ") {
        rest = &rest[at + "after ".len()..];
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            continue;
        }
        let unit = rest[digits.len()..].trim_start();
        let n: u64 = digits.parse().unwrap_or(u64::MAX);
        let secs = if unit.starts_with("sec") || unit.starts_with("s ") || unit == "s" {
            n
        } else if unit.starts_with("min") {
            n.saturating_mul(60)
        } else if unit.starts_with("hour") {
            n.saturating_mul(3600)
        } else {
            continue;
        };
        return Some(Duration::from_secs(secs));
    }
    None
}

/// `2026-12-07T00:00:00Z`: a time in ISO 8601, UTC, to the second.
pub(crate) fn iso_8601(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_stated_in_messages() {
        let secs = |m| stated_wait(m).map(|d| d.as_secs());
        assert_eq!(
            secs("Too many requests, please retry after 30 seconds."),
            Some(30)
        );
        assert_eq!(
            secs("You have reached the limit. Retry making a new request after 30 seconds"),
            Some(30)
        );
        assert_eq!(secs("retry after 2 minutes"), Some(120));
        assert_eq!(secs("after the meeting, retry after 5 s"), Some(5));
        assert_eq!(
            secs("You have reached the maximum per-second rate limit."),
            None
        );
        assert_eq!(secs("retry after 30 days"), None);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_784_000_000);
        assert_eq!(parse_retry_after("30", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(90));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(90))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(90));
        assert_eq!(parse_retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
        let iso = |s: &str| parse_retry_after(s, now);
        // 1_784_000_000 is 2026-07-14T03:33:20Z.
        assert_eq!(iso("2026-07-14T03:34:50Z"), Some(Duration::from_secs(90)));
        assert_eq!(
            iso("2026-07-14T03:34:50.500Z"),
            Some(Duration::from_millis(90_500))
        );
        assert_eq!(
            iso("2026-07-14T05:34:50+02:00"),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            iso("2026-07-14T01:34:50-0200"),
            Some(Duration::from_secs(90))
        );
        assert_eq!(iso("2026-07-14 03:34:50"), Some(Duration::from_secs(90)));
        assert_eq!(iso("2026-07-13T00:00:00Z"), Some(Duration::ZERO));
        assert_eq!(iso("2026-13-14T03:34:50Z"), None);
        assert_eq!(iso("2026-07-14T03:34:50Q"), None);
        assert_eq!(iso("2026-07-14"), None);
        assert_eq!(parse_retry_after("-5", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }
}
