//! User accounts and login throttling records.

use super::error::StoreError;
use super::{Store, flag, is_unique_violation};
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::EmailKind;
use crate::model::email::EmailPayload;
use crate::model::{EmailAddress, Language, PersonName, UserId};
use crate::server::clock::{DAY_MS, now_ms};
use sqlx::{Any, FromRow, Transaction};

/// A verification link works for a week; after that the user asks for a new one.
const VERIFICATION_LIFETIME_MS: i64 = 7 * DAY_MS;

/// A verification link and the email carrying it, inside the caller's transaction.
async fn insert_verification(
    tx: &mut Transaction<'_, Any>,
    user: UserId,
    (email, language): (&str, &str),
    token_hash: &str,
    payload: &EmailPayload,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO email_verifications (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user)
    .bind(token_hash)
    .bind(now)
    .bind(now + VERIFICATION_LIFETIME_MS)
    .execute(&mut **tx)
    .await?;
    super::outbox::enqueue(
        tx,
        EmailKind::AccountVerification,
        email,
        language,
        None,
        payload,
        now,
    )
    .await
}

/// The tables of an account's single-use links.
#[derive(Clone, Copy)]
pub(super) enum SingleUseLinks {
    EmailVerifications,
    PasswordResets,
    EmailChanges,
}

pub(super) const ALL_LINKS: &[SingleUseLinks] = &[
    SingleUseLinks::EmailVerifications,
    SingleUseLinks::PasswordResets,
    SingleUseLinks::EmailChanges,
];

