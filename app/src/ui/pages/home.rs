//! The front page: who you are and where to go next.

use crate::ui::UserResource;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Home() -> impl IntoView {
    let user = expect_context::<UserResource>();
    view! {
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(u)) => {
                        let roles = roles_line(u.groups.len(), u.programs, u.is_site_admin);
                        view! {
                            <h1>{format!("Welcome, {}", u.name)}</h1>
                            <p class="roles">{roles}</p>
                            {(!u.groups.is_empty()).then(|| view! {
                                <p>"Your groups: " {u.groups.join(", ")}</p>
                            })}
                        }.into_any()
                    }
                    Ok(None) => view! {
                        <h1>"Get connected to help"</h1>
                        <p>
                            "Handoff connects people with food, housing, health care and other help, "
                            "and lets everyone follow each referral to the end."
                        </p>
                        <p class="actions">
                            <A href="/login" attr:class="button">"Log in"</A>
                            <A href="/signup" attr:class="button secondary">"Sign up"</A>
                        </p>
                    }.into_any(),
                    Err(e) => view! { <p role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn roles_line(groups: usize, programs: usize, admin: bool) -> String {
    let mut roles = vec!["seeker"];
    if groups > 0 {
        roles.push("helper");
    }
    if programs > 0 {
        roles.push("program staff");
    }
    if admin {
        roles.push("site administrator");
    }
    format!("You are signed in as: {}.", roles.join(", "))
}
