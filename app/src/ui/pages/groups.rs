//! My groups: create one; as an admin, invite and remove members and switch Team Navigation.

use super::error_view;
use crate::api::groups::{
    CreateGroup, GroupView, InviteToGroup, RemoveFromGroup, SetTeamNavigation, my_groups,
};
use crate::ui::components::form::{Field, FormAlert, form_error};
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
    view! {
        <Title text="Groups · Handoff" />
        <h1>"Groups"</h1>
        <FormAlert error=change_error />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(list) => list.into_iter().map(|g| group_card(g, invite, remove, switch, invite_error)).collect_view().into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        <h2>"Create a group"</h2>
        <ActionForm action=create attr:class="stack">
            <FormAlert error=create_error />
            <Field label="Group name" name="name" error=create_error />
            <button type="submit">"Create group"</button>
        </ActionForm>
    }
}

fn group_card(
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
                {if g.team_navigation {
                    "Team Navigation is on: members see and update each other's referrals."
                } else {
                    "Team Navigation is off: members see only their own referrals."
                }}
            </p>
            {admin.then(|| view! {
                <ActionForm action=switch attr:class="inline">
                    <input type="hidden" name="group" value=id />
                    <input type="hidden" name="on" value=if g.team_navigation { "off" } else { "on" } />
                    <button type="submit" class="secondary">
                        {if g.team_navigation { "Turn Team Navigation off" } else { "Turn Team Navigation on" }}
                    </button>
                </ActionForm>
            })}
            <h3>"Members"</h3>
            <ul class="plain members">
                {g.members.into_iter().map(|m| view! {
                    <li>
                        {format!("{} ({}){}", m.name, m.email, if m.is_admin { ", admin" } else { "" })}
                        {admin.then(|| view! {
                            <ActionForm action=remove attr:class="inline">
                                <input type="hidden" name="group" value=id />
                                <input type="hidden" name="member" value=m.user_id />
                                <button type="submit" class="secondary" aria-label=format!("Remove {}", m.name)>"Remove"</button>
                            </ActionForm>
                        })}
                    </li>
                }).collect_view()}
            </ul>
            {(!g.invited.is_empty()).then(|| view! { <p>"Invited: " {g.invited.join(", ")}</p> })}
            {admin.then(|| view! {
                <ActionForm action=invite attr:class="stack">
                    <input type="hidden" name="group" value=id />
                    <Field label="Invite by email" name="email" kind="email" error=invite_error />
                    <button type="submit">"Invite"</button>
                </ActionForm>
            })}
        </section>
    }
}
