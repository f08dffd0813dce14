//! The store's side of live updates: each change announces itself (inside its transaction,
//! then after commit) through the backend's `ChangeFeed`, and the referral history doubles
//! as the durable log that reconnecting clients and listeners catch up from.

use super::Store;
use super::referrals::AccessRow;
use crate::error::AppError;
use crate::model::ReferralId;
use crate::model::live::{Change, ChangeKind};
use crate::server::live::LiveChange;
use sqlx::{Any, FromRow, Transaction};
use std::sync::Arc;
use tokio::sync::broadcast;

#[derive(FromRow)]
struct ChangeRow {
    seq: i64,
    referral_id: i64,
    kind: String,
    version: i64,
    #[sqlx(flatten)]
    access: AccessRow,
}

const CHANGE_SELECT: &str = "SELECT h.id AS seq, h.referral_id, h.kind, r.version, p.user_id AS seeker_user, r.referrer_id, \
     r.referrer_group_id, g.team_navigation, r.program_id, r.contact_preference \
     FROM referral_history h JOIN referrals r ON r.id = h.referral_id JOIN persons p ON p.id = r.person_id \
     LEFT JOIN user_groups g ON g.id = r.referrer_group_id";

impl ChangeRow {
    fn into_change(self) -> Result<LiveChange, AppError> {
        let kind = ChangeKind::from_code(&self.kind)
            .ok_or_else(|| AppError::internal(format!("bad history kind {:?}", self.kind)))?;
        let facts = self.access.facts()?;
        Ok(LiveChange {
            change: Change {
                seq: self.seq,
                referral: self.referral_id,
                kind,
                version: self.version,
                program: facts.program,
            },
            facts,
        })
    }
}

/// Reads the change just written (history row `seq`) with its facts, and stages it with the
/// feed, inside the transaction.
pub(super) async fn announce(
    store: &Store,
    tx: &mut Transaction<'static, Any>,
    seq: i64,
) -> Result<LiveChange, AppError> {
    let row = sqlx::query_as::<_, ChangeRow>(&format!("{CHANGE_SELECT} WHERE h.id = $1"))
        .bind(seq)
        .fetch_one(&mut **tx)
        .await?;
    let change = row.into_change()?;
    store.feed.stage(tx, &change).await?;
    Ok(change)
}

impl Store {
    pub fn subscribe_changes(&self) -> broadcast::Receiver<Arc<LiveChange>> {
        self.changes.subscribe()
    }

    /// Users whose access changed, from every instance.
    pub fn subscribe_access_changes(&self) -> broadcast::Receiver<crate::model::UserId> {
        self.access.subscribe()
    }

    /// Inside a transaction that changes `user`'s access. On PostgreSQL the notice leaves
    /// with the commit, in commit order with every change's own notice, so no change that
    /// commits after it reaches their streams first. (On SQLite, `access_committed`.)
    pub(super) async fn stage_access_change(
        &self,
        tx: &mut Transaction<'_, Any>,
        user: crate::model::UserId,
    ) -> Result<(), AppError> {
        if self.backend == super::Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(crate::server::live::feed::PG_ACCESS_CHANNEL)
                .bind(user.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Right after that commit: on SQLite (one instance), straight to this process's streams.
    pub(super) fn access_committed(&self, user: crate::model::UserId) {
        if self.backend == super::Backend::Sqlite {
            let _ = self.access.send(user);
        }
    }

    /// Commits a transaction that changed these users' access, telling their open streams
    /// (`stage_access_change`, then `access_committed`).
    pub(super) async fn commit_access_change(
        &self,
        mut tx: Transaction<'_, Any>,
        users: &[crate::model::UserId],
    ) -> Result<(), AppError> {
        for &user in users {
            self.stage_access_change(&mut tx, user).await?;
        }
        tx.commit().await?;
        for &user in users {
            self.access_committed(user);
        }
        Ok(())
    }

    /// Tells every instance's open streams of `user` to check their session and access now:
    /// call after committing a change that takes access away (or gives it).
    pub async fn access_changed(&self, user: crate::model::UserId) -> Result<(), AppError> {
        match self.backend {
            super::Backend::Sqlite => {
                let _ = self.access.send(user);
            }
            // Every instance's listener, this one's too, forwards it to its streams.
            super::Backend::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(crate::server::live::feed::PG_ACCESS_CHANNEL)
                    .bind(user.to_string())
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Starts carrying committed changes to this instance's streams from the database
    /// (PostgreSQL; nothing to do on SQLite); resolves once listening. Once per process.
    pub async fn start_change_listener(&self) {
        self.feed.start(self.clone()).await;
    }

    /// Changes after `after`, oldest first, at most `limit`.
    pub async fn changes_since(&self, after: i64, limit: i64) -> Result<Vec<LiveChange>, AppError> {
        sqlx::query_as::<_, ChangeRow>(&format!(
            "{CHANGE_SELECT} WHERE h.id > $1 ORDER BY h.id LIMIT $2"
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ChangeRow::into_change)
        .collect()
    }

    pub async fn latest_change_seq(&self) -> Result<i64, AppError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) FROM referral_history")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The referral whose history holds `seq` (for tests and tools).
    pub async fn referral_of_change(&self, seq: i64) -> Result<Option<ReferralId>, AppError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT referral_id FROM referral_history WHERE id = $1")
                .bind(seq)
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}
