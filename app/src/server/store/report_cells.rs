//! The kept report cells (`model::report::kept`: the network's, each program's and each
//! group's, by day and by month), kept in each change's transaction:
//! a change takes the referral out of its cells as it stood (`count_in_cells(.., -1)`) and
//! puts it back as it stands (`+1`). `Store::count_report_cells` counts them all again when
//! the deployment's time zone is not the one they were counted in (or they never were).

use super::Store;
use super::error::StoreError;
use crate::model::report::cells::{DayCell, ProgramCell, ReportReferral, ResponseCell, group_code};
use crate::model::report::kept::{Kept, KeptCells};
use crate::model::{GroupId, ProgramId, ReferralId, Status, UserId};
use sqlx::{Any, FromRow, Transaction};

/// What a referral's cells are made of (`ReportReferral`), as the store reads it.
pub(super) const FACT_COLUMNS: &str = "r.created_at, r.created_day, r.program_id, r.referrer_id, \
     r.referrer_group_id, r.status, r.first_response_at, r.left_not_updated_at, r.overdue_at";

#[derive(FromRow)]
pub(super) struct FactRow {
    created_at: i64,
    created_day: Option<i64>,
    program_id: ProgramId,
    referrer_id: Option<UserId>,
    referrer_group_id: Option<GroupId>,
    status: Status,
    first_response_at: Option<i64>,
    left_not_updated_at: Option<i64>,
    overdue_at: Option<i64>,
}

impl FactRow {
    /// `None` until the server has given it its local day (just after an upgrade).
    pub(super) fn referral(&self) -> Option<ReportReferral> {
        Some(ReportReferral {
            created_at: self.created_at,
            created_day: self.created_day?,
            program: self.program_id,
            referrer_group: self.referrer_group_id,
            self_referral: self.referrer_id.is_none(),
            status: self.status,
            first_response_at: self.first_response_at,
            left_not_updated_at: self.left_not_updated_at,
            overdue_at: self.overdue_at,
        })
    }
}

/// Adds a referral, as it stands in this transaction, to the network's cells (`sign` 1), or
/// takes it out (-1). Call with -1 before a change to anything `FACT_COLUMNS` reads, and
/// with 1 after.
pub(super) async fn count_in_cells(
    tx: &mut Transaction<'static, Any>,
    referral: ReferralId,
    sign: i64,
) -> Result<(), StoreError> {
    let fact = sqlx::query_as::<_, FactRow>(&format!(
        "SELECT {FACT_COLUMNS} FROM referrals r WHERE r.id = $1"
    ))
    .bind(referral)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = fact.as_ref().and_then(FactRow::referral) else {
        return Ok(());
    };
    if sign < 0 {
        move_in_cells(tx, Some(&r), None).await
    } else {
        move_in_cells(tx, None, Some(&r)).await
    }
}

/// Moves a referral in the kept cells from how it stood (`before`) to how it stands
/// (`after`), each `None` where it was not counted: at most one statement per cell table,
/// none for a table whose cells do not change (the caller knows both facts: no read).
pub(super) async fn move_in_cells(
    tx: &mut Transaction<'static, Any>,
    before: Option<&ReportReferral>,
    after: Option<&ReportReferral>,
) -> Result<(), StoreError> {
    let mut cells = KeptCells::default();
    if let Some(b) = before {
        cells.remove(b);
    }
    if let Some(a) = after {
        cells.add(a);
    }
    write_cells(tx, cells).await
}

/// Adds the rows to the kept cells (each key's counts to what is there).
async fn write_cells(
    tx: &mut Transaction<'static, Any>,
    cells: KeptCells,
) -> Result<(), StoreError> {
    let rows = cells.into_rows();
    insert_day_cells(tx, &rows.days).await?;
    insert_response_cells(tx, &rows.responses).await?;
    insert_program_cells(tx, &rows.programs).await?;
    Ok(())
}

/// How many cells one statement writes (10 values each at most: far under either
/// database's limit on bound values).
const CELLS_PER_INSERT: usize = 500;

