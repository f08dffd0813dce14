//! Which messages an event on a referral produces (SPEC: "Notifications (email)").
//!
//! The store writes exactly these into the outbox, in the same transaction as the change.

use super::{ContactPreference, Role, Status};
use serde::{Deserialize, Serialize};

/// Something that happened to a referral.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Created,
    StatusChanged {
        by: Role,
        to: Status,
    },
    /// Past the program's response standard: the referral belongs in the program's daily
    /// reminder (one email a day per recipient, listing them all: `server::schedule`).
    Overdue,
    /// Still overdue the escalation days later.
    Escalated,
    /// The seeker's check-in is due (`follow_up::FollowUpRules::check_in_due`).
    CheckInDue,
}

/// The facts about a referral that shape its notifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotifyFacts {
    /// Made by a helper (`true`) or by the seeker for themselves (`false`).
    pub has_referrer: bool,
    pub contact_preference: ContactPreference,
    /// A claimed program is told through its staff; an unclaimed one at its listed email.
    pub program_claimed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recipient {
    Seeker,
    ReferringHelper,
    ProgramStaff,
    ProgramListedEmail,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    /// Sent only where an SMS gateway is configured (later work); otherwise dropped.
    Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailKind {
    NewReferralForSeeker,
    SelfReferralConfirmation,
    NewInboundReferral,
    StatusUpdate,
    /// The day's list of a program's overdue referrals, to its staff or listed email.
    OverdueReminder,
    /// To the helper who made an overdue referral: follow up or refer elsewhere.
    Escalation,
    /// To the seeker: "Did you get help from …?", with one-tap answers.
    CheckIn,
    /// Not caused by a referral: an invitation to join a group.
    GroupInvitation,
    /// An invitation to join a program's staff.
    StaffInvitation,
    /// The link that proves a claimant can read the program's listed email.
    ClaimVerification,
    /// The link that proves a new account holder can read their email.
    AccountVerification,
    /// To the owner of an address someone tried to sign up with again (sign-up never says
    /// whether an address has an account).
    AccountExists,
    /// A single-use, one-hour link to set a new password.
    PasswordReset,
    /// The link that proves an account holder can read the new address they asked for.
    EmailChange,
    /// "Your account's email (or password) was changed": to the old address, with a way
    /// back (a password-reset link) for an owner who did not do it.
    AccountChanged,
}

super::codes::text_codes!(EmailKind {
    NewReferralForSeeker => "new_referral_for_seeker",
    SelfReferralConfirmation => "self_referral_confirmation",
    NewInboundReferral => "new_inbound_referral",
    StatusUpdate => "status_update",
    OverdueReminder => "overdue_reminder",
    Escalation => "escalation",
    CheckIn => "check_in",
    GroupInvitation => "group_invitation",
    StaffInvitation => "staff_invitation",
    ClaimVerification => "claim_verification",
    AccountVerification => "account_verification",
    AccountExists => "account_exists",
    PasswordReset => "password_reset",
    EmailChange => "email_change",
    AccountChanged => "account_changed",
});

/// Where an email stands in the outbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxState {
    /// Waiting for its next attempt (or being sent, under a worker's lease).
    Pending,
    Sent,
    /// Refused for good; sent again only if an administrator asks.
    Failed,
}

