//! Programs and organisations loaded from an HSDS feed: what the database holds from a feed
//! (to plan an import against) and the plan's writes, all in one transaction.

use super::Store;
use super::error::StoreError;
use super::listing_edits::EditRecord;
use crate::model::directory::edit::{EditKind, changes};
use crate::model::directory::export::{LocalKind, local_id, parse_local_id};
use crate::model::directory::plan::{Archived, Existing, ImportPlan};
use crate::model::directory::search::{listing_words, typed_words};
use crate::model::directory::{Listing, Organization, ServiceStatus};
use crate::model::{OrganizationId, ProgramId};
use sqlx::{Any, FromRow, Transaction};
use std::collections::{BTreeMap, HashMap};

/// A value bound to a query built piece by piece.
enum Bind {
    Text(String),
    Int(i64),
}

/// A program as the directory keeps it, with what edits and imports need to know.
#[derive(FromRow)]
pub(super) struct FeedRow {
    pub(super) id: ProgramId,
    hsds_id: Option<String>,
    name: String,
    organization: String,
    description: String,
    service_status: ServiceStatus,
    url: String,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    address: String,
    city: String,
    state_province: String,
    zip: String,
    hours: String,
    languages: String,
    service_area: String,
    eligibility: String,
    archived_at: Option<i64>,
    created_at: i64,
    updated_at: Option<i64>,
    org_id: Option<OrganizationId>,
    org_hsds_id: Option<String>,
    org_description: Option<String>,
    org_email: Option<String>,
    org_url: Option<String>,
    pub(super) directory_source: Option<String>,
    feed_listing: Option<String>,
    archived_by: Option<String>,
    pub(super) listing_version: i64,
}

pub(super) const FEED_SELECT: &str = "SELECT p.id, p.hsds_id, p.name, p.organization, p.description, p.service_status, \
     p.url, p.contact_email, p.contact_phone, p.address, p.city, p.state_province, p.zip, p.hours, \
     p.languages, p.service_area, p.eligibility, p.archived_at, p.created_at, p.updated_at, \
     o.id AS org_id, o.hsds_id AS org_hsds_id, o.description AS org_description, o.email AS org_email, \
     o.url AS org_url, p.directory_source, f.listing AS feed_listing, p.archived_by, p.listing_version \
     FROM programs p LEFT JOIN organizations o ON o.id = p.organization_id \
     LEFT JOIN program_feed_versions f ON f.program_id = p.id";

impl FeedRow {
    pub(super) fn archived(&self) -> Archived {
        match (self.archived_at, self.archived_by.as_deref()) {
            (None, _) => Archived::No,
            (Some(_), Some("admin")) => Archived::ByAdmin,
            (Some(_), _) => Archived::ByFeed,
        }
    }

    pub(super) fn organization_id(&self) -> Option<OrganizationId> {
        self.org_id
    }

    /// The feed's version at the last import, where one was kept (and still reads).
    fn feed_version(&self) -> Option<Listing> {
        self.feed_listing
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
    }

    /// The program as a listing; records made in the app get ids of HSDS's shape.
    pub(super) fn listing(self, categories: Vec<String>) -> Listing {
        let service_id = self
            .hsds_id
            .unwrap_or_else(|| local_id(LocalKind::Service, self.id.0));
        let org_id = self
            .org_hsds_id
            .unwrap_or_else(|| local_id(LocalKind::Organization, self.org_id.map_or(0, |o| o.0)));
        Listing {
            hsds_id: service_id,
            name: self.name,
            description: self.description,
            status: self.service_status,
            organization: Organization {
                hsds_id: org_id,
                name: self.organization,
                description: self.org_description.unwrap_or_default(),
                email: self.org_email.unwrap_or_default(),
                url: self.org_url.unwrap_or_default(),
            },
            url: self.url,
            email: self.contact_email,
            phone: self.contact_phone,
            address: self.address,
            city: self.city,
            state_province: self.state_province,
            zip: self.zip,
            hours: self.hours,
            languages: split_languages(&self.languages),
            service_area: self.service_area,
            eligibility: self.eligibility,
            categories,
        }
        .normalized()
    }
}

