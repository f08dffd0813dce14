//! Server side: turning store rows into wire types, through the access rules.

use super::views::{HistoryEntry, HistoryKind, ReferralView, SeekerContact};
use crate::error::AppError;
use crate::model::ReferralId;
use crate::model::{ChangeKind, Relations, Role};
use crate::server::Store;
use crate::server::store::{HistoryRow, ReferralListRow};
use std::collections::HashMap;

fn history_entry(row: HistoryRow) -> Result<HistoryEntry, AppError> {
    let kind = match row.kind {
        ChangeKind::Created => HistoryKind::Created,
        ChangeKind::Status => match (row.from_status, row.to_status) {
            (Some(from), Some(to)) => HistoryKind::StatusChanged {
                from,
                to,
                comment: row.body,
            },
            _ => {
                return Err(AppError::internal(format!(
                    "status change {} without its statuses",
                    row.id
                )));
            }
        },
        ChangeKind::Note => HistoryKind::Note {
            text: row.body.unwrap_or_default(),
        },
        ChangeKind::Seen => HistoryKind::Seen,
        ChangeKind::ConsentWithdrawn => HistoryKind::ConsentWithdrawn,
        ChangeKind::ConsentGiven => HistoryKind::ConsentGiven,
        ChangeKind::StillWaiting => HistoryKind::StillWaiting,
    };
    Ok(HistoryEntry {
        id: row.id,
        kind,
        who: row.actor_label,
        at: row.at,
    })
}

/// The view of one referral for a viewer with these relations, acting in `role`. Notes and
/// contact details are included only where the rules allow.
pub fn referral_view(
    row: ReferralListRow,
    history: Vec<HistoryRow>,
    relations: Relations,
    role: Role,
) -> Result<ReferralView, AppError> {
    let facts = row.facts();
    let contact = if relations.may_read_contact_details_as(role, facts.contact_preference) {
        SeekerContact::Shown {
            email: row.contact_email,
            phone: row.contact_phone,
        }
    } else {
        SeekerContact::Withheld
    };
    let history = history
        .into_iter()
        .filter(|h| h.kind != ChangeKind::Note || relations.may_read_notes())
        .map(history_entry)
        .collect::<Result<Vec<_>, _>>()?;
    let withdrawn = row.consent_withdrawn_at.is_some();
    let standing = crate::model::Standing {
        status: row.status,
        version: row.version,
        has_referrer: row.referrer_id.is_some(),
        contact_preference: facts.contact_preference,
    };
    let consent_may = |withdraw: bool| {
        relations.holds(role)
            && crate::model::change::change_consent(withdrawn, withdraw, role, &standing).is_ok()
    };
    Ok(ReferralView {
        overdue: crate::model::follow_up::is_overdue(
            row.status,
            row.overdue_at,
            crate::server::clock::now_ms(),
        ),
        seen_at: row.seen_at,
        consent_withdrawn_at: row.consent_withdrawn_at,
        may_withdraw_consent: consent_may(true),
        may_give_consent: consent_may(false),
        id: row.id,
        version: row.version,
        status: row.status,
        program_id: row.program_id,
        program_name: row.program_name,
        program_organization: row.program_organization,
        person_id: row.person_id,
        seeker_name: format!("{} {}", row.first_name, row.last_name),
        referred_by: row.referrer_name.map(|name| match row.group_name {
            Some(group) => format!("{name}, {group}"),
            None => name,
        }),
        referrer_id: row.referrer_id,
        contact_preference: facts.contact_preference,
        contact,
        language: row.language,
        comments: row.comments,
        created_at: row.created_at,
        updated_at: row.updated_at,
        history,
        can_add_note: relations.may_add_note(),
        acting_as: role,
    })
}

/// Views of many rows for one viewer: rows the viewer may not see (or not in `role`, when
/// given) are dropped; histories are read in one query.
pub async fn referral_views(
    store: &Store,
    viewer: &crate::model::Viewer,
    rows: Vec<ReferralListRow>,
    role: Option<Role>,
) -> Result<Vec<ReferralView>, AppError> {
    let mut allowed = Vec::new();
    for row in rows {
        let relations = Relations::of(Some(viewer), &row.facts());
        if let Some(acting) = relations.acting_role(role) {
            allowed.push((row, relations, acting));
        }
    }
    let ids: Vec<ReferralId> = allowed.iter().map(|(r, _, _)| r.id).collect();
    let mut histories: HashMap<ReferralId, Vec<HistoryRow>> = HashMap::new();
    for h in store.histories(&ids).await? {
        histories.entry(h.referral_id).or_default().push(h);
    }
    let views = allowed
        .into_iter()
        .map(|(row, relations, acting)| {
            let history = histories.remove(&row.id).unwrap_or_default();
            referral_view(row, history, relations, acting)
        })
        .collect::<Result<Vec<_>, _>>()?;
    // Whoever is shown a seeker's email or phone, the audit trail knows it.
    let shown: Vec<ReferralId> = views
        .iter()
        .filter(|v| matches!(v.contact, SeekerContact::Shown { .. }))
        .map(|v| v.id)
        .collect();
    super::audit::contact_shown(
        store,
        Some(viewer.user),
        "",
        &shown,
        &super::audit::request_place(),
    )
    .await?;
    Ok(views)
}
