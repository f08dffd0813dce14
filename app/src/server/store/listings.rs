//! Referral lists for the three dashboards, each row carrying what the access rules and
//! the screen need. The WHERE clauses narrow to the user's own relations; the API layer
//! still runs every row through `model::access` before anything leaves the server.

use super::Store;
use super::error::StoreError;
use crate::model::{
    ContactPreference, GroupId, PersonId, ProgramId, ReferralFacts, ReferralId, Status, UserId,
};
use sqlx::FromRow;

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct ReferralListRow {
    pub id: ReferralId,
    pub version: i64,
    pub status: Status,
    pub contact_preference: ContactPreference,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub language: String,
    pub comments: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// From when it is overdue while still "Not updated" (`model::follow_up::is_overdue`).
    pub overdue_at: Option<i64>,
    /// The first time the program's staff opened it.
    pub seen_at: Option<i64>,
    pub consent_withdrawn_at: Option<i64>,
    /// The program's first status change (reports).
    pub first_response_at: Option<i64>,
    pub person_id: PersonId,
    pub first_name: String,
    pub last_name: String,
    pub seeker_user: Option<UserId>,
    pub program_id: ProgramId,
    pub program_name: String,
    pub program_organization: String,
    pub referrer_id: Option<UserId>,
    pub referrer_name: Option<String>,
    pub referrer_group_id: Option<GroupId>,
    pub group_name: Option<String>,
    pub team_navigation: Option<i64>,
}

impl ReferralListRow {
    pub fn facts(&self) -> ReferralFacts {
        ReferralFacts {
            seeker_user: self.seeker_user,
            referrer: self.referrer_id,
            referrer_group: self.referrer_group_id,
            team_navigation: self.team_navigation.unwrap_or(0) != 0,
            program: self.program_id,
            contact_preference: self.contact_preference,
        }
    }
}

/// The columns and joins of a list row, around a page of referral ids chosen first by a
/// query on `referrals` alone (`{page}`): so the database walks an index in order and stops
/// after one page, instead of joining and sorting everything before the LIMIT.
pub(super) fn list_select(page: &str) -> String {
    format!(
        "SELECT r.id, r.version, r.status, {preference} AS contact_preference, r.contact_email, \
         r.contact_phone, r.language, r.comments, r.created_at, r.updated_at, r.overdue_at, r.seen_at, \
         r.consent_withdrawn_at, r.first_response_at, r.person_id, p.first_name, \
         p.last_name, p.user_id AS seeker_user, r.program_id, g.name AS program_name, \
         g.organization AS program_organization, r.referrer_id, u.name AS referrer_name, r.referrer_group_id, \
         ug.name AS group_name, ug.team_navigation \
         FROM ({page}) pg JOIN referrals r ON r.id = pg.id JOIN persons p ON p.id = r.person_id \
         JOIN programs g ON g.id = r.program_id \
         LEFT JOIN users u ON u.id = r.referrer_id LEFT JOIN user_groups ug ON ug.id = r.referrer_group_id",
        preference = super::effective_preference!()
    )
}

/// Filters for the Inbound Referrals list (keyset pagination on created_at, id).
#[derive(Clone, Debug, Default)]
pub struct InboundQuery {
    pub program: ProgramId,
    pub status: Option<Status>,
    /// Only the overdue: still "Not updated" with a deadline at or before this (now).
    pub overdue_at_or_before: Option<i64>,
    /// Created at or after (epoch ms).
    pub from: Option<i64>,
    /// Created before (epoch ms).
    pub until: Option<i64>,
    /// Rows strictly older than this (created_at, id): the next page.
    pub before: Option<(i64, i64)>,
    pub limit: i64,
}

