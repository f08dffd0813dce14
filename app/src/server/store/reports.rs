//! What the Reports page reads (`model::report`): the cells of a scope the API layer has
//! already allowed (`model::report::report_scopes`), narrowed by the page's filters, the
//! rows behind them for an export, and the record of every export.

use super::ReferralListRow;
use super::Store;
use super::error::StoreError;
use crate::model::calendar::Day;
use crate::model::report::ReportScope;
use crate::model::report::cells::{
    Counts, DAY_MS, DayCell, ProgramCell, RESPONSE_STEPS_MINUTES, ResponseCell, ResponseStep,
    group_code, group_of_code, whole_months,
};
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

/// The Reports page's filters; `None` (or empty) leaves one out. Each only narrows the
/// scope, which the API layer has allowed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Made on or after, and on or before, these local days.
    pub from_day: Option<Day>,
    pub to_day: Option<Day>,
    pub program: Option<ProgramId>,
    pub category: Option<String>,
    pub group: Option<GroupId>,
    pub helper: Option<UserId>,
    pub status_group: Option<StatusGroup>,
}

impl ReportFilter {
    fn category(&self) -> Option<String> {
        self.category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(str::to_lowercase)
    }

    /// Narrowed by nothing the network's kept cells cannot tell apart (dates and status).
    fn network_cells_answer(&self, scope: ReportScope) -> bool {
        scope == ReportScope::All
            && self.program.is_none()
            && self.group.is_none()
            && self.helper.is_none()
            && self.category().is_none()
    }
}

/// `r.status IN (...)` for a status group. Codes come from the model's own list: safe to
/// write into the SQL.
fn status_in(column: &str, group: StatusGroup) -> String {
    let codes: Vec<String> = Status::ALL
        .into_iter()
        .filter(|s| s.group() == group)
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!(" AND {column} IN ({})", codes.join(", "))
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
    if let Some(from) = filter.from_day {
        push(&mut sql, "created_day >=", from);
    }
    if let Some(to) = filter.to_day {
        push(&mut sql, "created_day <=", to);
    }
    if let Some(group) = filter.status_group {
        sql.push_str(&status_in("r.status", group));
    }
    let category = filter.category();
    if category.is_some() {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM program_categories c WHERE c.program_id = r.program_id \
             AND c.category = ${})",
            ids.len() + 1
        ));
    }
    (sql, ids, category)
}

/// Binds what `narrowing` wrote, in its order.
macro_rules! bind_narrowing {
    ($query:expr, $ids:expr, $category:expr) => {{
        let mut q = $query;
        for id in $ids {
            q = q.bind(id);
        }
        if let Some(c) = $category {
            q = q.bind(c);
        }
        q
    }};
}

/// How many referral rows an export reads at once: what it holds in memory.
pub const EXPORT_PAGE: i64 = 1000;

/// A time to answer's step, in SQL, from the model's own steps.
fn step_case() -> String {
    let mut sql = String::from("CAST(CASE");
    for (i, minutes) in RESPONSE_STEPS_MINUTES.iter().enumerate() {
        sql.push_str(&format!(
            " WHEN r.first_response_at - r.created_at <= {} THEN {i}",
            minutes * 60_000
        ));
    }
    sql.push_str(&format!(
        " ELSE {} END AS BIGINT)",
        RESPONSE_STEPS_MINUTES.len()
    ));
    sql
}

/// A status's group code (`model::report::cells::group_code`), in SQL.
fn group_case() -> String {
    let mut sql = String::from("CAST(CASE r.status");
    for s in Status::ALL {
        sql.push_str(&format!(
            " WHEN '{}' THEN {}",
            s.as_str(),
            group_code(s.group())
        ));
    }
    sql.push_str(" END AS BIGINT)");
    sql
}

/// The cells a report adds up: the day and response cells, and (for the top lists) each
/// program's, summed over the report's whole range (`ProgramCell::month` is 0).
#[derive(Clone, Debug, Default)]
pub struct ReportCells {
    pub days: Vec<DayCell>,
    pub responses: Vec<ResponseCell>,
    pub programs: Vec<ProgramCell>,
}

type DayCellRow = (i64, i64, Status, i64, i64, i64, i64, i64);

