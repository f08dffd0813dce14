//! Referrals, their append-only history and notes, and the outbox rows they cause.
//!
//! Each change is one transaction: the referral row, its history row and the outbox rows
//! computed by `model::notifications_for` commit together or not at all.

use super::{Store, outbox};
use crate::error::AppError;
use crate::i18n::{Key, Msg};
use crate::model::notify::NotifyFacts;
use crate::model::{
    ContactPreference, EmailAddress, Event, GroupId, Language, NoteText, PersonId, PersonName,
    PhoneNumber, ProgramId, Recipient, ReferralFacts, ReferralId, Role, Status, UserId,
    notifications_for,
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

/// Who made a change, frozen into the history as it was at the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// `None` for someone acting through an email link without an account (an unclaimed
    /// program's listed address).
    pub user: Option<UserId>,
    pub role: Role,
    /// "First name, last initial, organisation", e.g. "Ana P., Eastside Food Bank".
    pub label: String,
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
    pub id: i64,
    pub person_id: i64,
    pub program_id: i64,
    pub referrer_id: Option<i64>,
    pub referrer_group_id: Option<i64>,
    pub status: String,
    pub contact_preference: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub language: String,
    pub comments: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ReferralRow {
    pub fn status(&self) -> Result<Status, AppError> {
        Status::from_code(&self.status)
            .ok_or_else(|| AppError::internal(format!("bad status {:?}", self.status)))
    }

    pub fn contact_preference(&self) -> Result<ContactPreference, AppError> {
        ContactPreference::from_code(&self.contact_preference).ok_or_else(|| {
            AppError::internal(format!(
                "bad contact preference {:?}",
                self.contact_preference
            ))
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub referral_id: i64,
    pub kind: String,
    pub actor_user_id: Option<i64>,
    pub actor_role: Option<String>,
    pub actor_label: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub body: Option<String>,
    pub at: i64,
}

/// The columns the access rules decide on (`referral_facts`, live changes).
#[derive(FromRow)]
pub(super) struct AccessRow {
    seeker_user: Option<i64>,
    referrer_id: Option<i64>,
    referrer_group_id: Option<i64>,
    team_navigation: Option<i64>,
    program_id: i64,
    contact_preference: String,
}

impl AccessRow {
    pub(super) fn facts(self) -> Result<ReferralFacts, AppError> {
        Ok(ReferralFacts {
            seeker_user: self.seeker_user,
            referrer: self.referrer_id,
            referrer_group: self.referrer_group_id,
            team_navigation: self.team_navigation.unwrap_or(0) != 0,
            program: self.program_id,
            contact_preference: parse_preference(&self.contact_preference)?,
        })
    }
}

/// What `queue_notifications` needs to pick recipients.
#[derive(FromRow)]
struct NotifyRow {
    contact_preference: String,
    referrer_id: Option<i64>,
    contact_email: Option<String>,
    language: String,
    person_email: Option<String>,
    person_language: String,
    account_language: Option<String>,
    program_id: i64,
    claimed_at: Option<i64>,
    listed_email: Option<String>,
    program_name: String,
    first_name: String,
    last_name: String,
    comments: String,
}

pub(super) fn parse_preference(code: &str) -> Result<ContactPreference, AppError> {
    ContactPreference::from_code(code)
        .ok_or_else(|| AppError::internal(format!("bad contact preference {code:?}")))
}

const REFERRAL_COLUMNS: &str = "id, person_id, program_id, referrer_id, referrer_group_id, status, contact_preference, \
     contact_email, contact_phone, language, comments, version, created_at, updated_at";

fn role_code(role: Role) -> &'static str {
    match role {
        Role::Seeker => "seeker",
        Role::Helper => "helper",
        Role::Program => "program",
    }
}

impl Store {
    pub async fn create_referral(
        &self,
        new: &NewReferral,
        actor: &Actor,
    ) -> Result<ReferralId, AppError> {
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
        let id = sqlx::query_scalar::<_, i64>(
            "INSERT INTO referrals (person_id, program_id, referrer_id, referrer_group_id, status, contact_preference, \
             contact_email, contact_phone, language, comments, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(person)
        .bind(new.program)
        .bind(referrer)
        .bind(group)
        .bind(Status::NotUpdated.code())
        .bind(new.contact_preference.code())
        .bind(new.contact_email.as_ref().map(|e| e.as_str()))
        .bind(new.contact_phone.as_ref().map(|p| p.as_str()))
        .bind(new.language.as_str())
        .bind(&new.comments)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        count_not_updated(&mut tx, new.program, 1).await?;
        let seq = append_history(
            &mut tx,
            id,
            "created",
            actor,
            None,
            Some(Status::NotUpdated),
            None,
            now,
        )
        .await?;
        queue_notifications(&mut tx, id, Event::Created, (&actor.label, None), now).await?;
        let change = super::live::announce(self, &mut tx, seq).await?;
        tx.commit().await?;
        self.outbox_changed();
        self.feed.committed(change);
        Ok(id)
    }

    /// Applies a status change if nobody changed the referral since `expected_version`;
    /// otherwise answers `Conflict` and changes nothing.
    pub async fn change_status(
        &self,
        change: &StatusChange,
        actor: &Actor,
    ) -> Result<ReferralRow, AppError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        // Write first: on SQLite this takes the database's write lock before we read (a
        // read-then-write transaction fails with SQLITE_BUSY under contention); on
        // PostgreSQL it locks the row, so concurrent changes to one referral queue up.
        // The same statement reads the row as it stands (one round trip for both).
        let current = sqlx::query_as::<_, ReferralRow>(&format!(
            "UPDATE referrals SET version = version WHERE id = $1 RETURNING {REFERRAL_COLUMNS}"
        ))
        .bind(change.referral)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let from = current.status()?;
        if current.version != change.expected_version {
            return Err(AppError::Conflict(
                Msg::new(Key::err_status_changed_meanwhile).with_word("status", from.key()),
            ));
        }
        if from == change.to {
            return Err(AppError::field(
                "status",
                Msg::new(Key::err_status_already).with_word("status", from.key()),
            ));
        }
        // The version check in the WHERE clause makes a concurrent change lose cleanly.
        let updated = sqlx::query(
            "UPDATE referrals SET status = $1, version = version + 1, updated_at = $2 WHERE id = $3 AND version = $4",
        )
        .bind(change.to.code())
        .bind(now)
        .bind(change.referral)
        .bind(change.expected_version)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated == 0 {
            return Err(AppError::Conflict(Key::err_status_same_moment.into()));
        }
        let moved =
            i64::from(change.to == Status::NotUpdated) - i64::from(from == Status::NotUpdated);
        if moved != 0 {
            count_not_updated(&mut tx, current.program_id, moved).await?;
        }
        let note = change.note.as_ref().map(|n| n.as_str());
        let seq = append_history(
            &mut tx,
            change.referral,
            "status",
            actor,
            Some(from),
            Some(change.to),
            note,
            now,
        )
        .await?;
        let event = Event::StatusChanged {
            by: actor.role,
            to: change.to,
        };
        // Most status changes email nobody (a helper's own, a program's "Pending"): known
        // from the row already read, so the recipients are looked up only when needed.
        if may_notify(event, &current)? {
            queue_notifications(&mut tx, change.referral, event, (&actor.label, note), now).await?;
        }
        // What the update wrote, without reading it back.
        let after = ReferralRow {
            status: change.to.code().to_string(),
            version: current.version + 1,
            updated_at: now,
            ..current
        };
        let live = super::live::announce(self, &mut tx, seq).await?;
        tx.commit().await?;
        self.outbox_changed();
        self.feed.committed(live);
        Ok(after)
    }

    pub async fn add_note(
        &self,
        referral: ReferralId,
        note: &NoteText,
        actor: &Actor,
    ) -> Result<i64, AppError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let touched = sqlx::query("UPDATE referrals SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(referral)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if touched == 0 {
            return Err(AppError::NotFound);
        }
        let id = append_history(
            &mut tx,
            referral,
            "note",
            actor,
            None,
            None,
            Some(note.as_str()),
            now,
        )
        .await?;
        let change = super::live::announce(self, &mut tx, id).await?;
        tx.commit().await?;
        self.feed.committed(change);
        Ok(id)
    }

    pub async fn referral(&self, id: ReferralId) -> Result<Option<ReferralRow>, AppError> {
        Ok(sqlx::query_as::<_, ReferralRow>(&format!(
            "SELECT {REFERRAL_COLUMNS} FROM referrals WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The facts `model::access` decides on, read in one query.
    pub async fn referral_facts(&self, id: ReferralId) -> Result<Option<ReferralFacts>, AppError> {
        let row = sqlx::query_as::<_, AccessRow>(
            "SELECT p.user_id AS seeker_user, r.referrer_id, r.referrer_group_id, g.team_navigation, \
             r.program_id, r.contact_preference \
             FROM referrals r JOIN persons p ON p.id = r.person_id \
             LEFT JOIN user_groups g ON g.id = r.referrer_group_id WHERE r.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(AccessRow::facts).transpose()
    }

    /// The whole history of a referral, oldest first.
    pub async fn history(&self, referral: ReferralId) -> Result<Vec<HistoryRow>, AppError> {
        Ok(sqlx::query_as::<_, HistoryRow>(
            "SELECT id, referral_id, kind, actor_user_id, actor_role, actor_label, from_status, to_status, body, at \
             FROM referral_history WHERE referral_id = $1 ORDER BY id",
        )
        .bind(referral)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn count_referrals(&self) -> Result<i64, AppError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM referrals")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

#[allow(clippy::too_many_arguments)]
async fn append_history(
    tx: &mut Transaction<'_, Any>,
    referral: ReferralId,
    kind: &str,
    actor: &Actor,
    from: Option<Status>,
    to: Option<Status>,
    body: Option<&str>,
    at: i64,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar::<_, i64>(
        "INSERT INTO referral_history (referral_id, kind, actor_user_id, actor_role, actor_label, from_status, \
         to_status, body, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(referral)
    .bind(kind)
    .bind(actor.user)
    .bind(role_code(actor.role))
    .bind(&actor.label)
    .bind(from.map(Status::code))
    .bind(to.map(Status::code))
    .bind(body)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?)
}

/// Moves a program's "Not updated" count by `by`, in the transaction that changed it.
async fn count_not_updated(
    tx: &mut Transaction<'_, Any>,
    program: ProgramId,
    by: i64,
) -> Result<(), AppError> {
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

/// Whether the event may email anyone, judged from the referral's own row: whether the
/// program is claimed only changes who hears of a new referral, never of a status change.
fn may_notify(event: Event, row: &ReferralRow) -> Result<bool, AppError> {
    let contact_preference = parse_preference(&row.contact_preference)?;
    let facts = |program_claimed| NotifyFacts {
        has_referrer: row.referrer_id.is_some(),
        contact_preference,
        program_claimed,
    };
    Ok(!notifications_for(event, facts(true)).is_empty()
        || !notifications_for(event, facts(false)).is_empty())
}

/// Writes the outbox rows an event causes, resolving each recipient to addresses. `by` is
/// who caused it and what they wrote with it (a status change's comment), which every
/// recipient of a status-update email may read: the history shows it to every party.
async fn queue_notifications(
    tx: &mut Transaction<'_, Any>,
    referral: ReferralId,
    event: Event,
    (by_label, comment): (&str, Option<&str>),
    now: i64,
) -> Result<(), AppError> {
    let row = sqlx::query_as::<_, NotifyRow>(
        "SELECT r.contact_preference, r.referrer_id, r.contact_email, r.language, p.email AS person_email, \
         p.language AS person_language, u.language AS account_language, r.program_id, g.claimed_at, \
         g.contact_email AS listed_email, g.name AS program_name, p.first_name, p.last_name, r.comments \
         FROM referrals r JOIN persons p ON p.id = r.person_id JOIN programs g ON g.id = r.program_id \
         LEFT JOIN users u ON u.id = p.user_id \
         WHERE r.id = $1",
    )
    .bind(referral)
    .fetch_one(&mut **tx)
    .await?;
    let facts = NotifyFacts {
        has_referrer: row.referrer_id.is_some(),
        contact_preference: parse_preference(&row.contact_preference)?,
        program_claimed: row.claimed_at.is_some(),
    };
    let to_status = match event {
        Event::Created => None,
        Event::StatusChanged { to, .. } => Some(to.code()),
    };
    let seeker_name = match PersonName::parse(&format!("{} {}", row.first_name, row.last_name)) {
        Ok(name) => name.first_name_last_initial(),
        Err(_) => row.first_name.clone(),
    };
    // The seeker's own account language once they have one (they chose it), else the one
    // given on the Connect form, else the person's.
    let seeker_language = match &row.account_language {
        Some(account) => account.clone(),
        None if row.language.is_empty() => row.person_language.clone(),
        None => row.language.clone(),
    };
    for n in notifications_for(event, facts) {
        if n.channel != crate::model::Channel::Email {
            // Texts need an SMS gateway, which is later work: nothing is queued for them.
            continue;
        }
        // (address, language, account) for each person this notification reaches.
        let recipients: Vec<(String, String, Option<i64>)> = match n.recipient {
            // The address given on the Connect form, else the person's own; in the
            // seeker's language.
            Recipient::Seeker => row
                .contact_email
                .clone()
                .or_else(|| row.person_email.clone())
                .map(|e| vec![(e, seeker_language.clone(), None)])
                .unwrap_or_default(),
            Recipient::ReferringHelper => {
                sqlx::query_as::<_, (String, String, Option<i64>)>(
                    "SELECT email, language, id FROM users WHERE id = $1",
                )
                .bind(row.referrer_id)
                .fetch_all(&mut **tx)
                .await?
            }
            Recipient::ProgramStaff => sqlx::query_as::<_, (String, String, Option<i64>)>(
                "SELECT u.email, u.language, u.id FROM program_staff s JOIN users u ON u.id = s.user_id \
                     WHERE s.program_id = $1 ORDER BY u.id",
            )
            .bind(row.program_id)
            .fetch_all(&mut **tx)
            .await?,
            // An unclaimed program: no account, so no known language.
            Recipient::ProgramListedEmail => row
                .listed_email
                .clone()
                .map(|e| vec![(e, "en".to_string(), None)])
                .unwrap_or_default(),
        };
        for (email, lang, user_id) in recipients {
            // A snapshot of what the email says, so it reads the same if sent hours later.
            // No contact details: those are shown behind the email's signed link.
            let payload = serde_json::json!({
                "referral_id": referral,
                "recipient": n.recipient,
                "user_id": user_id,
                "to_status": to_status,
                "program_name": row.program_name,
                "seeker_name": seeker_name,
                "comments": row.comments,
                "by": by_label,
                "comment": comment.unwrap_or_default(),
            });
            outbox::enqueue(
                tx,
                n.kind,
                &email,
                &lang,
                Some(referral),
                &payload.to_string(),
                now,
            )
            .await?;
        }
    }
    Ok(())
}

impl Store {
    /// The histories of several referrals in one query, oldest first within each.
    pub async fn histories(&self, referrals: &[ReferralId]) -> Result<Vec<HistoryRow>, AppError> {
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
