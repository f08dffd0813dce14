pub mod account;
pub mod admin;
pub mod admin_audit;
pub mod admin_directory;
pub mod admin_groups;
pub mod admin_imports;
pub mod connect;
pub mod directory;
pub mod groups;
pub mod home;
pub mod inbound;
pub mod links;
pub mod listing_edit;
pub mod login;
pub mod not_found;
pub mod password;
pub mod people;
pub mod program;
pub mod referrals_for_me;
pub mod reports;
pub mod signup;
pub mod status_link;

use crate::error::AppError;
use crate::ui::use_lang;
use leptos::prelude::*;

/// What a page shows when its data could not be loaded; on the server the page answers
/// with the status the error means (a referral you may not see: 404), where the route has
/// not sent its head yet (`SsrMode::Async` routes).
pub fn error_view(e: AppError) -> AnyView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(e.status()),
    ) {
        response.set_status(status);
    }
    match e {
        AppError::Unauthorized => view! {
            <p role="alert">{e.message(lang)} " " <a href="/login">{lang.strings().log_in}</a></p>
        }
        .into_any(),
        other => view! { <p role="alert">{other.message(lang)}</p> }.into_any(),
    }
}
