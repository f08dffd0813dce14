//! The loop closes on time (SPEC: "Response standard", "Reminders and escalation", "Seeker
//! check-ins"): when a referral is overdue, when it is escalated, when a seeker is asked
//! how it went, and what their answer does. Who is emailed stays in `notify`.
//!
//! Deadlines are local days (`calendar`); the server turns them into instants in the
//! deployment's time zone once, when the referral is made, and stores them on it.

use super::Status;
use super::StatusGroup;
use super::calendar::{Calendar, Day};
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The deployment's settings for following referrals up (README: "Configuration").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpRules {
    /// Business days a program has to move a referral out of "Not updated" (a program may
    /// set its own: `programs.response_days`).
    pub respond_days: u32,
    /// Business days after that before the referring helper is told.
    pub escalate_days: u32,
    /// Days after a referral reaches Eligible, or has stayed open, before the seeker is asked.
    pub check_in_days: u32,
    /// Local hour from which the day's reminder goes to program staff.
    pub reminder_hour: u32,
    pub calendar: Calendar,
}

impl Default for FollowUpRules {
    fn default() -> Self {
        FollowUpRules {
            respond_days: 2,
            escalate_days: 2,
            check_in_days: 14,
            reminder_hour: 8,
            calendar: Calendar::default(),
        }
    }
}

/// The most business days a response standard may be (a month and a half of them).
pub const MOST_RESPONSE_DAYS: u32 = 30;

/// The local days from whose start a referral made on `created` is overdue, then escalated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadlines {
    pub overdue_from: Day,
    pub escalate_from: Day,
}

impl FollowUpRules {
    /// Due at the end of the `respond_days`th business day after the day it was made:
    /// overdue from the next morning; escalated `escalate_days` business days later.
    pub fn deadlines(&self, created: Day, respond_days: u32) -> Deadlines {
        let due = self.calendar.add_business_days(created, respond_days);
        let escalate = self.calendar.add_business_days(due, self.escalate_days);
        Deadlines {
            overdue_from: due + 1,
            escalate_from: escalate + 1,
        }
    }

    /// The local day whose reminder may go at this local time: business days only, from
    /// the reminder hour (nobody wants a nagging email at midnight or on a Sunday).
    pub fn reminder_day(&self, today: Day, minute_of_day: u32) -> Option<Day> {
        (self.calendar.is_business_day(today) && minute_of_day >= self.reminder_hour * 60)
            .then_some(today)
    }

    /// The check-in due now for a referral, if any (each step once: `sent` lists those
    /// already sent). None once it has a final status: the loop closed.
    pub fn check_in_due(&self, r: &CheckInFacts<'_>, now: i64) -> Option<CheckInStep> {
        if r.status.group() != StatusGroup::InProgress {
            return None;
        }
        let wait = i64::from(self.check_in_days) * DAY_MS;
        // An Eligible referral is asked about from when it became eligible; any other open
        // one from when it was made.
        let (step, since) = match (r.status, r.eligible_since) {
            (Status::Eligible, Some(since)) => (CheckInStep::Eligible, since),
            _ => (CheckInStep::Open, r.created_at),
        };
        (now >= since + wait && !r.sent.contains(&step)).then_some(step)
    }
}

/// Whether a referral shows as overdue: still "Not updated" once its deadline has passed.
pub fn is_overdue(status: Status, overdue_at: Option<i64>, now: i64) -> bool {
    status == Status::NotUpdated && overdue_at.is_some_and(|at| now >= at)
}

/// Whether an overdue referral is escalated now (once: `escalated` says it was).
pub fn escalation_due(status: Status, escalate_at: Option<i64>, escalated: bool, now: i64) -> bool {
    !escalated && is_overdue(status, escalate_at, now)
}

/// What a check-in is sent about; each is sent at most once per referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInStep {
    /// Open that many days with no final status.
    Open,
    /// That many days after it reached Eligible.
    Eligible,
    /// A self-referral still overdue at escalation: the seeker hears early, with the
    /// directory, since there is no helper to tell.
    Early,
}

super::codes::text_codes!(CheckInStep {
    Open => "open",
    Eligible => "eligible",
    Early => "early",
});

/// The facts `check_in_due` reads.
#[derive(Clone, Copy, Debug)]
pub struct CheckInFacts<'a> {
    pub status: Status,
    pub created_at: i64,
    /// When it last became Eligible, if that is its status.
    pub eligible_since: Option<i64>,
    pub sent: &'a [CheckInStep],
}

/// A seeker's one-tap answer to "Did you get help?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckInAnswer {
    GotHelp,
    CouldntGetHelp,
    StillWaiting,
}

super::codes::text_codes!(CheckInAnswer {
    GotHelp => "got_help",
    CouldntGetHelp => "couldnt_get_help",
    StillWaiting => "still_waiting",
});

