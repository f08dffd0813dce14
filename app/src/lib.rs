//! Handoff: a closed-loop referral system for social care.
//!
//! - `model`: the typed referral model and the SPEC's rules, pure and shared.
//! - `api`: server functions (thin: session, rule, store, wire type).
//! - `server` (`ssr` only): store, auth, configuration, demo data.
//! - `ui`: pages and components, rendered on the server and hydrated in the browser.
//! - `error`: the one application error type.
//! - `i18n`: English and Spanish, every sentence in one catalog.

pub mod api;
pub mod error;
pub mod i18n;
pub mod model;
#[cfg(feature = "ssr")]
pub mod server;
pub mod ui;

pub use ui::{App, shell};
