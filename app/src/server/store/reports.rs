//! What the Reports page reads (`model::report`): the cells of a scope the API layer has
//! already allowed (`model::report::report_scopes`), narrowed by the page's filters, the
//! rows behind them for an export, and the record of every export.

use super::ReferralListRow;
use super::Store;
use super::error::StoreError;
use crate::model::calendar::Day;
use crate::model::report::ReportScope;
use crate::model::report::cells::{
    Counts, DAY_MS, ProgramCell, RESPONSE_STEPS_MINUTES, ResponseStep, group_code, whole_months,
};
use crate::model::report::figures::{Age, MadeCount, ReportSums, StandingCount};
use crate::model::report::kept::{CellOwner, month_rows, surely_by_month};
use crate::model::report::{Period, period_start};
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

    /// Which kept cells answer this report, if any: one owner's (the network, a program,
    /// a group), narrowed at most by a program or a category (the network's or a
    /// program's). Anything else (a helper; a group with a program or category) is summed
    /// from its referrals.
    fn kept_plan(&self, scope: ReportScope) -> Option<KeptPlan> {
        if self.helper.is_some() {
            return None;
        }
        let narrowed = self.program.is_some() || self.category().is_some();
        let owner = match (scope, self.group) {
            (ReportScope::Program(_), Some(_)) => return None,
            (ReportScope::Group(g), Some(h)) if g != h => return None,
            (ReportScope::Group(g), _) | (ReportScope::All, Some(g)) if !narrowed => {
                CellOwner::Group(g)
            }
            (ReportScope::Group(_), _) | (ReportScope::All, Some(_)) => return None,
            (ReportScope::Program(p), None) => CellOwner::Program(p),
            (ReportScope::All, None) => CellOwner::Network,
        };
        Some(KeptPlan {
            owner,
            program: self.program,
            category: self.category(),
        })
    }
}

/// The kept cells a report adds up (`ReportFilter::kept_plan`).
struct KeptPlan {
    owner: CellOwner,
    /// Narrowed to a program, or to a category's programs (their own cells added up).
    program: Option<ProgramId>,
    category: Option<String>,
}

/// A plan's owners, as the store tests them.
struct KeptOwners {
    /// On `owner` in day and response rows: one owner's, or some programs' own.
    days: String,
    /// On program rows (the top lists): their owner's, maybe narrowed to some programs.
    programs: String,
    /// The same narrowing on `referrals r`, for days a month row does not cover.
    referrals: String,
}

fn ids_in(column: &str, programs: &[ProgramId]) -> String {
    let ids: Vec<String> = programs.iter().map(|p| p.0.to_string()).collect();
    format!("{column} IN ({})", ids.join(", "))
}

