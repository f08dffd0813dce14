//! Programs and organisations loaded from an HSDS feed: what the database holds from a feed
//! (to plan an import against) and the plan's writes, all in one transaction.

use super::Store;
use super::error::StoreError;
use crate::model::directory::plan::{Existing, ImportPlan};
use crate::model::directory::{Listing, Organization, ServiceStatus};
use crate::model::{OrganizationId, ProgramId};
use sqlx::{Any, FromRow, Transaction};
use std::collections::{BTreeMap, HashMap};

#[derive(FromRow)]
struct FeedRow {
    id: ProgramId,
    hsds_id: String,
    name: String,
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
    org_hsds_id: Option<String>,
    org_name: Option<String>,
    org_description: Option<String>,
    org_email: Option<String>,
    org_url: Option<String>,
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

impl Store {
    /// Every program the database holds from a feed, by HSDS id, as listings (to compare).
    pub async fn feed_listings(
        &self,
        source: &str,
    ) -> Result<BTreeMap<String, Existing>, StoreError> {
        let rows = sqlx::query_as::<_, FeedRow>(
            "SELECT p.id, p.hsds_id, p.name, p.description, p.service_status, p.url, p.contact_email, \
             p.contact_phone, p.address, p.city, p.state_province, p.zip, p.hours, p.languages, \
             p.service_area, p.eligibility, p.archived_at, o.hsds_id AS org_hsds_id, o.name AS org_name, \
             o.description AS org_description, o.email AS org_email, o.url AS org_url \
             FROM programs p LEFT JOIN organizations o ON o.id = p.organization_id \
             WHERE p.directory_source = $1",
        )
        .bind(source)
        .fetch_all(&self.pool)
        .await?;
        let mut categories: HashMap<ProgramId, Vec<String>> = HashMap::new();
        let pairs = sqlx::query_as::<_, (ProgramId, String)>(
            "SELECT c.program_id, c.category FROM program_categories c \
             JOIN programs p ON p.id = c.program_id WHERE p.directory_source = $1",
        )
        .bind(source)
        .fetch_all(&self.pool)
        .await?;
        for (program, category) in pairs {
            categories.entry(program).or_default().push(category);
        }
        Ok(rows
            .into_iter()
            .map(|r| {
                let listing = Listing {
                    hsds_id: r.hsds_id.clone(),
                    name: r.name,
                    description: r.description,
                    status: r.service_status,
                    organization: Organization {
                        hsds_id: r.org_hsds_id.unwrap_or_default(),
                        name: r.org_name.unwrap_or_default(),
                        description: r.org_description.unwrap_or_default(),
                        email: r.org_email.unwrap_or_default(),
                        url: r.org_url.unwrap_or_default(),
                    },
                    url: r.url,
                    email: r.contact_email,
                    phone: r.contact_phone,
                    address: r.address,
                    city: r.city,
                    state_province: r.state_province,
                    zip: r.zip,
                    hours: r.hours,
                    languages: split_languages(&r.languages),
                    service_area: r.service_area,
                    eligibility: r.eligibility,
                    categories: categories.remove(&r.id).unwrap_or_default(),
                }
                .normalized();
                let existing = Existing {
                    id: r.id,
                    listing,
                    archived: r.archived_at.is_some(),
                };
                (r.hsds_id, existing)
            })
            .collect())
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
        let listings = plan
            .create
            .iter()
            .map(|l| (None, l))
            .chain(plan.update.iter().map(|(id, l)| (Some(*id), l)));
        for (program, listing) in listings {
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
            let id = match program {
                None => insert_program(&mut tx, source, listing, organization, now).await?,
                Some(id) => {
                    update_program(&mut tx, id, listing, organization, now).await?;
                    id
                }
            };
            write_categories(&mut tx, id, &listing.categories, program.is_some()).await?;
            done += 1;
            if done % 100 == 0 {
                progress.written(done, total);
            }
        }
        for id in &plan.archive {
            sqlx::query("UPDATE programs SET archived_at = $1 WHERE id = $2")
                .bind(now)
                .bind(*id)
                .execute(&mut *tx)
                .await?;
            done += 1;
        }
        tx.commit().await?;
        progress.written(done, total);
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
            // Programs show their organisation's name without a join.
            sqlx::query("UPDATE programs SET organization = $1 WHERE organization_id = $2")
                .bind(&org.name)
                .bind(id)
                .execute(&mut **tx)
                .await?;
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

async fn insert_program(
    tx: &mut Transaction<'static, Any>,
    source: &str,
    l: &Listing,
    organization: OrganizationId,
    now: i64,
) -> Result<ProgramId, StoreError> {
    Ok(sqlx::query_scalar::<_, ProgramId>(
        "INSERT INTO programs (name, organization, organization_id, description, address, city, \
         state_province, zip, service_area, languages, contact_email, contact_phone, hours, url, \
         eligibility, service_status, directory_source, hsds_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
         RETURNING id",
    )
    .bind(&l.name)
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
    .bind(l.status)
    .bind(source)
    .bind(&l.hsds_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?)
}

async fn update_program(
    tx: &mut Transaction<'static, Any>,
    id: ProgramId,
    l: &Listing,
    organization: OrganizationId,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE programs SET name = $1, organization = $2, organization_id = $3, description = $4, \
         address = $5, city = $6, state_province = $7, zip = $8, service_area = $9, languages = $10, \
         contact_email = $11, contact_phone = $12, hours = $13, url = $14, eligibility = $15, \
         service_status = $16, archived_at = NULL, updated_at = $17 WHERE id = $18",
    )
    .bind(&l.name)
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
    .bind(l.status)
    .bind(now)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn write_categories(
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