super::codes::text_codes!(OutboxState {
    Pending => "pending",
    Sent => "sent",
    Failed => "failed",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Notification {
    pub recipient: Recipient,
    pub channel: Channel,
    pub kind: EmailKind,
}

/// Every message one event produces, in a stable order.
pub fn notifications_for(event: Event, facts: NotifyFacts) -> Vec<Notification> {
    use ContactPreference as Pref;
    if facts.contact_preference == Pref::DontReachOut {
        return Vec::new();
    }
    let email = |recipient, kind| Notification {
        recipient,
        channel: Channel::Email,
        kind,
    };
    let mut out = Vec::new();
    match event {
        Event::Created => {
            let kind = if facts.has_referrer {
                EmailKind::NewReferralForSeeker
            } else {
                EmailKind::SelfReferralConfirmation
            };
            match facts.contact_preference {
                Pref::Email => out.push(email(Recipient::Seeker, kind)),
                Pref::Text => out.push(Notification {
                    recipient: Recipient::Seeker,
                    channel: Channel::Text,
                    kind,
                }),
                Pref::Phone | Pref::DontReachOut => {}
            }
            out.push(email(program(facts), EmailKind::NewInboundReferral));
        }
        Event::StatusChanged {
            by: Role::Helper, ..
        } => {}
        Event::StatusChanged {
            by: Role::Seeker, ..
        } => {
            if facts.has_referrer {
                out.push(email(Recipient::ReferringHelper, EmailKind::StatusUpdate));
            }
        }
        Event::StatusChanged {
            by: Role::Program,
            to,
        } => {
            if to.asks_more_of_seeker() {
                // Never a status-update text: only email, and only when email is preferred.
                if facts.contact_preference == Pref::Email {
                    out.push(email(Recipient::Seeker, EmailKind::StatusUpdate));
                }
                if facts.has_referrer {
                    out.push(email(Recipient::ReferringHelper, EmailKind::StatusUpdate));
                }
            }
        }
        Event::Overdue => out.push(email(program(facts), EmailKind::OverdueReminder)),
        // A self-referral has no helper to tell: the seeker gets the check-in early.
        Event::Escalated if facts.has_referrer => {
            out.push(email(Recipient::ReferringHelper, EmailKind::Escalation))
        }
        Event::Escalated | Event::CheckInDue => {
            if facts.contact_preference == Pref::Email {
                out.push(email(Recipient::Seeker, EmailKind::CheckIn));
            }
        }
    }
    out
}

/// Who is told on the program's side: its staff once claimed, else its listed email.
fn program(facts: NotifyFacts) -> Recipient {
    if facts.program_claimed {
        Recipient::ProgramStaff
    } else {
        Recipient::ProgramListedEmail
    }
}

/// The address a seeker's emails about a referral go to: the one given on the Connect form,
/// else the person's own.
pub fn seeker_address<'a>(given: Option<&'a str>, person: Option<&'a str>) -> Option<&'a str> {
    given.or(person)
}

/// The language a seeker is written to in: their account's once they have one (they chose
/// it), else the one given on the Connect form, else the person's.
pub fn seeker_language<'a>(account: Option<&'a str>, given: &'a str, person: &'a str) -> &'a str {
    match account {
        Some(account) => account,
        None if given.is_empty() => person,
        None => given,
    }
}

/// An unclaimed program has no account to say its language: it is written to in English.
pub const LISTED_EMAIL_LANGUAGE: &str = "en";

#[cfg(test)]
mod tests {
    use super::*;
    use ContactPreference::*;

    #[test]
    fn a_seeker_is_written_to_where_and_how_they_last_said() {
        assert_eq!(
            seeker_address(Some("form@x.test"), Some("me@x.test")),
            Some("form@x.test")
        );
        assert_eq!(seeker_address(None, Some("me@x.test")), Some("me@x.test"));
        assert_eq!(seeker_address(None, None), None);
        assert_eq!(seeker_language(Some("es"), "en", "pt"), "es");
        assert_eq!(seeker_language(None, "en", "pt"), "en");
        assert_eq!(seeker_language(None, "", "pt"), "pt");
    }
    use EmailKind::*;
    use Recipient::*;

    fn events() -> Vec<Event> {
        let mut all = vec![
            Event::Created,
            Event::Overdue,
            Event::Escalated,
            Event::CheckInDue,
        ];
        for by in Role::ALL {
            for to in Status::ALL {
                all.push(Event::StatusChanged { by, to });
            }
        }
        all
    }

