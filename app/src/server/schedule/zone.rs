//! The deployment's time zone (`HANDOFF_TIME_ZONE`): instants to local days and back, for
//! the pure business-day rules in `model::calendar` (jiff reads the system's IANA database).

use crate::model::calendar::Day;
use crate::model::time::{civil_from_day, days_from_civil_date};
use jiff::tz::TimeZone;
use jiff::{Timestamp, civil};

#[derive(Clone, Debug)]
pub struct Zone {
    name: String,
    tz: TimeZone,
}

impl Default for Zone {
    fn default() -> Self {
        Zone {
            name: "UTC".into(),
            tz: TimeZone::UTC,
        }
    }
}

/// A local date and the minutes since its midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocalTime {
    pub day: Day,
    pub minute_of_day: u32,
}

impl Zone {
    /// An IANA name ("America/Chicago"); `Err` says it is not one this system knows.
    pub fn named(name: &str) -> Result<Zone, String> {
        let tz = TimeZone::get(name.trim())
            .map_err(|e| format!("{name:?} is not a time zone this system knows ({e})"))?;
        Ok(Zone {
            name: name.trim().to_string(),
            tz,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The local date and time of an instant (epoch ms).
    pub fn local(&self, at_ms: i64) -> LocalTime {
        let zoned = Timestamp::from_millisecond(at_ms)
            .unwrap_or(Timestamp::UNIX_EPOCH)
            .to_zoned(self.tz.clone());
        let date = zoned.date();
        LocalTime {
            day: days_from_civil_date(
                i64::from(date.year()),
                date.month() as u32,
                date.day() as u32,
            ),
            minute_of_day: zoned.hour() as u32 * 60 + zoned.minute() as u32,
        }
    }

    /// The first instant (epoch ms) of a local date: midnight, or the first minute after a
    /// daylight-saving gap that skips it.
    pub fn start_of(&self, day: Day) -> i64 {
        let (y, m, d) = civil_from_day(day);
        civil::Date::new(y as i16, m as i8, d as i8)
            .and_then(|date| date.to_zoned(self.tz.clone()))
            .map(|zoned| zoned.timestamp().as_millisecond())
            .unwrap_or(day * 86_400_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_day;

    #[test]
    fn local_days_follow_the_zone_not_utc() {
        let chicago = Zone::named("America/Chicago").unwrap();
        // 2026-12-08 03:30 UTC is still the 7th, 21:30, in Chicago (UTC-6 in winter).
        let at = parse_day("2026-12-08").unwrap() * 86_400_000 + (3 * 60 + 30) * 60_000;
        let local = chicago.local(at);
        assert_eq!(local.day, parse_day("2026-12-07").unwrap());
        assert_eq!(local.minute_of_day, 21 * 60 + 30);
        assert_eq!(
            Zone::default().local(at).day,
            parse_day("2026-12-08").unwrap()
        );
    }

    #[test]
    fn a_local_day_starts_at_local_midnight_even_across_daylight_saving() {
        let chicago = Zone::named("America/Chicago").unwrap();
        let day = parse_day("2026-12-07").unwrap();
        assert_eq!(chicago.start_of(day), day * 86_400_000 + 6 * 3_600_000);
        // 2026-03-08 is the day clocks go forward; its midnight is still UTC-6.
        let spring = parse_day("2026-03-08").unwrap();
        assert_eq!(
            chicago.start_of(spring),
            spring * 86_400_000 + 6 * 3_600_000
        );
        let summer = parse_day("2026-07-01").unwrap();
        assert_eq!(
            chicago.start_of(summer),
            summer * 86_400_000 + 5 * 3_600_000
        );
        for d in [day, spring, summer] {
            assert_eq!(chicago.local(chicago.start_of(d)).day, d);
            assert_eq!(chicago.local(chicago.start_of(d)).minute_of_day, 0);
        }
    }

    #[test]
    fn an_unknown_zone_is_named_in_the_error() {
        let err = Zone::named("Mars/Olympus_Mons").unwrap_err();
        assert!(err.contains("Mars/Olympus_Mons"), "{err}");
    }
}
