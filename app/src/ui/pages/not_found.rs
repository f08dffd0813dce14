use crate::ui::{page_title, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let t = use_strings();
    view! {
        <Title text=page_title(t.not_found_title) />
        <h1>{t.not_found_heading}</h1>
        <p><a href="/">{t.not_found_home}</a></p>
    }
}
