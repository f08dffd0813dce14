//! Status badge and the status form.

use crate::api::referrals::UpdateStatus;
use crate::api::views::ReferralView;
use crate::error::AppError;
use crate::model::{Role, Status, StatusGroup};
use crate::ui::components::form::field_message;
use crate::ui::{use_lang, use_strings};
use leptos::prelude::*;

/// A status as text with a group colour (never colour alone).
#[component]
pub fn StatusBadge(status: Status) -> impl IntoView {
    let class = match status.group() {
        StatusGroup::InProgress => "badge in-progress",
        StatusGroup::GotHelp => "badge got-help",
        StatusGroup::NeedsFurtherAction => "badge needs-action",
    };
    view! { <span class=class>{status.label(use_lang())}</span> }
}

pub fn role_code(role: Role) -> &'static str {
    match role {
        Role::Seeker => "seeker",
        Role::Helper => "helper",
        Role::Program => "program",
    }
}

/// The statuses grouped as users see them, for a `<select>`.
#[component]
pub fn StatusOptions(
    selected: Option<Status>,
    #[prop(optional)] any_label: Option<&'static str>,
    /// Offer "Overdue" (value `overdue`) as a filter, selected if `Some(true)`.
    #[prop(optional)]
    overdue: Option<bool>,
) -> impl IntoView {
    let t = crate::ui::use_strings();
    let lang = use_lang();
    let groups = [
        StatusGroup::InProgress,
        StatusGroup::GotHelp,
        StatusGroup::NeedsFurtherAction,
    ];
    view! {
        {any_label.map(|l| view! { <option value="">{l}</option> })}
        {overdue.map(|selected| view! { <option value=OVERDUE_FILTER selected=selected>{t.filter_overdue}</option> })}
        {groups
            .into_iter()
            .map(|g| {
                view! {
                    <optgroup label=g.label(lang)>
                        {Status::ALL
                            .into_iter()
                            .filter(|s| s.group() == g)
                            .map(|s| view! { <option value=s.as_str() selected=selected == Some(s)>{s.label(lang)}</option> })
                            .collect_view()}
                    </optgroup>
                }
            })
            .collect_view()}
    }
}

/// The status filter's value for "overdue" (`api::dashboards::StatusFilter`).
pub const OVERDUE_FILTER: &str = "overdue";

/// Change a referral's status, with an optional comment that travels with it.
#[component]
pub fn StatusForm(
    referral: ReferralView,
    action: ServerAction<UpdateStatus>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let id = referral.id;
    let select_id = format!("status-{id}");
    let comment_id = format!("comment-{id}");
    let status_error_id = format!("status-{id}-error");
    let status_message = field_message(error, "status");
    let comment_message = field_message(error, "comment");
    let t = use_strings();
    view! {
        <ActionForm action attr:class="status-form">
            <input type="hidden" name="referral" value=id />
            <input type="hidden" name="version" value=referral.version />
            <input type="hidden" name="acting_as" value=role_code(referral.acting_as) />
            <div class="field">
                <label for=select_id.clone()>{t.status_label}</label>
                <select id=select_id name="status"
                    aria-describedby=move || status_message.get().map(|_| status_error_id.clone())>
                    <StatusOptions selected=Some(referral.status) />
                </select>
                <p class="field-error" id=format!("status-{id}-error")>{move || status_message.get()}</p>
            </div>
            <div class="field">
                <label for=comment_id.clone()>{t.status_comment}</label>
                <textarea id=comment_id name="comment" rows="2"
                    aria-invalid=move || comment_message.get().map(|_| "true")></textarea>
                <p class="field-error">{move || comment_message.get()}</p>
            </div>
            <button type="submit" disabled=move || action.pending().get()>{t.status_update}</button>
        </ActionForm>
    }
}
