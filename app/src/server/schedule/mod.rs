//! Scheduled work (issue 16): the jobs that chase a referral nobody answers — deadlines for
//! referrals made before there were any, the daily reminder to program staff, escalation
//! to the referring helper, and seeker check-ins.
//!
//! Every server process runs the scheduler (`runner`); each job run is won by one instance
//! through a lease in the database (`scheduled_jobs`), as the outbox's rows are. What a job
//! decides is safe to decide twice: every email it queues is written in one transaction
//! with the row that says it was sent (a reminder's day, a check-in's step, a referral's
//! `escalated_at`), whose key refuses a second. A crash mid-run loses nothing (the next run
//! finds the work still to do) and repeats nothing (what was done is marked); a restart
//! catches up because every job asks "what is due now?", not "what happened since I ran?".

pub mod jobs;
pub mod runner;
pub mod zone;

use crate::model::follow_up::FollowUpRules;
use zone::Zone;

/// The deployment's follow-up rules and the time zone they are counted in.
#[derive(Clone, Debug, Default)]
pub struct Schedule {
    pub rules: FollowUpRules,
    pub zone: Zone,
}

/// When a referral is overdue, and when it is escalated (epoch ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeadlineInstants {
    pub overdue_at: i64,
    pub escalate_at: i64,
}

impl Schedule {
    /// The deadlines of a referral made at `created_at` to a program whose own standard is
    /// `program_days` (the deployment's when it has none).
    pub fn deadlines(&self, created_at: i64, program_days: Option<u32>) -> DeadlineInstants {
        let days = program_days.unwrap_or(self.rules.respond_days);
        let d = self.rules.deadlines(self.zone.local(created_at).day, days);
        DeadlineInstants {
            overdue_at: self.zone.start_of(d.overdue_from),
            escalate_at: self.zone.start_of(d.escalate_from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::parse_day;

    #[test]
    fn a_friday_afternoon_referral_in_chicago_is_overdue_from_wednesday_midnight_there() {
        let schedule = Schedule {
            rules: FollowUpRules::default(),
            zone: Zone::named("America/Chicago").unwrap(),
        };
        // Friday 2026-12-04 22:00 UTC is 16:00 in Chicago.
        let friday = parse_day("2026-12-04").unwrap() * 86_400_000 + 22 * 3_600_000;
        let d = schedule.deadlines(friday, None);
        let wednesday = parse_day("2026-12-09").unwrap();
        assert_eq!(d.overdue_at, wednesday * 86_400_000 + 6 * 3_600_000);
        // Two more business days: Wednesday and Thursday; escalated from Friday 11th.
        let friday_after = parse_day("2026-12-11").unwrap();
        assert_eq!(d.escalate_at, friday_after * 86_400_000 + 6 * 3_600_000);
        // The same instant is already Saturday in UTC: due a day later there.
        let utc = Schedule::default().deadlines(friday + 3 * 3_600_000, None);
        assert_eq!(utc.overdue_at, wednesday * 86_400_000);
        // A program's own standard of 1 day.
        let quick = schedule.deadlines(friday, Some(1));
        assert_eq!(
            quick.overdue_at,
            parse_day("2026-12-08").unwrap() * 86_400_000 + 6 * 3_600_000
        );
    }
}