    /// The SPEC's table, row by row, as (recipient, channel, kind) triples, written out
    /// independently of the implementation above.
    fn spec(event: Event, f: NotifyFacts) -> Vec<(Recipient, Channel, EmailKind)> {
        let e = Channel::Email;
        if f.contact_preference == DontReachOut {
            return vec![]; // "any event on a don't reach out referral": nobody
        }
        let program = if f.program_claimed {
            ProgramStaff
        } else {
            ProgramListedEmail
        };
        match event {
            // "referral created by a helper" / "self-referral"
            Event::Created => {
                let kind = if f.has_referrer {
                    NewReferralForSeeker
                } else {
                    SelfReferralConfirmation
                };
                let mut v = match f.contact_preference {
                    Email => vec![(Seeker, e, kind)],
                    Text => vec![(Seeker, Channel::Text, kind)],
                    _ => vec![],
                };
                v.push((program, e, NewInboundReferral));
                v
            }
            // "status changed by the helper (or a team-mate)": none
            Event::StatusChanged {
                by: Role::Helper, ..
            } => vec![],
            // "status changed by the seeker": the helper who referred
            Event::StatusChanged {
                by: Role::Seeker, ..
            } if f.has_referrer => {
                vec![(ReferringHelper, e, StatusUpdate)]
            }
            Event::StatusChanged {
                by: Role::Seeker, ..
            } => vec![],
            // "status changed by the program to Needs client action / Couldn't contact"
            Event::StatusChanged {
                by: Role::Program,
                to: Status::NeedsClientAction | Status::CouldntContact,
            } => {
                let mut v = vec![];
                if f.contact_preference == Email {
                    v.push((Seeker, e, StatusUpdate));
                }
                if f.has_referrer {
                    v.push((ReferringHelper, e, StatusUpdate));
                }
                v
            }
            // "status changed by the program to any other status": dashboard only
            Event::StatusChanged {
                by: Role::Program, ..
            } => vec![],
            // "program staff get at most one reminder a day listing their overdue
            // referrals ... Unclaimed programs get the reminder at their listed email."
            Event::Overdue => vec![(program, e, OverdueReminder)],
            // "the helper who made it gets one escalation email"; a self-referral's seeker
            // whose preference is email gets the check-in early instead.
            Event::Escalated if f.has_referrer => vec![(ReferringHelper, e, Escalation)],
            // "a seeker whose preference is email gets one 'Did you get help?' email"
            Event::Escalated | Event::CheckInDue if f.contact_preference == Email => {
                vec![(Seeker, e, CheckIn)]
            }
            Event::Escalated | Event::CheckInDue => vec![],
        }
    }

    #[test]
    fn every_event_for_every_kind_of_referral_matches_the_spec() {
        let mut cases = 0;
        for event in events() {
            for has_referrer in [true, false] {
                for contact_preference in ContactPreference::ALL {
                    for program_claimed in [true, false] {
                        let facts = NotifyFacts {
                            has_referrer,
                            contact_preference,
                            program_claimed,
                        };
                        let got: Vec<_> = notifications_for(event, facts)
                            .into_iter()
                            .map(|n| (n.recipient, n.channel, n.kind))
                            .collect();
                        assert_eq!(got, spec(event, facts), "{event:?} {facts:?}");
                        cases += 1;
                    }
                }
            }
        }
        assert_eq!(cases, (4 + 3 * 11) * 2 * 4 * 2);
    }

    #[test]
    fn a_few_rows_spelled_out() {
        let helper_made = |pref| NotifyFacts {
            has_referrer: true,
            contact_preference: pref,
            program_claimed: true,
        };
        // The program asks the seeker for documents: seeker and helper both hear of it.
        let asks = Event::StatusChanged {
            by: Role::Program,
            to: Status::NeedsClientAction,
        };
        assert_eq!(notifications_for(asks, helper_made(Email)).len(), 2);
        // Same, but the seeker prefers phone calls: only the helper is emailed.
        let only = notifications_for(asks, helper_made(Phone));
        assert_eq!(only.len(), 1);
        assert_eq!(only[0].recipient, ReferringHelper);
        // Program marks Got help: dashboard only.
        let done = Event::StatusChanged {
            by: Role::Program,
            to: Status::GotHelp,
        };
        assert!(notifications_for(done, helper_made(Email)).is_empty());
        // Don't reach out silences even the new-referral email to the program.
        assert!(notifications_for(Event::Created, helper_made(DontReachOut)).is_empty());
        // Text preference never yields a status-update text.
        assert!(
            notifications_for(asks, helper_made(Text))
                .iter()
                .all(|n| n.channel == Channel::Email)
        );
    }
}
