//! Live updates (SPEC: real time): what the server tells an open dashboard when a referral
//! it may show changes. Deliberately small, the kind of change and ids: the dashboard then
//! re-reads through the server functions, so every read is authorized again.

use super::{ProgramId, ReferralId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Created,
    Status,
    Note,
    /// The first time the program's staff opened it: not a status, no email.
    Seen,
    /// The seeker (or a helper they asked) withdrew consent to share contact details.
    ConsentWithdrawn,
    /// The seeker gave that consent again: a new act, recorded.
    ConsentGiven,
    /// The seeker answered a check-in "still waiting": not a status.
    StillWaiting,
}

// The referral history's `kind` column, and the SSE event name.
super::codes::text_codes!(ChangeKind {
    Created => "created",
    Status => "status",
    Note => "note",
    Seen => "seen",
    ConsentWithdrawn => "consent_withdrawn",
    ConsentGiven => "consent_given",
    StillWaiting => "still_waiting",
});

/// One change. `seq` is the referral history row's id: increasing, durable, so a client
/// that reconnects says the last one it saw and is sent what it missed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub referral: ReferralId,
    pub kind: ChangeKind,
    /// The referral's version as the change left it (as it is now, when replayed).
    pub version: i64,
    /// The referral's program: a program's "Not updated" count re-reads only for its own.
    pub program: ProgramId,
}

/// A change with the facts that decide who may hear of it, so each open stream can filter
/// with the pure access rules and no query of its own.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveChange {
    pub change: Change,
    pub facts: super::ReferralFacts,
}

/// Whether a card showing a referral at `shown_version` must read it again after `change`:
/// not for a status change it already shows (the one its own form made, answered with the
/// new version); always for a note, which leaves the version as it was.
pub fn card_must_reread(change: &Change, shown_version: i64) -> bool {
    match change.kind {
        ChangeKind::Status => change.version > shown_version,
        // Consent changes what the program's card may show; the others add to its history.
        ChangeKind::Note
        | ChangeKind::Created
        | ChangeKind::Seen
        | ChangeKind::ConsentWithdrawn
        | ChangeKind::ConsentGiven
        | ChangeKind::StillWaiting => true,
    }
}

/// Whether a program's "Not updated" count may have moved: a new referral to it, or a
/// status change of one of its referrals.
pub fn count_may_move(change: &Change, program: ProgramId) -> bool {
    change.program == program && matches!(change.kind, ChangeKind::Status | ChangeKind::Created)
}

/// Whether an open stream with these relations to the change's referral is told of it: only
/// who may see the referral, and of a note only who may read notes (a seeker's stream never
/// learns that a note was written).
pub fn may_hear_of(relations: super::Relations, kind: ChangeKind) -> bool {
    match kind {
        ChangeKind::Note => relations.may_read_notes(),
        ChangeKind::Created
        | ChangeKind::Status
        | ChangeKind::Seen
        | ChangeKind::ConsentWithdrawn
        | ChangeKind::ConsentGiven
        | ChangeKind::StillWaiting => relations.may_see(),
    }
}

/// The SSE event that tells a client it missed too much to catch up: re-read everything.
pub const REFETCH_EVENT: &str = "refetch";

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: ChangeKind, version: i64, program: i64) -> Change {
        Change {
            seq: 9,
            referral: ReferralId(1),
            kind,
            version,
            program: ProgramId(program),
        }
    }

    #[test]
    fn a_card_rereads_only_what_it_does_not_show_yet() {
        // The card that made the change already shows version 3.
        assert!(!card_must_reread(&change(ChangeKind::Status, 3, 1), 3));
        assert!(!card_must_reread(&change(ChangeKind::Status, 2, 1), 3));
        // Another card still at 2.
        assert!(card_must_reread(&change(ChangeKind::Status, 3, 1), 2));
        // Notes leave the version alone: always read.
        assert!(card_must_reread(&change(ChangeKind::Note, 3, 1), 3));
    }

    #[test]
    fn a_programs_count_moves_only_with_its_own_referrals() {
        assert!(count_may_move(
            &change(ChangeKind::Status, 2, 7),
            ProgramId(7)
        ));
        assert!(count_may_move(
            &change(ChangeKind::Created, 1, 7),
            ProgramId(7)
        ));
        assert!(!count_may_move(
            &change(ChangeKind::Status, 2, 8),
            ProgramId(7)
        ));
        assert!(!count_may_move(
            &change(ChangeKind::Note, 2, 7),
            ProgramId(7)
        ));
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