fn day_cell(
    (day, self_referral, status, n, with_standard, within_standard, left_within_7, left_within_30): DayCellRow,
) -> DayCell {
    DayCell {
        day,
        self_referral: self_referral != 0,
        status,
        counts: Counts {
            n,
            with_standard,
            within_standard,
            left_within_7,
            left_within_30,
        },
    }
}

fn response_cell((day, group, step, n): (i64, i64, i64, i64)) -> Option<ResponseCell> {
    Some(ResponseCell {
        day,
        group: group_of_code(group)?,
        step: ResponseStep(u8::try_from(step).ok()?),
        n,
    })
}

/// Each program's referrals by status, summed (the network's kept month cells, and its
/// referrals for the days a range holds of a month it only partly covers).
fn program_cell((program, status, n): (ProgramId, Status, i64)) -> ProgramCell {
    ProgramCell {
        month: 0,
        program,
        status,
        n,
    }
}

impl Store {
    /// The cells of a report: the network's kept cells when the report is the whole
    /// network's, narrowed at most by dates and status group; otherwise summed with one
    /// `GROUP BY` over the referrals it counts (each filter has an index to start from).
    /// Program cells only when `with_programs` (the network's and groups' top lists).
    pub async fn report_cells(
        &self,
        scope: ReportScope,
        filter: &ReportFilter,
        with_programs: bool,
    ) -> Result<ReportCells, StoreError> {
        if filter.network_cells_answer(scope) && self.report_cells_ready().await? {
            return self.network_cells(filter, with_programs).await;
        }
        self.summed_report_cells(scope, filter, with_programs).await
    }

    /// The same cells, summed from the referrals themselves (what the kept cells must
    /// agree with).
    pub async fn summed_report_cells(
        &self,
        scope: ReportScope,
        filter: &ReportFilter,
        with_programs: bool,
    ) -> Result<ReportCells, StoreError> {
        let (narrow, ids, category) = narrowing(scope, filter);
        let days_sql = format!(
            "SELECT r.created_day, CAST(CASE WHEN r.referrer_id IS NULL THEN 1 ELSE 0 END AS BIGINT), r.status, COUNT(*), \
             SUM(CASE WHEN r.overdue_at IS NOT NULL THEN 1 ELSE 0 END), \
             SUM(CASE WHEN r.first_response_at < r.overdue_at THEN 1 ELSE 0 END), \
             SUM(CASE WHEN r.left_not_updated_at <= r.created_at + {w7} THEN 1 ELSE 0 END), \
             SUM(CASE WHEN r.left_not_updated_at <= r.created_at + {w30} THEN 1 ELSE 0 END) \
             FROM referrals r WHERE r.created_day IS NOT NULL{narrow} GROUP BY 1, 2, 3",
            w7 = 7 * DAY_MS,
            w30 = 30 * DAY_MS,
        );
        let days = bind_narrowing!(
            sqlx::query_as::<_, DayCellRow>(&days_sql),
            ids.clone(),
            category.clone()
        )
        .fetch_all(&self.pool)
        .await?;
        let responses_sql = format!(
            "SELECT r.created_day, {}, {}, COUNT(*) FROM referrals r \
             WHERE r.created_day IS NOT NULL AND r.first_response_at IS NOT NULL{narrow} GROUP BY 1, 2, 3",
            group_case(),
            step_case()
        );
        let responses = bind_narrowing!(
            sqlx::query_as::<_, (i64, i64, i64, i64)>(&responses_sql),
            ids.clone(),
            category.clone()
        )
        .fetch_all(&self.pool)
        .await?;
        let programs = if with_programs {
            let sql = format!(
                "SELECT r.program_id, r.status, COUNT(*) FROM referrals r \
                 WHERE r.created_day IS NOT NULL{narrow} GROUP BY 1, 2"
            );
            bind_narrowing!(
                sqlx::query_as::<_, (ProgramId, Status, i64)>(&sql),
                ids,
                category
            )
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(program_cell)
            .collect()
        } else {
            Vec::new()
        };
        Ok(ReportCells {
            days: days.into_iter().map(day_cell).collect(),
            responses: responses.into_iter().filter_map(response_cell).collect(),
            programs,
        })
    }

