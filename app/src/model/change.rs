//! Every change as one pure decision: given what the store loaded, what to write (the
//! history row and its label, the counter delta, the event whose emails to queue) or why
//! not. The store loads, calls one function here, and applies the answer in one
//! transaction; no rule about a change lives in the store or the API.
//!
//! - a status change (dashboard or email link): `change_status`
//! - a note: `add_note`
//! - a new referral (Connect form, helper or self): `create_referral`
//! - accepting an invitation: `accept_invitation`
//! - deciding a claim: `decide_claim`

use super::live::ChangeKind;
use super::notify::{Event, NotifyFacts, notifications_for};
use super::{ContactPreference, NoteText, PersonName, Role, Status, UserId};
use crate::i18n::{Key, Msg};

/// Who made a change, frozen into the history as it was at the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// `None` for someone acting through an email link without an account (an unclaimed
    /// program's listed address).
    pub user: Option<UserId>,
    pub role: Role,
    /// "First name, last initial, organisation", e.g. "Ana P., Eastside Food Bank".
    pub label: String,
}

/// How someone is named in a referral's history: first name and last initial, and the
/// organisation they act for (the referral's group for a helper, the program's
/// organisation for staff; nothing more for a seeker).
pub fn actor_label(name: &str, role: Role, group: Option<&str>, program_org: &str) -> String {
    let short = short_name(name);
    let organisation = match role {
        Role::Seeker => None,
        Role::Helper => group,
        Role::Program => Some(program_org),
    };
    match organisation {
        Some(org) => format!("{short}, {org}"),
        None => short,
    }
}

/// An unclaimed program acting through the link sent to its listed address: no person to
/// name, so the organisation, and how it acted.
pub fn listed_email_label(program_org: &str) -> String {
    format!("{program_org} (by email link)")
}

/// "Ana P." for "Ana Pérez"; a name that does not parse is shown as written.
pub fn short_name(name: &str) -> String {
    PersonName::parse(name)
        .map(|n| n.first_name_last_initial())
        .unwrap_or_else(|_| name.to_string())
}

/// A referral as it stands, as far as a change needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub status: Status,
    pub version: i64,
    /// Made by a helper (`true`) or by the seeker for themselves.
    pub has_referrer: bool,
    pub contact_preference: ContactPreference,
}

/// The history row a change appends (its actor is the change's `Actor`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub kind: ChangeKind,
    pub from: Option<Status>,
    pub to: Option<Status>,
    pub body: Option<String>,
}

/// What one change to a referral writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub history: HistoryEntry,
    /// The referral's status and version once written (unchanged by a note).
    pub status: Status,
    pub version: i64,
    /// How the program's "Not updated" count moves: -1, 0 or +1.
    pub not_updated_delta: i64,
    /// The event whose emails are queued; `None` when it can email nobody, so the store
    /// does not look up any address.
    pub notify: Option<Event>,
}

/// Why a change was refused, as the user is told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Someone changed the referral since the user saw it (409): the message names the
    /// status it has now.
    Stale {
        now: Status,
    },
    /// The referral already has the status asked for (422, next to the status field).
    AlreadyAt(Status),
    /// An invitation that expired, was used, or never existed.
    InvitationGone,
    /// An invitation for another address (or one not confirmed yet).
    InvitationForOther {
        invited: String,
    },
    /// A claim already decided (or whose claimant's account is disabled).
    ClaimDecided,
    ClaimExpired,
    /// Another claim on the program was approved first.
    ClaimedByOther,
    /// Consent is already withdrawn (or already given): nothing to record.
    ConsentUnchanged,
    /// Only the seeker gives consent again, and the program neither withdraws nor gives it.
    ConsentNotYours,
}

impl Refusal {
    /// The field the refusal belongs next to, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Refusal::AlreadyAt(_) => Some("status"),
            _ => None,
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            Refusal::Stale { now } => {
                Msg::new(Key::err_status_changed_meanwhile).with_word("status", now.key())
            }
            Refusal::AlreadyAt(status) => {
                Msg::new(Key::err_status_already).with_word("status", status.key())
            }
            Refusal::InvitationGone => Key::err_invitation_expired.into(),
            Refusal::InvitationForOther { invited } => {
                Msg::new(Key::err_invitation_other_email).with("email", invited)
            }
            Refusal::ClaimDecided => Key::err_claim_decided.into(),
            Refusal::ClaimExpired => Key::err_claim_expired.into(),
            Refusal::ConsentUnchanged => Key::err_consent_unchanged.into(),
            Refusal::ConsentNotYours => Key::err_consent_not_yours.into(),
            Refusal::ClaimedByOther => Key::err_claimed_by_other.into(),
        }
    }
}

