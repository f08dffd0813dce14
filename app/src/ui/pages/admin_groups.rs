//! The site administrator's groups: every group with its members and admins; Team
//! Navigation, adding an admin, removing a member, renaming, closing; and the record of who
//! did what.

use super::error_view;
use crate::api::groups::{
    AddGroupAdmin, AdminGroupView, CloseGroup, GroupActionView, RemoveFromGroup, RenameGroup,
    SetTeamNavigation, all_groups,
};
use crate::error::AppError;
use crate::i18n::{Strings, fill};
use crate::model::time::format_utc;
use crate::ui::components::form::form_error;
use crate::ui::{page_title, use_lang, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;

#[derive(Clone, Copy)]
struct Actions {
    switch: ServerAction<SetTeamNavigation>,
    add_admin: ServerAction<AddGroupAdmin>,
    remove: ServerAction<RemoveFromGroup>,
    rename: ServerAction<RenameGroup>,
    close: ServerAction<CloseGroup>,
}

#[component]
pub fn AdminGroups() -> impl IntoView {
    let a = Actions {
        switch: ServerAction::new(),
        add_admin: ServerAction::new(),
        remove: ServerAction::new(),
        rename: ServerAction::new(),
        close: ServerAction::new(),
    };
    let groups = Resource::new(
        move || {
            (
                a.switch.version().get(),
                a.add_admin.version().get(),
                a.remove.version().get(),
                a.rename.version().get(),
                a.close.version().get(),
            )
        },
        |_| all_groups(),
    );
    // One error line for the whole page: each action names its group in the result.
    let (switch_e, add_e, remove_e, rename_e, close_e) = (
        form_error(a.switch),
        form_error(a.add_admin),
        form_error(a.remove),
        form_error(a.rename),
        form_error(a.close),
    );
    let error = Signal::derive(move || {
        switch_e
            .get()
            .or_else(|| add_e.get())
            .or_else(|| rename_e.get())
            .or_else(|| remove_e.get())
            .or_else(|| close_e.get())
    });
    let t = use_strings();
    view! {
        <Title text=page_title(t.admin_groups_title) />
        <h1>{t.admin_groups_title}</h1>
        <ActionErrors error />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok((list, actions)) => view! {
                        {list.into_iter().map(|g| group_card(t, g, a)).collect_view()}
                        <ActionLog actions />
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

fn group_card(t: &'static Strings, g: AdminGroupView, a: Actions) -> impl IntoView {
    let id = g.id;
    let (heading, labelled) = (format!("admin-group-{id}"), format!("admin-group-{id}"));
    let name = g.name.clone();
    let (switch_label, close_label) = (
        fill(
            if g.team_navigation {
                t.admin_group_turn_off
            } else {
                t.admin_group_turn_on
            },
            &[("group", &name)],
        ),
        fill(t.admin_group_close_named, &[("group", &name)]),
    );
    if g.closed {
        return view! {
            <section class="card group" aria-labelledby=labelled>
                <h2 id=heading>{name}</h2>
                <p>{t.admin_group_closed}</p>
            </section>
        }
        .into_any();
    }
    view! {
        <section class="card group" aria-labelledby=labelled>
            <h2 id=heading>{name.clone()}</h2>
            <p>{if g.team_navigation { t.groups_team_on } else { t.groups_team_off }}</p>
            <ActionForm action=a.switch attr:class="inline">
                <input type="hidden" name="group" value=id />
                <input type="hidden" name="on" value=if g.team_navigation { "off" } else { "on" } />
                <button type="submit" class="secondary"
                    aria-label=switch_label>
                    {if g.team_navigation { t.groups_turn_off } else { t.groups_turn_on }}
                </button>
            </ActionForm>
            <h3>{t.groups_members}</h3>
            <ul class="plain members">
                {g.members.into_iter().map(|m| view! {
                    <li>
                        {if m.is_admin {
                            fill(t.groups_member_admin, &[("name", &m.name), ("email", &m.email)])
                        } else {
                            format!("{} ({})", m.name, m.email)
                        }}
                        " "
                        <ActionForm action=a.remove attr:class="inline">
                            <input type="hidden" name="group" value=id />
                            <input type="hidden" name="member" value=m.user_id />
                            <button type="submit" class="secondary" aria-label=fill(t.groups_remove_named, &[("name", &m.name)])>{t.groups_remove}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            // Every card has these fields: their ids carry the group's, so each label names
            // its own field. Their errors show at the top of the page.
            <ActionForm action=a.add_admin attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="group" value=id />
                <div class="field">
                    <label for=format!("admin-email-{id}")>{t.admin_group_add_admin}</label>
                    <input id=format!("admin-email-{id}") name="email" type="email" autocomplete="off" />
                </div>
                <button type="submit">{t.admin_group_add_admin_button}</button>
            </ActionForm>
            <ActionForm action=a.rename attr:class="stack" attr:novalidate=true>
                <input type="hidden" name="group" value=id />
                <div class="field">
                    <label for=format!("rename-{id}")>{t.admin_group_new_name}</label>
                    <input id=format!("rename-{id}") name="name" type="text" value=name />
                </div>
                <button type="submit" class="secondary">{t.admin_group_rename}</button>
            </ActionForm>
            <ActionForm action=a.close attr:class="inline">
                <input type="hidden" name="group" value=id />
                <button type="submit" class="secondary" aria-label=close_label>{t.admin_group_close}</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// The last action's error, in words: the fields of this page's forms repeat on every
/// card, so each field's message is said here, where it is announced.
#[component]
fn ActionErrors(error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        error.get().map(|e| match &e {
            AppError::Validation(fields) => fields
                .iter()
                .map(|f| f.message.render(lang))
                .collect::<Vec<_>>()
                .join(" "),
            other => other.message(lang),
        })
    };
    view! {
        <div class="form-alert" role="alert">
            {move || text().map(|t| view! { <p>{t}</p> })}
        </div>
    }
}

#[component]
fn ActionLog(actions: Vec<GroupActionView>) -> impl IntoView {
    let t = use_strings();
    view! {
        <section aria-labelledby="group-actions">
            <h2 id="group-actions">{t.admin_group_log}</h2>
            {if actions.is_empty() {
                view! { <p>{t.admin_group_log_empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain">
                        {actions.into_iter().map(|a| {
                            let what = match a.action.as_str() {
                                "team_navigation_on" => t.admin_log_team_on,
                                "team_navigation_off" => t.admin_log_team_off,
                                "removed" => t.admin_log_removed,
                                "admin_added" => t.admin_log_admin_added,
                                "renamed" => t.admin_log_renamed,
                                "closed" => t.admin_log_closed,
                                _ => t.admin_log_invited,
                            };
                            let target = a.target.clone().unwrap_or_else(|| a.detail.clone());
                            view! {
                                <li>
                                    {format_utc(a.at)} ": "
                                    {fill(what, &[("who", &a.actor), ("group", &a.group), ("whom", &target)])}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
