//! Groups (organisations or teams), their members, and the Team Navigation switch.

use super::error::StoreError;
use super::{Store, flag};
use crate::model::{GroupId, GroupRole, ProgramId, UserId, Viewer};
use crate::server::clock::now_ms;
use sqlx::FromRow;

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct GroupRow {
    pub id: GroupId,
    pub name: String,
    pub team_navigation: i64,
    pub created_at: i64,
}

impl GroupRow {
    pub fn team_navigation(&self) -> bool {
        self.team_navigation != 0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct MemberRow {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub role: GroupRole,
}

impl Store {
    /// Creates a group with its creator as the first admin, in one transaction.
    pub async fn create_group(
        &self,
        name: &str,
        team_navigation: bool,
        creator: UserId,
    ) -> Result<GroupId, StoreError> {
        let now = now_ms();
        let mut tx = self.pool.begin().await?;
        let id = sqlx::query_scalar::<_, GroupId>(
            "INSERT INTO user_groups (name, team_navigation, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(flag(team_navigation))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(creator)
            .bind(GroupRole::Admin)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a member, or changes the role of an existing one.
    pub async fn put_member(
        &self,
        group: GroupId,
        user: UserId,
        role: GroupRole,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO group_members (group_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (group_id, user_id) DO UPDATE SET role = excluded.role",
        )
        .bind(group)
        .bind(user)
        .bind(role)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends a membership, and with it the open invitations to this group that the member
    /// sent or was sent (either would let them back in).
    pub async fn remove_member(&self, group: GroupId, user: UserId) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let removed = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group)
            .bind(user)
            .execute(&mut *tx)
            .await?
            .rows_affected()
            > 0;
        super::invitations::revoke_invitations_in(
            &mut tx,
            user,
            Some(super::InvitationTarget::Group(group)),
        )
        .await?;
        self.commit_access_change(tx, &[user]).await?;
        Ok(removed)
    }

    /// Switches Team Navigation; every member's open streams check their access with it.
    pub async fn set_team_navigation(&self, group: GroupId, on: bool) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE user_groups SET team_navigation = $1 WHERE id = $2")
            .bind(flag(on))
            .bind(group)
            .execute(&mut *tx)
            .await?;
        let members: Vec<UserId> =
            sqlx::query_scalar("SELECT user_id FROM group_members WHERE group_id = $1")
                .bind(group)
                .fetch_all(&mut *tx)
                .await?;
        self.commit_access_change(tx, &members).await
    }

    pub async fn group(&self, id: GroupId) -> Result<Option<GroupRow>, StoreError> {
        Ok(sqlx::query_as::<_, GroupRow>(
            "SELECT id, name, team_navigation, created_at FROM user_groups WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn members(&self, group: GroupId) -> Result<Vec<MemberRow>, StoreError> {
        Ok(sqlx::query_as::<_, MemberRow>(
            "SELECT m.user_id, u.name, u.email, m.role FROM group_members m JOIN users u ON u.id = m.user_id \
             WHERE m.group_id = $1 ORDER BY u.name, m.user_id",
        )
        .bind(group)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The groups a user belongs to, with their role in each.
    pub async fn memberships(
        &self,
        user: UserId,
    ) -> Result<Vec<(GroupRow, GroupRole)>, StoreError> {
        let rows: Vec<(GroupId, String, i64, i64, GroupRole)> = sqlx::query_as(
            "SELECT g.id, g.name, g.team_navigation, g.created_at, m.role FROM group_members m \
             JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = $1 ORDER BY g.name, g.id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, team_navigation, created_at, role)| {
                (
                    GroupRow {
                        id,
                        name,
                        team_navigation,
                        created_at,
                    },
                    role,
                )
            })
            .collect())
    }

    /// Everything that can grant a user access to referrals, for `model::access`.
    pub async fn viewer(&self, user: UserId) -> Result<Viewer, StoreError> {
        Ok(self.viewer_with_group_names(user).await?.0)
    }

    /// The viewer, and the names of their groups (the header shows them), in one round trip:
    /// the groups (kind 0) and the programs (kind 1), in order.
    pub async fn viewer_with_group_names(
        &self,
        user: UserId,
    ) -> Result<(Viewer, Vec<String>), StoreError> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT 0 AS kind, m.group_id AS id, g.name AS name FROM group_members m \
             JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = $1 \
             UNION ALL SELECT 1 AS kind, program_id AS id, '' AS name FROM program_staff WHERE user_id = $1 \
             ORDER BY 1, 3, 2",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        let of = |wanted: i64| rows.iter().filter(move |(kind, _, _)| *kind == wanted);
        let mut groups: Vec<GroupId> = of(0).map(|(_, id, _)| GroupId(*id)).collect();
        let names = of(0).map(|(_, _, name)| name.clone()).collect();
        let mut staff_of: Vec<ProgramId> = of(1).map(|(_, id, _)| ProgramId(*id)).collect();
        groups.sort_unstable();
        staff_of.sort_unstable();
        Ok((
            Viewer {
                user,
                groups,
                staff_of,
            },
            names,
        ))
    }
}
