//! The rows the Reports page counts (`model::report`): one fact row per referral in a
//! scope the API layer has already allowed (`model::report::report_scopes`), narrowed by
//! the page's filters.

use super::Store;
use super::error::StoreError;
use crate::model::report::{ReportReferral, ReportScope};
use crate::model::{GroupId, ProgramId, Status, StatusGroup, UserId};

/// The Reports page's filters; `None` (or empty) leaves one out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Created at or after, and before (epoch ms).
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub program: Option<ProgramId>,
    pub category: Option<String>,
    pub group: Option<GroupId>,
    pub helper: Option<UserId>,
    pub status_group: Option<StatusGroup>,
}

impl Store {
    pub async fn report_rows(
        &self,
        scope: ReportScope,
        filter: &ReportFilter,
    ) -> Result<Vec<ReportReferral>, StoreError> {
        // Placeholders numbered in order of first use (SQLite binds by order).
        let mut sql = "SELECT r.created_at, r.referrer_id, r.status, r.first_response_at, \
                       r.left_not_updated_at, r.overdue_at FROM referrals r WHERE 1 = 1"
            .to_string();
        let mut ids: Vec<i64> = Vec::new();
        let mut push_id = |sql: &mut String, column: &str, id: i64| {
            ids.push(id);
            sql.push_str(&format!(" AND r.{column} = ${}", ids.len()));
        };
        match scope {
            ReportScope::Program(p) => push_id(&mut sql, "program_id", p.0),
            ReportScope::Group(g) => push_id(&mut sql, "referrer_group_id", g.0),
            ReportScope::All => {}
        }
        if let Some(p) = filter.program {
            push_id(&mut sql, "program_id", p.0);
        }
        if let Some(g) = filter.group {
            push_id(&mut sql, "referrer_group_id", g.0);
        }
        if let Some(h) = filter.helper {
            push_id(&mut sql, "referrer_id", h.0);
        }
        if let Some(from) = filter.from {
            ids.push(from);
            sql.push_str(&format!(" AND r.created_at >= ${}", ids.len()));
        }
        if let Some(until) = filter.until {
            ids.push(until);
            sql.push_str(&format!(" AND r.created_at < ${}", ids.len()));
        }
        if let Some(group) = filter.status_group {
            // Status codes come from the model's own list: safe to write into the SQL.
            let codes: Vec<String> = Status::ALL
                .into_iter()
                .filter(|s| s.group() == group)
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            sql.push_str(&format!(" AND r.status IN ({})", codes.join(", ")));
        }
        let category = filter
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_lowercase);
        if category.is_some() {
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM program_categories c WHERE c.program_id = r.program_id \
                 AND c.category = ${})",
                ids.len() + 1
            ));
        }
        let mut query = sqlx::query_as::<
            _,
            (
                i64,
                Option<UserId>,
                Status,
                Option<i64>,
                Option<i64>,
                Option<i64>,
            ),
        >(&sql);
        for id in ids {
            query = query.bind(id);
        }
        if let Some(c) = category {
            query = query.bind(c);
        }
        let rows = query.fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(
                |(
                    created_at,
                    referrer,
                    status,
                    first_response_at,
                    left_not_updated_at,
                    overdue_at,
                )| {
                    ReportReferral {
                        created_at,
                        self_referral: referrer.is_none(),
                        status,
                        first_response_at,
                        left_not_updated_at,
                        overdue_at,
                    }
                },
            )
            .collect())
    }

    /// The groups a user administers (their group reports).
    pub async fn groups_administered(&self, user: UserId) -> Result<Vec<GroupId>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT group_id FROM group_members WHERE user_id = $1 AND role = 'admin' ORDER BY group_id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }
}
