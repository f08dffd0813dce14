//! Managing groups as a whole: the site administrator's list of every group, renaming and
//! closing, and the record of who did what to a group.

use super::Store;
use super::error::StoreError;
use crate::model::{GroupId, UserId};
use crate::server::clock::now_ms;
use sqlx::FromRow;

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct GroupSummary {
    pub id: GroupId,
    pub name: String,
    pub team_navigation: i64,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

/// One recorded management action, as the administrator reads it.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct AdminActionRow {
    pub id: i64,
    pub actor_label: String,
    pub action: String,
    pub group_id: Option<GroupId>,
    pub group_name: Option<String>,
    pub target_label: Option<String>,
    pub detail: String,
    pub at: i64,
}

/// What was done, by whom, to which group and account, for the record.
pub struct AdminAction<'a> {
    pub actor: UserId,
    pub actor_label: &'a str,
    pub action: &'a str,
    pub group: Option<GroupId>,
    pub target: Option<UserId>,
    pub detail: &'a str,
}

impl Store {
    /// Every group, open ones first, by name.
    pub async fn all_groups(&self) -> Result<Vec<GroupSummary>, StoreError> {
        Ok(sqlx::query_as::<_, GroupSummary>(
            "SELECT id, name, team_navigation, created_at, closed_at FROM user_groups \
             ORDER BY CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END, name, id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn rename_group(&self, group: GroupId, name: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE user_groups SET name = $1 WHERE id = $2")
            .bind(name)
            .bind(group)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Closes a group: every member leaves it (their team access ends at once, on open
    /// streams too), its open invitations end; the referrals made through it keep their
    /// history, and their referrers keep them.
    pub async fn close_group(&self, group: GroupId) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let members: Vec<UserId> =
            sqlx::query_scalar("SELECT user_id FROM group_members WHERE group_id = $1")
                .bind(group)
                .fetch_all(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM group_members WHERE group_id = $1")
            .bind(group)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE invitations SET expires_at = $1 WHERE group_id = $2 AND accepted_at IS NULL AND expires_at > $1",
        )
        .bind(now_ms())
        .bind(group)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE user_groups SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
            .bind(now_ms())
            .bind(group)
            .execute(&mut *tx)
            .await?;
        self.commit_access_change(tx, &members).await
    }

    /// Whether the group exists and is open.
    pub async fn group_is_open(&self, group: GroupId) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM user_groups WHERE id = $1 AND closed_at IS NULL",
        )
        .bind(group)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    pub async fn record_admin_action(&self, a: &AdminAction<'_>) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO admin_actions (actor_user_id, actor_label, action, group_id, target_user_id, detail, at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(a.actor)
        .bind(a.actor_label)
        .bind(a.action)
        .bind(a.group)
        .bind(a.target)
        .bind(a.detail)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The newest recorded actions, newest first.
    pub async fn admin_actions(&self, limit: i64) -> Result<Vec<AdminActionRow>, StoreError> {
        Ok(sqlx::query_as::<_, AdminActionRow>(
            "SELECT a.id, a.actor_label, a.action, a.group_id, g.name AS group_name, \
             t.name AS target_label, a.detail, a.at FROM admin_actions a \
             LEFT JOIN user_groups g ON g.id = a.group_id LEFT JOIN users t ON t.id = a.target_user_id \
             ORDER BY a.at DESC, a.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