/// Languages are kept as one comma-separated column (as programs made in the app keep them).
fn split_languages(joined: &str) -> Vec<String> {
    joined
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Something to tell how far a long write has got (a progress bar, a log line).
pub trait Progress: Sync {
    /// `done` of `total` listings written.
    fn written(&self, done: usize, total: usize);
}

/// No one is watching.
impl Progress for () {
    fn written(&self, _: usize, _: usize) {}
}

/// A query of the HSDS API's services (every part optional). Archived programs are never
/// in it: they are no longer in the directory.
#[derive(Clone, Debug, Default)]
pub struct ServiceFilter {
    /// One service, by its HSDS id.
    pub id: Option<String>,
    /// Words in the name, organisation or description.
    pub search: String,
    pub taxonomy_term_id: Option<String>,
    pub organization_id: Option<String>,
    /// Changed after (epoch ms).
    pub modified_after: Option<i64>,
    /// From 1.
    pub page: u64,
    pub per_page: u64,
}

/// An import started from /admin, as recorded.
#[derive(Clone, Debug, FromRow)]
pub struct ImportRow {
    pub id: i64,
    pub file_name: String,
    pub source: String,
    pub skip_invalid: i64,
    pub dry_run: i64,
    pub report: Option<String>,
    pub failure: Option<String>,
    pub started_at: i64,
    pub finished_at: Option<i64>,
    pub started_by_name: Option<String>,
}

/// A listing with when it last changed (epoch ms).
pub type DatedListing = (Listing, i64);

impl Store {
    /// Every program the database holds from a feed, by HSDS id, as listings (to compare).
    pub async fn feed_listings(
        &self,
        source: &str,
    ) -> Result<BTreeMap<String, Existing>, StoreError> {
        let rows =
            sqlx::query_as::<_, FeedRow>(&format!("{FEED_SELECT} WHERE p.directory_source = $1"))
                .bind(source)
                .fetch_all(&self.pool)
                .await?;
        let ids: Vec<ProgramId> = rows.iter().map(|r| r.id).collect();
        let mut categories = self.categories_of(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let (id, archived, feed) = (r.id, r.archived(), r.feed_version());
                let listing = r.listing(categories.remove(&id).unwrap_or_default());
                let existing = Existing {
                    id,
                    listing,
                    feed,
                    archived,
                };
                (existing.listing.hsds_id.clone(), existing)
            })
            .collect())
    }

    /// One page of the directory's services for the HSDS API, and how many match in all.
    pub async fn directory_services(
        &self,
        f: &ServiceFilter,
    ) -> Result<(u64, Vec<DatedListing>), StoreError> {
        let mut filter = String::from(" WHERE p.archived_at IS NULL");
        let mut binds: Vec<Bind> = Vec::new();
        // Numbered in order of first use (SQLite binds by order).
        fn bind(b: Bind, binds: &mut Vec<Bind>) -> String {
            binds.push(b);
            format!("${}", binds.len())
        }
        if let Some(id) = &f.id {
            match parse_local_id(LocalKind::Service, id) {
                Some(n) => {
                    let n = bind(Bind::Int(n), &mut binds);
                    filter.push_str(&format!(" AND p.id = {n} AND p.hsds_id IS NULL"));
                }
                None => {
                    let n = bind(Bind::Text(id.clone()), &mut binds);
                    filter.push_str(&format!(" AND p.hsds_id = {n}"));
                }
            }
        }
        let words = typed_words(&f.search);
        if !words.is_empty() {
            let query = super::programs::word_query(self.backend, &words);
            binds.push(Bind::Text(query));
            filter.push_str(&super::programs::word_filter(self.backend, binds.len()));
        }
        if let Some(term) = &f.taxonomy_term_id {
            let n = bind(Bind::Text(term.clone()), &mut binds);
            filter.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM program_categories c WHERE c.program_id = p.id AND c.category = {n})"
            ));
        }
        if let Some(org) = &f.organization_id {
            match parse_local_id(LocalKind::Organization, org) {
                Some(n) => {
                    let n = bind(Bind::Int(n), &mut binds);
                    filter.push_str(&format!(" AND o.id = {n} AND o.hsds_id IS NULL"));
                }
                None => {
                    let n = bind(Bind::Text(org.clone()), &mut binds);
                    filter.push_str(&format!(" AND o.hsds_id = {n}"));
                }
            }
        }
        if let Some(after) = f.modified_after {
            let n = bind(Bind::Int(after), &mut binds);
            filter.push_str(&format!(" AND COALESCE(p.updated_at, p.created_at) > {n}"));
        }
        let count_sql = format!(
            "SELECT COUNT(*) FROM programs p LEFT JOIN organizations o ON o.id = p.organization_id{filter}"
        );
        let per_page = f.per_page.clamp(1, 500);
        let offset = f.page.saturating_sub(1).saturating_mul(per_page);
        let page_sql =
            format!("{FEED_SELECT}{filter} ORDER BY p.id LIMIT {per_page} OFFSET {offset}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        let mut page = sqlx::query_as::<_, FeedRow>(&page_sql);
        for b in &binds {
            (count, page) = match b {
                Bind::Text(t) => (count.bind(t.clone()), page.bind(t.clone())),
                Bind::Int(i) => (count.bind(*i), page.bind(*i)),
            };
        }
        let total = count.fetch_one(&self.pool).await?;
        let rows = page.fetch_all(&self.pool).await?;
        let ids: Vec<ProgramId> = rows.iter().map(|r| r.id).collect();
        let mut categories = self.categories_of(&ids).await?;
        let listings = rows
            .into_iter()
            .map(|r| {
                let modified = r.updated_at.unwrap_or(r.created_at);
                let id = r.id;
                (
                    r.listing(categories.remove(&id).unwrap_or_default()),
                    modified,
                )
            })
            .collect();
        Ok((total.max(0) as u64, listings))
    }

    /// A page of the organisations with a program in the directory, and how many there are.
    pub async fn directory_organizations(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<(u64, Vec<Organization>), StoreError> {
        let listed = "EXISTS (SELECT 1 FROM programs p WHERE p.organization_id = o.id AND p.archived_at IS NULL)";
        let total = sqlx::query_scalar::<_, i64>(&format!(
            "SELECT COUNT(*) FROM organizations o WHERE {listed}"
        ))
        .fetch_one(&self.pool)
        .await?;
        let per_page = per_page.clamp(1, 500);
        let offset = page.saturating_sub(1).saturating_mul(per_page);
        let rows = sqlx::query_as::<
            _,
            (
                OrganizationId,
                Option<String>,
                String,
                String,
                String,
                String,
            ),
        >(&format!(
            "SELECT o.id, o.hsds_id, o.name, o.description, o.email, o.url FROM organizations o \
             WHERE {listed} ORDER BY o.id LIMIT {per_page} OFFSET {offset}"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok((
            total.max(0) as u64,
            rows.into_iter()
                .map(
                    |(id, hsds_id, name, description, email, url)| Organization {
                        hsds_id: hsds_id.unwrap_or_else(|| local_id(LocalKind::Organization, id.0)),
                        name,
                        description,
                        email,
                        url,
                    },
                )
                .collect(),
        ))
    }

    /// Records an import an administrator started; its id names it on its page.
    pub async fn start_directory_import(
        &self,
        by: crate::model::UserId,
        file_name: &str,
        options: &crate::server::hsds::ImportOptions,
        now: i64,
    ) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar::<_, i64>(
            "INSERT INTO directory_imports (started_by, file_name, source, skip_invalid, dry_run, started_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(by)
        .bind(file_name)
        .bind(&options.source)
        .bind(i64::from(options.skip_invalid))
        .bind(i64::from(options.dry_run))
        .bind(now)
        .fetch_one(&self.pool)
        .await?)
    }

    /// Keeps an import's report (JSON) or why it failed.
    pub async fn finish_directory_import(
        &self,
        id: i64,
        report: Option<&str>,
        failure: Option<&str>,
        now: i64,
    ) -> Result<(), StoreError> {
        sqlx::query("UPDATE directory_imports SET report = $1, failure = $2, finished_at = $3 WHERE id = $4")
            .bind(report)
            .bind(failure)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The latest imports first (`id` for one).
    pub async fn directory_imports(
        &self,
        id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<ImportRow>, StoreError> {
        Ok(sqlx::query_as::<_, ImportRow>(
            "SELECT i.id, i.file_name, i.source, i.skip_invalid, i.dry_run, i.report, i.failure, i.started_at, \
             i.finished_at, u.name AS started_by_name FROM directory_imports i \
             LEFT JOIN users u ON u.id = i.started_by WHERE ($1 = 0 OR i.id = $1) ORDER BY i.id DESC LIMIT $2",
        )
        .bind(id.unwrap_or(0))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// A page of the categories of listed programs (the taxonomy's terms), and how many.
    pub async fn directory_terms(
        &self,
        page: u64,
        per_page: u64,
    ) -> Result<(u64, Vec<String>), StoreError> {
        let all = self.categories().await?;
        let per_page = per_page.clamp(1, 500) as usize;
        let start = (page.saturating_sub(1) as usize).saturating_mul(per_page);
        let page = all.iter().skip(start).take(per_page).cloned().collect();
        Ok((all.len() as u64, page))
    }

    /// Writes an import plan in one transaction: all of it or, on any error, none of it.
    pub async fn apply_import(
        &self,
        source: &str,
        plan: &ImportPlan,
        now: i64,
        progress: &dyn Progress,
    ) -> Result<(), StoreError> {
        let total = plan.writes();
        let mut tx = self.pool.begin().await?;
        let mut organizations: HashMap<String, OrganizationId> =
            sqlx::query_as::<_, (String, OrganizationId)>(
                "SELECT hsds_id, id FROM organizations WHERE directory_source = $1",
            )
            .bind(source)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .collect();
        let mut organizations_written = std::collections::HashSet::new();
        let mut done = 0;
        let writes = plan
            .create
            .iter()
            .map(|l| (None, l, l))
            .chain(plan.update.iter().map(|u| (Some(u), &u.after, &u.feed)));
        for (update, listing, feed) in writes {
            let org = &listing.organization;
            let organization = if organizations_written.insert(org.hsds_id.clone()) {
                let id = write_organization(
                    &mut tx,
                    source,
                    org,
                    organizations.get(&org.hsds_id).copied(),
                    now,
                )
                .await?;
                organizations.insert(org.hsds_id.clone(), id);
                id
            } else {
                organizations[&org.hsds_id]
            };
            let feed_json = serde_json::to_string(feed).map_err(StoreError::inconsistent)?;
            let id = match update {
                None => {
                    let id =
                        insert_program(&mut tx, source, listing, organization, &feed_json, now)
                            .await?;
                    let edit = EditRecord::by_feed(EditKind::Listed, source, Vec::new());
                    super::listing_edits::record_edit_in(&mut tx, id, &edit, now).await?;
                    id
                }
                Some(u) => {
                    update_program(&mut tx, u.id, listing, organization, None, now).await?;
                    keep_feed_version(&mut tx, u.id, &feed_json, true).await?;
                    let changed = changes(&u.before, &u.after);
                    if !changed.is_empty() {
                        let edit = EditRecord::by_feed(EditKind::Imported, source, changed);
                        super::listing_edits::record_edit_in(&mut tx, u.id, &edit, now).await?;
                    }
                    if u.restore {
                        super::listing_edits::set_archived_in(&mut tx, u.id, None, now).await?;
                        let edit = EditRecord::by_feed(EditKind::Restored, source, Vec::new());
                        super::listing_edits::record_edit_in(&mut tx, u.id, &edit, now).await?;
                    }
                    u.id
                }
            };
            write_categories(&mut tx, id, &listing.categories, update.is_some()).await?;
            done += 1;
            if done % 100 == 0 {
                progress.written(done, total);
            }
        }
        for id in &plan.archive {
            super::listing_edits::set_archived_in(&mut tx, *id, Some("feed"), now).await?;
            let edit = EditRecord::by_feed(EditKind::Archived, source, Vec::new());
            super::listing_edits::record_edit_in(&mut tx, *id, &edit, now).await?;
            done += 1;
        }
        tx.commit().await?;
        progress.written(done, total);
        if total > 0 {
            self.refresh_directory_statistics().await?;
        }
        Ok(())
    }

    /// PostgreSQL plans searches by its statistics of the tables, and a feed loaded in one
    /// transaction has none until autovacuum comes by: until then it guessed that few
    /// programs are listed and read all 20,000 to find the first 50 by name (37 ms). The
    /// word index keeps a bulk load's entries in an unsorted pending list, read by every
    /// search until it is merged; it is merged now.
    async fn refresh_directory_statistics(&self) -> Result<(), StoreError> {
        if self.backend == super::Backend::Postgres {
            sqlx::query("ANALYZE programs, program_categories")
                .execute(&self.pool)
                .await?;
            sqlx::query("SELECT gin_clean_pending_list('programs_search_words'::regclass)")
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }
}

async fn write_organization(
    tx: &mut Transaction<'static, Any>,
    source: &str,
    org: &Organization,
    existing: Option<OrganizationId>,
    now: i64,
) -> Result<OrganizationId, StoreError> {
    let id = match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE organizations SET name = $1, description = $2, email = $3, url = $4, updated_at = $5 \
                 WHERE id = $6",
            )
            .bind(&org.name)
            .bind(&org.description)
            .bind(&org.email)
            .bind(&org.url)
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
            rename_programs_of(tx, id, &org.name).await?;
            id
        }
        None => sqlx::query_scalar::<_, OrganizationId>(
            "INSERT INTO organizations (directory_source, hsds_id, name, description, email, url, \
                 created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        )
        .bind(source)
        .bind(&org.hsds_id)
        .bind(&org.name)
        .bind(&org.description)
        .bind(&org.email)
        .bind(&org.url)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?,
    };
    Ok(id)
}

/// Keeps the feed's version of a listing (JSON), over an earlier one when `replace`.
pub(super) async fn keep_feed_version(
    tx: &mut Transaction<'static, Any>,
    program: ProgramId,
    listing_json: &str,
    replace: bool,
) -> Result<(), StoreError> {
    let on_conflict = if replace {
        "DO UPDATE SET listing = excluded.listing"
    } else {
        "DO NOTHING"
    };
    sqlx::query(&format!(
        "INSERT INTO program_feed_versions (program_id, listing) VALUES ($1, $2) \
         ON CONFLICT (program_id) {on_conflict}"
    ))
    .bind(program)
    .bind(listing_json)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Programs show their organisation's name without a join (and are found by it).
pub(super) async fn rename_programs_of(
    tx: &mut Transaction<'static, Any>,
    organization: OrganizationId,
    name: &str,
) -> Result<(), StoreError> {
    let programs = sqlx::query_as::<_, (ProgramId, String, String)>(
        "SELECT id, name, description FROM programs WHERE organization_id = $1",
    )
    .bind(organization)
    .fetch_all(&mut **tx)
    .await?;
    for (program, program_name, description) in programs {
        sqlx::query("UPDATE programs SET organization = $1, search_words = $2 WHERE id = $3")
            .bind(name)
            .bind(listing_words(&program_name, name, &description))
            .bind(program)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The program columns a listing writes, in the order `bind_listing` binds them ($1..$16).
const LISTING_COLUMNS: [&str; 16] = [
    "name",
    "organization",
    "organization_id",
    "description",
    "address",
    "city",
    "state_province",
    "zip",
    "service_area",
    "languages",
    "contact_email",
    "contact_phone",
    "hours",
    "url",
    "eligibility",
    "search_words",
];

type AnyQuery<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds a listing's values for `LISTING_COLUMNS`, so insert and update cannot disagree.
fn bind_listing<'q>(q: AnyQuery<'q>, l: &'q Listing, organization: OrganizationId) -> AnyQuery<'q> {
    q.bind(&l.name)
        .bind(&l.organization.name)
        .bind(organization)
        .bind(&l.description)
        .bind(&l.address)
        .bind(&l.city)
        .bind(&l.state_province)
        .bind(&l.zip)
        .bind(&l.service_area)
        .bind(l.languages.join(","))
        .bind(l.email.as_deref())
        .bind(l.phone.as_deref())
        .bind(&l.hours)
        .bind(&l.url)
        .bind(&l.eligibility)
        .bind(listing_words(&l.name, &l.organization.name, &l.description))
}

async fn insert_program(
    tx: &mut Transaction<'static, Any>,
    source: &str,
    l: &Listing,
    organization: OrganizationId,
    feed_json: &str,
    now: i64,
) -> Result<ProgramId, StoreError> {
    use sqlx::Row;
    let n = LISTING_COLUMNS.len();
    let sql = format!(
        "INSERT INTO programs ({}, service_status, directory_source, hsds_id, created_at, updated_at) \
         VALUES ({}, ${}, ${}, ${}, ${}, ${}) RETURNING id",
        LISTING_COLUMNS.join(", "),
        (1..=n)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 4,
    );
    let row = bind_listing(sqlx::query(&sql), l, organization)
        .bind(l.status)
        .bind(source)
        .bind(&l.hsds_id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
    let id = row.try_get::<ProgramId, _>("id")?;
    keep_feed_version(tx, id, feed_json, true).await?;
    Ok(id)
}

/// Writes a listing's content over a program's and counts the write in its version.
/// With `expected_version`, writes only if no one else wrote since that version was read,
/// and answers whether it wrote.
pub(super) async fn update_program(
    tx: &mut Transaction<'static, Any>,
    id: ProgramId,
    l: &Listing,
    organization: OrganizationId,
    expected_version: Option<i64>,
    now: i64,
) -> Result<bool, StoreError> {
    let n = LISTING_COLUMNS.len();
    let set: Vec<String> = LISTING_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE programs SET {}, service_status = ${}, updated_at = ${}, \
         listing_version = listing_version + 1 WHERE id = ${} AND (${} < 0 OR listing_version = ${})",
        set.join(", "),
        n + 1,
        n + 2,
        n + 3,
        n + 4,
        n + 4,
    );
    let done = bind_listing(sqlx::query(&sql), l, organization)
        .bind(l.status)
        .bind(now)
        .bind(id)
        .bind(expected_version.unwrap_or(-1))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub(super) async fn write_categories(
    tx: &mut Transaction<'static, Any>,
    program: ProgramId,
    categories: &[String],
    replace: bool,
) -> Result<(), StoreError> {
    if replace {
        sqlx::query("DELETE FROM program_categories WHERE program_id = $1")
            .bind(program)
            .execute(&mut **tx)
            .await?;
    }
    for category in categories {
        sqlx::query("INSERT INTO program_categories (program_id, category) VALUES ($1, $2)")
            .bind(program)
            .bind(category)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
