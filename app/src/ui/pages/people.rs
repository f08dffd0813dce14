//! People I'm Helping: search and filter the people I (and my team) referred; and one
//! person's profile with every referral, its history and notes.

use super::error_view;
use crate::api::dashboards::{helper_people, person_profile};
use crate::model::{PersonId, Status};
use crate::ui::components::referral::{CardTitle, ReferralCard};
use crate::ui::components::status::{StatusBadge, StatusOptions};
use crate::ui::live::{ChangesWaiting, Waiting};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn People() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let people = Resource::new(
        move || (param("name"), param("status")),
        |(n, s)| helper_people(n, s),
    );
    let t = use_strings();
    view! {
        <Title text=page_title(t.nav_people) />
        <h1>{t.nav_people}</h1>
        <div class="dashboard">
        <p class="actions"><a class="button" href="/programs">{t.people_make_referral}</a></p>
        <form method="get" action="/people" class="search" role="search">
            <div class="field">
                <label for="name">{t.people_name}</label>
                <input id="name" name="name" type="search" value=param("name") />
            </div>
            <div class="field">
                <label for="status-filter">{t.status_filter}</label>
                <select id="status-filter" name="status">
                    <StatusOptions selected={param("status").parse::<Status>().ok()} any_label=t.any_status
                        overdue=param("status") == crate::ui::components::status::OVERDUE_FILTER />
                </select>
            </div>
            <button type="submit">{t.search}</button>
        </form>
        <ChangesWaiting waiting=Waiting::AnyChange />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match people.await {
                    Ok(list) if list.is_empty() => view! { <p>{t.people_none}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards people">
                            {list.into_iter().map(|p| view! {
                                <li class="card">
                                    <h2><a href=format!("/people/{}", p.person_id)>{p.name.clone()}</a></h2>
                                    <ul class="plain">
                                        {p.referrals.into_iter().map(|r| view! {
                                            <li>{r.program_name.clone()} " " <StatusBadge status=r.status /></li>
                                        }).collect_view()}
                                    </ul>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
        </div>
    }
}

#[component]
pub fn PersonProfile() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params.with(|p| {
            p.get("id")
                .and_then(|s| s.parse::<PersonId>().ok())
                .unwrap_or(PersonId(0))
        })
    });
    let profile = Resource::new(move || id.get(), person_profile);
    let t = use_strings();
    view! {
        // Until (or unless) the person is loaded; the route renders in `SsrMode::Async`, so
        // the server's page already carries the person's name in its title.
        <Title text=page_title(t.title_person) />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => view! {
                        <Title text=page_title(&p.name) />
                        <p><a href="/people">{t.people_back}</a></p>
                        <h1>{p.name.clone()}</h1>
                        <h2 class="section">{t.people_referrals}</h2>
                        <ChangesWaiting waiting=Waiting::NewReferrals />
                        <div class="dashboard">
                            <div class="referral-grid">
                                {p.referrals.into_iter().map(|r| view! { <ReferralCard referral=r title=CardTitle::Program /> }).collect_view()}
                            </div>
                        </div>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}
