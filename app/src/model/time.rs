//! Showing stored timestamps (epoch milliseconds) the same way on server and browser, so
//! hydration never disagrees. Times are shown in UTC until per-deployment time zones exist.

/// "2026-11-25 19:40 UTC"
pub fn format_utc(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// "2026-11-25"
pub fn format_date(epoch_ms: i64) -> String {
    let (y, m, d) = civil_from_days(epoch_ms.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Parses "YYYY-MM-DD" (a date input's value) to the epoch milliseconds of its midnight UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    let (y, m, d) = parse_date_parts(s)?;
    Some(days_from_civil(y, m, d) * 86_400_000)
}

/// "YYYY-MM-DD" as a checked (year, month, day), years 1970 to 9999.
pub fn parse_date_parts(s: &str) -> Option<(i64, u32, u32)> {
    let mut it = s.trim().splitn(3, '-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1970..=9999).contains(&y) {
        return None;
    }
    Some((y, m, d))
}

/// Days since 1970-01-01 of a (year, month, day) already checked by `parse_date_parts`.
pub fn days_from_civil_date(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d)
}

/// (year, month, day) of a day number (days since 1970-01-01).
pub fn civil_from_day(day: i64) -> (i64, u32, u32) {
    civil_from_days(day)
}

/// "2026-11-25" for a day number (days since 1970-01-01).
pub fn format_day(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// "2026-11-25T19:40:05Z", as HSDS's `last_modified` and `modified_after` write it.
pub fn format_rfc3339(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let rem = secs.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        format_date(epoch_ms),
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Parses a date ("2026-11-25", midnight UTC) or an RFC 3339 date-time
/// ("2026-11-25T19:40:05Z", "2026-11-25T19:40:05.123+01:00", "2026-11-25T19:40Z").
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, time) = match s.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let day = parse_date(date)?;
    let Some(time) = time else {
        return Some(day);
    };
    let (clock, offset_minutes) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, 0)
    } else {
        let at = time.rfind(['+', '-'])?;
        let (c, off) = time.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (h, m) = off[1..].split_once(':')?;
        let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
        if h > 23 || m > 59 {
            return None;
        }
        (c, sign * (h * 60 + m))
    };
    let mut parts = clock.splitn(3, ':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let (sec, ms) = match parts.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let whole: i64 = whole.parse().ok()?;
            let digits: String = frac.chars().take(3).collect();
            if !frac.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let ms = if digits.is_empty() {
                0
            } else {
                format!("{digits:0<3}").parse::<i64>().ok()?
            };
            (whole, ms)
        }
    };
    if h > 23 || m > 59 || sec > 60 {
        return None;
    }
    Some(day + ((h * 60 + m - offset_minutes) * 60 + sec) * 1000 + ms)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's algorithms (public domain): days since 1970-01-01 <-> civil date.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_timestamps_in_and_out() {
        let t = parse_date("2026-11-25").unwrap() + ((19 * 60 + 40) * 60 + 5) * 1000;
        assert_eq!(format_rfc3339(t), "2026-11-25T19:40:05Z");
        assert_eq!(parse_timestamp("2026-11-25T19:40:05Z"), Some(t));
        assert_eq!(parse_timestamp("2026-11-25t19:40:05z"), Some(t));
        assert_eq!(parse_timestamp("2026-11-25T19:40:05.123Z"), Some(t + 123));
        assert_eq!(parse_timestamp("2026-11-25T19:40:05.1Z"), Some(t + 100));
        assert_eq!(parse_timestamp("2026-11-25T20:40:05+01:00"), Some(t));
        assert_eq!(parse_timestamp("2026-11-25T14:10:05-05:30"), Some(t));
        assert_eq!(parse_timestamp("2026-11-25T19:40Z"), Some(t - 5000));
        assert_eq!(parse_timestamp("2026-11-25"), parse_date("2026-11-25"));
        for bad in [
            "",
            "yesterday",
            "2026-13-01",
            "2026-11-25T25:00Z",
            "2026-11-25T19:40:05",
            "2026-11-25T19:40:05.x1Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn known_instants() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(1_795_635_600_000), "2026-11-25 19:40 UTC");
        assert_eq!(format_date(951_782_400_000), "2000-02-29");
    }

    #[test]
    fn dates_round_trip_every_day_for_sixty_years() {
        for day in 0..(60 * 366) {
            let ms = day * 86_400_000;
            assert_eq!(parse_date(&format_date(ms)), Some(ms), "day {day}");
        }
    }

    #[test]
    fn bad_dates_are_refused() {
        for bad in [
            "",
            "2026-13-01",
            "2026-02-30",
            "2025-02-29",
            "26-1-1x",
            "2026/01/01",
            "1969-12-31",
        ] {
            assert_eq!(parse_date(bad), None, "{bad:?}");
        }
        assert!(parse_date("2024-02-29").is_some());
    }
}
