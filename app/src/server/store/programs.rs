//! Programs (directory listings), their categories, staff and claims.

use super::Store;
use super::error::StoreError;
use crate::model::capacity::Capacity;
use crate::model::directory::ServiceStatus;
use crate::model::directory::search::{PlaceQuery, listing_words, typed_words};
use crate::model::{OrganizationId, ProgramId, UserId};
use crate::server::clock::now_ms;
use sqlx::FromRow;
use std::collections::HashMap;

#[derive(Clone, Debug, Default)]
pub struct NewProgram {
    pub name: String,
    pub organization: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub zip: String,
    pub service_area: String,
    pub categories: Vec<String>,
    /// Language codes the program serves in.
    pub languages: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub hours: String,
    /// The organisation, when it is known by id (an administrator adds a program to one);
    /// otherwise it is found or made by `organization`, its name.
    pub organization_id: Option<OrganizationId>,
    /// Who made it (for its history); `None` for the demo seed and tests.
    pub created_by: Option<UserId>,
}

#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct ProgramRow {
    pub id: ProgramId,
    pub name: String,
    pub organization: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub zip: String,
    pub service_area: String,
    pub languages: String,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub hours: String,
    pub claimed_at: Option<i64>,
    pub created_at: i64,
    pub service_status: ServiceStatus,
    pub url: String,
    pub state_province: String,
    pub eligibility: String,
    /// Set when the program left its feed (or an administrator archived it).
    pub archived_at: Option<i64>,
    /// When its listing last changed; None for one never changed since it was made.
    pub updated_at: Option<i64>,
    /// Whether it takes referrals now, as its staff say.
    pub capacity: Capacity,
    pub capacity_note: String,
}

impl ProgramRow {
    pub fn is_claimed(&self) -> bool {
        self.claimed_at.is_some()
    }

    /// Found by directory search.
    pub fn is_listed(&self) -> bool {
        self.archived_at.is_none() && self.service_status.searchable()
    }

    /// May be sent a new referral.
    pub fn takes_referrals(&self) -> bool {
        self.archived_at.is_none() && self.service_status.takes_referrals()
    }
}

const PROGRAM_COLUMNS: &str = "id, name, organization, description, address, city, zip, service_area, languages, \
     contact_email, contact_phone, hours, claimed_at, created_at, service_status, url, state_province, \
     eligibility, archived_at, updated_at, capacity, capacity_note";

/// The SQL form of `ProgramRow::is_listed`, for searches.
const LISTED: &str =
    "p.archived_at IS NULL AND p.service_status IN ('active', 'temporarily closed')";