/// Whether an event can email anyone about a referral like this one. Whether the program
/// is claimed only changes who hears of a new referral, so both answers are asked.
pub fn may_email_anyone(event: Event, has_referrer: bool, pref: ContactPreference) -> bool {
    [true, false].into_iter().any(|program_claimed| {
        !notifications_for(
            event,
            NotifyFacts {
                has_referrer,
                contact_preference: pref,
                program_claimed,
            },
        )
        .is_empty()
    })
}

/// The "Not updated" count's move when a status goes `from` → `to`.
pub fn not_updated_delta(from: Option<Status>, to: Status) -> i64 {
    i64::from(to == Status::NotUpdated) - i64::from(from == Some(Status::NotUpdated))
}

/// A status change by someone acting as `by`, who saw the referral at `seen_version`.
pub fn change_status(
    current: &Standing,
    seen_version: i64,
    to: Status,
    note: Option<&NoteText>,
    by: Role,
) -> Result<Decision, Refusal> {
    if current.version != seen_version {
        return Err(Refusal::Stale {
            now: current.status,
        });
    }
    if current.status == to {
        return Err(Refusal::AlreadyAt(to));
    }
    let event = Event::StatusChanged { by, to };
    Ok(Decision {
        history: HistoryEntry {
            kind: ChangeKind::Status,
            from: Some(current.status),
            to: Some(to),
            body: note.map(|n| n.as_str().to_string()),
        },
        status: to,
        version: current.version + 1,
        not_updated_delta: not_updated_delta(Some(current.status), to),
        notify: may_email_anyone(event, current.has_referrer, current.contact_preference)
            .then_some(event),
    })
}

/// A note: history only. It leaves the status and version as they are (a card showing
/// that version re-reads on a note, `live::card_must_reread`) and emails nobody.
pub fn add_note(current: &Standing, note: &NoteText) -> Decision {
    Decision {
        history: HistoryEntry {
            kind: ChangeKind::Note,
            from: None,
            to: None,
            body: Some(note.as_str().to_string()),
        },
        status: current.status,
        version: current.version,
        not_updated_delta: 0,
        notify: None,
    }
}

/// A new referral: "Not updated", version 1, counted, and its emails (the seeker's, the
/// program's), none at all when the seeker does not want to be reached.
pub fn create_referral(has_referrer: bool, pref: ContactPreference) -> Decision {
    Decision {
        history: HistoryEntry {
            kind: ChangeKind::Created,
            from: None,
            to: Some(Status::NotUpdated),
            body: None,
        },
        status: Status::NotUpdated,
        version: 1,
        not_updated_delta: not_updated_delta(None, Status::NotUpdated),
        notify: may_email_anyone(Event::Created, has_referrer, pref).then_some(Event::Created),
    }
}

/// A history row and nothing else: the status, version and count stay, nobody is emailed.
fn history_only(current: &Standing, kind: ChangeKind, body: Option<String>) -> Decision {
    Decision {
        history: HistoryEntry {
            kind,
            from: None,
            to: None,
            body,
        },
        status: current.status,
        version: current.version,
        not_updated_delta: 0,
        notify: None,
    }
}

/// The first time the program's staff open a referral (the store records it once): a
/// history row the seeker and helper see, not a status, no email.
pub fn seen_by_program(current: &Standing) -> Decision {
    history_only(current, ChangeKind::Seen, None)
}

/// The seeker answered a check-in "still waiting": recorded, no status, no email.
pub fn still_waiting(current: &Standing) -> Decision {
    history_only(current, ChangeKind::StillWaiting, None)
}

/// Withdrawing consent to share contact details with the program (`withdraw`), or giving it
/// again. The seeker may do either; a helper may record a withdrawal the seeker asked for;
/// giving it again is the seeker's own act. The program does neither.
pub fn change_consent(
    withdrawn_now: bool,
    withdraw: bool,
    by: Role,
    current: &Standing,
) -> Result<Decision, Refusal> {
    let allowed = matches!(
        (withdraw, by),
        (true, Role::Seeker | Role::Helper) | (false, Role::Seeker)
    );
    if !allowed {
        return Err(Refusal::ConsentNotYours);
    }
    if withdrawn_now == withdraw {
        return Err(Refusal::ConsentUnchanged);
    }
    let kind = if withdraw {
        ChangeKind::ConsentWithdrawn
    } else {
        ChangeKind::ConsentGiven
    };
    Ok(history_only(current, kind, None))
}

