//! Site administration: pending program claims.

use super::error_view;
use crate::api::claims::{DecideClaim, pending_claims};
use crate::model::time::format_utc;
use crate::ui::components::form::{FormAlert, form_error};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Admin() -> impl IntoView {
    let decide = ServerAction::<DecideClaim>::new();
    let claims = Resource::new(move || decide.version().get(), |_| pending_claims());
    let error = form_error(decide);
    view! {
        <Title text="Administration · Handoff" />
        <h1>"Pending claims"</h1>
        <FormAlert error />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match claims.await {
                    Ok(list) if list.is_empty() => view! { <p>"No claims are waiting."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="cards">
                            {list.into_iter().map(|c| view! {
                                <li class="card">
                                    <h2>{c.program.clone()}</h2>
                                    <p>{format!("{} ({}) asked on {}", c.claimant, c.claimant_email, format_utc(c.created_at))}</p>
                                    <ActionForm action=decide attr:class="inline">
                                        <input type="hidden" name="claim" value=c.id />
                                        <button type="submit" name="decision" value="approve">"Approve"</button>
                                        " "
                                        <button type="submit" name="decision" value="reject" class="secondary">"Reject"</button>
                                    </ActionForm>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}
