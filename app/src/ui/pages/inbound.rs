//! Inbound Referrals: a program's queue, newest first, with the count still "Not updated".

use super::error_view;
use crate::api::dashboards::{inbound, inbound_not_updated};
use crate::model::Status;
use crate::ui::components::referral::{CardTitle, ReferralCard};
use crate::ui::components::status::StatusOptions;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Inbound() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let live = crate::ui::live::use_live();
    let page = Resource::new(
        move || {
            (
                param("program"),
                param("status"),
                param("from"),
                param("to"),
                param("before"),
                live.lists(),
            )
        },
        |(program, status, from, to, before, _)| {
            inbound(program.parse().unwrap_or(0), status, from, to, before)
        },
    );
    view! {
        <Title text="Inbound Referrals · Handoff" />
        <h1>"Inbound Referrals"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let program = p.program_id;
                        let next = p.next.clone().map(|cursor| {
                            format!("/inbound?program={program}&status={}&from={}&to={}&before={cursor}", param("status"), param("from"), param("to"))
                        });
                        view! {
                            <form method="get" action="/inbound" class="search filters">
                                <div class="field">
                                    <label for="program">"Program"</label>
                                    <select id="program" name="program">
                                        {p.programs.iter().map(|(id, name)| {
                                            view! { <option value=id.to_string() selected=*id == program>{name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="status-filter">"Status filter"</label>
                                    <select id="status-filter" name="status">
                                        <StatusOptions selected=Status::from_code(&param("status")) any_label="Any status" />
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="from">"From"</label>
                                    <input id="from" name="from" type="date" value=param("from") />
                                </div>
                                <div class="field">
                                    <label for="to">"To"</label>
                                    <input id="to" name="to" type="date" value=param("to") />
                                </div>
                                <button type="submit">"Show"</button>
                            </form>
                            <NotUpdatedCount program first=p.not_updated />
                            {if p.referrals.is_empty() {
                                view! { <p>"No referrals match."</p> }.into_any()
                            } else {
                                p.referrals.into_iter().map(|r| view! { <ReferralCard referral=r title=CardTitle::Seeker /> }).collect_view().into_any()
                            }}
                            {next.map(|href| view! { <p><a href=href>"Older referrals"</a></p> })}
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// The "Not updated" count, kept live: a status change elsewhere re-reads just this number
/// (the cards re-read themselves), so nothing typed on the page is lost.
#[component]
fn NotUpdatedCount(program: i64, first: i64) -> impl IntoView {
    let live = crate::ui::live::use_live();
    let count = RwSignal::new(first);
    let initial = live.tick_untracked();
    Effect::new(move |_| {
        if live.tick() != initial {
            leptos::task::spawn_local(async move {
                if let Ok(n) = inbound_not_updated(program).await {
                    count.set(n);
                }
            });
        }
    });
    view! { <p class="count" id="not-updated">{move || format!("Not updated: {}", count.get())}</p> }
}
