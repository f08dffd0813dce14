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

/// Whether an open stream with these relations to the change's referral is told of it: only
/// who may see the referral, and of a note only who may read notes (a seeker's stream never
/// learns that a note was written).
pub fn may_hear_of(relations: super::Relations, kind: ChangeKind) -> bool {
    match kind {
        ChangeKind::Note => relations.may_read_notes(),
        ChangeKind::Created | ChangeKind::Status => relations.may_see(),
    }
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

    #[test]
    fn a_seeker_hears_of_statuses_and_new_referrals_but_never_of_notes() {
        use crate::model::Relations;
        let seeker = Relations {
            seeker: true,
            ..Relations::default()
        };
        let staff = Relations {
            program_staff: true,
            ..Relations::default()
        };
        let stranger = Relations::default();
        for kind in [ChangeKind::Created, ChangeKind::Status] {
            assert!(may_hear_of(seeker, kind));
            assert!(may_hear_of(staff, kind));
            assert!(!may_hear_of(stranger, kind));
        }
        assert!(!may_hear_of(seeker, ChangeKind::Note));
        assert!(may_hear_of(staff, ChangeKind::Note));
        assert!(!may_hear_of(stranger, ChangeKind::Note));
    }
}