/// Uses up every open link of these kinds the account has, inside the caller's
/// transaction (a disabled account, a new password).
pub(super) async fn use_up_links_in(
    tx: &mut Transaction<'_, Any>,
    user: UserId,
    kinds: &[SingleUseLinks],
    now: i64,
) -> Result<(), StoreError> {
    for kind in kinds {
        let table = match kind {
            SingleUseLinks::EmailVerifications => "email_verifications",
            SingleUseLinks::PasswordResets => "password_resets",
            SingleUseLinks::EmailChanges => "email_changes",
        };
        sqlx::query(&format!(
            "UPDATE {table} SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL"
        ))
        .bind(now)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Throttle keys name an email or an address ("refer_to:rosa@…"): only their SHA-256 is
/// stored, so the table holds nobody's contact details.
fn throttle_key(key: &str) -> String {
    crate::server::tokens::token_hash(key)
}

async fn set_password_in(
    tx: &mut Transaction<'_, Any>,
    user: UserId,
    password_hash: &str,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `u.id, u.name, …`: the user columns of a joined query.
pub(super) fn prefixed_user_columns(table: &str) -> String {
    USER_COLUMNS
        .split(", ")
        .map(|c| format!("{table}.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

async fn insert_user(
    tx: &mut Transaction<'_, Any>,
    new: &NewUser,
    now: i64,
) -> Result<UserId, StoreError> {
    let result = sqlx::query_scalar::<_, UserId>(
        "INSERT INTO users (name, email, email_verified, language, password_hash, is_site_admin, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.name.as_str())
    .bind(new.email.as_str())
    .bind(flag(new.email_verified))
    .bind(new.language.as_str())
    .bind(&new.password_hash)
    .bind(flag(new.is_site_admin))
    .bind(now)
    .fetch_one(&mut **tx)
    .await;
    match result {
        Ok(id) => Ok(id),
        Err(e) if is_unique_violation(&e) => {
            Err(AppError::field("email", Key::err_email_taken).into())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub email_verified: i64,
    pub phone: Option<String>,
    pub language: String,
    pub is_site_admin: i64,
    pub created_at: i64,
    /// Set by a site administrator: the account cannot log in and its links stop working.
    pub disabled_at: Option<i64>,
}

impl UserRow {
    pub fn is_site_admin(&self) -> bool {
        self.is_site_admin != 0
    }

    pub fn email_verified(&self) -> bool {
        self.email_verified != 0
    }
}

pub struct NewUser {
    pub name: PersonName,
    pub email: EmailAddress,
    pub language: Language,
    /// An argon2id PHC string, never the password.
    pub password_hash: String,
    pub email_verified: bool,
    pub is_site_admin: bool,
}

/// What login needs: the id and the stored hash. `Debug` leaves the hash out.
#[derive(FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials {{ id: {}, password_hash: <redacted> }}",
            self.id
        )
    }
}

pub(super) const USER_COLUMNS: &str =
    "id, name, email, email_verified, phone, language, is_site_admin, created_at, disabled_at";

/// A password-reset link works for an hour.
pub const PASSWORD_RESET_LIFETIME_MS: i64 = 60 * crate::server::clock::MINUTE_MS;

impl Store {
    /// Creates an account; a taken email is a field error on `email`.
    pub async fn create_user(&self, new: &NewUser) -> Result<UserId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id = insert_user(&mut tx, new, now_ms()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Creates an unverified account together with its verification link and the email
    /// carrying it: one transaction, so no account lacks its email.
    pub async fn create_user_to_verify(
        &self,
        new: &NewUser,
        token_hash: &str,
        payload: &EmailPayload,
    ) -> Result<UserId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id = insert_user(&mut tx, new, now).await?;
        let email = (new.email.as_str(), new.language.as_str());
        insert_verification(&mut tx, id, email, token_hash, payload, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(id)
    }

    /// A fresh verification link and its email for an existing account (the first one was
    /// lost or expired). Earlier links keep working until they expire.
    pub async fn resend_verification(
        &self,
        user: &UserRow,
        token_hash: &str,
        payload: &EmailPayload,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let email = (user.email.as_str(), user.language.as_str());
        insert_verification(&mut tx, user.id, email, token_hash, payload, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    /// The account a usable (unused, unexpired) verification link is for.
    pub async fn verification_account(
        &self,
        token_hash: &str,
    ) -> Result<Option<UserRow>, StoreError> {
        Ok(sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {} FROM users u JOIN email_verifications v ON v.user_id = u.id \
             WHERE v.token_hash = $1 AND v.used_at IS NULL AND v.expires_at > $2 AND u.disabled_at IS NULL",
            prefixed_user_columns("u")
        ))
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Uses a verification link for the account that proved it is its holder (signed in,
    /// or its password): marks the email verified and links the persons made for that email,
    /// together. A link for another account, used, expired or unknown is `NotFound`.
    pub async fn verify_email(&self, token_hash: &str, user: UserId) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query_scalar::<_, UserId>(
            "UPDATE email_verifications SET used_at = $1 \
             WHERE token_hash = $2 AND user_id = $3 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        super::persons::link_persons_in(&mut tx, user).await?;
        tx.commit().await?;
        Ok(())
    }

    /// "This wasn't me": the owner of an address removes an unconfirmed account someone
    /// made with it. The account is deleted with its sessions, so the address is free again;
    /// one that already made referrals for others (it cannot, unconfirmed, but older data
    /// may) is disabled instead. Returns the account, so its live streams can be ended.
    pub async fn remove_unconfirmed_account(&self, token_hash: &str) -> Result<UserId, StoreError> {
        let account = self
            .verification_account(token_hash)
            .await?
            .filter(|u| !u.email_verified())
            .ok_or(AppError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        // What it asked for itself was typed by whoever made it, with this address: the
        // address leaves those profiles, so they never link to the real owner later.
        sqlx::query("UPDATE persons SET email = NULL WHERE user_id = $1 AND created_by = $1")
            .bind(account.id)
            .execute(&mut *tx)
            .await?;
        let deleted = sqlx::query("DELETE FROM users WHERE id = $1 AND email_verified = 0")
            .bind(account.id)
            .execute(&mut *tx)
            .await;
        match deleted {
            Ok(_) => {
                tx.commit().await?;
                Ok(account.id)
            }
            Err(e) if super::is_foreign_key_violation(&e) => {
                drop(tx);
                // Older data made it a referrer: keep the rows, disable the account, and
                // free the address for its owner.
                self.disable_account(account.id).await?;
                sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
                    .bind(format!("removed-{}@invalid", account.id))
                    .bind(account.id)
                    .execute(&self.pool)
                    .await?;
                Ok(account.id)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Disables an account: no more log in, every session ended, its links refused.
    pub async fn disable_account(&self, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2 AND disabled_at IS NULL")
            .bind(now_ms())
            .bind(user)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        use_up_links_in(&mut tx, user, ALL_LINKS, now_ms()).await?;
        // Nothing left open would let them back in: invitations they sent or were sent,
        // their pending claims.
        super::invitations::revoke_invitations_in(&mut tx, user, None).await?;
        sqlx::query(
            "UPDATE program_claims SET state = 'rejected', decided_at = $1 WHERE user_id = $2 AND state = 'pending'",
        )
        .bind(now_ms())
        .bind(user)
        .execute(&mut *tx)
        .await?;
        self.commit_access_change(tx, &[user]).await
    }

    /// Tells the owner of an address that someone tried to sign up with it, with a link to
    /// set a new password (a password reset of its own).
    pub async fn notify_existing_account(
        &self,
        user: &UserRow,
        reset_token_hash: &str,
        payload: &EmailPayload,
    ) -> Result<(), StoreError> {
        self.create_password_reset_as(user, reset_token_hash, payload, EmailKind::AccountExists)
            .await
    }

    /// A password-reset link for the account, and the email carrying it.
    pub async fn create_password_reset(
        &self,
        user: &UserRow,
        token_hash: &str,
        payload: &EmailPayload,
    ) -> Result<(), StoreError> {
        self.create_password_reset_as(user, token_hash, payload, EmailKind::PasswordReset)
            .await
    }

    async fn create_password_reset_as(
        &self,
        user: &UserRow,
        token_hash: &str,
        payload: &EmailPayload,
        kind: EmailKind,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.id)
        .bind(token_hash)
        .bind(now)
        .bind(now + PASSWORD_RESET_LIFETIME_MS)
        .execute(&mut *tx)
        .await?;
        super::outbox::enqueue(
            &mut tx,
            kind,
            &user.email,
            &user.language,
            None,
            payload,
            now,
        )
        .await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    /// Uses a password-reset link: the new password, the link and every other reset link
    /// used up, every session of the account ended; one transaction. Unknown, used or
    /// expired links (or a disabled account) are `NotFound`.
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        notice: &super::AccountLink,
    ) -> Result<UserId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let user = sqlx::query_scalar::<_, UserId>(
            "UPDATE password_resets SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 \
             AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL) RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        use_up_links_in(&mut tx, user, &[SingleUseLinks::PasswordResets], now).await?;
        set_password_in(&mut tx, user, password_hash).await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        super::account::queue_account_notice(&mut tx, user, None, notice, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(user)
    }

    /// Whether a password-reset link can still be used (the page shows the form or says why not).
    pub async fn password_reset_usable(&self, token_hash: &str) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn user(&self, id: UserId) -> Result<Option<UserRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, UserRow>(&format!(
                "SELECT {USER_COLUMNS} FROM users WHERE id = $1"
            ))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?,
        )
    }

    /// The account's language: emails and, after the next log in, pages use it.
    pub async fn set_user_language(
        &self,
        id: UserId,
        language: &Language,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &EmailAddress) -> Result<Option<UserRow>, StoreError> {
        Ok(sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    /// What log in checks; a disabled account has none.
    pub async fn credentials(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<Credentials>, StoreError> {
        Ok(sqlx::query_as::<_, Credentials>(
            "SELECT id, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL",
        )
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Records one failed login against a throttle key ("email:…" or "ip:…").
    /// Returns the record's id, so a success can take it back.
    pub async fn record_login_failure(&self, key: &str, at: i64) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "INSERT INTO login_failures (throttle_key, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(throttle_key(key))
        .bind(at)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn delete_login_failure(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failures for a key since a moment, and the oldest of them (to say when to retry).
    pub async fn login_failures_since(
        &self,
        key: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>), StoreError> {
        let row: (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM login_failures WHERE throttle_key = $1 AND at >= $2",
        )
        .bind(throttle_key(key))
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(row)
    }

    /// Records of a key since a moment other than `mine`, and the newest of them (to say how
    /// long to wait).
    pub async fn login_failures_besides(
        &self,
        key: &str,
        since: i64,
        mine: i64,
    ) -> Result<(i64, Option<i64>), StoreError> {
        Ok(sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM login_failures WHERE throttle_key = $1 AND at >= $2 AND id <> $3",
        )
        .bind(throttle_key(key))
        .bind(since)
        .bind(mine)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn clear_login_failures(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
            .bind(throttle_key(key))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops failure records older than a moment (housekeeping).
    pub async fn prune_login_failures(&self, before: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
