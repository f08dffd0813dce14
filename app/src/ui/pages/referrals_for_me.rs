//! Referrals For Me: the seeker's referrals, grouped by who made them ("Me" for my own).
//! Each group is a disclosure: the referrer's name opens every program they referred me to.

use super::error_view;
use crate::api::dashboards::my_referrals;
use crate::api::views::ReferralView;
use crate::ui::components::referral::{CardTitle, ReferralCard};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReferralsForMe() -> impl IntoView {
    let live = crate::ui::live::use_live();
    let referrals = Resource::new(move || live.lists(), |_| my_referrals());
    view! {
        <Title text="Referrals For Me · Handoff" />
        <h1>"Referrals For Me"</h1>
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match referrals.await {
                    Ok(list) if list.is_empty() => view! {
                        <p>"No referrals yet. " <a href="/programs">"Find help"</a></p>
                    }.into_any(),
                    Ok(list) => grouped(list).into_iter().map(|(by, items)| view! {
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
fn grouped(list: Vec<ReferralView>) -> Vec<(String, Vec<ReferralView>)> {
    let mut groups: Vec<(String, Vec<ReferralView>)> = Vec::new();
    for r in list {
        let by = r.referred_by.clone().unwrap_or_else(|| "Me".into());
        match groups.iter_mut().find(|(name, _)| *name == by) {
            Some((_, items)) => items.push(r),
            None => groups.push((by, vec![r])),
        }
    }
    groups
}
