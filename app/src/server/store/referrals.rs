//! Referrals, their append-only history and notes, and the outbox rows they cause.
//!
//! Each change is one transaction: the referral row, its history row and the outbox rows
//! computed by `model::notifications_for` commit together or not at all.

use super::error::StoreError;
use super::{Store, outbox};
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::change::{self, Decision};
use crate::model::email::{EmailPayload, ReferralPayload};
use crate::model::notify::{self, NotifyFacts};
use crate::model::{
    Actor, ChangeKind, ContactPreference, EmailAddress, Event, GroupId, Language, NoteText,
    PersonId, PersonName, PhoneNumber, ProgramId, Recipient, ReferralFacts, ReferralId, Role,
    Standing, Status, UserId, notifications_for,
};
use crate::server::clock::now_ms;
use sqlx::{Any, FromRow, Transaction};

/// The person a new referral is for: one who exists, or one made in the same transaction
/// (so a failed referral never leaves a stray person behind).
pub enum PersonChoice {
    Existing(PersonId),
    New(super::NewPerson),
}

pub struct NewReferral {
    pub person: PersonChoice,
    pub program: ProgramId,
    /// The helper and their group; `None` for a self-referral.
    pub referrer: Option<(UserId, Option<GroupId>)>,
    pub contact_preference: ContactPreference,
    pub contact_email: Option<EmailAddress>,
    pub contact_phone: Option<PhoneNumber>,
    pub language: Language,
    pub comments: String,
}

pub struct StatusChange {
    pub referral: ReferralId,
    /// The version the user saw; if the referral moved on since, the change is refused.
    pub expected_version: i64,
    pub to: Status,
    pub note: Option<NoteText>,
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct ReferralRow {
    pub id: ReferralId,
    pub person_id: PersonId,
    pub program_id: ProgramId,
    pub referrer_id: Option<UserId>,
    pub referrer_group_id: Option<GroupId>,
    pub status: Status,
    pub contact_preference: ContactPreference,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub language: String,
    pub comments: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub overdue_at: Option<i64>,
    pub seen_at: Option<i64>,
    /// While set, `contact_preference` reads "don't reach out" (`effective_preference!`).
    pub consent_withdrawn_at: Option<i64>,
    /// What the reports count it by (`model::report::cells`).
    pub created_day: Option<i64>,
    pub first_response_at: Option<i64>,
    pub left_not_updated_at: Option<i64>,
}

impl ReferralRow {
    /// The referral as the reports count it; `None` until it has its local day.
    pub fn report_fact(&self) -> Option<crate::model::report::ReportReferral> {
        Some(crate::model::report::ReportReferral {
            created_at: self.created_at,
            created_day: self.created_day?,
            program: self.program_id,
            referrer_group: self.referrer_group_id,
            self_referral: self.referrer_id.is_none(),
            status: self.status,
            first_response_at: self.first_response_at,
            left_not_updated_at: self.left_not_updated_at,
            overdue_at: self.overdue_at,
        })
    }

