//! Live updates (SPEC: real time): what the server tells an open dashboard when a referral
//! it may show changes. Deliberately small, the kind of change and ids: the dashboard then
//! re-reads through the server functions, so every read is authorized again.

use super::ReferralId;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Status,
    Note,
}

impl ChangeKind {
    /// The referral history's `kind` column, and the SSE event name.
    pub fn code(self) -> &'static str {
        match self {
            ChangeKind::Created => "created",
            ChangeKind::Status => "status",
            ChangeKind::Note => "note",
        }
    }

    pub fn from_code(code: &str) -> Option<ChangeKind> {
        [ChangeKind::Created, ChangeKind::Status, ChangeKind::Note]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// One change. `seq` is the referral history row's id: increasing, durable, so a client
/// that reconnects says the last one it saw and is sent what it missed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub referral: ReferralId,
    pub kind: ChangeKind,
}

/// The SSE event that tells a client it missed too much to catch up: re-read everything.
pub const REFETCH_EVENT: &str = "refetch";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for k in [ChangeKind::Created, ChangeKind::Status, ChangeKind::Note] {
            assert_eq!(ChangeKind::from_code(k.code()), Some(k));
        }
        assert_eq!(ChangeKind::from_code("refetch"), None);
    }
}
