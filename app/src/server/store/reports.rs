//! The rows the Reports page counts (`model::report`): one fact row per referral in a
//! scope the API layer has already allowed (`model::report::report_scopes`), narrowed by
//! the page's filters.

use super::ReferralListRow;
use super::Store;
use super::error::StoreError;
use crate::model::report::{ReportReferral, ReportScope};
use crate::model::{GroupId, ProgramId, ReferralId, Status, StatusGroup, UserId};

/// One recorded export (`/admin/exports`).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct ExportRecord {
    pub id: i64,
    pub user_name: String,
    pub user_email: String,
    pub what: String,
    pub filters: String,
    /// `None` while it runs, or if it broke off.
    pub rows: Option<i64>,
    pub at: i64,
}

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

/// The WHERE clause (after `WHERE 1 = 1`) of a scope and filters, over `referrals r`, and
/// what it binds in order: integers first, then the category if any.
fn narrowing(scope: ReportScope, filter: &ReportFilter) -> (String, Vec<i64>, Option<String>) {
    let mut sql = String::new();
    let mut ids: Vec<i64> = Vec::new();
    let mut push = |sql: &mut String, test: &str, value: i64| {
        ids.push(value);
        sql.push_str(&format!(" AND r.{test} ${}", ids.len()));
    };
    match scope {
        ReportScope::Program(p) => push(&mut sql, "program_id =", p.0),
        ReportScope::Group(g) => push(&mut sql, "referrer_group_id =", g.0),
        ReportScope::All => {}
    }
    if let Some(p) = filter.program {
        push(&mut sql, "program_id =", p.0);
    }
    if let Some(g) = filter.group {
        push(&mut sql, "referrer_group_id =", g.0);
    }
    if let Some(h) = filter.helper {
        push(&mut sql, "referrer_id =", h.0);
    }
    if let Some(from) = filter.from {
        push(&mut sql, "created_at >=", from);
    }
    if let Some(until) = filter.until {
        push(&mut sql, "created_at <", until);
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
    (sql, ids, category)
}

/// How many referral rows an export reads at once: what it holds in memory.
pub const EXPORT_PAGE: i64 = 1000;

impl Store {
    pub async fn report_rows(
        &self,
        scope: ReportScope,
        filter: &ReportFilter,
    ) -> Result<Vec<ReportReferral>, StoreError> {
        let (narrow, ids, category) = narrowing(scope, filter);
        let sql = format!(
            "SELECT r.created_at, r.referrer_id, r.status, r.first_response_at, \
             r.left_not_updated_at, r.overdue_at FROM referrals r WHERE 1 = 1{narrow}"
        );
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

    /// One page of the referral rows behind a report, oldest first, after referral `after`
    /// (keyset: an export streams page by page, never holding them all). The caller still
    /// runs each row through the access rules.
    pub async fn report_export_page(
        &self,
        scope: ReportScope,
        filter: &ReportFilter,
        after: ReferralId,
    ) -> Result<Vec<ReferralListRow>, StoreError> {
        let (narrow, ids, category) = narrowing(scope, filter);
        let n = ids.len() + usize::from(category.is_some()) + 1;
        let page = format!(
            "SELECT r.id FROM referrals r WHERE 1 = 1{narrow} AND r.id > ${n} ORDER BY r.id LIMIT {EXPORT_PAGE}"
        );
        let sql = format!("{} ORDER BY r.id", super::listings::list_select(&page));
        let mut query = sqlx::query_as::<_, ReferralListRow>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        if let Some(c) = category {
            query = query.bind(c);
        }
        Ok(query.bind(after).fetch_all(&self.pool).await?)
    }

    /// Records an export as it starts; `finish_export` adds how many rows it held.
    pub async fn record_export(
        &self,
        user: UserId,
        what: &str,
        filters: &str,
        now: i64,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "INSERT INTO report_exports (user_id, what, filters, at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user)
        .bind(what)
        .bind(filters)
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn finish_export(&self, id: i64, rows: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE report_exports SET rows = $1 WHERE id = $2")
            .bind(rows)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The most recent exports, newest first, with who made them (site administrators).
    pub async fn report_exports(&self, limit: i64) -> Result<Vec<ExportRecord>, StoreError> {
        Ok(sqlx::query_as::<_, ExportRecord>(
            "SELECT e.id, u.name AS user_name, u.email AS user_email, e.what, e.filters, e.rows, e.at \
             FROM report_exports e JOIN users u ON u.id = e.user_id ORDER BY e.at DESC, e.id DESC LIMIT $1",
        )
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?)
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
