//! Referrals For Me: the seeker's referrals, grouped by who made them ("Me" for my own).
//! Each group is a disclosure: the referrer's name opens every program they referred me to.

use super::error_view;
use crate::api::dashboards::my_referrals;
use crate::api::views::ReferralView;
use crate::ui::components::referral::{CardTitle, ReferralCard};
use crate::ui::live::{ChangesWaiting, Waiting};
use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReferralsForMe() -> impl IntoView {
    let referrals = Resource::new(|| (), |_| my_referrals());
    let t = use_strings();
    view! {
        <Title text=page_title(t.nav_referrals_for_me) />
        <h1>{t.nav_referrals_for_me}</h1>
        <ChangesWaiting waiting=Waiting::NewReferrals />
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match referrals.await {
                    Ok(list) if list.is_empty() => view! {
                        <p>{t.rfm_none} " " <a href="/programs">{t.nav_find_help}</a></p>
                    }.into_any(),
                    Ok(list) => grouped(list, t.rfm_me).into_iter().map(|(by, items)| view! {
                        <details class="referrer" open=true>
                            <summary>
                                <span class="referrer-name">{by}</span>
                                {format!(" ({})", items.len())}
                            </summary>
                            {items.into_iter().map(|r| view! { <ReferralCard referral=r title=CardTitle::Program /> }).collect_view()}
                        </details>
                    }).collect_view().into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// Groups by referrer in order of each group's newest referral; self-referrals under "Me".
fn grouped(list: Vec<ReferralView>, me: &str) -> Vec<(String, Vec<ReferralView>)> {
    let mut groups: Vec<(String, Vec<ReferralView>)> = Vec::new();
    for r in list {
        let by = r.referred_by.clone().unwrap_or_else(|| me.into());
        match groups.iter_mut().find(|(name, _)| *name == by) {
            Some((_, items)) => items.push(r),
            None => groups.push((by, vec![r])),
        }
    }
    groups
}