/// The contact preference every rule is held to: "don't reach out" while consent is
/// withdrawn (SPEC: the program sees it "as if don't reach out had been chosen, no email
/// follows for it"), else the seeker's choice, which giving consent again restores.
pub fn effective_preference(
    chosen: ContactPreference,
    consent_withdrawn: bool,
) -> ContactPreference {
    if consent_withdrawn {
        ContactPreference::DontReachOut
    } else {
        chosen
    }
}

/// An open invitation as loaded: the address it was sent to, and whether it is still open.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invitation {
    pub invited: String,
    pub open: bool,
}

/// The account accepting it, as loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acceptor {
    pub email: String,
    pub email_confirmed: bool,
    pub disabled: bool,
}

/// An invitation is for one person, not for whoever has the link: only the account whose
/// confirmed address is the invited one may accept it.
pub fn accept_invitation(invitation: &Invitation, by: &Acceptor) -> Result<(), Refusal> {
    if !invitation.open {
        return Err(Refusal::InvitationGone);
    }
    if by.disabled || !by.email_confirmed || by.email != invitation.invited {
        return Err(Refusal::InvitationForOther {
            invited: invitation.invited.clone(),
        });
    }
    Ok(())
}

/// A pending claim as loaded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingClaim {
    /// `None` for claims made before claims expired.
    pub expires_at: Option<i64>,
    pub claimant_disabled: bool,
}

/// What deciding a claim writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimDecision {
    /// Take the program (refused there if someone else took it first:
    /// `Refusal::ClaimedByOther`), make the claimant staff, close the program's other
    /// pending claims.
    Approve,
    Reject,
}

