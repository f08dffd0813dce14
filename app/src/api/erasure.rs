//! A site administrator erases a person (issue 18, item 5; `Store::erase_person`): their
//! name, contact details and every free text about them, everywhere; the referrals stay,
//! counted in reports. Recorded in `erasures` and the audit trail (an administrator's action).

use crate::error::AppError;
use leptos::prelude::*;

/// Erases person number `person` once `confirm` is ticked; answers how many referrals of
/// theirs were blanked.
#[server(endpoint = "erase_person")]
pub async fn erase_person(person: String, confirm: Option<String>) -> Result<i64, AppError> {
    use crate::i18n::Key;
    use crate::model::PersonId;
    let state = super::request::state()?;
    let admin = super::request::require_user(&state).await?;
    if !admin.is_site_admin() {
        return Err(AppError::Forbidden);
    }
    let id = person
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::field("person", Key::err_audit_number))?;
    if confirm.as_deref() != Some("on") {
        return Err(AppError::field("confirm", Key::err_erase_confirm));
    }
    state
        .store
        .erase_person(
            PersonId(id),
            Some(admin.id),
            "asked of a site administrator",
            crate::server::clock::now_ms(),
        )
        .await?
        .ok_or_else(|| AppError::field("person", Key::err_no_such_person))
}