/// Adds these cells (each with its owner and resolution) to the kept ones:
/// each key's counts are added to what is there.
async fn insert_day_cells(
    tx: &mut Transaction<'static, Any>,
    cells: &[(Kept, DayCell)],
) -> Result<(), StoreError> {
    for chunk in cells.chunks(CELLS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let list: Vec<String> = (1..=10).map(|k| format!("${}", i * 10 + k)).collect();
                format!("({})", list.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO report_day_cells (owner, whole_month, day, self_referral, status, n, with_standard, \
             within_standard, left_within_7, left_within_30) VALUES {} \
             ON CONFLICT (owner, whole_month, day, self_referral, status) DO UPDATE SET \
             n = report_day_cells.n + excluded.n, \
             with_standard = report_day_cells.with_standard + excluded.with_standard, \
             within_standard = report_day_cells.within_standard + excluded.within_standard, \
             left_within_7 = report_day_cells.left_within_7 + excluded.left_within_7, \
             left_within_30 = report_day_cells.left_within_30 + excluded.left_within_30",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (kept, c) in chunk {
            q = q
                .bind(kept.owner)
                .bind(i64::from(kept.whole_month))
                .bind(c.day)
                .bind(i64::from(c.self_referral))
                .bind(c.status)
                .bind(c.counts.n)
                .bind(c.counts.with_standard)
                .bind(c.counts.within_standard)
                .bind(c.counts.left_within_7)
                .bind(c.counts.left_within_30);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_response_cells(
    tx: &mut Transaction<'static, Any>,
    cells: &[(Kept, ResponseCell)],
) -> Result<(), StoreError> {
    for chunk in cells.chunks(CELLS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let list: Vec<String> = (1..=6).map(|k| format!("${}", i * 6 + k)).collect();
                format!("({})", list.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO report_response_cells (owner, whole_month, day, status_group, step, n) VALUES {} \
             ON CONFLICT (owner, whole_month, day, status_group, step) DO UPDATE SET n = report_response_cells.n + excluded.n",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (kept, c) in chunk {
            q = q
                .bind(kept.owner)
                .bind(i64::from(kept.whole_month))
                .bind(c.day)
                .bind(group_code(c.group))
                .bind(i64::from(c.step.0))
                .bind(c.n);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_program_cells(
    tx: &mut Transaction<'static, Any>,
    cells: &[(i64, ProgramCell)],
) -> Result<(), StoreError> {
    for chunk in cells.chunks(CELLS_PER_INSERT) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let list: Vec<String> = (1..=5).map(|k| format!("${}", i * 5 + k)).collect();
                format!("({})", list.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO report_program_cells (owner, program_id, status, month, n) VALUES {} \
             ON CONFLICT (owner, program_id, status, month) DO UPDATE SET n = report_program_cells.n + excluded.n",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (owner, c) in chunk {
            q = q
                .bind(*owner)
                .bind(c.program)
                .bind(c.status)
                .bind(c.month)
                .bind(c.n);
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// How many referrals get their local day per statement when the days are counted again.
const DAYS_PER_UPDATE: i64 = 1000;

impl Store {
    /// Whether the kept cells were counted in the deployment's time zone (else a report
    /// sums its referrals instead, until `count_report_cells` has run).
    pub async fn report_cells_ready(&self) -> Result<bool, StoreError> {
        let zone: Option<String> =
            sqlx::query_scalar("SELECT zone FROM report_cells_state WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(zone.as_deref() == Some(self.schedule.zone.name()))
    }

    /// Counts every referral's local day and the network's cells again if they were counted
    /// in another time zone, or never (a scheduled job: `schedule::jobs`). The cells are
    /// rebuilt in one transaction that first holds off every change's own cell update, so
    /// none is lost or counted twice. Answers how many referrals it counted (0: nothing to do).
    pub async fn count_report_cells(&self) -> Result<usize, StoreError> {
        let zone = self.schedule.zone.clone();
        let counted_in: Option<String> =
            sqlx::query_scalar("SELECT zone FROM report_cells_state WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        let undated: bool = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM referrals WHERE created_day IS NULL LIMIT 1) x",
        )
        .fetch_one(&self.pool)
        .await?
            > 0;
        if counted_in.as_deref() == Some(zone.name()) && !undated {
            return Ok(0);
        }
        if counted_in.is_some() && counted_in.as_deref() != Some(zone.name()) {
            sqlx::query("UPDATE referrals SET created_day = NULL")
                .execute(&self.pool)
                .await?;
        }
        // Each referral's local day, a batch at a time (ids and days are integers the
        // store itself read and computed: safe to write into the statement).
        loop {
            let batch = sqlx::query_as::<_, (ReferralId, i64)>(&format!(
                "SELECT id, created_at FROM referrals WHERE created_day IS NULL ORDER BY id LIMIT {DAYS_PER_UPDATE}"
            ))
            .fetch_all(&self.pool)
            .await?;
            if batch.is_empty() {
                break;
            }
            let cases: Vec<String> = batch
                .iter()
                .map(|(id, at)| format!("WHEN {} THEN {}", id.0, zone.local(*at).day))
                .collect();
            let ids: Vec<String> = batch.iter().map(|(id, _)| id.0.to_string()).collect();
            sqlx::query(&format!(
                "UPDATE referrals SET created_day = CASE id {} END WHERE id IN ({})",
                cases.join(" "),
                ids.join(", ")
            ))
            .execute(&self.pool)
            .await?;
        }
        let mut tx = self.pool.begin().await?;
        if self.backend == super::Backend::Postgres {
            // Waits for changes that already touched a cell, and holds off new ones until
            // the rebuild commits; reading referrals after it sees every committed change.
            sqlx::query(
                "LOCK TABLE report_day_cells, report_response_cells, report_program_cells IN EXCLUSIVE MODE",
            )
            .execute(&mut *tx)
            .await?;
        }
        // On SQLite the first write takes the database's write lock, before the read.
        for table in [
            "report_day_cells",
            "report_response_cells",
            "report_program_cells",
        ] {
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *tx)
                .await?;
        }
        let mut cells = KeptCells::default();
        let mut counted = 0;
        {
            use futures::TryStreamExt;
            let sql = format!("SELECT {FACT_COLUMNS} FROM referrals r");
            let mut rows = sqlx::query_as::<_, FactRow>(&sql).fetch(&mut *tx);
            while let Some(row) = rows.try_next().await? {
                if let Some(r) = row.referral() {
                    cells.add(&r);
                    counted += 1;
                }
            }
        }
        write_cells(&mut tx, cells).await?;
        sqlx::query(
            "INSERT INTO report_cells_state (id, zone) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET zone = excluded.zone",
        )
        .bind(zone.name())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(counted)
    }
}
