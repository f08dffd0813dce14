//! Inbound Referrals: a program's queue, newest first, with the count still "Not updated".

use super::error_view;
use crate::api::dashboards::{inbound, inbound_not_updated};
use crate::i18n::fill;
use crate::model::{ProgramId, Status};
use crate::ui::components::form::{FormAlert, field_message};
use crate::ui::components::referral::{CardTitle, ReferralCard};
use crate::ui::components::status::StatusOptions;
use crate::ui::live::{ChangesWaiting, Waiting};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Inbound() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let page = Resource::new(
        move || {
            (
                param("program"),
                param("status"),
                param("from"),
                param("to"),
                param("before"),
            )
        },
        |(program, status, from, to, before)| {
            inbound(
                program.parse().unwrap_or_default(),
                status,
                from,
                to,
                before,
            )
        },
    );
    let t = use_strings();
    view! {
        <Title text=page_title(t.nav_inbound) />
        <h1>{t.nav_inbound}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let program = p.program_id;
                        let next = p.next.clone().map(|cursor| {
                            format!("/inbound?program={program}&status={}&from={}&to={}&before={cursor}", param("status"), param("from"), param("to"))
                        });
                        let errors = Signal::stored(p.filter_errors.clone());
                        let (from_msg, to_msg) = (field_message(errors, "from"), field_message(errors, "to"));
                        let invalid = |m: Signal<Option<String>>| move || m.get().map(|_| "true");
                        view! {
                            <div class="dashboard">
                            <FormAlert error=errors />
                            <form method="get" action="/inbound" class="search filters">
                                <div class="field">
                                    <label for="program">{t.inbound_program}</label>
                                    <select id="program" name="program">
                                        {p.programs.iter().map(|(id, name)| {
                                            view! { <option value=id.to_string() selected=*id == program>{name.clone()}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="status-filter">{t.status_filter}</label>
                                    <select id="status-filter" name="status">
                                        <StatusOptions selected={param("status").parse::<Status>().ok()} any_label=t.any_status
                                            overdue=param("status") == crate::ui::components::status::OVERDUE_FILTER />
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="from">{t.inbound_from}</label>
                                    <input id="from" name="from" type="date" value=param("from")
                                        aria-invalid=invalid(from_msg) aria-describedby="from-error" />
                                    <p class="field-error" id="from-error">{move || from_msg.get()}</p>
                                </div>
                                <div class="field">
                                    <label for="to">{t.inbound_to}</label>
                                    <input id="to" name="to" type="date" value=param("to")
                                        aria-invalid=invalid(to_msg) aria-describedby="to-error" />
                                    <p class="field-error" id="to-error">{move || to_msg.get()}</p>
                                </div>
                                <button type="submit">{t.inbound_show}</button>
                            </form>
                            <NotUpdatedCount program first=(p.not_updated, p.overdue) />
                            <ChangesWaiting waiting=Waiting::NewReferrals />
                            {if p.referrals.is_empty() {
                                view! { <p>{t.inbound_none}</p> }.into_any()
                            } else {
                                view! {
                                    <div class="referral-grid">
                                        {p.referrals.into_iter().map(|r| view! { <ReferralCard referral=r title=CardTitle::Seeker /> }).collect_view()}
                                    </div>
                                }.into_any()
                            }}
                            {next.map(|href| view! { <p><a href=href>{t.inbound_older}</a></p> })}
                            </div>
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
#[island]
pub fn NotUpdatedCount(program: ProgramId, first: (i64, i64)) -> impl IntoView {
    let live = crate::ui::live::use_live();
    let count = RwSignal::new(first);
    let reread = move || {
        leptos::task::spawn_local(async move {
            if let Ok(n) = inbound_not_updated(program).await {
                count.set(n);
            }
        });
    };
    // Only this program's new referrals and status changes can move its count.
    Effect::new(move |_| {
        if let Some(change) = live.last_event()
            && crate::model::live::count_may_move(&change, program)
        {
            reread();
        }
    });
    // Events were missed (a reconnect): read it again.
    let resynced = StoredValue::new(live.resync_untracked());
    Effect::new(move |_| {
        let resync = live.resync();
        if resync != resynced.get_value() {
            resynced.set_value(resync);
            reread();
        }
    });
    let t = use_strings();
    view! {
        <p class="count" id="not-updated">
            {move || fill(t.inbound_not_updated, &[("count", &count.get().0.to_string())])}
            {move || (count.get().1 > 0).then(|| view! {
                " · "
                <strong class="overdue-count">{fill(t.inbound_overdue_count, &[("count", &count.get().1.to_string())])}</strong>
            })}
        </p>
    }
}
