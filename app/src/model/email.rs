//! What an outbox row's payload says: one enum, written when an email is queued and read
//! when it is composed (`server::mail::compose`), so the two can never disagree on a field.
//! It is a snapshot: the email reads the same if it is sent hours later. It never holds
//! contact details (those are shown behind the email's signed link) nor a readable
//! single-use token (only the seed it is derived from at send time).

use super::{EmailKind, Recipient, ReferralId, Status, UserId};
use serde::{Deserialize, Serialize};

/// A single-use link: where it points and the seed its token is derived from
/// (`server::mail::one_time`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeededLink {
    /// The route before the token, e.g. `verify` for `/verify/<token>`.
    pub path: String,
    pub seed: String,
}

/// A single-use link in a payload: its seed or, in rows queued before tokens were derived
/// at send time, the whole link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PayloadLink {
    Seeded(SeededLink),
    Plain(String),
}

impl From<SeededLink> for PayloadLink {
    fn from(link: SeededLink) -> Self {
        PayloadLink::Seeded(link)
    }
}

/// A new referral or a status change, to whoever the notification rules name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralPayload {
    pub referral_id: ReferralId,
    pub recipient: Recipient,
    /// The recipient's account (helpers and staff: their status link names them).
    pub user_id: Option<UserId>,
    /// The new status, for a status update.
    pub to_status: Option<Status>,
    pub program_name: String,
    /// First name and last initial.
    pub seeker_name: String,
    /// The referral's own comments.
    #[serde(default)]
    pub comments: String,
    /// Who made the change, as the history names them.
    #[serde(default)]
    pub by: String,
    /// What they wrote with a status change (empty for other emails).
    #[serde(default)]
    pub comment: String,
}

/// The day's reminder: a recipient's overdue referrals, by the person's name only (SPEC:
/// "names only"), each opened by its own status link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderPayload {
    /// Program staff, or an unclaimed program's listed email.
    pub recipient: Recipient,
    pub user_id: Option<UserId>,
    /// How many are overdue; `referrals` lists the first of them by name.
    pub total: usize,
    pub referrals: Vec<OverdueItem>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueItem {
    pub referral_id: ReferralId,
    pub program_name: String,
    /// First name and last initial.
    pub seeker_name: String,
    /// The local date it became overdue on, as YYYY-MM-DD.
    pub overdue_since: String,
}

/// An invitation to a group or to a program's staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationPayload {
    /// What the invitation is to: the group's or the program's name.
    pub to: String,
    pub invited_by: String,
    pub link: PayloadLink,
}

/// The link that proves a claimant can read the program's listed email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimPayload {
    pub program: String,
    pub claimant: String,
    pub claimant_email: String,
    pub link: PayloadLink,
}

/// Account emails: confirmation, password reset, a new address to confirm, a notice of a
/// change, and the notice that someone tried to sign up with an address that has an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountPayload {
    /// Who the email greets, first name and last initial.
    pub name: String,
    /// The address concerned (a new address, for an email change), or empty.
    #[serde(default)]
    pub email: String,
    pub link: PayloadLink,
}

/// Stored without a tag: the row's kind says which it is (`EmailPayload::read`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum EmailPayload {
    Referral(ReferralPayload),
    Reminder(ReminderPayload),
    Invitation(InvitationPayload),
    Claim(ClaimPayload),
    Account(AccountPayload),
}

impl EmailPayload {
    /// Whether an email of this kind carries a payload like this one.
    pub fn fits(&self, kind: EmailKind) -> bool {
        use EmailKind as K;
        match self {
            EmailPayload::Referral(_) => matches!(
                kind,
                K::NewReferralForSeeker
                    | K::SelfReferralConfirmation
                    | K::NewInboundReferral
                    | K::StatusUpdate
                    | K::Escalation
                    | K::CheckIn
            ),
            EmailPayload::Reminder(_) => kind == K::OverdueReminder,
            EmailPayload::Invitation(_) => {
                matches!(kind, K::GroupInvitation | K::StaffInvitation)
            }
            EmailPayload::Claim(_) => kind == K::ClaimVerification,
            EmailPayload::Account(_) => matches!(
                kind,
                K::AccountVerification
                    | K::AccountExists
                    | K::PasswordReset
                    | K::EmailChange
                    | K::AccountChanged
            ),
        }
    }

