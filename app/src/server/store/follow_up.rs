//! The store's side of following referrals up (issue 16): "seen by the program", consent
//! withdrawn and given again, a check-in's "still waiting", overdue counts, and the
//! scheduled jobs' work (`server::schedule`).
//!
//! Every email a job queues is written in one transaction with the row that says it went
//! (`reminders_sent`, `check_ins`, `referrals.escalated_at`), and that row's key refuses a
//! second: two instances doing the same job at once queue each email once.

use super::Store;
use super::error::StoreError;
use super::outbox;
use super::referrals::{REFERRAL_COLUMNS, RETURNED_COLUMNS, apply, queue_notifications};
use crate::model::email::{EmailPayload, OverdueItem, ReminderPayload};
use crate::model::follow_up::{CheckInFacts, CheckInStep};
use crate::model::notify::{self, NotifyFacts};
use crate::model::{
    Actor, ContactPreference, Event, PersonName, ProgramId, Recipient, ReferralId, Status, UserId,
    change, notifications_for,
};
use crate::server::store::ReferralRow;
use std::collections::BTreeMap;

/// How many overdue referrals one reminder lists by name (the rest are counted).
pub const REMINDER_LISTS_AT_MOST: usize = 50;

/// Held while an instance runs a job (`Store::take_job`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobLease {
    pub job: String,
    pub holder: String,
}

/// What one reminder run queued.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReminderCount {
    pub emails: usize,
    pub referrals: usize,
}