/// A claim (`None`: no pending claim) decided now; an approval must come before it expires,
/// and a disabled claimant's claim cannot be decided for them any more.
pub fn decide_claim(
    claim: Option<PendingClaim>,
    approve: bool,
    now: i64,
) -> Result<ClaimDecision, Refusal> {
    let claim = claim
        .filter(|c| !c.claimant_disabled)
        .ok_or(Refusal::ClaimDecided)?;
    if !approve {
        return Ok(ClaimDecision::Reject);
    }
    if claim.expires_at.is_some_and(|at| at <= now) {
        return Err(Refusal::ClaimExpired);
    }
    Ok(ClaimDecision::Approve)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::EmailKind;
    use crate::model::notify::Recipient;

    fn standing(status: Status, pref: ContactPreference, has_referrer: bool) -> Standing {
        Standing {
            status,
            version: 3,
            has_referrer,
            contact_preference: pref,
        }
    }

    #[test]
    fn a_stale_change_is_refused_naming_the_status_it_has_now() {
        let now = standing(Status::Pending, ContactPreference::Email, true);
        assert_eq!(
            change_status(&now, 2, Status::GotHelp, None, Role::Program),
            Err(Refusal::Stale {
                now: Status::Pending
            })
        );
    }

    #[test]
    fn the_same_status_is_refused_next_to_the_status_field() {
        for status in Status::ALL {
            let now = standing(status, ContactPreference::Email, true);
            let refusal = change_status(&now, 3, status, None, Role::Program).unwrap_err();
            assert_eq!(refusal, Refusal::AlreadyAt(status));
            assert_eq!(refusal.field(), Some("status"));
        }
    }

    #[test]
    fn every_other_status_change_moves_the_version_and_keeps_its_comment() {
        let note = NoteText::parse("Called twice").unwrap();
        for from in Status::ALL {
            for to in Status::ALL.into_iter().filter(|&to| to != from) {
                let now = standing(from, ContactPreference::Email, true);
                let d = change_status(&now, 3, to, Some(&note), Role::Program).unwrap();
                assert_eq!((d.status, d.version), (to, 4));
                assert_eq!(d.history.kind, ChangeKind::Status);
                assert_eq!((d.history.from, d.history.to), (Some(from), Some(to)));
                assert_eq!(d.history.body.as_deref(), Some("Called twice"));
            }
        }
    }

    #[test]
    fn the_not_updated_count_moves_only_into_or_out_of_not_updated() {
        for from in Status::ALL {
            for to in Status::ALL.into_iter().filter(|&to| to != from) {
                let now = standing(from, ContactPreference::Email, true);
                let d = change_status(&now, 3, to, None, Role::Helper).unwrap();
                let expected = match (from, to) {
                    (Status::NotUpdated, _) => -1,
                    (_, Status::NotUpdated) => 1,
                    _ => 0,
                };
                assert_eq!(d.not_updated_delta, expected, "{from:?} -> {to:?}");
            }
        }
        assert_eq!(
            create_referral(true, ContactPreference::Email).not_updated_delta,
            1
        );
    }

    #[test]
    fn a_change_notifies_exactly_when_some_rule_emails_someone() {
        use ContactPreference as P;
        for pref in P::ALL {
            for has_referrer in [true, false] {
                for by in Role::ALL {
                    for to in Status::ALL {
                        let from = if to == Status::Pending {
                            Status::Eligible
                        } else {
                            Status::Pending
                        };
                        let d = change_status(&standing(from, pref, has_referrer), 3, to, None, by)
                            .unwrap();
                        let event = Event::StatusChanged { by, to };
                        // The SPEC's table, written out: nobody for "don't reach out"
                        // or a helper's own change; the helper for the seeker's; for the
                        // program's, only a status that asks the seeker for something,
                        // to a seeker who prefers email or a referring helper.
                        let anyone = pref != P::DontReachOut
                            && match by {
                                Role::Helper => false,
                                Role::Seeker => has_referrer,
                                Role::Program => {
                                    to.asks_more_of_seeker() && (pref == P::Email || has_referrer)
                                }
                            };
                        assert_eq!(d.notify, anyone.then_some(event));
                    }
                }
            }
        }
    }

    #[test]
    fn who_is_emailed_when_a_program_asks_the_seeker_for_something() {
        // The SPEC's example, through the same rule the store applies.
        let now = standing(Status::Pending, ContactPreference::Email, true);
        let d = change_status(&now, 3, Status::NeedsClientAction, None, Role::Program).unwrap();
        let event = d.notify.expect("emails someone");
        let facts = NotifyFacts {
            has_referrer: true,
            contact_preference: ContactPreference::Email,
            program_claimed: true,
        };
        let to: Vec<_> = notifications_for(event, facts)
            .into_iter()
            .map(|n| (n.recipient, n.kind))
            .collect();
        assert_eq!(
            to,
            [
                (Recipient::Seeker, EmailKind::StatusUpdate),
                (Recipient::ReferringHelper, EmailKind::StatusUpdate)
            ]
        );
        // Nothing at all for a seeker who does not want to be reached and no helper.
        let quiet = standing(Status::Pending, ContactPreference::DontReachOut, false);
        let d = change_status(&quiet, 3, Status::NeedsClientAction, None, Role::Program);
        assert_eq!(d.unwrap().notify, None);
    }

    #[test]
    fn a_note_writes_history_only() {
        let now = standing(Status::Eligible, ContactPreference::Email, true);
        let d = add_note(&now, &NoteText::parse("Dropped off forms").unwrap());
        assert_eq!((d.status, d.version), (Status::Eligible, 3));
        assert_eq!(d.history.kind, ChangeKind::Note);
        assert_eq!(d.history.body.as_deref(), Some("Dropped off forms"));
        assert_eq!((d.not_updated_delta, d.notify), (0, None));
    }

    #[test]
    fn a_new_referral_starts_not_updated_and_tells_whoever_the_rules_name() {
        for pref in ContactPreference::ALL {
            for has_referrer in [true, false] {
                let d = create_referral(has_referrer, pref);
                assert_eq!((d.status, d.version), (Status::NotUpdated, 1));
                assert_eq!(d.history.to, Some(Status::NotUpdated));
                // The program hears of every new referral, unless the seeker asked that
                // nobody be reached about it at all.
                let expected = (pref != ContactPreference::DontReachOut).then_some(Event::Created);
                assert_eq!(d.notify, expected, "{pref:?}");
            }
        }
    }

    #[test]
    fn history_labels_name_the_person_and_whom_they_act_for() {
        let name = "Ana María Pérez";
        assert_eq!(
            actor_label(name, Role::Helper, Some("Eastside Navigators"), "Food Bank"),
            "Ana P., Eastside Navigators"
        );
        assert_eq!(actor_label(name, Role::Helper, None, "Food Bank"), "Ana P.");
        assert_eq!(
            actor_label(name, Role::Program, Some("Team"), "Food Bank"),
            "Ana P., Food Bank"
        );
        assert_eq!(
            actor_label(name, Role::Seeker, Some("Team"), "Food Bank"),
            "Ana P."
        );
        assert_eq!(listed_email_label("Food Bank"), "Food Bank (by email link)");
        assert_eq!(short_name("  "), "  ");
    }

    #[test]
    fn an_invitation_is_accepted_only_by_the_confirmed_invited_address() {
        let invitation = Invitation {
            invited: "rosa@example.test".into(),
            open: true,
        };
        let owner = Acceptor {
            email: "rosa@example.test".into(),
            email_confirmed: true,
            disabled: false,
        };
        assert_eq!(accept_invitation(&invitation, &owner), Ok(()));
        let other = Refusal::InvitationForOther {
            invited: "rosa@example.test".into(),
        };
        for acceptor in [
            Acceptor {
                email: "mallory@example.test".into(),
                ..owner.clone()
            },
            Acceptor {
                email_confirmed: false,
                ..owner.clone()
            },
            Acceptor {
                disabled: true,
                ..owner.clone()
            },
        ] {
            assert_eq!(
                accept_invitation(&invitation, &acceptor),
                Err(other.clone())
            );
        }
        let gone = Invitation {
            open: false,
            ..invitation
        };
        assert_eq!(
            accept_invitation(&gone, &owner),
            Err(Refusal::InvitationGone)
        );
    }

    #[test]
    fn a_claim_is_approved_only_while_pending_unexpired_and_its_claimant_enabled() {
        let pending = PendingClaim {
            expires_at: Some(1_000),
            claimant_disabled: false,
        };
        assert_eq!(
            decide_claim(Some(pending), true, 999),
            Ok(ClaimDecision::Approve)
        );
        assert_eq!(
            decide_claim(Some(pending), true, 1_000),
            Err(Refusal::ClaimExpired)
        );
        // An expired claim can still be turned down.
        assert_eq!(
            decide_claim(Some(pending), false, 5_000),
            Ok(ClaimDecision::Reject)
        );
        let old = PendingClaim {
            expires_at: None,
            ..pending
        };
        assert_eq!(
            decide_claim(Some(old), true, i64::MAX),
            Ok(ClaimDecision::Approve)
        );
        let disabled = PendingClaim {
            claimant_disabled: true,
            ..pending
        };
        for approve in [true, false] {
            assert_eq!(
                decide_claim(Some(disabled), approve, 0),
                Err(Refusal::ClaimDecided)
            );
            assert_eq!(decide_claim(None, approve, 0), Err(Refusal::ClaimDecided));
        }
    }

    #[test]
    fn consent_is_withdrawn_by_the_seeker_or_their_helper_and_given_again_only_by_the_seeker() {
        let standing = Standing {
            status: Status::Pending,
            version: 4,
            has_referrer: true,
            contact_preference: ContactPreference::Email,
        };
        for by in Role::ALL {
            for withdrawn_now in [false, true] {
                for withdraw in [false, true] {
                    let got = change_consent(withdrawn_now, withdraw, by, &standing);
                    let may = match by {
                        Role::Seeker => true,
                        Role::Helper => withdraw,
                        Role::Program => false,
                    };
                    let want = if !may {
                        Err(Refusal::ConsentNotYours)
                    } else if withdrawn_now == withdraw {
                        Err(Refusal::ConsentUnchanged)
                    } else {
                        Ok(if withdraw {
                            ChangeKind::ConsentWithdrawn
                        } else {
                            ChangeKind::ConsentGiven
                        })
                    };
                    let got = got.map(|d| {
                        assert_eq!((d.status, d.version, d.notify), (Status::Pending, 4, None));
                        d.history.kind
                    });
                    assert_eq!(got, want, "{by:?} {withdrawn_now} {withdraw}");
                }
            }
        }
    }

    #[test]
    fn a_withdrawal_holds_every_rule_to_dont_reach_out() {
        for chosen in ContactPreference::ALL {
            assert_eq!(effective_preference(chosen, false), chosen);
            assert_eq!(
                effective_preference(chosen, true),
                ContactPreference::DontReachOut
            );
        }
    }
}