    /// What a change decides on (`model::change`).
    pub fn standing(&self) -> Standing {
        Standing {
            status: self.status,
            version: self.version,
            has_referrer: self.referrer_id.is_some(),
            contact_preference: self.contact_preference,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub referral_id: ReferralId,
    pub kind: ChangeKind,
    pub actor_user_id: Option<UserId>,
    pub actor_role: Option<Role>,
    pub actor_label: String,
    pub from_status: Option<Status>,
    pub to_status: Option<Status>,
    pub body: Option<String>,
    pub at: i64,
}

/// The columns the access rules decide on (`referral_facts`, live changes).
#[derive(FromRow)]
pub(super) struct AccessRow {
    seeker_user: Option<UserId>,
    referrer_id: Option<UserId>,
    referrer_group_id: Option<GroupId>,
    team_navigation: Option<i64>,
    program_id: ProgramId,
    contact_preference: ContactPreference,
}

impl AccessRow {
    pub(super) fn facts(self) -> ReferralFacts {
        ReferralFacts {
            seeker_user: self.seeker_user,
            referrer: self.referrer_id,
            referrer_group: self.referrer_group_id,
            team_navigation: self.team_navigation.unwrap_or(0) != 0,
            program: self.program_id,
            contact_preference: self.contact_preference,
        }
    }
}

/// What `queue_notifications` needs to pick recipients.
#[derive(FromRow)]
struct NotifyRow {
    contact_preference: ContactPreference,
    referrer_id: Option<UserId>,
    contact_email: Option<String>,
    language: String,
    person_email: Option<String>,
    person_language: String,
    account_language: Option<String>,
    program_id: ProgramId,
    claimed_at: Option<i64>,
    listed_email: Option<String>,
    program_name: String,
    first_name: String,
    last_name: String,
    comments: String,
}

/// Read as `r` (`FROM referrals r`).
pub(super) const REFERRAL_COLUMNS: &str = concat!(
    "r.id, r.person_id, r.program_id, r.referrer_id, r.referrer_group_id, r.status, ",
    super::effective_preference!(),
    " AS contact_preference, r.contact_email, r.contact_phone, r.language, r.comments, r.version, \
     r.created_at, r.updated_at, r.overdue_at, r.seen_at, r.consent_withdrawn_at, r.created_day, \
     r.first_response_at, r.left_not_updated_at"
);

/// The same columns for an UPDATE's RETURNING (unqualified: SQLite takes no alias there).
pub(super) const RETURNED_COLUMNS: &str = concat!(
    "id, person_id, program_id, referrer_id, referrer_group_id, status, ",
    super::effective_preference_returned!(),
    " AS contact_preference, contact_email, contact_phone, language, comments, version, \
     created_at, updated_at, overdue_at, seen_at, consent_withdrawn_at, created_day, \
     first_response_at, left_not_updated_at"
);

impl Store {
    pub async fn create_referral(
        &self,
        new: &NewReferral,
        actor: &Actor,
    ) -> Result<ReferralId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let person = match &new.person {
            PersonChoice::Existing(id) => *id,
            PersonChoice::New(p) => super::persons::insert_person(&mut tx, p, now).await?,
        };
        let (referrer, group) = match new.referrer {
            Some((user, group)) => (Some(user), group),
            None => (None, None),
        };
        // The deadlines by the program's own response standard, if it set one.
        let program_days = sqlx::query_scalar::<_, Option<i64>>(
            "SELECT response_days FROM programs WHERE id = $1",
        )
        .bind(new.program)
        .fetch_optional(&mut *tx)
        .await?
        .flatten()
        .and_then(|d| u32::try_from(d).ok());
        let deadlines = self.schedule.deadlines(now, program_days);
        let id = sqlx::query_scalar::<_, ReferralId>(
            "INSERT INTO referrals (person_id, program_id, referrer_id, referrer_group_id, status, contact_preference, \
             contact_email, contact_phone, language, comments, created_at, updated_at, status_changed_at, \
             overdue_at, escalate_at, created_day) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $11, $12, $13, $14) RETURNING id",
        )
        .bind(person)
        .bind(new.program)
        .bind(referrer)
        .bind(group)
        .bind(Status::NotUpdated)
        .bind(new.contact_preference)
        .bind(new.contact_email.as_ref().map(|e| e.as_str()))
        .bind(new.contact_phone.as_ref().map(|p| p.as_str()))
        .bind(new.language.as_str())
        .bind(&new.comments)
        .bind(now)
        .bind(deadlines.overdue_at)
        .bind(deadlines.escalate_at)
        .bind(self.schedule.zone.local(now).day)
        .fetch_one(&mut *tx)
        .await?;
        let fact = crate::model::report::ReportReferral {
            created_at: now,
            created_day: self.schedule.zone.local(now).day,
            program: new.program,
            referrer_group: group,
            self_referral: referrer.is_none(),
            status: Status::NotUpdated,
            first_response_at: None,
            left_not_updated_at: None,
            overdue_at: Some(deadlines.overdue_at),
        };
        super::report_cells::move_in_cells(&mut tx, None, Some(&fact)).await?;
        let decision = change::create_referral(referrer.is_some(), new.contact_preference);
        let seq = apply(
            self.backend,
            &mut tx,
            (id, new.program),
            &decision,
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox_changed();
        self.change_committed(seq);
        Ok(id)
    }

    /// Applies a status change if nobody changed the referral since `expected_version`;
    /// otherwise answers `Conflict` and changes nothing.
    pub async fn change_status(
        &self,
        change: &StatusChange,
        actor: &Actor,
    ) -> Result<ReferralRow, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        // Write first: on SQLite this takes the database's write lock before we read (a
        // read-then-write transaction fails with SQLITE_BUSY under contention); on
        // PostgreSQL it locks the row, so concurrent changes to one referral queue up.
        // The same statement reads the row as it stands (one round trip for both).
        let current = sqlx::query_as::<_, ReferralRow>(&format!(
            "UPDATE referrals SET version = version WHERE id = $1 RETURNING {RETURNED_COLUMNS}"
        ))
        .bind(change.referral)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let decision = change::change_status(
            &current.standing(),
            change.expected_version,
            change.to,
            change.note.as_ref(),
            actor.role,
        )?;
        // What the reports read (`model::report`): the program's first answer, and the
        // first move out of "Not updated", whoever made it.
        let answered_now = (actor.role == crate::model::Role::Program).then_some(now);
        let left_now = (current.status == Status::NotUpdated).then_some(now);
        // The version check in the WHERE clause makes a concurrent change lose cleanly.
        let updated = sqlx::query(
            "UPDATE referrals SET status = $1, version = $2, updated_at = $3, status_changed_at = $3, \
             first_response_at = COALESCE(first_response_at, $4), \
             left_not_updated_at = COALESCE(left_not_updated_at, $5) \
             WHERE id = $6 AND version = $7",
        )
        .bind(decision.status)
        .bind(decision.version)
        .bind(now)
        .bind(answered_now)
        .bind(left_now)
        .bind(change.referral)
        .bind(current.version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(AppError::Conflict(Key::err_status_same_moment.into()).into());
        }
        let after = ReferralRow {
            status: decision.status,
            version: decision.version,
            updated_at: now,
            first_response_at: current.first_response_at.or(answered_now),
            left_not_updated_at: current.left_not_updated_at.or(left_now),
            ..current.clone()
        };
        super::report_cells::move_in_cells(
            &mut tx,
            current.report_fact().as_ref(),
            after.report_fact().as_ref(),
        )
        .await?;
        let seq = apply(
            self.backend,
            &mut tx,
            (change.referral, current.program_id),
            &decision,
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox_changed();
        self.change_committed(seq);
        // What the update wrote, without reading it back.
        Ok(after)
    }

    pub async fn add_note(
        &self,
        referral: ReferralId,
        note: &NoteText,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let current = sqlx::query_as::<_, ReferralRow>(&format!(
            "UPDATE referrals SET updated_at = $1 WHERE id = $2 RETURNING {RETURNED_COLUMNS}"
        ))
        .bind(now)
        .bind(referral)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let decision = change::add_note(&current.standing(), note);
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
        Ok(seq)
    }

    pub async fn referral(&self, id: ReferralId) -> Result<Option<ReferralRow>, StoreError> {
        Ok(sqlx::query_as::<_, ReferralRow>(&format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals r WHERE r.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The facts `model::access` decides on, read in one query.
    pub async fn referral_facts(
        &self,
        id: ReferralId,
    ) -> Result<Option<ReferralFacts>, StoreError> {
        let row = sqlx::query_as::<_, AccessRow>(&format!(
            "SELECT p.user_id AS seeker_user, r.referrer_id, r.referrer_group_id, g.team_navigation, \
             r.program_id, {preference} AS contact_preference \
             FROM referrals r JOIN persons p ON p.id = r.person_id \
             LEFT JOIN user_groups g ON g.id = r.referrer_group_id WHERE r.id = $1",
            preference = super::effective_preference!()
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(AccessRow::facts))
    }

    /// The whole history of a referral, oldest first.
    pub async fn history(&self, referral: ReferralId) -> Result<Vec<HistoryRow>, StoreError> {
        Ok(sqlx::query_as::<_, HistoryRow>(
            "SELECT id, referral_id, kind, actor_user_id, actor_role, actor_label, from_status, to_status, body, at \
             FROM referral_history WHERE referral_id = $1 ORDER BY id",
        )
        .bind(referral)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn count_referrals(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM referrals")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

/// Writes what a decision says to the referral's program count, history and outbox, and
/// stages its live notice (PostgreSQL); answers the history row's number, which the caller
/// hands on after the commit (`Store::change_committed`).
pub(super) async fn apply(
    backend: super::Backend,
    tx: &mut Transaction<'static, Any>,
    (referral, program): (ReferralId, ProgramId),
    decision: &Decision,
    actor: &Actor,
    now: i64,
) -> Result<i64, StoreError> {
    if decision.not_updated_delta != 0 {
        count_not_updated(tx, program, decision.not_updated_delta).await?;
    }
    let entry = &decision.history;
    let seq = sqlx::query_scalar::<_, i64>(&super::notices::announced(
        backend,
        "INSERT INTO referral_history (referral_id, kind, actor_user_id, actor_role, actor_label, from_status, \
         to_status, body, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    ))
    .bind(referral)
    .bind(entry.kind)
    .bind(actor.user)
    .bind(actor.role)
    .bind(&actor.label)
    .bind(entry.from)
    .bind(entry.to)
    .bind(entry.body.as_deref())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    if let Some(event) = decision.notify {
        // A status change's comment travels with its email: the history shows it to every
        // party anyway.
        let comment = entry
            .body
            .as_deref()
            .filter(|_| entry.kind == ChangeKind::Status);
        queue_notifications(tx, referral, event, (&actor.label, comment), now).await?;
    }
    Ok(seq)
}

/// Moves a program's "Not updated" count by `by`, in the transaction that changed it.
async fn count_not_updated(
    tx: &mut Transaction<'_, Any>,
    program: ProgramId,
    by: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO program_counts (program_id, not_updated) VALUES ($1, $2) \
         ON CONFLICT (program_id) DO UPDATE SET not_updated = program_counts.not_updated + $2",
    )
    .bind(program)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes the outbox rows an event causes, resolving each recipient to addresses. `by` is
/// who caused it and what they wrote with it (a status change's comment), which every
/// recipient of a status-update email may read: the history shows it to every party.
pub(super) async fn queue_notifications(
    tx: &mut Transaction<'_, Any>,
    referral: ReferralId,
    event: Event,
    (by_label, comment): (&str, Option<&str>),
    now: i64,
) -> Result<(), StoreError> {
    let row = sqlx::query_as::<_, NotifyRow>(&format!(
        "SELECT {preference} AS contact_preference, r.referrer_id, r.contact_email, r.language, p.email AS person_email, \
         p.language AS person_language, u.language AS account_language, r.program_id, g.claimed_at, \
         g.contact_email AS listed_email, g.name AS program_name, p.first_name, p.last_name, r.comments \
         FROM referrals r JOIN persons p ON p.id = r.person_id JOIN programs g ON g.id = r.program_id \
         LEFT JOIN users u ON u.id = p.user_id \
         WHERE r.id = $1",
        preference = super::effective_preference!()
    ))
    .bind(referral)
    .fetch_one(&mut **tx)
    .await?;
    let facts = NotifyFacts {
        has_referrer: row.referrer_id.is_some(),
        contact_preference: row.contact_preference,
        program_claimed: row.claimed_at.is_some(),
    };
    let to_status = match event {
        Event::StatusChanged { to, .. } => Some(to),
        Event::Created | Event::Overdue | Event::Escalated | Event::CheckInDue => None,
    };
    let seeker_name = match PersonName::parse(&format!("{} {}", row.first_name, row.last_name)) {
        Ok(name) => name.first_name_last_initial(),
        Err(_) => row.first_name.clone(),
    };
    let seeker_language = notify::seeker_language(
        row.account_language.as_deref(),
        &row.language,
        &row.person_language,
    )
    .to_string();
    for n in notifications_for(event, facts) {
        if n.channel != crate::model::Channel::Email {
            // Texts need an SMS gateway, which is later work: nothing is queued for them.
            continue;
        }
        // (address, language, account) for each person this notification reaches.
        let recipients: Vec<(String, String, Option<UserId>)> = match n.recipient {
            Recipient::Seeker => {
                notify::seeker_address(row.contact_email.as_deref(), row.person_email.as_deref())
                    .map(|e| vec![(e.to_string(), seeker_language.clone(), None)])
                    .unwrap_or_default()
            }
            Recipient::ReferringHelper => {
                sqlx::query_as::<_, (String, String, Option<UserId>)>(
                    "SELECT email, language, id FROM users WHERE id = $1",
                )
                .bind(row.referrer_id)
                .fetch_all(&mut **tx)
                .await?
            }
            Recipient::ProgramStaff => sqlx::query_as::<_, (String, String, Option<UserId>)>(
                "SELECT u.email, u.language, u.id FROM program_staff s JOIN users u ON u.id = s.user_id \
                     WHERE s.program_id = $1 ORDER BY u.id",
            )
            .bind(row.program_id)
            .fetch_all(&mut **tx)
            .await?,
            Recipient::ProgramListedEmail => row
                .listed_email
                .clone()
                .map(|e| vec![(e, notify::LISTED_EMAIL_LANGUAGE.to_string(), None)])
                .unwrap_or_default(),
        };
        for (email, lang, user_id) in recipients {
            // A snapshot of what the email says, so it reads the same if sent hours later.
            // No contact details: those are shown behind the email's signed link.
            let payload = EmailPayload::Referral(ReferralPayload {
                referral_id: referral,
                recipient: n.recipient,
                user_id,
                to_status,
                program_name: row.program_name.clone(),
                seeker_name: seeker_name.clone(),
                comments: row.comments.clone(),
                by: by_label.to_string(),
                comment: comment.unwrap_or_default().to_string(),
            });
            outbox::enqueue(tx, n.kind, &email, &lang, Some(referral), &payload, now).await?;
        }
    }
    Ok(())
}

impl Store {
    /// The histories of several referrals in one query, oldest first within each.
    pub async fn histories(&self, referrals: &[ReferralId]) -> Result<Vec<HistoryRow>, StoreError> {
        if referrals.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=referrals.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT id, referral_id, kind, actor_user_id, actor_role, actor_label, from_status, to_status, body, at \
             FROM referral_history WHERE referral_id IN ({}) ORDER BY referral_id, id",
            placeholders.join(", ")
        );
        let mut q = sqlx::query_as::<_, HistoryRow>(&sql);
        for id in referrals {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }
}
