//! Listings changed in the app: edits by administrators and staff, suggestions waiting for
//! an administrator, archiving, and the program's history that records each of them (and
//! what imports change, `store::directory`). Each change and its history row are written
//! in one transaction.

use super::Store;
use super::directory::{FEED_SELECT, FeedRow, update_program, write_categories};
use super::error::StoreError;
use crate::error::AppError;
use crate::i18n::Key;
use crate::model::capacity::Capacity;
use crate::model::directory::Listing;
use crate::model::directory::edit::{
    EditKind, FieldChange, ListingField, SuggestionState, changes, take_fields,
};
use crate::model::directory::plan::Archived;
use crate::model::{ProgramId, UserId};
use crate::server::clock::now_ms;
use sqlx::{Any, FromRow, Transaction};

/// One row of a program's history, about to be written.
#[derive(Clone, Debug)]
pub struct EditRecord {
    pub kind: EditKind,
    pub by: Option<UserId>,
    pub suggestion: Option<i64>,
    /// The feed's source, for a change an import made.
    pub detail: String,
    pub changes: Vec<FieldChange>,
}

impl EditRecord {
    pub fn by_user(kind: EditKind, by: UserId, changes: Vec<FieldChange>) -> Self {
        EditRecord {
            kind,
            by: Some(by),
            suggestion: None,
            detail: String::new(),
            changes,
        }
    }

    pub fn by_feed(kind: EditKind, source: &str, changes: Vec<FieldChange>) -> Self {
        EditRecord {
            kind,
            by: None,
            suggestion: None,
            detail: source.to_string(),
            changes,
        }
    }
}

/// A program as an editor opens it.
#[derive(Clone, Debug)]
pub struct EditableListing {
    pub listing: Listing,
    pub version: i64,
    /// The feed it comes from, if any.
    pub source: Option<String>,
    pub archived: Archived,
}

/// A row of a program's history, as read.
#[derive(Clone, Debug, FromRow)]
pub struct ListingHistoryRow {
    pub kind: EditKind,
    pub edited_by_name: Option<String>,
    pub suggested_by_name: Option<String>,
    /// Set for an accepted suggestion's row (its author may have been anonymous).
    pub suggestion_id: Option<i64>,
    pub detail: String,
    pub changes: String,
    pub created_at: i64,
}

/// A suggestion waiting for an administrator.
#[derive(Clone, Debug, FromRow)]
pub struct SuggestionRow {
    pub id: i64,
    pub program_id: ProgramId,
    pub program_name: String,
    pub suggested_by_name: Option<String>,
    pub suggested_by_email: Option<String>,
    pub proposal: String,
    pub fields: String,
    pub comment: String,
    pub created_at: i64,
}

impl SuggestionRow {
    /// The proposed listing and the fields it changes (rows this code wrote).
    pub fn parts(&self) -> Result<(Listing, Vec<ListingField>), StoreError> {
        let proposal = serde_json::from_str(&self.proposal).map_err(StoreError::inconsistent)?;
        let fields = serde_json::from_str(&self.fields).map_err(StoreError::inconsistent)?;
        Ok((proposal, fields))
    }
}