impl Store {
    pub async fn create_program(&self, p: &NewProgram) -> Result<ProgramId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        // Organisations made in the app are found by name (feeds key theirs by HSDS id).
        let found = match p.organization_id {
            Some(id) => Some(id),
            None => {
                sqlx::query_scalar::<_, OrganizationId>(
                    "SELECT id FROM organizations WHERE directory_source IS NULL AND name = $1 \
                     ORDER BY id LIMIT 1",
                )
                .bind(&p.organization)
                .fetch_optional(&mut *tx)
                .await?
            }
        };
        let organization = match found {
            Some(id) => id,
            None => {
                sqlx::query_scalar::<_, OrganizationId>(
                    "INSERT INTO organizations (name, created_at, updated_at) VALUES ($1, $2, $2) RETURNING id",
                )
                .bind(&p.organization)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        let id = sqlx::query_scalar::<_, ProgramId>(
            "INSERT INTO programs (name, organization, description, address, city, zip, service_area, languages, \
             contact_email, contact_phone, hours, created_at, organization_id, search_words) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(&p.name)
        .bind(&p.organization)
        .bind(&p.description)
        .bind(&p.address)
        .bind(&p.city)
        .bind(&p.zip)
        .bind(&p.service_area)
        .bind(p.languages.join(","))
        .bind(p.contact_email.as_deref())
        .bind(p.contact_phone.as_deref())
        .bind(&p.hours)
        .bind(now)
        .bind(organization)
        .bind(listing_words(&p.name, &p.organization, &p.description))
        .fetch_one(&mut *tx)
        .await?;
        for category in &p.categories {
            sqlx::query("INSERT INTO program_categories (program_id, category) VALUES ($1, $2)")
                .bind(id)
                .bind(category)
                .execute(&mut *tx)
                .await?;
        }
        let edit = super::listing_edits::EditRecord {
            kind: crate::model::directory::edit::EditKind::Listed,
            by: p.created_by,
            suggestion: None,
            detail: String::new(),
            changes: Vec::new(),
        };
        super::listing_edits::record_edit_in(&mut tx, id, &edit, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn program(&self, id: ProgramId) -> Result<Option<ProgramRow>, StoreError> {
        Ok(sqlx::query_as::<_, ProgramRow>(&format!(
            "SELECT {PROGRAM_COLUMNS} FROM programs WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn program_categories(&self, id: ProgramId) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar::<_, String>(
            "SELECT category FROM program_categories WHERE program_id = $1 ORDER BY category",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Makes a user staff of a program; the first staff member marks the program claimed.
    pub async fn add_program_staff(
        &self,
        program: ProgramId,
        user: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        super::invitations::add_staff_in(&mut tx, program, user, now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Ends a user's staff membership. Their access, the power of status links mailed to
    /// them, and the open invitations to this program they sent or were sent end with it.
    /// A program left with no staff is unclaimed again, so it can be claimed anew.
    pub async fn remove_program_staff(
        &self,
        program: ProgramId,
        user: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM program_staff WHERE program_id = $1 AND user_id = $2")
            .bind(program)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        super::invitations::revoke_invitations_in(
            &mut tx,
            user,
            Some(super::InvitationTarget::Program(program)),
        )
        .await?;
        sqlx::query(
            "UPDATE programs SET claimed_at = NULL WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM program_staff WHERE program_id = $1)",
        )
        .bind(program)
        .execute(&mut *tx)
        .await?;
        self.commit_access_change(tx, &[user]).await
    }

    /// (user id, name, email) of a program's staff, oldest first.
    pub async fn program_staff_members(
        &self,
        program: ProgramId,
    ) -> Result<Vec<(UserId, String, String)>, StoreError> {
        Ok(sqlx::query_as::<_, (UserId, String, String)>(
            "SELECT u.id, u.name, u.email FROM program_staff s JOIN users u ON u.id = s.user_id \
             WHERE s.program_id = $1 ORDER BY s.added_at, u.id",
        )
        .bind(program)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn program_staff_emails(
        &self,
        program: ProgramId,
    ) -> Result<Vec<(String, String)>, StoreError> {
        Ok(sqlx::query_as::<_, (String, String)>(
            "SELECT u.email, u.language FROM program_staff s JOIN users u ON u.id = s.user_id \
             WHERE s.program_id = $1 AND u.disabled_at IS NULL ORDER BY u.id",
        )
        .bind(program)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn count_programs(&self) -> Result<i64, StoreError> {
        Ok(
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM programs")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

/// A directory search. Empty parts match everything.
#[derive(Clone, Debug, Default)]
pub struct ProgramQuery {
    /// Words to find in the name, organisation or description.
    pub text: String,
    pub category: String,
    /// A postal code or a city name (`PlaceQuery`).
    pub place: String,
    pub limit: i64,
}

impl Store {
    pub async fn search_programs(&self, q: &ProgramQuery) -> Result<Vec<ProgramRow>, StoreError> {
        // Built with numbered placeholders in order of first use (SQLite binds by order).
        let mut sql = format!("SELECT {PROGRAM_COLUMNS} FROM programs p WHERE {LISTED}");
        let mut binds: Vec<String> = Vec::new();
        let words = typed_words(&q.text);
        if !words.is_empty() {
            binds.push(word_query(self.backend, &words));
            sql.push_str(&word_filter(self.backend, binds.len()));
        }
        if !q.category.trim().is_empty() {
            binds.push(q.category.trim().to_lowercase());
            let n = binds.len();
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM program_categories c WHERE c.program_id = p.id AND c.category = ${n})"
            ));
        }
        match PlaceQuery::parse(&q.place) {
            Some(PlaceQuery::PostalCode(code)) => {
                binds.push(code);
                sql.push_str(&format!(" AND lower(p.zip) = ${}", binds.len()));
            }
            Some(PlaceQuery::City(city)) => {
                binds.push(city);
                sql.push_str(&format!(" AND lower(p.city) = ${}", binds.len()));
            }
            None => {}
        }
        // With words and no place (whose index is in name order already), sort what the word
        // index found instead of walking the name index: names often begin with their town,
        // so a walk in name order for "springfield" passed 17,000 programs of other towns
        // before the first match. `|| ''` sorts the same but cannot be read off the index.
        let name_order = if words.is_empty() || PlaceQuery::parse(&q.place).is_some() {
            "p.name"
        } else {
            "p.name || ''"
        };
        sql.push_str(&format!(
            " ORDER BY {name_order}, p.id LIMIT {}",
            q.limit.clamp(1, 200)
        ));
        let mut query = sqlx::query_as::<_, ProgramRow>(&sql);
        for b in binds {
            query = query.bind(b);
        }
        Ok(query.fetch_all(&self.pool).await?)
    }

    /// Writes the search words of programs that have none: those written before migration
    /// 0013, whose words only the app can make (`listing_words`). A batch at a time, each
    /// in its own transaction; nothing to do on every later start.
    pub(super) async fn fill_search_words(&self) -> Result<(), StoreError> {
        loop {
            let mut tx = self.pool.begin().await?;
            let batch = sqlx::query_as::<_, (ProgramId, String, String, String)>(
                "SELECT id, name, organization, description FROM programs \
                 WHERE search_words IS NULL ORDER BY id LIMIT 500",
            )
            .fetch_all(&mut *tx)
            .await?;
            if batch.is_empty() {
                return Ok(());
            }
            for (id, name, organization, description) in batch {
                sqlx::query("UPDATE programs SET search_words = $1 WHERE id = $2")
                    .bind(listing_words(&name, &organization, &description))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
    }

    /// The categories of several programs (a page of search results), in one query.
    pub async fn categories_of(
        &self,
        programs: &[ProgramId],
    ) -> Result<HashMap<ProgramId, Vec<String>>, StoreError> {
        let mut of: HashMap<ProgramId, Vec<String>> = HashMap::new();
        if programs.is_empty() {
            return Ok(of);
        }
        let list = (1..=programs.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT program_id, category FROM program_categories WHERE program_id IN ({list}) \
             ORDER BY program_id, category"
        );
        let mut query = sqlx::query_as::<_, (ProgramId, String)>(&sql);
        for id in programs {
            query = query.bind(*id);
        }
        for (program, category) in query.fetch_all(&self.pool).await? {
            of.entry(program).or_default().push(category);
        }
        Ok(of)
    }

    /// Every category of a listed program, for the directory's filter.
    pub async fn categories(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar::<_, String>(&format!(
            "SELECT DISTINCT c.category FROM program_categories c JOIN programs p ON p.id = c.program_id \
             WHERE {LISTED} ORDER BY c.category"
        ))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The programs a user is staff of, by name.
    pub async fn programs_of_staff(&self, user: UserId) -> Result<Vec<ProgramRow>, StoreError> {
        Ok(sqlx::query_as::<_, ProgramRow>(&format!(
            "SELECT {PROGRAM_COLUMNS} FROM programs p WHERE p.id IN \
             (SELECT program_id FROM program_staff WHERE user_id = $1) ORDER BY p.name, p.id"
        ))
        .bind(user)
        .fetch_all(&self.pool)
        .await?)
    }
}

/// The SQL that keeps only programs with every typed word at the start of one of their
/// words, given the placeholder number of `word_query`'s value. PostgreSQL reads a GIN
/// index of `search_vector` (a `tsvector` of `search_words`); SQLite an FTS5 index of
/// `search_words` (migration 0013).
pub(super) fn word_filter(backend: super::Backend, placeholder: usize) -> String {
    match backend {
        super::Backend::Postgres => {
            format!(" AND p.search_vector @@ to_tsquery('simple', ${placeholder})")
        }
        super::Backend::Sqlite => format!(
            " AND p.id IN (SELECT rowid FROM programs_words WHERE programs_words MATCH ${placeholder})"
        ),
    }
}

/// The full-text query for typed words (from `typed_words`: letters and digits only, so
/// nothing in them is query syntax), each a prefix, all required.
pub(super) fn word_query(backend: super::Backend, words: &[String]) -> String {
    let prefix = |w: &String| match backend {
        super::Backend::Postgres => format!("'{w}':*"),
        super::Backend::Sqlite => format!("\"{w}\"*"),
    };
    let joiner = match backend {
        super::Backend::Postgres => " & ",
        super::Backend::Sqlite => " AND ",
    };
    words.iter().map(prefix).collect::<Vec<_>>().join(joiner)
}

/// `%` and `_` typed by a user are literal characters, not wildcards.
pub(super) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

#[cfg(test)]
mod tests {
    use super::super::Backend;
    use super::word_query;

    #[test]
    fn typed_words_become_required_prefixes_in_each_databases_query_language() {
        let words = vec!["legal".to_string(), "aid".to_string()];
        assert_eq!(word_query(Backend::Postgres, &words), "'legal':* & 'aid':*");
        assert_eq!(
            word_query(Backend::Sqlite, &words),
            "\"legal\"* AND \"aid\"*"
        );
    }
}
