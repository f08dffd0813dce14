//! Organisations as a site administrator manages them: found by name, made, edited and
//! archived in the app. Those a feed brought are changed at their source (the importer
//! writes them); the API refuses to edit them here.

use super::Store;
use super::directory::rename_programs_of;
use super::error::StoreError;
use super::listing_edits::{EditRecord, record_edit_in, set_archived_in};
use super::programs::escape_like;
use crate::error::AppError;
use crate::model::directory::edit::EditKind;
use crate::model::{OrganizationId, ProgramId, UserId};
use crate::server::clock::now_ms;
use sqlx::FromRow;

#[derive(Clone, Debug, FromRow)]
pub struct OrganizationRow {
    pub id: OrganizationId,
    pub name: String,
    pub description: String,
    pub email: String,
    pub url: String,
    /// The feed it came from, if any.
    pub directory_source: Option<String>,
    pub archived_at: Option<i64>,
    pub programs: i64,
}

/// An organisation's details, as an administrator typed them (checked by the caller).
#[derive(Clone, Debug, Default)]
pub struct NewOrganization {
    pub name: String,
    pub description: String,
    pub email: String,
    pub url: String,
}

const ORGANIZATION_SELECT: &str = "SELECT o.id, o.name, o.description, o.email, o.url, o.directory_source, \
     o.archived_at, (SELECT COUNT(*) FROM programs p WHERE p.organization_id = o.id) AS programs \
     FROM organizations o";

impl Store {
    /// Organisations whose name holds `name` (all of them for an empty one), by name.
    pub async fn organizations_named(
        &self,
        name: &str,
        limit: i64,
    ) -> Result<Vec<OrganizationRow>, StoreError> {
        let pattern = format!("%{}%", escape_like(&name.trim().to_lowercase()));
        Ok(sqlx::query_as::<_, OrganizationRow>(&format!(
            "{ORGANIZATION_SELECT} WHERE lower(o.name) LIKE $1 ESCAPE '\\' ORDER BY o.name, o.id LIMIT $2"
        ))
        .bind(pattern)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn organization(
        &self,
        id: OrganizationId,
    ) -> Result<Option<OrganizationRow>, StoreError> {
        Ok(
            sqlx::query_as::<_, OrganizationRow>(&format!("{ORGANIZATION_SELECT} WHERE o.id = $1"))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// (id, name, archived) of an organisation's programs, by name.
    pub async fn programs_of_organization(
        &self,
        id: OrganizationId,
    ) -> Result<Vec<(ProgramId, String, bool)>, StoreError> {
        let rows = sqlx::query_as::<_, (ProgramId, String, Option<i64>)>(
            "SELECT id, name, archived_at FROM programs WHERE organization_id = $1 ORDER BY name, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, archived)| (id, name, archived.is_some()))
            .collect())
    }

    pub async fn create_organization(
        &self,
        o: &NewOrganization,
    ) -> Result<OrganizationId, StoreError> {
        Ok(sqlx::query_scalar::<_, OrganizationId>(
            "INSERT INTO organizations (name, description, email, url, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(&o.name)
        .bind(&o.description)
        .bind(&o.email)
        .bind(&o.url)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    /// Changes an organisation made in the app; its programs show the new name at once.
    pub async fn update_organization(
        &self,
        id: OrganizationId,
        o: &NewOrganization,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE organizations SET name = $1, description = $2, email = $3, url = $4, updated_at = $5 \
             WHERE id = $6 AND directory_source IS NULL",
        )
        .bind(&o.name)
        .bind(&o.description)
        .bind(&o.email)
        .bind(&o.url)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound.into());
        }
        rename_programs_of(&mut tx, id, &o.name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Archives an organisation with every program of it still listed (each one's history
    /// says so), or restores the organisation alone: its programs are listed again one by
    /// one, since some may have been archived for reasons of their own.
    pub async fn set_organization_archived(
        &self,
        id: OrganizationId,
        archived: bool,
        by: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let done = sqlx::query("UPDATE organizations SET archived_at = $1 WHERE id = $2")
            .bind(archived.then_some(now))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound.into());
        }
        if archived {
            let listed = sqlx::query_scalar::<_, ProgramId>(
                "SELECT id FROM programs WHERE organization_id = $1 AND archived_at IS NULL",
            )
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
            for program in listed {
                set_archived_in(&mut tx, program, Some("admin"), now).await?;
                let edit = EditRecord::by_user(EditKind::Archived, by, Vec::new());
                record_edit_in(&mut tx, program, &edit, now).await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
