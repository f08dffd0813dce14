//! User accounts and login throttling records.

use super::{Store, flag, is_unique_violation};
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::EmailKind;
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
    payload: &serde_json::Value,
    now: i64,
) -> Result<(), AppError> {
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
        &payload.to_string(),
        now,
    )
    .await
}

async fn insert_user(
    tx: &mut Transaction<'_, Any>,
    new: &NewUser,
    now: i64,
) -> Result<UserId, AppError> {
    let result = sqlx::query_scalar::<_, i64>(
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
        Err(e) if is_unique_violation(&e) => Err(AppError::field("email", Key::err_email_taken)),
        Err(e) => Err(e.into()),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub email_verified: i64,
    pub phone: Option<String>,
    pub language: String,
    pub is_site_admin: i64,
    pub created_at: i64,
}

impl UserRow {
    pub fn is_site_admin(&self) -> bool {
        self.is_site_admin != 0
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
    pub id: i64,
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

const USER_COLUMNS: &str =
    "id, name, email, email_verified, phone, language, is_site_admin, created_at";

impl Store {
    /// Creates an account; a taken email is a field error on `email`.
    pub async fn create_user(&self, new: &NewUser) -> Result<UserId, AppError> {
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
        payload: &serde_json::Value,
    ) -> Result<UserId, AppError> {
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
        payload: &serde_json::Value,
    ) -> Result<(), AppError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let email = (user.email.as_str(), user.language.as_str());
        insert_verification(&mut tx, user.id, email, token_hash, payload, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    /// Uses a verification link: marks the account's email verified and links the persons
    /// helpers created for that email, together. A used, expired or unknown link is
    /// `NotFound`.
    pub async fn verify_email(&self, token_hash: &str) -> Result<UserId, AppError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let user = sqlx::query_scalar::<_, i64>(
            "UPDATE email_verifications SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id",
        )
        .bind(now)
        .bind(token_hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        sqlx::query("UPDATE users SET email_verified = 1 WHERE id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        super::persons::link_persons_in(&mut tx, user).await?;
        tx.commit().await?;
        Ok(user)
    }

    pub async fn user(&self, id: UserId) -> Result<Option<UserRow>, AppError> {
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
    pub async fn set_user_language(&self, id: UserId, language: &Language) -> Result<(), AppError> {
        sqlx::query("UPDATE users SET language = $1 WHERE id = $2")
            .bind(language.as_str())
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &EmailAddress) -> Result<Option<UserRow>, AppError> {
        Ok(sqlx::query_as::<_, UserRow>(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
        ))
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn credentials(&self, email: &EmailAddress) -> Result<Option<Credentials>, AppError> {
        Ok(
            sqlx::query_as::<_, Credentials>(
                "SELECT id, password_hash FROM users WHERE email = $1",
            )
            .bind(email.as_str())
            .fetch_optional(&self.pool)
            .await?,
        )
    }

    pub async fn count_users(&self) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?)
    }

    /// Records one failed login against a throttle key ("email:…" or "ip:…").
    /// Returns the record's id, so a success can take it back.
    pub async fn record_login_failure(&self, key: &str, at: i64) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "INSERT INTO login_failures (throttle_key, at) VALUES ($1, $2) RETURNING id",
        )
        .bind(key)
        .bind(at)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn delete_login_failure(&self, id: i64) -> Result<(), AppError> {
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
    ) -> Result<(i64, Option<i64>), AppError> {
        let row: (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM login_failures WHERE throttle_key = $1 AND at >= $2",
        )
        .bind(key)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(row)
    }

    pub async fn clear_login_failures(&self, key: &str) -> Result<(), AppError> {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops failure records older than a moment (housekeeping).
    pub async fn prune_login_failures(&self, before: i64) -> Result<u64, AppError> {
        Ok(sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
