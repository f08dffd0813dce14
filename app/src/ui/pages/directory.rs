//! Find help: search programs by words, category and ZIP or city. A plain GET form, so it
//! works (and can be bookmarked) without JavaScript.

use super::error_view;
use crate::api::programs::{categories, search_programs};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Directory() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let results = Resource::new(
        move || (param("q"), param("category"), param("place")),
        |(q, c, p)| search_programs(q, c, p),
    );
    let cats = Resource::new(|| (), |_| categories());
    view! {
        <Title text="Find help · Handoff" />
        <h1>"Find help"</h1>
        <form method="get" action="/programs" class="search" role="search">
            <div class="field">
                <label for="q">"Search"</label>
                <input id="q" name="q" type="search" value=param("q") placeholder="food, rent, clinic…" />
            </div>
            <div class="field">
                <label for="category">"Category"</label>
                <select id="category" name="category">
                    <option value="">"Any category"</option>
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let chosen = param("category");
                            cats.await.unwrap_or_default().into_iter().map(|c| {
                                let selected = c == chosen;
                                view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                            }).collect_view()
                        })}
                    </Transition>
                </select>
            </div>
            <div class="field">
                <label for="place">"ZIP or city"</label>
                <input id="place" name="place" value=param("place") autocomplete="postal-code" />
            </div>
            <button type="submit">"Search"</button>
        </form>
        <Transition fallback=|| view! { <p>"Searching…"</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(list) if list.is_empty() => view! { <p>"No programs match. Try fewer words or another place."</p> }.into_any(),
                    Ok(list) => view! {
                        <p class="count">{format!("{} programs", list.len())}</p>
                        <ul class="cards">
                            {list.into_iter().map(|p| view! {
                                <li class="card">
                                    <h2><a href=format!("/programs/{}", p.id)>{p.name.clone()}</a></h2>
                                    <p class="org">{p.organization.clone()}</p>
                                    <p>{p.description.clone()}</p>
                                    <p class="meta">{format!("{} {} · {}", p.city, p.zip, p.categories.join(", "))}</p>
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
