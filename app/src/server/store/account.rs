//! Changes an account holder makes to their own account: profile, password, email (through
//! a link to the new address), and ending sessions.

use super::error::StoreError;
use super::{Store, is_unique_violation};
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::email::{AccountPayload, EmailPayload, SeededLink};
use crate::model::{EmailAddress, EmailKind, Language, PersonName, PhoneNumber, UserId};
use crate::server::clock::{DAY_MS, now_ms};

/// A password-reset link made by the caller for an "account changed" notice: the hash for
/// the token table, the seed for the payload.
pub struct AccountLink {
    pub token_hash: String,
    pub link: SeededLink,
}

/// Queues "your account was changed" with a password-reset link of its own, to `old_email`
/// (an email change) or the account's address (a new password), inside the caller's
/// transaction.
pub(super) async fn queue_account_notice(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: UserId,
    old_email: Option<&str>,
    link: &AccountLink,
    now: i64,
) -> Result<(), StoreError> {
    let (name, email, language): (String, String, String) =
        sqlx::query_as("SELECT name, email, language FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user)
    .bind(&link.token_hash)
    .bind(now)
    .bind(now + super::users::PASSWORD_RESET_LIFETIME_MS)
    .execute(&mut **tx)
    .await?;
    let payload = EmailPayload::Account(AccountPayload {
        name: crate::model::change::short_name(&name),
        // The new address, for an email change; none for a new password.
        email: if old_email.is_some() {
            email.clone()
        } else {
            String::new()
        },
        link: link.link.clone().into(),
    });
    super::outbox::enqueue(
        tx,
        EmailKind::AccountChanged,
        old_email.unwrap_or(&email),
        &language,
        None,
        &payload,
        now,
    )
    .await
}

/// A link to confirm a new address works for a day.
pub const EMAIL_CHANGE_LIFETIME_MS: i64 = DAY_MS;

impl Store {
    pub async fn update_profile(
        &self,
        user: UserId,
        name: &PersonName,
        phone: Option<&PhoneNumber>,
        language: &Language,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE users SET name = $1, phone = $2, language = $3 WHERE id = $4")
            .bind(name.as_str())
            .bind(phone.map(|p| p.as_str()))
            .bind(language.as_str())
            .bind(user)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The stored argon2 hash, for checks that ask for the current password.
    pub async fn password_hash(&self, user: UserId) -> Result<Option<String>, StoreError> {
        Ok(
            sqlx::query_scalar::<_, String>("SELECT password_hash FROM users WHERE id = $1")
                .bind(user)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// A new password; every session but `keep` (the one that changed it) ends with it.
    pub async fn set_password_ending_other_sessions(
        &self,
        user: UserId,
        password_hash: &str,
        keep: &str,
        notice: &AccountLink,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        // Links asked for under the old password (a reset, a new address) die with it.
        use super::users::SingleUseLinks::{EmailChanges, PasswordResets};
        super::users::use_up_links_in(&mut tx, user, &[PasswordResets, EmailChanges], now_ms())
            .await?;
        queue_account_notice(&mut tx, user, None, notice, now_ms()).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }

    pub async fn end_all_sessions(&self, user: UserId) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    /// Records a wish to use `email` and queues the link to it, together.
    pub async fn request_email_change(
        &self,
        user: &super::UserRow,
        email: &EmailAddress,
        token_hash: &str,
        payload: &EmailPayload,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO email_changes (user_id, new_email, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.id)
        .bind(email.as_str())
        .bind(token_hash)
        .bind(now)
        .bind(now + EMAIL_CHANGE_LIFETIME_MS)
        .execute(&mut *tx)
        .await?;
        super::outbox::enqueue(
            &mut tx,
            EmailKind::EmailChange,
            email.as_str(),
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

    /// Uses an email-change link for the account that asked for it: the new address,
    /// confirmed (the link proved it), and the persons made for it linked; one transaction.
    /// Another account's link, or a used or expired one, is `Conflict`; an address that
    /// meanwhile has an account of its own is a field error.
    pub async fn confirm_email_change(
        &self,
        token_hash: &str,
        user: UserId,
        notice: &AccountLink,
    ) -> Result<(), StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let old_email: String = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&mut *tx)
            .await?;
        let email = sqlx::query_scalar::<_, String>(
            "UPDATE email_changes SET used_at = $1 \
             WHERE token_hash = $2 AND user_id = $3 AND used_at IS NULL AND expires_at > $1 RETURNING new_email",
        )
        .bind(now)
        .bind(token_hash)
        .bind(user)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::Conflict(Key::err_verify_link.into()))?;
        let changed = sqlx::query("UPDATE users SET email = $1, email_verified = 1 WHERE id = $2")
            .bind(&email)
            .bind(user)
            .execute(&mut *tx)
            .await;
        match changed {
            Ok(_) => {}
            Err(e) if is_unique_violation(&e) => {
                return Err(AppError::field("email", Key::err_email_taken).into());
            }
            Err(e) => return Err(e.into()),
        }
        super::persons::link_persons_in(&mut tx, user).await?;
        // The old address hears of it, with a way back for an owner who did not do it.
        queue_account_notice(&mut tx, user, Some(&old_email), notice, now).await?;
        tx.commit().await?;
        self.outbox_changed();
        Ok(())
    }
}
