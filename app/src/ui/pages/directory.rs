//! Find help: search programs by words, category and ZIP or city. A plain GET form, so it
//! works (and can be bookmarked) without JavaScript.

use super::error_view;
use crate::api::programs::{categories, search_programs};
use crate::i18n::fill;
use crate::model::capacity::Capacity;
use crate::ui::{page_title, use_strings};
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
    let t = use_strings();
    view! {
        <Title text=page_title(t.nav_find_help) />
        <h1>{t.nav_find_help}</h1>
        <form method="get" action="/programs" class="search" role="search">
            <div class="field">
                <label for="q">{t.search}</label>
                <input id="q" name="q" type="search" value=param("q") placeholder=t.dir_search_placeholder />
            </div>
            <div class="field">
                <label for="category">{t.dir_category}</label>
                <select id="category" name="category">
                    <option value="">{t.dir_any_category}</option>
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
                <label for="place">{t.dir_place}</label>
                <input id="place" name="place" value=param("place") autocomplete="postal-code" />
            </div>
            <button type="submit">{t.search}</button>
        </form>
        <Transition fallback=move || view! { <p>{t.dir_searching}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(list) if list.is_empty() => view! { <p>{t.dir_no_match}</p> }.into_any(),
                    Ok(list) => view! {
                        <p class="count">{fill(t.dir_count, &[("count", &list.len().to_string())])}</p>
                        <ul class="cards">
                            {list.into_iter().map(|p| view! {
                                <li class="card">
                                    <h2><a href=format!("/programs/{}", p.id)>{p.name.clone()}</a></h2>
                                    {p.temporarily_closed.then(|| view! {
                                        <p class="badge">{t.dir_temporarily_closed}</p>
                                    })}
                                    {(!p.temporarily_closed && p.capacity != Capacity::Accepting).then(|| view! {
                                        <p class="badge">{t.get(p.capacity.label())}</p>
                                    })}
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
