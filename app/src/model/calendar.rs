//! Business days, as a response standard counts them (SPEC: "Response standard"): Monday to
//! Friday, less the deployment's holidays.
//!
//! Days are whole local dates, numbered from 1970-01-01 (day 0), in the deployment's time
//! zone: the server turns instants into local days (`server::schedule::Zone`) and back, so
//! everything here is plain arithmetic and tested without a clock.

use super::time::{days_from_civil_date, parse_date_parts};
use std::collections::BTreeSet;

/// A local date, as days since 1970-01-01.
pub type Day = i64;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<Day>,
}

impl Calendar {
    pub fn new(holidays: impl IntoIterator<Item = Day>) -> Calendar {
        Calendar {
            holidays: holidays.into_iter().collect(),
        }
    }

    /// Reads `HANDOFF_HOLIDAYS`: dates as YYYY-MM-DD separated by commas or spaces. `Err`
    /// names the first entry that is not a date.
    pub fn parse(list: &str) -> Result<Calendar, String> {
        let mut holidays = BTreeSet::new();
        for entry in list
            .split([',', ' ', '\n'])
            .filter(|e| !e.trim().is_empty())
        {
            let day = parse_day(entry.trim())
                .ok_or_else(|| format!("{:?} is not a date (YYYY-MM-DD)", entry.trim()))?;
            holidays.insert(day);
        }
        Ok(Calendar { holidays })
    }

    pub fn holidays(&self) -> impl Iterator<Item = Day> + '_ {
        self.holidays.iter().copied()
    }

    pub fn is_business_day(&self, day: Day) -> bool {
        weekday(day) < 5 && !self.holidays.contains(&day)
    }

    /// The `n`th business day after `day` (`day` itself never counts, so a referral made on
    /// a Saturday with a standard of 2 is due on Tuesday). `n == 0` answers `day`.
    pub fn add_business_days(&self, day: Day, n: u32) -> Day {
        let mut at = day;
        let mut left = n;
        while left > 0 {
            at += 1;
            if self.is_business_day(at) {
                left -= 1;
            }
        }
        at
    }
}

/// 0 for Monday … 6 for Sunday (1970-01-01 was a Thursday).
pub fn weekday(day: Day) -> i64 {
    (day + 3).rem_euclid(7)
}

/// "2026-12-25" as a day number.
pub fn parse_day(s: &str) -> Option<Day> {
    let (y, m, d) = parse_date_parts(s)?;
    Some(days_from_civil_date(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        parse_day(s).unwrap()
    }

    #[test]
    fn weekdays_are_counted_from_a_known_thursday() {
        assert_eq!(weekday(0), 3);
        assert_eq!(weekday(day("2026-12-07")), 0, "a Monday");
        assert_eq!(weekday(day("2026-12-13")), 6, "a Sunday");
    }

    #[test]
    fn business_days_skip_the_weekend() {
        let c = Calendar::default();
        // Thursday + 2 = Monday; Friday + 2 = Tuesday; Saturday and Sunday + 2 = Tuesday.
        assert_eq!(c.add_business_days(day("2026-12-03"), 2), day("2026-12-07"));
        assert_eq!(c.add_business_days(day("2026-12-04"), 2), day("2026-12-08"));
        assert_eq!(c.add_business_days(day("2026-12-05"), 2), day("2026-12-08"));
        assert_eq!(c.add_business_days(day("2026-12-06"), 2), day("2026-12-08"));
        assert_eq!(c.add_business_days(day("2026-12-07"), 0), day("2026-12-07"));
        assert_eq!(c.add_business_days(day("2026-12-07"), 5), day("2026-12-14"));
    }

    #[test]
    fn business_days_skip_holidays_too() {
        let c = Calendar::parse("2026-12-25, 2027-01-01").unwrap();
        assert!(!c.is_business_day(day("2026-12-25")));
        assert!(c.is_business_day(day("2026-12-24")));
        // Thursday 24th + 2: Friday 25th is a holiday, the weekend follows: Tuesday 29th.
        assert_eq!(c.add_business_days(day("2026-12-24"), 2), day("2026-12-29"));
        // Over New Year: Wednesday 30th + 2 skips Friday 1st: Monday 4th.
        assert_eq!(c.add_business_days(day("2026-12-30"), 2), day("2027-01-04"));
    }

    #[test]
    fn every_start_and_length_lands_on_a_business_day_after_exactly_n_of_them() {
        let c = Calendar::parse("2026-12-25,2027-01-01").unwrap();
        for start in day("2026-12-01")..day("2027-01-15") {
            for n in 1..=10u32 {
                let due = c.add_business_days(start, n);
                assert!(c.is_business_day(due), "{start} + {n}");
                let counted = (start + 1..=due).filter(|d| c.is_business_day(*d)).count();
                assert_eq!(counted, n as usize, "{start} + {n}");
            }
        }
    }

    #[test]
    fn a_holiday_list_names_what_is_not_a_date() {
        assert_eq!(Calendar::parse("").unwrap(), Calendar::default());
        let err = Calendar::parse("2026-12-25,Christmas").unwrap_err();
        assert!(err.contains("Christmas"), "{err}");
        assert!(Calendar::parse("2026-02-30").is_err());
    }
}
