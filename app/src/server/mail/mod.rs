//! Email: what each message says (`compose`), the signed status links in it (`link`), where
//! it goes (`outlet`) and the worker that drains the outbox (`worker`).

pub mod compose;
pub mod link;
pub mod one_time;
pub mod outlet;
pub mod worker;

pub use link::{LinkError, LinkHolder, StatusLink};
pub use worker::{MailSettings, MailWorker};
