//! My groups: create one; as an admin, invite and remove members and switch Team Navigation.

use super::error_view;
use crate::api::groups::{
    CreateGroup, GroupView, InviteToGroup, RemoveFromGroup, SetTeamNavigation, my_groups,
};
use crate::i18n::{Strings, fill};
use crate::ui::components::form::{Field, FormAlert, form_error};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Groups() -> impl IntoView {
    let create = ServerAction::<CreateGroup>::new();
    let invite = ServerAction::<InviteToGroup>::new();
    let remove = ServerAction::<RemoveFromGroup>::new();
    let switch = ServerAction::<SetTeamNavigation>::new();
    let groups = Resource::new(
        move || {
            (
                create.version().get(),
                invite.version().get(),
                remove.version().get(),
                switch.version().get(),
            )
        },
        |_| my_groups(),
    );
    let create_error = form_error(create);
    let invite_error = form_error(invite);
    let change_error = Signal::derive(move || {
        form_error(remove)
            .get()
            .or_else(|| form_error(switch).get())
    });
    let t = use_strings();
    view! {
        <Title text=page_title(t.nav_groups) />
        <h1>{t.nav_groups}</h1>
        <FormAlert error=change_error />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(list) => list.into_iter().map(|g| group_card(t, g, invite, remove, switch, invite_error)).collect_view().into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <h2>{t.groups_create}</h2>
        <ActionForm action=create attr:class="stack">
            <FormAlert error=create_error />
            <Field label=t.groups_name name="name" error=create_error />
            <button type="submit">{t.groups_create_button}</button>
        </ActionForm>
    }
}

fn group_card(
    t: &'static Strings,
    g: GroupView,
    invite: ServerAction<InviteToGroup>,
    remove: ServerAction<RemoveFromGroup>,
    switch: ServerAction<SetTeamNavigation>,
    invite_error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let id = g.id;
    let admin = g.i_am_admin;
    view! {
        <section class="card group" aria-labelledby=format!("group-{id}")>
            <h2 id=format!("group-{id}")>{g.name.clone()}</h2>
            <p>
                {if g.team_navigation { t.groups_team_on } else { t.groups_team_off }}
            </p>
            {admin.then(|| view! {
                <ActionForm action=switch attr:class="inline">
                    <input type="hidden" name="group" value=id />
                    <input type="hidden" name="on" value=if g.team_navigation { "off" } else { "on" } />
                    <button type="submit" class="secondary">
                        {if g.team_navigation { t.groups_turn_off } else { t.groups_turn_on }}
                    </button>
                </ActionForm>
            })}
            <h3>{t.groups_members}</h3>
            <ul class="plain members">
                {g.members.into_iter().map(|m| view! {
                    <li>
                        {if m.is_admin {
                            fill(t.groups_member_admin, &[("name", &m.name), ("email", &m.email)])
                        } else {
                            format!("{} ({})", m.name, m.email)
                        }}
                        {admin.then(|| view! {
                            <ActionForm action=remove attr:class="inline">
                                <input type="hidden" name="group" value=id />
                                <input type="hidden" name="member" value=m.user_id />
                                <button type="submit" class="secondary" aria-label=fill(t.groups_remove_named, &[("name", &m.name)])>{t.groups_remove}</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {(!g.invited.is_empty()).then(|| view! { <p>{fill(t.groups_invited, &[("emails", &g.invited.join(", "))])}</p> })}
            {admin.then(|| view! {
                <ActionForm action=invite attr:class="stack">
                    <input type="hidden" name="group" value=id />
                    <Field label=t.groups_invite_email name="email" kind="email" error=invite_error />
                    <button type="submit">{t.groups_invite}</button>
                </ActionForm>
            })}
        </section>
    }
}
