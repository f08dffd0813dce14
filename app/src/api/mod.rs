//! Server functions: thin. Read the session, ask the model's rule, call the store, return a
//! wire type. One file per feature.

pub mod accounts;
pub mod forms;
#[cfg(feature = "ssr")]
pub mod request;

pub use accounts::{CurrentUser, LogIn, LogOut, SignUp, current_user};
