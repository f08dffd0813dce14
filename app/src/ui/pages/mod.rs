pub mod admin;
pub mod connect;
pub mod directory;
pub mod groups;
pub mod home;
pub mod inbound;
pub mod links;
pub mod login;
pub mod not_found;
pub mod people;
pub mod program;
pub mod referrals_for_me;
pub mod signup;
pub mod status_link;

use crate::error::AppError;
use leptos::prelude::*;

/// What a page shows when its data could not be loaded.
pub fn error_view(e: AppError) -> AnyView {
    match e {
        AppError::Unauthorized => view! {
            <p role="alert">"Please " <a href="/login">"log in"</a> " to see this page."</p>
        }
        .into_any(),
        other => view! { <p role="alert">{other.to_string()}</p> }.into_any(),
    }
}
