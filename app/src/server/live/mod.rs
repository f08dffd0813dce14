//! Live dashboards: committed changes carried to every instance (`feed`) and out to each
//! signed-in browser that may see them (`stream`, server-sent events).

pub mod feed;
pub mod stream;

pub use crate::model::live::LiveChange;
pub use feed::{CHANNEL_CAPACITY, ChangeSender, LiveFeed};
