//! Persons: seeker profiles, made by a helper or by the seeker, linked to an account by a
//! verified email.

use super::Store;
use super::error::StoreError;
use crate::model::{EmailAddress, Language, PersonId, PersonName, PhoneNumber, UserId};
use crate::server::clock::now_ms;
use sqlx::FromRow;

pub struct NewPerson {
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub language: Language,
    /// The linked account, for a seeker making their own profile.
    pub user: Option<UserId>,
    pub created_by: Option<UserId>,
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct PersonRow {
    pub id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub user_id: Option<UserId>,
    pub created_by: Option<UserId>,
    pub created_at: i64,
}

impl Store {
    pub async fn create_person(&self, p: &NewPerson) -> Result<PersonId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id = insert_person(&mut tx, p, now_ms()).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn person(&self, id: PersonId) -> Result<Option<PersonRow>, StoreError> {
        Ok(sqlx::query_as::<_, PersonRow>(
            "SELECT id, first_name, last_name, email, phone, language, user_id, created_by, created_at \
             FROM persons WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Links every unlinked person a helper made with this email to the account, but only
    /// once the account's email is verified: otherwise anyone could sign up as someone else
    /// and read their referrals. (Persons made anonymously are not linked: anyone can type
    /// any email into the public form.) Returns how many persons were linked.
    pub async fn link_persons_to_verified_user(&self, user: UserId) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let linked = link_persons_in(&mut tx, user).await?;
        tx.commit().await?;
        Ok(linked)
    }
}

impl Store {
    /// The verified account holding this email, if any (a helper's new person is linked to it).
    pub async fn verified_user_with_email(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<UserId>, StoreError> {
        Ok(sqlx::query_scalar::<_, UserId>(
            "SELECT id FROM users WHERE email = $1 AND email_verified = 1",
        )
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?)
    }
}

/// Links the persons made for this user's email, if the email is verified: by helpers, and
/// by the seeker before they had an account (a Connect form sent without logging in).
pub(super) async fn link_persons_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    user: UserId,
) -> Result<u64, StoreError> {
    Ok(sqlx::query(
        "UPDATE persons SET user_id = $1 WHERE user_id IS NULL AND email = \
         (SELECT email FROM users WHERE id = $1 AND email_verified = 1)",
    )
    .bind(user)
    .execute(&mut **tx)
    .await?
    .rows_affected())
}

pub(super) async fn insert_person(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    p: &NewPerson,
    now: i64,
) -> Result<PersonId, StoreError> {
    Ok(sqlx::query_scalar::<_, PersonId>(
        "INSERT INTO persons (first_name, last_name, email, phone, language, user_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(p.first_name.as_str())
    .bind(p.last_name.as_str())
    .bind(p.email.as_ref().map(|e| e.as_str()))
    .bind(p.phone.as_ref().map(|e| e.as_str()))
    .bind(p.language.as_str())
    .bind(p.user)
    .bind(p.created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}