impl Store {
    /// Records the first time the program's staff open a referral; later openings record
    /// nothing. Answers whether this was the first.
    pub async fn mark_seen(&self, referral: ReferralId, actor: &Actor) -> Result<bool, StoreError> {
        let now = crate::server::clock::now_ms();
        let mut tx = self.pool.begin().await?;
        let current = sqlx::query_as::<_, ReferralRow>(&format!(
            "UPDATE referrals SET seen_at = $1 WHERE id = $2 AND seen_at IS NULL RETURNING {RETURNED_COLUMNS}"
        ))
        .bind(now)
        .bind(referral)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(current) = current else {
            return Ok(false);
        };
        let decision = change::seen_by_program(&current.standing());
        let seq = apply(
            self.backend,
            &mut tx,
            (referral, current.program_id),
            &decision,
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.change_committed(seq);
        Ok(true)
    }

    /// Withdraws the seeker's consent to share contact details with the program
    /// (`withdraw`), or records it given again (`model::change::change_consent` decides who
    /// may). From a withdrawal on, every rule reads "don't reach out" (`effective_preference!`).
    pub async fn change_consent(
        &self,
        referral: ReferralId,
        withdraw: bool,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = crate::server::clock::now_ms();
        let mut tx = self.pool.begin().await?;
        // Locks the row first (see `change_status`).
        let current = sqlx::query_as::<_, ReferralRow>(&format!(
            "UPDATE referrals SET version = version WHERE id = $1 RETURNING {RETURNED_COLUMNS}"
        ))
        .bind(referral)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
        let decision = change::change_consent(
            current.consent_withdrawn_at.is_some(),
            withdraw,
            actor.role,
            &current.standing(),
        )?;
        sqlx::query("UPDATE referrals SET consent_withdrawn_at = $1 WHERE id = $2")
            .bind(withdraw.then_some(now))
            .bind(referral)
            .execute(&mut *tx)
            .await?;
        let seq = apply(
            self.backend,
            &mut tx,
            (referral, current.program_id),
            &decision,
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.change_committed(seq);
        Ok(())
    }

    /// The seeker answered a check-in "still waiting": a history row, nothing else.
    pub async fn record_still_waiting(
        &self,
        referral: ReferralId,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let now = crate::server::clock::now_ms();
        let mut tx = self.pool.begin().await?;
        let current = sqlx::query_as::<_, ReferralRow>(&format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals r WHERE r.id = $1"
        ))
        .bind(referral)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(crate::error::AppError::NotFound)?;
        let decision = change::still_waiting(&current.standing());
        let seq = apply(
            self.backend,
            &mut tx,
            (referral, current.program_id),
            &decision,
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.change_committed(seq);
        Ok(())
    }

    /// A program's "Not updated" count and how many of those are overdue at `now`, in one
    /// round trip (Inbound Referrals shows them side by side).
    pub async fn inbound_counts(
        &self,
        program: ProgramId,
        now: i64,
    ) -> Result<(i64, i64), StoreError> {
        Ok(sqlx::query_as::<_, (i64, i64)>(
            "SELECT (SELECT COALESCE(MAX(not_updated), 0) FROM program_counts WHERE program_id = $1), \
             (SELECT COUNT(*) FROM referrals WHERE program_id = $1 AND status = 'not_updated' \
              AND overdue_at <= $2)",
        )
        .bind(program)
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    /// How many of a program's referrals are overdue at `now`.
    pub async fn count_overdue(&self, program: ProgramId, now: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM referrals WHERE program_id = $1 AND status = 'not_updated' \
             AND overdue_at <= $2",
        )
        .bind(program)
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    /// A program's own response standard (business days), or `None` for the deployment's.
    pub async fn set_response_days(
        &self,
        program: ProgramId,
        days: Option<u32>,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE programs SET response_days = $1 WHERE id = $2")
            .bind(days.map(i64::from))
            .bind(program)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn response_days(&self, program: ProgramId) -> Result<Option<u32>, StoreError> {
        let days = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT response_days FROM programs WHERE id = $1",
        )
        .bind(program)
        .fetch_optional(&self.pool)
        .await?
        .flatten();
        Ok(days.and_then(|d| u32::try_from(d).ok()))
    }

    /// Moves a referral's making `days` back, with its deadlines: the demo world has a
    /// referral nobody answered for days and one open for two weeks (`server::demo`).
    pub async fn backdate_referral(
        &self,
        referral: ReferralId,
        days: i64,
    ) -> Result<(), StoreError> {
        let row = self
            .referral(referral)
            .await?
            .ok_or(crate::error::AppError::NotFound)?;
        let created_at = row.created_at - days * crate::server::clock::DAY_MS;
        let program_days = self.response_days(row.program_id).await?;
        let d = self.schedule.deadlines(created_at, program_days);
        let mut tx = self.pool.begin().await?;
        // Write first (as `change_status` does): on SQLite a transaction that reads before
        // it writes fails with "database is locked" when another process wrote meanwhile
        // (a browser test's demo world seeded beside a running server did).
        sqlx::query("UPDATE referrals SET version = version WHERE id = $1")
            .bind(referral)
            .execute(&mut *tx)
            .await?;
        super::report_cells::count_in_cells(&mut tx, referral, -1).await?;
        sqlx::query(
            "UPDATE referrals SET created_at = $1, updated_at = $1, status_changed_at = $1, \
             overdue_at = $2, escalate_at = $3, created_day = $4 WHERE id = $5",
        )
        .bind(created_at)
        .bind(d.overdue_at)
        .bind(d.escalate_at)
        .bind(self.schedule.zone.local(created_at).day)
        .bind(referral)
        .execute(&mut *tx)
        .await?;
        super::report_cells::count_in_cells(&mut tx, referral, 1).await?;
        tx.commit().await?;
        Ok(())
    }

    // ---- scheduled jobs ----

    /// Takes `job`'s lease if nobody holds it and its last run finished at least `every_ms`
    /// ago; the lease runs out after `lease_ms`, so a crashed holder's job runs again.
    pub async fn take_job(
        &self,
        job: &str,
        holder: &str,
        now: i64,
        lease_ms: i64,
        every_ms: i64,
    ) -> Result<Option<JobLease>, StoreError> {
        sqlx::query(
            "INSERT INTO scheduled_jobs (job, leased_until) VALUES ($1, 0) ON CONFLICT (job) DO NOTHING",
        )
        .bind(job)
        .execute(&self.pool)
        .await?;
        let taken = sqlx::query(
            "UPDATE scheduled_jobs SET leased_until = $1, holder = $2 \
             WHERE job = $3 AND leased_until <= $4 AND COALESCE(last_finished_at, 0) <= $5",
        )
        .bind(now + lease_ms)
        .bind(holder)
        .bind(job)
        .bind(now)
        .bind(now - every_ms)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((taken == 1).then(|| JobLease {
            job: job.to_string(),
            holder: holder.to_string(),
        }))
    }

    /// Ends a run: the lease is given back and the run's end recorded.
    pub async fn finish_job(&self, lease: &JobLease, now: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE scheduled_jobs SET leased_until = 0, last_finished_at = $1 WHERE job = $2 AND holder = $3",
        )
        .bind(now)
        .bind(&lease.job)
        .bind(&lease.holder)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives referrals made before deadlines existed (migration 0014) theirs, from when
    /// they were made. What was already past is not chased now: an upgrade must not email
    /// every helper and seeker about months-old referrals at once, so escalations already
    /// due are marked done and check-ins already due are marked as predating check-ins
    /// (`sent_at` 0). Answers how many it filled.
    pub async fn fill_deadlines(&self, now: i64) -> Result<usize, StoreError> {
        let check_in_wait =
            i64::from(self.schedule.rules.check_in_days) * crate::server::clock::DAY_MS;
        let mut filled = 0;
        loop {
            let mut tx = self.pool.begin().await?;
            // Write first, for SQLite's write lock (see `backdate_referral`).
            sqlx::query("UPDATE referrals SET overdue_at = NULL WHERE id = 0")
                .execute(&mut *tx)
                .await?;
            let batch = sqlx::query_as::<_, (ReferralId, i64, Option<i64>)>(
                "SELECT r.id, r.created_at, g.response_days FROM referrals r \
                 JOIN programs g ON g.id = r.program_id WHERE r.overdue_at IS NULL ORDER BY r.id LIMIT 500",
            )
            .fetch_all(&mut *tx)
            .await?;
            if batch.is_empty() {
                return Ok(filled);
            }
            for (id, created_at, days) in &batch {
                let d = self
                    .schedule
                    .deadlines(*created_at, days.and_then(|d| u32::try_from(d).ok()));
                super::report_cells::count_in_cells(&mut tx, *id, -1).await?;
                sqlx::query(
                    "UPDATE referrals SET overdue_at = $1, escalate_at = $2, \
                     escalated_at = CASE WHEN $2 <= $3 THEN $3 ELSE NULL END WHERE id = $4",
                )
                .bind(d.overdue_at)
                .bind(d.escalate_at)
                .bind(now)
                .bind(*id)
                .execute(&mut *tx)
                .await?;
                super::report_cells::count_in_cells(&mut tx, *id, 1).await?;
                if created_at + check_in_wait <= now {
                    sqlx::query(
                        "INSERT INTO check_ins (referral_id, step, sent_at) VALUES ($1, $2, 0) \
                         ON CONFLICT (referral_id, step) DO NOTHING",
                    )
                    .bind(*id)
                    .bind(CheckInStep::Open)
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            filled += batch.len();
        }
    }

    /// Queues the day's reminder for every recipient with overdue referrals who has not had
    /// one on local day `day`: each claimed program's staff (one email listing all their
    /// programs' overdue referrals) and each unclaimed program's listed email.
    pub async fn queue_reminders(&self, day: i64, now: i64) -> Result<ReminderCount, StoreError> {
        let overdue = sqlx::query_as::<_, OverdueRow>(&format!(
            "SELECT r.id, r.program_id, r.overdue_at, r.referrer_id, {preference} AS contact_preference, \
             p.first_name, p.last_name, g.name AS program_name, g.claimed_at, g.contact_email AS listed_email \
             FROM referrals r JOIN persons p ON p.id = r.person_id JOIN programs g ON g.id = r.program_id \
             WHERE r.status = 'not_updated' AND r.overdue_at <= $1 ORDER BY r.overdue_at, r.id",
            preference = super::effective_preference!()
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        // Each recipient's list, in the order the referrals became overdue.
        let mut lists: BTreeMap<String, Reminder> = BTreeMap::new();
        let mut staff_of: BTreeMap<ProgramId, Vec<(UserId, String, String)>> = BTreeMap::new();
        for row in &overdue {
            let facts = NotifyFacts {
                has_referrer: row.referrer_id.is_some(),
                contact_preference: row.contact_preference,
                program_claimed: row.claimed_at.is_some(),
            };
            for n in notifications_for(Event::Overdue, facts) {
                let item = OverdueItem {
                    referral_id: row.id,
                    program_name: row.program_name.clone(),
                    seeker_name: short_person_name(&row.first_name, &row.last_name),
                    overdue_since: crate::model::time::format_day(
                        self.schedule.zone.local(row.overdue_at).day,
                    ),
                };
                match n.recipient {
                    Recipient::ProgramStaff => {
                        if let std::collections::btree_map::Entry::Vacant(e) =
                            staff_of.entry(row.program_id)
                        {
                            e.insert(self.active_staff(row.program_id).await?);
                        }
                        for (user, email, language) in &staff_of[&row.program_id] {
                            lists
                                .entry(format!("user:{}", user.0))
                                .or_insert_with(|| {
                                    Reminder::new(n.recipient, Some(*user), email, language)
                                })
                                .items
                                .push(item.clone());
                        }
                    }
                    Recipient::ProgramListedEmail => {
                        if let Some(email) = &row.listed_email {
                            lists
                                .entry(format!("program:{}", row.program_id.0))
                                .or_insert_with(|| {
                                    Reminder::new(
                                        n.recipient,
                                        None,
                                        email,
                                        notify::LISTED_EMAIL_LANGUAGE,
                                    )
                                })
                                .items
                                .push(item);
                        }
                    }
                    Recipient::Seeker | Recipient::ReferringHelper => {}
                }
            }
        }
        let mut count = ReminderCount::default();
        for (key, reminder) in lists {
            let mut tx = self.pool.begin().await?;
            let fresh = sqlx::query(
                "INSERT INTO reminders_sent (recipient, day, referrals, sent_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (recipient, day) DO NOTHING",
            )
            .bind(&key)
            .bind(day)
            .bind(reminder.items.len() as i64)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if fresh == 0 {
                continue; // this recipient already had today's
            }
            let total = reminder.items.len();
            let payload = EmailPayload::Reminder(ReminderPayload {
                recipient: reminder.recipient,
                user_id: reminder.user,
                total,
                referrals: reminder
                    .items
                    .into_iter()
                    .take(REMINDER_LISTS_AT_MOST)
                    .collect(),
            });
            outbox::enqueue(
                &mut tx,
                crate::model::EmailKind::OverdueReminder,
                &reminder.email,
                &reminder.language,
                None,
                &payload,
                now,
            )
            .await?;
            tx.commit().await?;
            count.emails += 1;
            count.referrals += total;
        }
        if count.emails > 0 {
            self.outbox_changed();
        }
        Ok(count)
    }

    /// Staff accounts of a program that can still sign in: (user, email, language).
    async fn active_staff(
        &self,
        program: ProgramId,
    ) -> Result<Vec<(UserId, String, String)>, StoreError> {
        Ok(sqlx::query_as::<_, (UserId, String, String)>(
            "SELECT u.id, u.email, u.language FROM program_staff s JOIN users u ON u.id = s.user_id \
             WHERE s.program_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
        )
        .bind(program)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Escalates every referral still overdue at its escalation time (the SQL of
    /// `model::follow_up::escalation_due`), once: the referring
    /// helper is emailed, or a self-referral's seeker gets the check-in early. Answers how
    /// many referrals it escalated.
    pub async fn queue_escalations(&self, now: i64) -> Result<usize, StoreError> {
        let due = sqlx::query_scalar::<_, ReferralId>(
            "SELECT id FROM referrals WHERE status = 'not_updated' AND escalated_at IS NULL \
             AND escalate_at <= $1 ORDER BY escalate_at, id LIMIT 500",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut escalated = 0;
        for id in due {
            let mut tx = self.pool.begin().await?;
            // The status is asked again under the row's lock: a change since the read wins.
            let current = sqlx::query_as::<_, ReferralRow>(&format!(
                "UPDATE referrals SET escalated_at = $1 WHERE id = $2 AND escalated_at IS NULL \
                 AND status = 'not_updated' RETURNING {RETURNED_COLUMNS}"
            ))
            .bind(now)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(current) = current else {
                continue;
            };
            if current.referrer_id.is_none() {
                // A self-referral's early check-in is its own step.
                mark_check_in(&mut tx, id, CheckInStep::Early, now).await?;
            }
            queue_notifications(&mut tx, id, Event::Escalated, ("", None), now).await?;
            tx.commit().await?;
            escalated += 1;
        }
        if escalated > 0 {
            self.outbox_changed();
        }
        Ok(escalated)
    }

    /// Queues each seeker check-in that is due (`FollowUpRules::check_in_due`), once per
    /// referral and step. Answers how many it queued.
    pub async fn queue_check_ins(&self, now: i64) -> Result<usize, StoreError> {
        let rules = &self.schedule.rules;
        let since = now - i64::from(rules.check_in_days) * crate::server::clock::DAY_MS;
        // Narrowed by an index to open referrals of seekers who may be emailed at all; the
        // rules below decide.
        let candidates = sqlx::query_as::<_, (ReferralId, Status, i64, Option<i64>)>(
            "SELECT r.id, r.status, r.created_at, r.status_changed_at FROM referrals r \
             WHERE r.status IN ('not_updated', 'needs_client_action', 'pending', 'referred_elsewhere', 'eligible') \
             AND r.contact_preference = 'email' AND r.consent_withdrawn_at IS NULL AND r.created_at <= $1 \
             AND (r.status <> 'eligible' OR r.status_changed_at <= $1) \
             AND NOT EXISTS (SELECT 1 FROM check_ins c WHERE c.referral_id = r.id \
                 AND c.step = CASE WHEN r.status = 'eligible' THEN 'eligible' ELSE 'open' END) \
             ORDER BY r.created_at, r.id LIMIT 500",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        let mut queued = 0;
        for (id, status, created_at, status_changed_at) in candidates {
            let sent: Vec<CheckInStep> =
                sqlx::query_scalar("SELECT step FROM check_ins WHERE referral_id = $1")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
            let facts = CheckInFacts {
                status,
                created_at,
                eligible_since: (status == Status::Eligible)
                    .then_some(status_changed_at)
                    .flatten(),
                sent: &sent,
            };
            let Some(step) = rules.check_in_due(&facts, now) else {
                continue;
            };
            let mut tx = self.pool.begin().await?;
            if mark_check_in(&mut tx, id, step, now).await? {
                queue_notifications(&mut tx, id, Event::CheckInDue, ("", None), now).await?;
                queued += 1;
            }
            tx.commit().await?;
        }
        if queued > 0 {
            self.outbox_changed();
        }
        Ok(queued)
    }

    /// The check-in steps recorded for a referral.
    pub async fn check_ins_of(&self, referral: ReferralId) -> Result<Vec<CheckInStep>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT step FROM check_ins WHERE referral_id = $1 ORDER BY step")
                .bind(referral)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

/// Records a check-in step as sent; `false` if it already was (another instance won).
async fn mark_check_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    referral: ReferralId,
    step: CheckInStep,
    now: i64,
) -> Result<bool, StoreError> {
    Ok(sqlx::query(
        "INSERT INTO check_ins (referral_id, step, sent_at) VALUES ($1, $2, $3) \
         ON CONFLICT (referral_id, step) DO NOTHING",
    )
    .bind(referral)
    .bind(step)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected()
        == 1)
}

fn short_person_name(first: &str, last: &str) -> String {
    match PersonName::parse(&format!("{first} {last}")) {
        Ok(name) => name.first_name_last_initial(),
        Err(_) => first.to_string(),
    }
}

#[derive(sqlx::FromRow)]
struct OverdueRow {
    id: ReferralId,
    program_id: ProgramId,
    overdue_at: i64,
    referrer_id: Option<UserId>,
    contact_preference: ContactPreference,
    first_name: String,
    last_name: String,
    program_name: String,
    claimed_at: Option<i64>,
    listed_email: Option<String>,
}

struct Reminder {
    recipient: Recipient,
    user: Option<UserId>,
    email: String,
    language: String,
    items: Vec<OverdueItem>,
}

impl Reminder {
    fn new(recipient: Recipient, user: Option<UserId>, email: &str, language: &str) -> Reminder {
        Reminder {
            recipient,
            user,
            email: email.to_string(),
            language: language.to_string(),
            items: Vec::new(),
        }
    }
}