/// Appends a row to a program's history.
pub(super) async fn record_edit_in(
    tx: &mut Transaction<'static, Any>,
    program: ProgramId,
    edit: &EditRecord,
    now: i64,
) -> Result<(), StoreError> {
    let changes = serde_json::to_string(&edit.changes).map_err(StoreError::inconsistent)?;
    sqlx::query(
        "INSERT INTO program_edits (program_id, kind, edited_by, suggestion_id, detail, changes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(program)
    .bind(edit.kind)
    .bind(edit.by)
    .bind(edit.suggestion)
    .bind(&edit.detail)
    .bind(changes)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Archives a program (`by` is "feed" or "admin") or, with `None`, lists it again.
pub(super) async fn set_archived_in(
    tx: &mut Transaction<'static, Any>,
    program: ProgramId,
    by: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE programs SET archived_at = $1, archived_by = $2 WHERE id = $3")
        .bind(by.map(|_| now))
        .bind(by)
        .bind(program)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn editable_in(
    tx: &mut Transaction<'static, Any>,
    program: ProgramId,
) -> Result<Option<(EditableListing, FeedMeta)>, StoreError> {
    let Some(row) = sqlx::query_as::<_, FeedRow>(&format!("{FEED_SELECT} WHERE p.id = $1"))
        .bind(program)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let categories = sqlx::query_scalar::<_, String>(
        "SELECT category FROM program_categories WHERE program_id = $1 ORDER BY category",
    )
    .bind(program)
    .fetch_all(&mut **tx)
    .await?;
    let meta = FeedMeta {
        organization: row.organization_id().ok_or_else(|| {
            StoreError::inconsistent(format!("program {program} has no organisation"))
        })?,
    };
    let (version, source, archived) = (
        row.listing_version,
        row.directory_source.clone(),
        row.archived(),
    );
    Ok(Some((
        EditableListing {
            listing: row.listing(categories),
            version,
            source,
            archived,
        },
        meta,
    )))
}

struct FeedMeta {
    organization: crate::model::OrganizationId,
}

/// Writes `next` over a program's listing with its history row; `expected_version` (from
/// the editor's form) refuses a write over someone else's newer one. Answers what changed.
async fn save_in(
    tx: &mut Transaction<'static, Any>,
    program: ProgramId,
    expected_version: Option<i64>,
    next: &Listing,
    mut edit: EditRecord,
    now: i64,
) -> Result<Vec<FieldChange>, StoreError> {
    let (current, meta) = editable_in(tx, program).await?.ok_or(AppError::NotFound)?;
    if expected_version.is_some_and(|v| v != current.version) {
        return Err(AppError::field("form", Key::err_listing_changed).into());
    }
    let changed = changes(&current.listing, next);
    if changed.is_empty() {
        return Ok(changed);
    }
    // The first edit of a program imported before feeds' versions were kept: what it holds
    // now is the feed's version, so the next import can tell the edit from the feed.
    if current.source.is_some() {
        let feed = serde_json::to_string(&current.listing).map_err(StoreError::inconsistent)?;
        super::directory::keep_feed_version(tx, program, &feed, false).await?;
    }
    let mut next = next.clone();
    next.organization = current.listing.organization.clone();
    if !update_program(tx, program, &next, meta.organization, expected_version, now).await? {
        return Err(AppError::field("form", Key::err_listing_changed).into());
    }
    write_categories(tx, program, &next.categories, true).await?;
    edit.changes = changed.clone();
    record_edit_in(tx, program, &edit, now).await?;
    Ok(changed)
}

impl Store {
    /// A program's listing as an editor opens it.
    pub async fn editable_listing(
        &self,
        program: ProgramId,
    ) -> Result<Option<EditableListing>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let found = editable_in(&mut tx, program).await?;
        tx.commit().await?;
        Ok(found.map(|(listing, _)| listing))
    }

    /// An administrator's or staff member's edit. Refused (as a form error) when the
    /// listing changed since `version` was read.
    pub async fn save_listing(
        &self,
        program: ProgramId,
        version: i64,
        next: &Listing,
        by: UserId,
    ) -> Result<Vec<FieldChange>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let edit = EditRecord::by_user(EditKind::Edited, by, Vec::new());
        let changed = save_in(&mut tx, program, Some(version), next, edit, now_ms()).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// Says the listing is current: its "last reviewed" date moves, nothing else.
    pub async fn mark_listing_reviewed(
        &self,
        program: ProgramId,
        by: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE programs SET updated_at = $1, listing_version = listing_version + 1 WHERE id = $2",
        )
        .bind(now)
        .bind(program)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound.into());
        }
        let edit = EditRecord::by_user(EditKind::Reviewed, by, Vec::new());
        record_edit_in(&mut tx, program, &edit, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An administrator archives a program (it stays archived whatever its feed says) or
    /// lists it again.
    pub async fn set_program_archived(
        &self,
        program: ProgramId,
        archived: bool,
        by: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let current =
            sqlx::query_scalar::<_, Option<i64>>("SELECT archived_at FROM programs WHERE id = $1")
                .bind(program)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(AppError::NotFound)?;
        if current.is_some() == archived {
            return Ok(());
        }
        set_archived_in(&mut tx, program, archived.then_some("admin"), now).await?;
        let kind = if archived {
            EditKind::Archived
        } else {
            EditKind::Restored
        };
        record_edit_in(
            &mut tx,
            program,
            &EditRecord::by_user(kind, by, Vec::new()),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets whether a program takes referrals now, and the note beside it, with its history.
    pub async fn set_capacity(
        &self,
        program: ProgramId,
        capacity: Capacity,
        note: &str,
        by: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let (was, was_note) = sqlx::query_as::<_, (Capacity, String)>(
            "SELECT capacity, capacity_note FROM programs WHERE id = $1",
        )
        .bind(program)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let mut changed = Vec::new();
        if was != capacity {
            changed.push(FieldChange {
                field: "capacity".into(),
                before: was.as_str().into(),
                after: capacity.as_str().into(),
            });
        }
        if was_note != note {
            changed.push(FieldChange {
                field: "capacity_note".into(),
                before: was_note,
                after: note.into(),
            });
        }
        if changed.is_empty() {
            return Ok(());
        }
        sqlx::query("UPDATE programs SET capacity = $1, capacity_note = $2 WHERE id = $3")
            .bind(capacity)
            .bind(note)
            .bind(program)
            .execute(&mut *tx)
            .await?;
        let edit = EditRecord::by_user(EditKind::Capacity, by, changed);
        record_edit_in(&mut tx, program, &edit, now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A program's history, newest first.
    pub async fn program_history(
        &self,
        program: ProgramId,
        limit: i64,
    ) -> Result<Vec<ListingHistoryRow>, StoreError> {
        Ok(sqlx::query_as::<_, ListingHistoryRow>(
            "SELECT e.kind, u.name AS edited_by_name, su.name AS suggested_by_name, e.suggestion_id, \
             e.detail, e.changes, e.created_at FROM program_edits e \
             LEFT JOIN users u ON u.id = e.edited_by \
             LEFT JOIN listing_suggestions s ON s.id = e.suggestion_id \
             LEFT JOIN users su ON su.id = s.suggested_by \
             WHERE e.program_id = $1 ORDER BY e.id DESC LIMIT $2",
        )
        .bind(program)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Keeps a suggestion for an administrator. `fields` are those `proposal` changes.
    pub async fn create_suggestion(
        &self,
        program: ProgramId,
        by: Option<UserId>,
        proposal: &Listing,
        fields: &[ListingField],
        comment: &str,
    ) -> Result<i64, StoreError> {
        let proposal = serde_json::to_string(proposal).map_err(StoreError::inconsistent)?;
        let fields = serde_json::to_string(fields).map_err(StoreError::inconsistent)?;
        Ok(sqlx::query_scalar::<_, i64>(
            "INSERT INTO listing_suggestions (program_id, suggested_by, proposal, fields, comment, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(program)
        .bind(by)
        .bind(proposal)
        .bind(fields)
        .bind(comment)
        .bind(SuggestionState::Pending)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?)
    }

    /// The suggestions waiting for a decision, oldest first.
    pub async fn pending_suggestions(&self, limit: i64) -> Result<Vec<SuggestionRow>, StoreError> {
        Ok(sqlx::query_as::<_, SuggestionRow>(
            "SELECT s.id, s.program_id, p.name AS program_name, u.name AS suggested_by_name, \
             u.email AS suggested_by_email, s.proposal, s.fields, s.comment, s.created_at \
             FROM listing_suggestions s JOIN programs p ON p.id = s.program_id \
             LEFT JOIN users u ON u.id = s.suggested_by WHERE s.state = $1 ORDER BY s.id LIMIT $2",
        )
        .bind(SuggestionState::Pending)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// An administrator accepts (its fields are written over the listing, as it is now) or
    /// declines a suggestion. A suggestion is decided once.
    pub async fn decide_suggestion(
        &self,
        suggestion: i64,
        accept: bool,
        by: UserId,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let now = now_ms();
        let row = sqlx::query_as::<_, SuggestionRow>(
            "SELECT s.id, s.program_id, p.name AS program_name, u.name AS suggested_by_name, \
             u.email AS suggested_by_email, s.proposal, s.fields, s.comment, s.created_at \
             FROM listing_suggestions s JOIN programs p ON p.id = s.program_id \
             LEFT JOIN users u ON u.id = s.suggested_by WHERE s.id = $1",
        )
        .bind(suggestion)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        let state = if accept {
            SuggestionState::Accepted
        } else {
            SuggestionState::Declined
        };
        // Of two administrators deciding at once, one wins.
        let decided = sqlx::query(
            "UPDATE listing_suggestions SET state = $1, decided_by = $2, decided_at = $3 \
             WHERE id = $4 AND state = $5",
        )
        .bind(state)
        .bind(by)
        .bind(now)
        .bind(suggestion)
        .bind(SuggestionState::Pending)
        .execute(&mut *tx)
        .await?;
        if decided.rows_affected() == 0 {
            return Err(AppError::field("decision", Key::err_suggestion_decided).into());
        }
        if accept {
            let (proposal, fields) = row.parts()?;
            let (current, _) = editable_in(&mut tx, row.program_id)
                .await?
                .ok_or(AppError::NotFound)?;
            let next = take_fields(&current.listing, &proposal, &fields);
            let edit = EditRecord {
                kind: EditKind::Suggestion,
                by: Some(by),
                suggestion: Some(suggestion),
                detail: String::new(),
                changes: Vec::new(),
            };
            save_in(&mut tx, row.program_id, None, &next, edit, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
