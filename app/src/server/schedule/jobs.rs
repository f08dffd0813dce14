//! The scheduled jobs: what each does and how often (`runner` runs them under a lease).

use crate::server::store::{Store, StoreError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Deadlines for referrals made before there were any (a no-op once filled).
    Deadlines,
    /// The reports' local days and cells, counted again in a new time zone (a no-op once
    /// counted in this one).
    ReportCells,
    /// Escalation of referrals still overdue at their escalation time.
    Escalations,
    /// Seeker check-ins that are due.
    CheckIns,
    /// The day's reminder to program staff and unclaimed programs' listed emails.
    Reminders,
    /// Ended sessions, old throttle records, spent links and sent emails' contents removed
    /// (`Store::sweep`).
    Housekeeping,
}

impl Job {
    pub const ALL: [Job; 6] = [
        Job::Deadlines,
        Job::ReportCells,
        Job::Escalations,
        Job::CheckIns,
        Job::Reminders,
        Job::Housekeeping,
    ];

    /// The name its lease is kept under.
    pub fn name(self) -> &'static str {
        match self {
            Job::Deadlines => "deadlines",
            Job::ReportCells => "report_cells",
            Job::Escalations => "escalations",
            Job::CheckIns => "check_ins",
            Job::Reminders => "reminders",
            Job::Housekeeping => "housekeeping",
        }
    }

    /// How long after a run finished the next may start. Short enough that nothing waits
    /// long past its time; reminders are once a day per recipient whatever this is.
    pub fn every_ms(self) -> i64 {
        let minute = crate::server::clock::MINUTE_MS;
        match self {
            Job::Deadlines | Job::ReportCells => minute,
            Job::Escalations | Job::Reminders => 5 * minute,
            Job::CheckIns => 15 * minute,
            Job::Housekeeping => 60 * minute,
        }
    }

    /// Runs the job once as of `now`; answers how many things it did (referrals filled,
    /// emails queued).
    pub async fn run(self, store: &Store, now: i64) -> Result<usize, StoreError> {
        match self {
            Job::Deadlines => store.fill_deadlines(now).await,
            Job::ReportCells => store.count_report_cells().await,
            Job::Escalations => store.queue_escalations(now).await,
            Job::CheckIns => store.queue_check_ins(now).await,
            Job::Housekeeping => Ok(store
                .sweep(now, crate::server::auth::THROTTLE_WINDOW_MS)
                .await?
                .total()),
            Job::Reminders => {
                let schedule = store.schedule();
                let local = schedule.zone.local(now);
                match schedule.rules.reminder_day(local.day, local.minute_of_day) {
                    Some(day) => Ok(store.queue_reminders(day, now).await?.emails),
                    None => Ok(0),
                }
            }
        }
    }
}