    /// The network's kept cells in a range of days and a status group.
    async fn network_cells(
        &self,
        filter: &ReportFilter,
        with_programs: bool,
    ) -> Result<ReportCells, StoreError> {
        let mut range = String::new();
        let mut bounds = Vec::new();
        for (test, value) in [(">=", filter.from_day), ("<=", filter.to_day)] {
            if let Some(v) = value {
                bounds.push(v);
                range.push_str(&format!(" AND day {test} ${}", bounds.len()));
            }
        }
        let status = filter
            .status_group
            .map(|g| status_in("status", g))
            .unwrap_or_default();
        let days_sql = format!(
            "SELECT day, self_referral, status, n, with_standard, within_standard, left_within_7, left_within_30 \
             FROM report_day_cells WHERE n <> 0{range}{status}"
        );
        let mut q = sqlx::query_as::<_, DayCellRow>(&days_sql);
        for b in &bounds {
            q = q.bind(*b);
        }
        let days = q.fetch_all(&self.pool).await?;
        let group = filter
            .status_group
            .map(|g| format!(" AND status_group = {}", group_code(g)))
            .unwrap_or_default();
        let responses_sql = format!(
            "SELECT day, status_group, step, n FROM report_response_cells WHERE n <> 0{range}{group}"
        );
        let mut q = sqlx::query_as::<_, (i64, i64, i64, i64)>(&responses_sql);
        for b in &bounds {
            q = q.bind(*b);
        }
        let responses = q.fetch_all(&self.pool).await?;
        let programs = if with_programs {
            self.network_program_cells(filter, &status).await?
        } else {
            Vec::new()
        };
        Ok(ReportCells {
            days: days.into_iter().map(day_cell).collect(),
            responses: responses.into_iter().filter_map(response_cell).collect(),
            programs,
        })
    }

    /// Each program's referrals by status over a range: whole months from the kept month
    /// cells, the days of a month the range only partly covers from the referrals.
    async fn network_program_cells(
        &self,
        filter: &ReportFilter,
        status: &str,
    ) -> Result<Vec<ProgramCell>, StoreError> {
        let split = whole_months(filter.from_day, filter.to_day);
        let mut cells = Vec::new();
        if let Some((first, last)) = split.months {
            let mut range = String::new();
            let mut bounds = Vec::new();
            for (test, value) in [(">=", first), ("<=", last)] {
                if let Some(v) = value {
                    bounds.push(v);
                    range.push_str(&format!(" AND month {test} ${}", bounds.len()));
                }
            }
            let sql = format!(
                "SELECT program_id, status, CAST(SUM(n) AS BIGINT) FROM report_program_cells WHERE n <> 0{range}{status} \
                 GROUP BY program_id, status"
            );
            let mut q = sqlx::query_as::<_, (ProgramId, Status, i64)>(&sql);
            for b in &bounds {
                q = q.bind(*b);
            }
            cells.extend(q.fetch_all(&self.pool).await?.into_iter().map(program_cell));
        }
        let r_status = status.replace(" status IN", " r.status IN");
        for (from, to) in split.edges {
            let sql = format!(
                "SELECT r.program_id, r.status, COUNT(*) FROM referrals r \
                 WHERE r.created_day >= $1 AND r.created_day <= $2{r_status} GROUP BY 1, 2"
            );
            cells.extend(
                sqlx::query_as::<_, (ProgramId, Status, i64)>(&sql)
                    .bind(from)
                    .bind(to)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(program_cell),
            );
        }
        Ok(cells)
    }

    /// Programs' names, by id (the top lists).
    pub async fn program_names(
        &self,
        ids: &[ProgramId],
    ) -> Result<Vec<(ProgramId, String)>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // Ids the store itself read: integers, safe to write into the statement.
        let list: Vec<String> = ids.iter().map(|p| p.0.to_string()).collect();
        Ok(sqlx::query_as(&format!(
            "SELECT id, name FROM programs WHERE id IN ({})",
            list.join(", ")
        ))
        .fetch_all(&self.pool)
        .await?)
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
        let query = bind_narrowing!(sqlx::query_as::<_, ReferralListRow>(&sql), ids, category);
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
