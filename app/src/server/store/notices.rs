//! How committed changes leave the store for open live streams, without the store knowing
//! who listens (the app's live feed, `server::live`, is one; a command-line tool has none).
//!
//! - PostgreSQL (several instances): each change's `pg_notify` is sent inside its own
//!   transaction (in the statement that writes its history row), so the database delivers
//!   it only if the change commits, to every instance's listener (this one's too), in
//!   commit order.
//! - SQLite (one instance): after commit, straight to this process's `CommitListener`.
//!
//! A notice is only the history row's number: the listener reads the change and its access
//! facts itself (`changes_at`), outside the change's transaction, which then holds its
//! locks (SQLite: the whole database) for two round trips less. The referral history
//! doubles as the durable log reconnecting clients catch up from.

use super::error::StoreError;
use super::referrals::AccessRow;
use super::{Backend, Store};
use crate::model::live::{Change, ChangeKind, LiveChange};
use crate::model::{ReferralId, UserId};
use sqlx::{Any, FromRow, Transaction};
use std::sync::Arc;

/// PostgreSQL channel of committed changes (a history row's number).
pub const PG_CHANGES_CHANNEL: &str = "handoff_changes";
/// PostgreSQL channel carrying the id of a user whose access changed.
pub const PG_ACCESS_CHANNEL: &str = "handoff_access";

/// Hears of what this instance committed (SQLite; on PostgreSQL the database tells every
/// instance's listener instead).
pub trait CommitListener: Send + Sync + std::fmt::Debug {
    /// History row `seq` committed; read it with `Store::changes_at`.
    fn change_committed(&self, seq: i64);
    /// `user`'s access changed: their open streams check their session and access again.
    fn access_changed(&self, user: UserId);
}

/// For a store nobody streams from (tools, some tests).
#[derive(Debug)]
pub struct NobodyListens;

impl CommitListener for NobodyListens {
    fn change_committed(&self, _seq: i64) {}
    fn access_changed(&self, _user: UserId) {}
}

#[derive(FromRow)]
struct ChangeRow {
    seq: i64,
    referral_id: ReferralId,
    kind: ChangeKind,
    version: i64,
    #[sqlx(flatten)]
    access: AccessRow,
}

const CHANGE_SELECT: &str = concat!(
    "SELECT h.id AS seq, h.referral_id, h.kind, r.version, p.user_id AS seeker_user, r.referrer_id, \
     r.referrer_group_id, g.team_navigation, r.program_id, ",
    super::effective_preference!(),
    " AS contact_preference \
     FROM referral_history h JOIN referrals r ON r.id = h.referral_id JOIN persons p ON p.id = r.person_id \
     LEFT JOIN user_groups g ON g.id = r.referrer_group_id"
);

impl ChangeRow {
    fn into_change(self) -> LiveChange {
        let facts = self.access.facts();
        LiveChange {
            change: Change {
                seq: self.seq,
                referral: self.referral_id,
                kind: self.kind,
                version: self.version,
                program: facts.program,
            },
            facts,
        }
    }
}

/// The history insert `insert` (ending in `RETURNING id`) as the statement to run: on
/// PostgreSQL it also sends the row's notice, in the same round trip and transaction
/// (a data-modifying CTE; the id stays the first column, all `query_scalar` reads, and
/// `pg_notify`'s void is cast to text so the driver can carry it).
pub(super) fn announced(backend: Backend, insert: &str) -> String {
    match backend {
        Backend::Sqlite => insert.to_string(),
        Backend::Postgres => format!(
            "WITH h AS ({insert}) SELECT h.id, pg_notify('{PG_CHANGES_CHANNEL}', h.id::text)::text FROM h"
        ),
    }
}

/// Most changes one `changes_at` call reads.
pub const CHANGES_AT_MOST: usize = 500;

impl Store {
    /// A store that tells `listener` of what it commits (the app's live feed).
    pub fn with_commit_listener(mut self, listener: Arc<dyn CommitListener>) -> Store {
        self.listener = listener;
        self
    }

    /// After the commit of history row `seq` (on PostgreSQL its notice left with it).
    pub(super) fn change_committed(&self, seq: i64) {
        if self.backend == Backend::Sqlite {
            self.listener.change_committed(seq);
        }
    }

    /// Inside a transaction that changes `user`'s access. On PostgreSQL the notice leaves
    /// with the commit, in commit order with every change's own notice, so no change that
    /// commits after it reaches their streams first. (On SQLite, `access_committed`.)
    pub(super) async fn stage_access_change(
        &self,
        tx: &mut Transaction<'_, Any>,
        user: UserId,
    ) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT pg_notify($1, $2)")
                .bind(PG_ACCESS_CHANNEL)
                .bind(user.to_string())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    /// Right after that commit: on SQLite (one instance), straight to this process's streams.
    pub(super) fn access_committed(&self, user: UserId) {
        if self.backend == Backend::Sqlite {
            self.listener.access_changed(user);
        }
    }

    /// Commits a transaction that changed these users' access, telling their open streams
    /// (`stage_access_change`, then `access_committed`).
    pub(super) async fn commit_access_change(
        &self,
        mut tx: Transaction<'_, Any>,
        users: &[UserId],
    ) -> Result<(), StoreError> {
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
    pub async fn access_changed(&self, user: UserId) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => self.listener.access_changed(user),
            // Every instance's listener, this one's too, forwards it to its streams.
            Backend::Postgres => {
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(PG_ACCESS_CHANNEL)
                    .bind(user.to_string())
                    .execute(&self.pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// The changes recorded in history rows `seqs` (at most `CHANGES_AT_MOST`), oldest
    /// first, with their access facts as they stand now.
    pub async fn changes_at(&self, seqs: &[i64]) -> Result<Vec<LiveChange>, StoreError> {
        if seqs.is_empty() {
            return Ok(Vec::new());
        }
        let seqs = &seqs[..seqs.len().min(CHANGES_AT_MOST)];
        // Integers formatted by Rust, never text from outside: nothing to escape.
        let list = seqs
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        Ok(sqlx::query_as::<_, ChangeRow>(&format!(
            "{CHANGE_SELECT} WHERE h.id IN ({list}) ORDER BY h.id"
        ))
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ChangeRow::into_change)
        .collect())
    }

    /// Changes after `after`, oldest first, at most `limit`.
    pub async fn changes_since(
        &self,
        after: i64,
        limit: i64,
    ) -> Result<Vec<LiveChange>, StoreError> {
        Ok(sqlx::query_as::<_, ChangeRow>(&format!(
            "{CHANGE_SELECT} WHERE h.id > $1 ORDER BY h.id LIMIT $2"
        ))
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(ChangeRow::into_change)
        .collect())
    }

    pub async fn latest_change_seq(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(id), 0) FROM referral_history")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// The referral whose history holds `seq` (for tests and tools).
    pub async fn referral_of_change(&self, seq: i64) -> Result<Option<ReferralId>, StoreError> {
        Ok(sqlx::query_scalar::<_, ReferralId>(
            "SELECT referral_id FROM referral_history WHERE id = $1",
        )
        .bind(seq)
        .fetch_optional(&self.pool)
        .await?)
    }
}