impl CheckInAnswer {
    /// The status the answer sets; "still waiting" sets none (the history records it).
    pub fn status(self) -> Option<Status> {
        match self {
            CheckInAnswer::GotHelp => Some(Status::GotHelp),
            CheckInAnswer::CouldntGetHelp => Some(Status::CouldntGetHelp),
            CheckInAnswer::StillWaiting => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::calendar::parse_day;
    use super::*;

    fn day(s: &str) -> Day {
        parse_day(s).unwrap()
    }

    fn rules() -> FollowUpRules {
        FollowUpRules {
            calendar: Calendar::parse("2026-12-25").unwrap(),
            ..FollowUpRules::default()
        }
    }

    #[test]
    fn a_friday_referral_is_overdue_on_wednesday_and_escalated_after_a_holiday() {
        // Friday 18th, 2 business days: due Tuesday 22nd, overdue from Wednesday 23rd;
        // 2 more: Wednesday 23rd is one, Thursday 24th the other: escalated from Friday
        // 25th, a holiday that only matters when counting, not when starting.
        let d = rules().deadlines(day("2026-12-18"), 2);
        assert_eq!(d.overdue_from, day("2026-12-23"));
        assert_eq!(d.escalate_from, day("2026-12-25"));
        // Wednesday 23rd + 2: Thursday 24th, then the holiday and the weekend are skipped:
        // due Monday 28th.
        let d = rules().deadlines(day("2026-12-23"), 2);
        assert_eq!(d.overdue_from, day("2026-12-29"));
        // Escalation two business days on: Tuesday 29th, Wednesday 30th.
        assert_eq!(d.escalate_from, day("2026-12-31"));
    }

    #[test]
    fn a_program_standard_of_its_own_moves_only_its_deadlines() {
        let quick = rules().deadlines(day("2026-12-07"), 1);
        let slow = rules().deadlines(day("2026-12-07"), 5);
        assert_eq!(quick.overdue_from, day("2026-12-09"));
        assert_eq!(slow.overdue_from, day("2026-12-15"));
    }

    #[test]
    fn overdue_only_while_not_updated_and_past_the_deadline() {
        for status in Status::ALL {
            for (at, now, past) in [
                (Some(100), 99, false),
                (Some(100), 100, true),
                (None, 1, false),
            ] {
                let want = status == Status::NotUpdated && past;
                assert_eq!(is_overdue(status, at, now), want, "{status:?} {at:?} {now}");
                assert_eq!(escalation_due(status, at, false, now), want);
                assert!(!escalation_due(status, at, true, now), "escalated once");
            }
        }
    }

    #[test]
    fn reminders_go_on_business_days_from_the_hour() {
        let r = rules();
        let monday = day("2026-12-21");
        assert_eq!(r.reminder_day(monday, 7 * 60 + 59), None);
        assert_eq!(r.reminder_day(monday, 8 * 60), Some(monday));
        assert_eq!(r.reminder_day(day("2026-12-19"), 12 * 60), None, "Saturday");
        assert_eq!(r.reminder_day(day("2026-12-25"), 12 * 60), None, "holiday");
    }

    #[test]
    fn check_ins_wait_their_days_then_go_once_per_step_and_never_after_the_end() {
        let r = rules();
        let days = |n: i64| n * DAY_MS;
        for status in Status::ALL {
            for eligible_since in [None, Some(days(5))] {
                for sent in [&[][..], &[CheckInStep::Open], &[CheckInStep::Eligible]] {
                    let facts = CheckInFacts {
                        status,
                        created_at: 0,
                        eligible_since,
                        sent,
                    };
                    for now in [days(13), days(14), days(18), days(19), days(40)] {
                        let expected = if status.group() != StatusGroup::InProgress {
                            None
                        } else if status == Status::Eligible && eligible_since.is_some() {
                            (now >= days(19) && !sent.contains(&CheckInStep::Eligible))
                                .then_some(CheckInStep::Eligible)
                        } else {
                            (now >= days(14) && !sent.contains(&CheckInStep::Open))
                                .then_some(CheckInStep::Open)
                        };
                        assert_eq!(
                            r.check_in_due(&facts, now),
                            expected,
                            "{status:?} {eligible_since:?} {sent:?} {now}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn answers_set_a_final_status_or_none() {
        assert_eq!(CheckInAnswer::GotHelp.status(), Some(Status::GotHelp));
        assert_eq!(
            CheckInAnswer::CouldntGetHelp.status(),
            Some(Status::CouldntGetHelp)
        );
        assert_eq!(CheckInAnswer::StillWaiting.status(), None);
        for answer in CheckInAnswer::ALL {
            assert_eq!(answer.as_str().parse::<CheckInAnswer>().ok(), Some(answer));
        }
    }
}
