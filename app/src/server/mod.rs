//! The server side of the app: everything that does I/O. Compiled only with `ssr`.

pub mod application;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod config;
pub mod connections;
pub mod demo;
pub mod forms;
pub mod hsds;
pub mod http;
pub mod identity;
pub mod language;
pub mod live;
pub mod mail;
pub mod metrics;
pub mod operator;
pub mod report_export;
pub mod reports;
pub mod schedule;
pub mod security_headers;
pub mod state;
pub mod store;
pub mod stylesheet;
pub mod tokens;
pub mod tracing_layer;

pub use application::{Application, Mail};
pub use config::Config;
pub use state::AppState;
pub use store::Store;
