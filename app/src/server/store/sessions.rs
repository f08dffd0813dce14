//! Server-side sessions. The cookie holds a random token; the table holds only its SHA-256,
//! so a leaked database cannot be replayed as cookies.

use super::Store;
use super::error::StoreError;
use super::users::UserRow;
use crate::model::UserId;
use sqlx::FromRow;

/// A session's last use is written at most this often.
const TOUCH_EVERY_MS: i64 = 60_000;

#[derive(FromRow)]
struct LiveSession {
    #[sqlx(flatten)]
    user: UserRow,
    last_seen_at: i64,
}

impl Store {
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        now: i64,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)")
            .bind(token_hash)
            .bind(user)
            .bind(now)
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user of a live session, or `None` for an unknown, expired or idle one (or a
    /// disabled account). Checking does not count as use (an open live stream checks).
    pub async fn session_user(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRow>, StoreError> {
        Ok(self.live_session(token_hash, now).await?.map(|s| s.user))
    }

    /// Like `session_user`, for a request the user made: it counts as use, so the idle
    /// timeout starts again (written at most once a minute, not on every request).
    pub async fn session_user_touching(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<UserRow>, StoreError> {
        let Some(session) = self.live_session(token_hash, now).await? else {
            return Ok(None);
        };
        if session.last_seen_at < now - TOUCH_EVERY_MS {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(token_hash)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(session.user))
    }

    async fn live_session(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<LiveSession>, StoreError> {
        // Idle sessions end for helpers, staff and administrators, whose dashboards show
        // other people's contact details; a seeker's lasts its 7 days.
        Ok(sqlx::query_as::<_, LiveSession>(&format!(
            "SELECT {}, COALESCE(s.last_seen_at, s.created_at) AS last_seen_at \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL \
             AND (COALESCE(s.last_seen_at, s.created_at) > $3 OR (u.is_site_admin = 0 \
               AND NOT EXISTS (SELECT 1 FROM group_members m WHERE m.user_id = u.id) \
               AND NOT EXISTS (SELECT 1 FROM program_staff p WHERE p.user_id = u.id)))",
            super::users::prefixed_user_columns("u")
        ))
        .bind(token_hash)
        .bind(now)
        .bind(now - self.idle_timeout_ms)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64, StoreError> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
