//! Server functions: thin. Read the session, ask the model's rule, call the store, return a
//! wire type. One file per feature.

pub mod account;
pub mod accounts;
pub mod audit;
#[cfg(feature = "ssr")]
mod build;
pub mod claims;
pub mod connect;
pub mod dashboards;
pub mod directory_imports;
pub mod erasure;
pub mod forms;
pub mod groups;
pub mod language;
pub mod listings;
pub mod organizations;
pub mod outbox;
pub mod programs;
pub mod referrals;
pub mod reports;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
mod session;
pub mod status_link;
pub mod views;

pub use accounts::{CurrentUser, LogIn, LogOut, SignUp, current_user};