    /// The payload of a stored row of this kind.
    pub fn read(kind: EmailKind, json: &str) -> Result<EmailPayload, serde_json::Error> {
        use EmailKind as K;
        Ok(match kind {
            K::NewReferralForSeeker
            | K::SelfReferralConfirmation
            | K::NewInboundReferral
            | K::StatusUpdate
            | K::Escalation
            | K::CheckIn => EmailPayload::Referral(serde_json::from_str(json)?),
            K::OverdueReminder => EmailPayload::Reminder(serde_json::from_str(json)?),
            K::GroupInvitation | K::StaffInvitation => {
                EmailPayload::Invitation(serde_json::from_str(json)?)
            }
            K::ClaimVerification => EmailPayload::Claim(serde_json::from_str(json)?),
            K::AccountVerification
            | K::AccountExists
            | K::PasswordReset
            | K::EmailChange
            | K::AccountChanged => EmailPayload::Account(serde_json::from_str(json)?),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("payloads are plain data")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<EmailPayload> {
        let link = PayloadLink::Seeded(SeededLink {
            path: "verify".into(),
            seed: "s33d".into(),
        });
        vec![
            EmailPayload::Referral(ReferralPayload {
                referral_id: ReferralId(7),
                recipient: Recipient::ReferringHelper,
                user_id: Some(UserId(3)),
                to_status: Some(Status::NeedsClientAction),
                program_name: "Food Bank".into(),
                seeker_name: "Rosa D.".into(),
                comments: "Evenings".into(),
                by: "Ana P., Food Bank".into(),
                comment: "Bring an ID".into(),
            }),
            EmailPayload::Reminder(ReminderPayload {
                recipient: Recipient::ProgramStaff,
                user_id: Some(UserId(3)),
                total: 1,
                referrals: vec![OverdueItem {
                    referral_id: ReferralId(7),
                    program_name: "Food Bank".into(),
                    seeker_name: "Rosa D.".into(),
                    overdue_since: "2026-12-09".into(),
                }],
            }),
            EmailPayload::Invitation(InvitationPayload {
                to: "Navigators".into(),
                invited_by: "Ana P.".into(),
                link: link.clone(),
            }),
            EmailPayload::Claim(ClaimPayload {
                program: "Food Bank".into(),
                claimant: "Ana Pérez".into(),
                claimant_email: "ana@example.test".into(),
                link: link.clone(),
            }),
            EmailPayload::Account(AccountPayload {
                name: "Ana P.".into(),
                email: "ana@example.test".into(),
                link,
            }),
        ]
    }

    #[test]
    fn every_kind_reads_back_what_was_written_for_it() {
        for kind in EmailKind::ALL {
            let fitting: Vec<_> = samples().into_iter().filter(|p| p.fits(kind)).collect();
            assert_eq!(
                fitting.len(),
                1,
                "{kind:?} carries exactly one payload shape"
            );
            let written = &fitting[0];
            assert_eq!(
                &EmailPayload::read(kind, &written.to_json()).unwrap(),
                written
            );
        }
    }

    #[test]
    fn a_row_of_another_shape_is_refused() {
        let account = samples().pop().unwrap().to_json();
        assert!(EmailPayload::read(EmailKind::StatusUpdate, &account).is_err());
        assert!(EmailPayload::read(EmailKind::ClaimVerification, "{}").is_err());
    }

    #[test]
    fn links_queued_before_seeds_still_read() {
        let old = r#"{"name":"Ana P.","link":"https://h.example/verify/abc"}"#;
        let EmailPayload::Account(p) =
            EmailPayload::read(EmailKind::AccountVerification, old).unwrap()
        else {
            panic!("an account payload")
        };
        assert_eq!(
            p.link,
            PayloadLink::Plain("https://h.example/verify/abc".into())
        );
        assert_eq!(p.email, "");
    }
}