impl Store {
    pub async fn referral_row(
        &self,
        id: ReferralId,
    ) -> Result<Option<ReferralListRow>, StoreError> {
        let sql = list_select("SELECT id FROM referrals WHERE id = $1");
        Ok(sqlx::query_as::<_, ReferralListRow>(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Referrals made for the persons linked to this account, newest first.
    pub async fn referrals_for_seeker(
        &self,
        user: UserId,
    ) -> Result<Vec<ReferralListRow>, StoreError> {
        let sql = list_select(
            "SELECT r.id FROM referrals r JOIN persons p ON p.id = r.person_id WHERE p.user_id = $1 \
             ORDER BY r.created_at DESC, r.id DESC LIMIT 500",
        );
        Ok(sqlx::query_as::<_, ReferralListRow>(&format!(
            "{sql} ORDER BY r.created_at DESC, r.id DESC"
        ))
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Referrals a helper may follow (their own and, with Team Navigation, their team's),
    /// most recently changed first, optionally narrowed to one person, a name, a status and
    /// the overdue (`overdue_at_or_before`: now).
    pub async fn referrals_for_helper(
        &self,
        user: UserId,
        person: Option<PersonId>,
        name: &str,
        status: Option<Status>,
        overdue_at_or_before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ReferralListRow>, StoreError> {
        let limit = limit.clamp(1, 500);
        // The same narrowing for both branches; placeholders numbered in order of first use.
        let mut filter = String::new();
        let mut n = 1;
        if person.is_some() {
            n += 1;
            filter.push_str(&format!(" AND r.person_id = ${n}"));
        }
        let name = name.trim().to_lowercase();
        let needs_person = !name.is_empty();
        // With a name, start from the (few) matching persons. The two planners need telling
        // differently: SQLite keeps the left side of a CROSS JOIN outermost; PostgreSQL
        // hashes an IN subquery (and would walk every referral for the CROSS JOIN form).
        let sqlite = self.backend == super::Backend::Sqlite;
        if needs_person {
            n += 1;
            // One expression: a part of the first or last name is also a part of the full
            // name. A trigram index answers it on both backends (migrations 0006): on
            // SQLite an FTS5 table of the lowercased full names, on PostgreSQL pg_trgm.
            // `%` and `_` typed in a name are themselves (`escape_like`); the ESCAPE clause
            // only when there is one, as it keeps SQLite's trigram index from answering.
            let escape = if name.contains(['%', '_', '\\']) {
                " ESCAPE '\\'"
            } else {
                ""
            };
            let matches = format!("lower(p.first_name || ' ' || p.last_name) LIKE ${n}{escape}");
            if sqlite {
                filter.push_str(&format!(
                    " AND r.person_id = p.id AND p.id IN \
                     (SELECT rowid FROM persons_name_search WHERE full_name LIKE ${n}{escape})"
                ));
            } else {
                filter.push_str(&format!(
                    " AND r.person_id IN (SELECT p.id FROM persons p WHERE {matches})"
                ));
            }
        }
        if status.is_some() {
            n += 1;
            filter.push_str(&format!(" AND r.status = ${n}"));
        }
        if overdue_at_or_before.is_some() {
            n += 1;
            filter.push_str(&format!(
                " AND r.status = 'not_updated' AND r.overdue_at <= ${n}"
            ));
        }
        let from = if needs_person && sqlite {
            "persons p CROSS JOIN referrals r"
        } else {
            "referrals r"
        };
        // One index walk for my own referrals and one per team (a group of mine with Team
        // Navigation on), each stopping after a page, then merged: an OR, or an IN over the
        // groups, would make the database collect and sort every referral of the team.
        let teams: Vec<GroupId> = sqlx::query_scalar(
            "SELECT m.group_id FROM group_members m JOIN user_groups t ON t.id = m.group_id \
             WHERE m.user_id = $1 AND t.team_navigation = 1 ORDER BY m.group_id",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?;
        let branch = |condition: String, alias: String| {
            format!(
                "SELECT id, updated_at FROM (SELECT r.id, r.updated_at FROM {from} WHERE {condition}{filter} \
                 ORDER BY r.updated_at DESC, r.id DESC LIMIT {limit}) AS {alias}"
            )
        };
        let mut branches = vec![branch("r.referrer_id = $1".into(), "own".into())];
        for team in &teams {
            // Group ids come from the database as integers: safe to write into the SQL.
            branches.push(branch(
                format!("r.referrer_group_id = {team}"),
                format!("team{team}"),
            ));
        }
        let page = format!(
            "SELECT id FROM ({}) AS mine ORDER BY updated_at DESC, id DESC LIMIT {limit}",
            branches.join(" UNION ")
        );
        let sql = format!(
            "{} ORDER BY r.updated_at DESC, r.id DESC",
            list_select(&page)
        );
        let mut q = sqlx::query_as::<_, ReferralListRow>(&sql).bind(user);
        if let Some(p) = person {
            q = q.bind(p);
        }
        if needs_person {
            q = q.bind(format!("%{}%", super::programs::escape_like(&name)));
        }
        if let Some(s) = status {
            q = q.bind(s);
        }
        if let Some(now) = overdue_at_or_before {
            q = q.bind(now);
        }
        Ok(q.fetch_all(&self.pool).await?)
    }

    /// One page of a program's inbound referrals, newest first.
    pub async fn inbound_referrals(
        &self,
        q: &InboundQuery,
    ) -> Result<Vec<ReferralListRow>, StoreError> {
        let mut page = "SELECT id FROM referrals WHERE program_id = $1".to_string();
        let mut n = 1;
        if q.status.is_some() {
            n += 1;
            page.push_str(&format!(" AND status = ${n}"));
        }
        if q.overdue_at_or_before.is_some() {
            n += 1;
            page.push_str(&format!(
                " AND status = 'not_updated' AND overdue_at <= ${n}"
            ));
        }
        if q.from.is_some() {
            n += 1;
            page.push_str(&format!(" AND created_at >= ${n}"));
        }
        if q.until.is_some() {
            n += 1;
            page.push_str(&format!(" AND created_at < ${n}"));
        }
        if q.before.is_some() {
            // A row comparison, which both databases answer from the index.
            page.push_str(&format!(" AND (created_at, id) < (${}, ${})", n + 1, n + 2));
        }
        page.push_str(&format!(
            " ORDER BY created_at DESC, id DESC LIMIT {}",
            q.limit.clamp(1, 200)
        ));
        let sql = format!(
            "{} ORDER BY r.created_at DESC, r.id DESC",
            list_select(&page)
        );
        let mut query = sqlx::query_as::<_, ReferralListRow>(&sql).bind(q.program);
        if let Some(s) = q.status {
            query = query.bind(s);
        }
        if let Some(now) = q.overdue_at_or_before {
            query = query.bind(now);
        }
        if let Some(f) = q.from {
            query = query.bind(f);
        }
        if let Some(u) = q.until {
            query = query.bind(u);
        }
        if let Some((at, id)) = q.before {
            query = query.bind(at).bind(id);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// How many of a program's referrals nobody has acted on yet.
    pub async fn count_not_updated(&self, program: ProgramId) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "SELECT COALESCE(MAX(not_updated), 0) FROM program_counts WHERE program_id = $1",
        )
        .bind(program)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The persons a helper has made referrals for, or created, by name.
    pub async fn persons_created_by(
        &self,
        user: UserId,
    ) -> Result<Vec<super::PersonRow>, StoreError> {
        Ok(sqlx::query_as::<_, super::PersonRow>(
            "SELECT id, first_name, last_name, email, phone, language, user_id, created_by, created_at \
             FROM persons WHERE created_by = $1 ORDER BY last_name, first_name, id LIMIT 1000",
        )
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }
}
