//! Invitations (to a group, or to a program's staff) and program claims. Each one that
//! sends an email writes its outbox row in the same transaction.

use super::error::StoreError;
use super::{Store, outbox};
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::change;
use crate::model::email::EmailPayload;
use crate::model::{ClaimId, EmailAddress, EmailKind, GroupId, InvitationId, ProgramId, UserId};
use crate::server::clock::{DAY_MS, now_ms};
use sqlx::{Any, FromRow, Transaction};

/// Invitations and claims work for a week; after that, ask again.
pub const INVITATION_LIFETIME_MS: i64 = 7 * DAY_MS;
pub const CLAIM_LIFETIME_MS: i64 = 7 * DAY_MS;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvitationTarget {
    Group(GroupId),
    Program(ProgramId),
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct ClaimRow {
    pub id: ClaimId,
    pub program_id: ProgramId,
    pub program_name: String,
    pub organization: String,
    pub user_id: UserId,
    pub user_name: String,
    pub user_email: String,
    pub created_at: i64,
}

#[derive(FromRow)]
struct OpenInvitation {
    id: InvitationId,
    kind: String,
    group_id: Option<GroupId>,
    program_id: Option<ProgramId>,
    email: String,
}

/// Makes `user` staff of `program` and marks the program claimed, inside a transaction.
pub(super) async fn add_staff_in(
    tx: &mut Transaction<'_, Any>,
    program: ProgramId,
    user: UserId,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO program_staff (program_id, user_id, added_at) VALUES ($1, $2, $3) \
         ON CONFLICT (program_id, user_id) DO NOTHING",
    )
    .bind(program)
    .bind(user)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE programs SET claimed_at = $1 WHERE id = $2 AND claimed_at IS NULL")
        .bind(now)
        .bind(program)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Ends the open invitations `user` sent, or was sent (to their address), for `target` (or
/// everywhere, for a disabled account), inside the caller's transaction.
pub(super) async fn revoke_invitations_in(
    tx: &mut Transaction<'_, Any>,
    user: UserId,
    target: Option<InvitationTarget>,
) -> Result<(), StoreError> {
    let (group, program) = match target {
        Some(InvitationTarget::Group(g)) => (Some(g), None),
        Some(InvitationTarget::Program(p)) => (None, Some(p)),
        None => (None, None),
    };
    let now = now_ms();
    sqlx::query(
        "UPDATE invitations SET expires_at = $1 WHERE accepted_at IS NULL AND expires_at > $1 \
         AND (invited_by = $2 OR email = (SELECT email FROM users WHERE id = $2)) \
         AND ($3 IS NULL OR group_id = $3) AND ($4 IS NULL OR program_id = $4)",
    )
    .bind(now)
    .bind(user)
    .bind(group)
    .bind(program)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Records an invitation and queues its email (with the accept link) together.
    pub async fn create_invitation(
        &self,
        target: InvitationTarget,
        email: &EmailAddress,
        invited_by: UserId,
        token_hash: &str,
        payload: &EmailPayload,
    ) -> Result<InvitationId, StoreError> {
        let now = now_ms();
        let (kind, group, program, email_kind) = match target {
            InvitationTarget::Group(g) => ("group", Some(g), None, EmailKind::GroupInvitation),
            InvitationTarget::Program(p) => ("program", None, Some(p), EmailKind::StaffInvitation),
        };
        let mut tx = self.pool.begin().await?;
        let id = sqlx::query_scalar::<_, InvitationId>(
            "INSERT INTO invitations (kind, group_id, program_id, email, token_hash, invited_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(kind)
        .bind(group)
        .bind(program)
        .bind(email.as_str())
        .bind(token_hash)
        .bind(invited_by)
        .bind(now)
        .bind(now + INVITATION_LIFETIME_MS)
        .fetch_one(&mut *tx)
        .await?;
        outbox::enqueue(
            &mut tx,
            email_kind,
            email.as_str(),
            "en",
            None,
            payload,
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(id)
    }

    /// The address a usable (unused, unexpired) invitation was sent to.
    pub async fn invitation_email(&self, token_hash: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar::<_, String>(
            "SELECT email FROM invitations WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Accepts an unused, unexpired invitation for `user`, who must hold the invited address,
    /// confirmed: an invitation is for one person, not for whoever has the link. Membership
    /// and the mark of use are written together, so an invitation is used once.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        user: UserId,
    ) -> Result<InvitationTarget, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let row: Option<OpenInvitation> = sqlx::query_as(
            "SELECT id, kind, group_id, program_id, email FROM invitations \
             WHERE token_hash = $1 AND accepted_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let acceptor: Option<(String, i64, Option<i64>)> =
            sqlx::query_as("SELECT email, email_verified, disabled_at FROM users WHERE id = $1")
                .bind(user)
                .fetch_optional(&mut *tx)
                .await?;
        let acceptor = acceptor
            .map(|(email, verified, disabled_at)| change::Acceptor {
                email,
                email_confirmed: verified != 0,
                disabled: disabled_at.is_some(),
            })
            .ok_or(AppError::Unauthorized)?;
        let invitation = change::Invitation {
            invited: row.as_ref().map(|r| r.email.clone()).unwrap_or_default(),
            open: row.is_some(),
        };
        change::accept_invitation(&invitation, &acceptor)?;
        let Some(OpenInvitation {
            id,
            kind,
            group_id: group,
            program_id: program,
            ..
        }) = row
        else {
            return Err(StoreError::inconsistent("an accepted invitation vanished"));
        };
        let used = sqlx::query("UPDATE invitations SET accepted_at = $1, accepted_by = $2 WHERE id = $3 AND accepted_at IS NULL")
            .bind(now)
            .bind(user)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if used == 0 {
            return Err(AppError::Conflict(Key::err_invitation_used.into()).into());
        }
        let target = match (kind.as_str(), group, program) {
            ("group", Some(g), _) => {
                sqlx::query(
                    "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, 'member', $3) \
                     ON CONFLICT (group_id, user_id) DO NOTHING",
                )
                .bind(g)
                .bind(user)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                InvitationTarget::Group(g)
            }
            ("program", _, Some(p)) => {
                add_staff_in(&mut tx, p, user, now).await?;
                InvitationTarget::Program(p)
            }
            _ => {
                return Err(StoreError::inconsistent(format!(
                    "malformed invitation {id}"
                )));
            }
        };
        tx.commit().await?;
        Ok(target)
    }

    /// Emails invited to a group or program and not yet accepted.
    pub async fn open_invitations(
        &self,
        target: InvitationTarget,
    ) -> Result<Vec<String>, StoreError> {
        let (sql, id) = match target {
            InvitationTarget::Group(g) => (
                "SELECT email FROM invitations WHERE group_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY id",
                g.0,
            ),
            InvitationTarget::Program(p) => (
                "SELECT email FROM invitations WHERE program_id = $1 AND accepted_at IS NULL AND expires_at > $2 ORDER BY id",
                p.0,
            ),
        };
        Ok(sqlx::query_scalar::<_, String>(sql)
            .bind(id)
            .bind(now_ms())
            .fetch_all(&self.pool)
            .await?)
    }

    /// A pending claim and, when the program lists an email, the verification email to it.
    pub async fn create_claim(
        &self,
        program: ProgramId,
        user: UserId,
        token_hash: &str,
        listed_email: Option<&str>,
        payload: &EmailPayload,
    ) -> Result<ClaimId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id = sqlx::query_scalar::<_, ClaimId>(
            "INSERT INTO program_claims (program_id, user_id, state, created_at, token_hash, expires_at) \
             VALUES ($1, $2, 'pending', $3, $4, $5) RETURNING id",
        )
        .bind(program)
        .bind(user)
        .bind(now)
        .bind(token_hash)
        .bind(now + CLAIM_LIFETIME_MS)
        .fetch_one(&mut *tx)
        .await?;
        if let Some(email) = listed_email {
            outbox::enqueue(
                &mut tx,
                EmailKind::ClaimVerification,
                email,
                "en",
                None,
                payload,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        self.outbox_changed();
        Ok(id)
    }

    /// Approves the pending claim holding this token: the claimant becomes staff.
    pub async fn approve_claim_by_token(&self, token_hash: &str) -> Result<ProgramId, StoreError> {
        let claim: Option<(ClaimId, Option<i64>)> = sqlx::query_as(
            "SELECT id, expires_at FROM program_claims WHERE token_hash = $1 AND state = 'pending'",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let (claim, expires_at) =
            claim.ok_or_else(|| AppError::Conflict(Key::err_claim_link_used.into()))?;
        if expires_at.is_some_and(|at| at <= now_ms()) {
            return Err(change::Refusal::ClaimExpired.into());
        }
        self.decide_claim(claim, true, None).await
    }

    /// Approves or rejects a pending claim (by a site administrator, or by the token).
    /// A claim cannot be approved once someone else has claimed the program, nor after it
    /// expired; approving one closes the program's other pending claims (as rejected).
    pub async fn decide_claim(
        &self,
        claim: ClaimId,
        approve: bool,
        decided_by: Option<UserId>,
    ) -> Result<ProgramId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let row: Option<(ProgramId, UserId, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT c.program_id, c.user_id, c.expires_at, u.disabled_at FROM program_claims c \
             JOIN users u ON u.id = c.user_id WHERE c.id = $1 AND c.state = 'pending'",
        )
        .bind(claim)
        .fetch_optional(&mut *tx)
        .await?;
        let pending = row.map(|(_, _, expires_at, disabled_at)| change::PendingClaim {
            expires_at,
            claimant_disabled: disabled_at.is_some(),
        });
        let decision = change::decide_claim(pending, approve, now)?;
        let Some((program, user, _, _)) = row else {
            return Err(StoreError::inconsistent("a decided claim vanished"));
        };
        let approve = decision == change::ClaimDecision::Approve;
        if approve {
            // Taking the program is the write that decides a race: of two approvals at
            // once, the second finds it claimed (PostgreSQL makes it wait for the first).
            let taken = sqlx::query(
                "UPDATE programs SET claimed_at = $1 WHERE id = $2 AND claimed_at IS NULL",
            )
            .bind(now)
            .bind(program)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if taken == 0 {
                return Err(change::Refusal::ClaimedByOther.into());
            }
        }
        let decided = sqlx::query(
            "UPDATE program_claims SET state = $1, decided_at = $2, decided_by = $3 WHERE id = $4 AND state = 'pending'",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(now)
        .bind(decided_by)
        .bind(claim)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if decided == 0 {
            return Err(change::Refusal::ClaimDecided.into());
        }
        if approve {
            add_staff_in(&mut tx, program, user, now).await?;
            sqlx::query(
                "UPDATE program_claims SET state = 'rejected', decided_at = $1, decided_by = $2 \
                 WHERE program_id = $3 AND state = 'pending' AND id <> $4",
            )
            .bind(now)
            .bind(decided_by)
            .bind(program)
            .bind(claim)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(program)
    }

    pub async fn pending_claims(&self) -> Result<Vec<ClaimRow>, StoreError> {
        Ok(sqlx::query_as::<_, ClaimRow>(
            "SELECT c.id, c.program_id, p.name AS program_name, p.organization, c.user_id, u.name AS user_name, \
             u.email AS user_email, c.created_at FROM program_claims c JOIN programs p ON p.id = c.program_id \
             JOIN users u ON u.id = c.user_id WHERE c.state = 'pending' AND (c.expires_at IS NULL OR c.expires_at > $1) \
             ORDER BY c.created_at, c.id",
        )
        .bind(now_ms())
        .fetch_all(&self.pool)
        .await?)
    }

    /// Whether this user already has a pending claim on the program.
    pub async fn has_pending_claim(
        &self,
        program: ProgramId,
        user: UserId,
    ) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM program_claims WHERE program_id = $1 AND user_id = $2 AND state = 'pending' AND (expires_at IS NULL OR expires_at > $3)")
            .bind(program)
            .bind(user)
            .bind(now_ms())
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }
}