/// The kept rows of `table` a report adds up, as the subquery `c`: month rows for the
/// months `months` holds (`first..end`, `model::report::kept::month_rows`), day rows for
/// every other day of the range. Days and owner tests are integers the store computed.
fn kept_rows(
    table: &str,
    owners: &str,
    from: Option<Day>,
    to: Option<Day>,
    months: Option<(Option<Day>, Day)>,
) -> String {
    let part = |whole_month: bool, lo: Option<Day>, below: Option<Day>, hi: Option<Day>| {
        let mut sql = format!(
            "SELECT * FROM {table} WHERE {owners} AND whole_month = {}",
            i64::from(whole_month)
        );
        if let Some(lo) = lo {
            sql.push_str(&format!(" AND day >= {lo}"));
        }
        if let Some(below) = below {
            sql.push_str(&format!(" AND day < {below}"));
        }
        if let Some(hi) = hi {
            sql.push_str(&format!(" AND day <= {hi}"));
        }
        sql
    };
    let parts = match months {
        None => vec![part(false, from, None, to)],
        Some((first, end)) => {
            let mut parts = vec![
                part(true, first, Some(end), None),
                part(false, Some(end), None, to),
            ];
            if let Some(first) = first {
                parts.push(part(false, from, Some(first), None));
            }
            parts
        }
    };
    format!("({}) c", parts.join(" UNION ALL "))
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

type StandingRow = (Status, i64, i64, i64, i64, i64, i64, i64);

fn standing(
    (status, self_referral, age, n, with_standard, within_standard, left_within_7, left_within_30): StandingRow,
) -> Option<StandingCount> {
    Some(StandingCount {
        status,
        self_referral: self_referral != 0,
        age: Age::of_code(age)?,
        counts: Counts {
            n,
            with_standard,
            within_standard,
            left_within_7,
            left_within_30,
        },
    })
}

fn made((day, self_referral, n): (i64, i64, i64)) -> MadeCount {
    MadeCount {
        day,
        self_referral: self_referral != 0,
        n,
    }
}

fn step((step, n): (i64, i64)) -> Option<(ResponseStep, i64)> {
    Some((ResponseStep(u8::try_from(step).ok()?), n))
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

/// `Age` of a day column as of `today`, in SQL (integers the store computed: inlined).
fn age_case(day: &str, today: Day) -> String {
    format!(
        "CAST(CASE WHEN {day} <= {} THEN {} WHEN {day} <= {} THEN {} ELSE {} END AS BIGINT)",
        today - 30,
        Age::Month.code(),
        today - 7,
        Age::Week.code(),
        Age::Recent.code()
    )
}

/// The same order for sums however the database returned them, so two can be compared.
fn sorted(mut sums: ReportSums) -> ReportSums {
    sums.standing
        .sort_by_key(|c| (c.status.as_str(), c.self_referral, c.age));
    sums.made.sort_by_key(|c| (c.day, c.self_referral));
    sums.steps.sort();
    sums.programs
        .sort_by_key(|c| (c.program, c.status.as_str()));
    sums
}

impl Store {
    /// What a report's figures are computed from, as of the local day `today`: from the
    /// kept cells of the network, a program or a group (`ReportFilter::kept_plan`), else
    /// summed with `GROUP BY`s over the referrals it counts (each filter has an index to
    /// start from). Program sums only when `with_programs` (the network's and groups' top
    /// lists).
    pub async fn report_sums(
        &self,
        scope: ReportScope,
        filter: &ReportFilter,
        with_programs: bool,
        today: Day,
    ) -> Result<ReportSums, StoreError> {
        if let Some(plan) = filter.kept_plan(scope)
            && self.report_cells_ready().await?
        {
            return self.kept_sums(&plan, filter, with_programs, today).await;
        }
        self.summed_report_sums(scope, filter, with_programs, today)
            .await
    }

    /// The same sums, from the referrals themselves (what the kept cells must agree with).
    pub async fn summed_report_sums(
        &self,
        scope: ReportScope,
        filter: &ReportFilter,
        with_programs: bool,
        today: Day,
    ) -> Result<ReportSums, StoreError> {
        let (narrow, ids, category) = narrowing(scope, filter);
        let self_referral = "CAST(CASE WHEN r.referrer_id IS NULL THEN 1 ELSE 0 END AS BIGINT)";
        let standing_sql = format!(
            "SELECT r.status, {self_referral}, {age}, COUNT(*), \
             CAST(SUM(CASE WHEN r.overdue_at IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN r.first_response_at < r.overdue_at THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN r.left_not_updated_at <= r.created_at + {w7} THEN 1 ELSE 0 END) AS BIGINT), \
             CAST(SUM(CASE WHEN r.left_not_updated_at <= r.created_at + {w30} THEN 1 ELSE 0 END) AS BIGINT) \
             FROM referrals r WHERE r.created_day IS NOT NULL{narrow} GROUP BY 1, 2, 3",
            age = age_case("r.created_day", today),
            w7 = 7 * DAY_MS,
            w30 = 30 * DAY_MS,
        );
        let standing_rows = bind_narrowing!(
            sqlx::query_as::<_, StandingRow>(&standing_sql),
            ids.clone(),
            category.clone()
        )
        .fetch_all(&self.pool)
        .await?;
        let made_sql = format!(
            "SELECT r.created_day, {self_referral}, COUNT(*) FROM referrals r \
             WHERE r.created_day IS NOT NULL{narrow} GROUP BY 1, 2"
        );
        let made_rows = bind_narrowing!(
            sqlx::query_as::<_, (i64, i64, i64)>(&made_sql),
            ids.clone(),
            category.clone()
        )
        .fetch_all(&self.pool)
        .await?;
        let steps_sql = format!(
            "SELECT {}, COUNT(*) FROM referrals r \
             WHERE r.created_day IS NOT NULL AND r.first_response_at IS NOT NULL{narrow} GROUP BY 1",
            step_case()
        );
        let step_rows = bind_narrowing!(
            sqlx::query_as::<_, (i64, i64)>(&steps_sql),
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
        Ok(sorted(ReportSums {
            standing: standing_rows.into_iter().filter_map(standing).collect(),
            made: made_rows.into_iter().map(made).collect(),
            steps: step_rows.into_iter().filter_map(step).collect(),
            programs,
        }))
    }

    /// A plan's owners: one owner's cells, or (narrowed) the programs it leaves, `None`
    /// when it leaves none.
    async fn kept_owners(&self, plan: &KeptPlan) -> Result<Option<KeptOwners>, StoreError> {
        let network = CellOwner::Network.key();
        let top_owner = match plan.owner {
            CellOwner::Group(_) => plan.owner.key(),
            CellOwner::Network | CellOwner::Program(_) => network,
        };
        let mut programs = match plan.owner {
            CellOwner::Program(p) => Some(vec![p]),
            CellOwner::Network | CellOwner::Group(_) => None,
        };
        let narrow = |programs: Option<Vec<ProgramId>>, to: Vec<ProgramId>| match programs {
            Some(list) => list.into_iter().filter(|p| to.contains(p)).collect(),
            None => to,
        };
        if let Some(p) = plan.program {
            programs = Some(narrow(programs, vec![p]));
        }
        if let Some(category) = &plan.category {
            let in_category: Vec<ProgramId> =
                sqlx::query_scalar("SELECT program_id FROM program_categories WHERE category = $1")
                    .bind(category)
                    .fetch_all(&self.pool)
                    .await?;
            programs = Some(narrow(programs, in_category));
        }
        Ok(match (plan.owner, programs) {
            (_, Some(list)) if list.is_empty() => None,
            (CellOwner::Group(g), _) => Some(KeptOwners {
                days: format!("owner = {}", plan.owner.key()),
                programs: format!("owner = {top_owner}"),
                referrals: format!(" AND r.referrer_group_id = {}", g.0),
            }),
            (_, Some(list)) => Some(KeptOwners {
                days: if list.len() == 1 {
                    format!("owner = {}", list[0].0)
                } else {
                    ids_in("owner", &list)
                },
                programs: format!("owner = {network} AND {}", ids_in("program_id", &list)),
                referrals: format!(" AND {}", ids_in("r.program_id", &list)),
            }),
            (_, None) => Some(KeptOwners {
                days: format!("owner = {network}"),
                programs: format!("owner = {network}"),
                referrals: String::new(),
            }),
        })
    }

    /// The kept cells of a plan, in a range of days and a status group, summed: by month
    /// where `model::report::kept` says months give the same figures, by day elsewhere.
    async fn kept_sums(
        &self,
        plan: &KeptPlan,
        filter: &ReportFilter,
        with_programs: bool,
        today: Day,
    ) -> Result<ReportSums, StoreError> {
        let Some(owners) = self.kept_owners(plan).await? else {
            return Ok(ReportSums::default());
        };
        // Integers the store computed and status codes from the model: inlined.
        let (from, to) = (filter.from_day, filter.to_day);
        let status = filter
            .status_group
            .map(|g| status_in("status", g))
            .unwrap_or_default();
        let months = match month_rows(from, to, today) {
            Some(months) => {
                let mut sql = format!(
                    "SELECT MIN(day), MAX(day) FROM report_day_cells WHERE {} AND whole_month = 1 \
                     AND n <> 0{status}",
                    owners.days
                );
                if let Some(from) = from {
                    sql.push_str(&format!(
                        " AND day >= {}",
                        period_start(Period::Month, from)
                    ));
                }
                if let Some(to) = to {
                    sql.push_str(&format!(" AND day <= {to}"));
                }
                let span: (Option<i64>, Option<i64>) =
                    sqlx::query_as(&sql).fetch_one(&self.pool).await?;
                match span {
                    (Some(first), Some(last)) if surely_by_month(first, last, from, to) => {
                        Some(months)
                    }
                    _ => None,
                }
            }
            None => None,
        };
        let days = kept_rows("report_day_cells", &owners.days, from, to, months);
        let standing_sql = format!(
            "SELECT status, self_referral, {}, CAST(SUM(n) AS BIGINT), CAST(SUM(with_standard) AS BIGINT), \
             CAST(SUM(within_standard) AS BIGINT), CAST(SUM(left_within_7) AS BIGINT), \
             CAST(SUM(left_within_30) AS BIGINT) FROM {days} WHERE n <> 0{status} GROUP BY 1, 2, 3",
            age_case("day", today)
        );
        let standing_rows = sqlx::query_as::<_, StandingRow>(&standing_sql)
            .fetch_all(&self.pool)
            .await?;
        let made_sql = format!(
            "SELECT day, self_referral, CAST(SUM(n) AS BIGINT) FROM {days} \
             WHERE n <> 0{status} GROUP BY 1, 2"
        );
        let made_rows = sqlx::query_as::<_, (i64, i64, i64)>(&made_sql)
            .fetch_all(&self.pool)
            .await?;
        let group = filter
            .status_group
            .map(|g| format!(" AND status_group = {}", group_code(g)))
            .unwrap_or_default();
        let responses = kept_rows("report_response_cells", &owners.days, from, to, months);
        let steps_sql = format!(
            "SELECT step, CAST(SUM(n) AS BIGINT) FROM {responses} WHERE n <> 0{group} GROUP BY 1"
        );
        let step_rows = sqlx::query_as::<_, (i64, i64)>(&steps_sql)
            .fetch_all(&self.pool)
            .await?;
        let programs = if with_programs {
            self.kept_program_cells(&owners, filter, &status).await?
        } else {
            Vec::new()
        };
        // The kept month cells and the days beside them come apart: add them up by program.
        let programs =
            crate::model::report::figures::sums_of_cells(&[], &[], &programs, today).programs;
        Ok(sorted(ReportSums {
            standing: standing_rows.into_iter().filter_map(standing).collect(),
            made: made_rows.into_iter().map(made).collect(),
            steps: step_rows.into_iter().filter_map(step).collect(),
            programs,
        }))
    }

    /// Each program's referrals by status over a range: whole months from the kept month
    /// cells, the days of a month the range only partly covers from the referrals.
    async fn kept_program_cells(
        &self,
        owners: &KeptOwners,
        filter: &ReportFilter,
        status: &str,
    ) -> Result<Vec<ProgramCell>, StoreError> {
        let split = whole_months(filter.from_day, filter.to_day);
        let mut cells = Vec::new();
        if let Some((first, last)) = split.months {
            let mut range = String::new();
            if let Some(first) = first {
                range.push_str(&format!(" AND month >= {first}"));
            }
            if let Some(last) = last {
                range.push_str(&format!(" AND month <= {last}"));
            }
            let sql = format!(
                "SELECT program_id, status, CAST(SUM(n) AS BIGINT) FROM report_program_cells \
                 WHERE {}{range}{status} AND n <> 0 GROUP BY program_id, status",
                owners.programs
            );
            cells.extend(
                sqlx::query_as::<_, (ProgramId, Status, i64)>(&sql)
                    .fetch_all(&self.pool)
                    .await?
                    .into_iter()
                    .map(program_cell),
            );
        }
        let r_status = status.replace(" status IN", " r.status IN");
        for (from, to) in split.edges {
            let sql = format!(
                "SELECT r.program_id, r.status, COUNT(*) FROM referrals r \
                 WHERE r.created_day >= {from} AND r.created_day <= {to}{}{r_status} GROUP BY 1, 2",
                owners.referrals
            );
            cells.extend(
                sqlx::query_as::<_, (ProgramId, Status, i64)>(&sql)
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
