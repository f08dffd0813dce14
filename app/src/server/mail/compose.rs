//! What each email says: subject, plain text and HTML, in the recipient's language.
//!
//! Pure: an outbox row in, an email out. Each email is built once as a `Draft` (paragraphs,
//! an optional quoted comment, one action link) and rendered twice, so the text and HTML
//! parts never disagree. Emails carry no contact details (mail travels in the clear
//! between servers); a program sees those behind the signed link.

use super::link::{LinkHolder, STATUS_LINK_LIFETIME_MS, StatusLink};
use crate::i18n::{Lang, Strings, fill};
use crate::model::email::{
    AccountPayload, ClaimPayload, EmailPayload, InvitationPayload, PayloadLink, ReferralPayload,
    ReminderPayload,
};
use crate::model::follow_up::CheckInAnswer;
use crate::model::{EmailKind, Recipient, Status};
use crate::server::store::OutboxRow;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What composing needs besides the row: where links point and the key that signs them.
pub struct LinkBase<'a> {
    pub public_url: &'a str,
    pub key: &'a [u8],
}

impl PayloadLink {
    fn url(&self, base: &LinkBase<'_>) -> String {
        match self {
            PayloadLink::Seeded(link) => link.url(base.public_url, base.key),
            PayloadLink::Plain(url) => url.clone(),
        }
    }
}

struct Draft {
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    /// Quoted text (a label and what someone wrote), in order.
    quotes: Vec<(String, String)>,
    /// Links listed one per line (a reminder's referrals, a check-in's answers).
    links: Vec<(String, String)>,
    action: Option<(String, String)>,
    footer: Vec<String>,
}

/// Composes the email for one outbox row; `Err` names what is wrong with the row (the
/// worker marks it failed: retrying cannot fix it).
pub fn compose(
    row: &OutboxRow,
    kind: EmailKind,
    base: &LinkBase<'_>,
) -> Result<ComposedEmail, String> {
    // The recipient's language when we write it; English otherwise.
    let lang = Lang::for_tag(&row.language);
    let t = lang.strings();
    let payload = EmailPayload::read(kind, &row.payload)
        .map_err(|e| format!("unreadable {kind} payload: {e}"))?;
    let draft = match &payload {
        EmailPayload::Referral(p) => referral_draft(kind, p, row, base, lang)?,
        EmailPayload::Reminder(p) => reminder_draft(p, row, base, t)?,
        EmailPayload::Invitation(p) => invitation_draft(kind, p, t, base),
        EmailPayload::Claim(p) => claim_draft(p, t, base),
        EmailPayload::Account(p) => account_draft(kind, p, t, base),
    };
    Ok(render(&draft, lang.code()))
}

fn status_link(
    p: &ReferralPayload,
    row: &OutboxRow,
    base: &LinkBase<'_>,
) -> Result<String, String> {
    signed_status_url(p.referral_id, p.recipient, p.user_id, row, base)
}

/// The signed status link of one referral for one recipient.
fn signed_status_url(
    referral: crate::model::ReferralId,
    recipient: Recipient,
    user_id: Option<crate::model::UserId>,
    row: &OutboxRow,
    base: &LinkBase<'_>,
) -> Result<String, String> {
    let user = || user_id.ok_or("a user recipient without user_id".to_string());
    let holder = match recipient {
        Recipient::Seeker => LinkHolder::Seeker,
        Recipient::ReferringHelper => LinkHolder::Helper(user()?),
        Recipient::ProgramStaff => LinkHolder::Staff(user()?),
        Recipient::ProgramListedEmail => LinkHolder::ListedEmail,
    };
    // Expiry from the row's creation: a resent email carries the very same link.
    let token = StatusLink {
        referral,
        holder,
        expires_at: row.created_at + STATUS_LINK_LIFETIME_MS,
    }
    .sign(base.key);
    Ok(format!("{}/r/{token}", base.public_url))
}

fn referral_draft(
    kind: EmailKind,
    p: &ReferralPayload,
    row: &OutboxRow,
    base: &LinkBase<'_>,
    lang: Lang,
) -> Result<Draft, String> {
    let t = lang.strings();
    let link = status_link(p, row, base)?;
    let (program, seeker, by) = (
        p.program_name.as_str(),
        p.seeker_name.as_str(),
        p.by.as_str(),
    );
    let url = base.public_url;
    let comments = (!p.comments.trim().is_empty())
        .then(|| (t.comments.to_string(), p.comments.trim().to_string()));
    let expiry = t.email_link_lifetime.to_string();
    let draft = match kind {
        EmailKind::NewReferralForSeeker => Draft {
            subject: fill(
                t.email_referred_you_subject,
                &[("by", by), ("program", program)],
            ),
            greeting: fill(t.email_hello_name, &[("name", seeker)]),
            paragraphs: vec![fill(
                t.email_referred_you,
                &[("by", by), ("program", program)],
            )],
            quotes: comments.into_iter().collect(),
            links: Vec::new(),
            action: Some((t.email_see_referral.into(), link)),
            footer: vec![expiry, fill(t.email_signup_hint, &[("url", url)])],
        },
        EmailKind::SelfReferralConfirmation => Draft {
            subject: fill(t.email_self_subject, &[("program", program)]),
            greeting: fill(t.email_hello_name, &[("name", seeker)]),
            paragraphs: vec![fill(t.email_self, &[("program", program)])],
            quotes: comments.into_iter().collect(),
            links: Vec::new(),
            action: Some((t.email_see_request.into(), link)),
            footer: vec![expiry],
        },
        EmailKind::NewInboundReferral => {
            let listed = p.recipient == Recipient::ProgramListedEmail;
            let who = if by.is_empty() || by == seeker {
                fill(
                    t.email_inbound_self,
                    &[("seeker", seeker), ("program", program)],
                )
            } else {
                fill(
                    t.email_inbound_by,
                    &[("by", by), ("seeker", seeker), ("program", program)],
                )
            };
            let place = if listed {
                fill(t.email_listed_footer, &[("program", program), ("url", url)])
            } else {
                fill(t.email_all_referrals, &[("url", url)])
            };
            Draft {
                subject: fill(
                    t.email_inbound_subject,
                    &[("program", program), ("seeker", seeker)],
                ),
                greeting: t.email_hello.into(),
                paragraphs: vec![who, t.email_inbound_open.into()],
                quotes: comments.into_iter().collect(),
                links: Vec::new(),
                action: Some((t.email_open_referral.into(), link)),
                footer: vec![expiry, place],
            }
        }
        EmailKind::StatusUpdate => {
            let status = p.to_status.ok_or("a status update without a status")?;
            let label = status.label(lang);
            let to_seeker = p.recipient == Recipient::Seeker;
            let mut paragraphs = vec![if to_seeker {
                fill(
                    t.email_status_to_seeker,
                    &[("program", program), ("status", label)],
                )
            } else {
                fill(
                    t.email_status_to_others,
                    &[
                        ("by", by),
                        ("seeker", seeker),
                        ("program", program),
                        ("status", label),
                    ],
                )
            }];
            if let Some(next) = next_step(status, to_seeker, t) {
                paragraphs.push(next.into());
            }
            // What the person who changed it wrote with the change (for "Needs client
            // action": what the seeker must do), first; then the referral's own comments.
            let said = (!p.comment.trim().is_empty()).then(|| {
                (
                    fill(t.email_comment_from, &[("by", by)]),
                    p.comment.trim().to_string(),
                )
            });
            Draft {
                subject: format!("{program}: {label}"),
                greeting: if to_seeker {
                    fill(t.email_hello_name, &[("name", seeker)])
                } else {
                    t.email_hello.into()
                },
                paragraphs,
                quotes: said.into_iter().chain(comments).collect(),
                links: Vec::new(),
                action: Some((t.email_see_status.into(), link)),
                footer: vec![expiry],
            }
        }
        EmailKind::Escalation => {
            let args = [("program", program), ("seeker", seeker)];
            Draft {
                subject: fill(t.email_escalation_subject, &args),
                greeting: t.email_hello.into(),
                paragraphs: vec![
                    fill(t.email_escalation, &args),
                    fill(t.email_escalation_next, &args),
                ],
                quotes: Vec::new(),
                links: Vec::new(),
                action: Some((t.email_see_status.into(), link)),
                footer: vec![expiry],
            }
        }
        // One-tap answers: each opens the status link with the answer chosen, and the page
        // asks for one more tap to send it (a mail scanner that follows links must not
        // answer for the seeker).
        EmailKind::CheckIn => {
            let answers = [
                (t.check_in_got_help, CheckInAnswer::GotHelp),
                (t.check_in_couldnt_get_help, CheckInAnswer::CouldntGetHelp),
                (t.check_in_still_waiting, CheckInAnswer::StillWaiting),
            ];
            Draft {
                subject: fill(t.email_check_in_subject, &[("program", program)]),
                greeting: fill(t.email_hello_name, &[("name", seeker)]),
                paragraphs: vec![fill(t.email_check_in, &[("program", program)])],
                quotes: Vec::new(),
                links: answers
                    .into_iter()
                    .map(|(label, answer)| {
                        (
                            label.to_string(),
                            format!("{link}?answer={}", answer.as_str()),
                        )
                    })
                    .collect(),
                action: None,
                footer: vec![
                    fill(
                        t.email_check_in_directory,
                        &[("url", &format!("{url}/programs"))],
                    ),
                    expiry,
                ],
            }
        }
        _ => return Err(format!("{kind:?} is not a referral email")),
    };
    Ok(draft)
}

/// The day's reminder: each overdue referral by name with its own status link.
fn reminder_draft(
    p: &ReminderPayload,
    row: &OutboxRow,
    base: &LinkBase<'_>,
    t: &Strings,
) -> Result<Draft, String> {
    let mut links = Vec::with_capacity(p.referrals.len());
    for item in &p.referrals {
        let url = signed_status_url(item.referral_id, p.recipient, p.user_id, row, base)?;
        let label = fill(
            t.email_reminder_item,
            &[
                ("seeker", item.seeker_name.as_str()),
                ("program", item.program_name.as_str()),
                ("date", item.overdue_since.as_str()),
            ],
        );
        links.push((label, url));
    }
    let mut paragraphs = vec![t.email_reminder.to_string()];
    let more = p.total.saturating_sub(p.referrals.len());
    let mut footer = Vec::new();
    if more > 0 {
        footer.push(fill(
            t.email_reminder_more,
            &[
                ("count", &more.to_string()),
                ("url", &format!("{}/inbound", base.public_url)),
            ],
        ));
    }
    if p.recipient == Recipient::ProgramListedEmail {
        paragraphs.push(fill(
            t.email_listed_footer,
            &[
                (
                    "program",
                    p.referrals.first().map_or("", |i| i.program_name.as_str()),
                ),
                ("url", base.public_url),
            ],
        ));
    }
    footer.push(t.email_link_lifetime.to_string());
    footer.push(t.email_reminder_footer.to_string());
    Ok(Draft {
        subject: fill(t.email_reminder_subject, &[("count", &p.total.to_string())]),
        greeting: t.email_hello.into(),
        paragraphs,
        quotes: Vec::new(),
        links,
        action: None,
        footer,
    })
}

/// What to do now, for the statuses that ask something of the seeker.
fn next_step(status: Status, to_seeker: bool, t: &Strings) -> Option<&'static str> {
    match (status, to_seeker) {
        (Status::NeedsClientAction, true) => Some(t.email_next_needs_action),
        (Status::CouldntContact, true) => Some(t.email_next_couldnt_contact),
        (Status::NeedsClientAction | Status::CouldntContact, false) => {
            Some(t.email_next_for_helper)
        }
        _ => None,
    }
}

fn invitation_draft(
    kind: EmailKind,
    p: &InvitationPayload,
    t: &Strings,
    base: &LinkBase<'_>,
) -> Draft {
    let args = [("by", p.invited_by.as_str()), ("to", p.to.as_str())];
    let (subject, body) = if kind == EmailKind::StaffInvitation {
        (t.email_staff_invite_subject, t.email_staff_invite)
    } else {
        (t.email_group_invite_subject, t.email_group_invite)
    };
    Draft {
        subject: fill(subject, &args),
        greeting: t.email_hello.into(),
        paragraphs: vec![fill(body, &args)],
        quotes: Vec::new(),
        links: Vec::new(),
        action: Some((t.email_accept_invitation.into(), p.link.url(base))),
        footer: vec![t.email_invite_footer.into()],
    }
}

fn claim_draft(p: &ClaimPayload, t: &Strings, base: &LinkBase<'_>) -> Draft {
    let args = [
        ("who", p.claimant.as_str()),
        ("email", p.claimant_email.as_str()),
        ("program", p.program.as_str()),
    ];
    Draft {
        subject: fill(t.email_claim_subject, &args),
        greeting: t.email_hello.into(),
        paragraphs: vec![fill(t.email_claim, &args)],
        quotes: Vec::new(),
        links: Vec::new(),
        action: Some((t.email_confirm.into(), p.link.url(base))),
        footer: vec![t.email_claim_footer.into()],
    }
}

fn account_draft(kind: EmailKind, p: &AccountPayload, t: &Strings, base: &LinkBase<'_>) -> Draft {
    let args = [("name", p.name.as_str()), ("email", p.email.as_str())];
    let (subject, paragraphs, action, footer) = match kind {
        // Says which account the link confirms, and what to do if it was not you.
        EmailKind::AccountVerification => (
            t.email_verify_subject,
            vec![fill(t.email_verify, &args)],
            t.verify_confirm,
            vec![t.email_verify_footer.to_string()],
        ),
        EmailKind::AccountExists => (
            t.email_exists_subject,
            vec![
                t.email_exists.to_string(),
                t.email_exists_not_you.to_string(),
            ],
            t.email_reset_action,
            vec![],
        ),
        // A new email names the new address; a new password names nothing.
        EmailKind::AccountChanged => (
            t.email_changed_subject,
            vec![
                if p.email.is_empty() {
                    t.email_changed_password.to_string()
                } else {
                    fill(t.email_changed_email, &args)
                },
                t.email_changed_not_you.to_string(),
            ],
            t.email_reset_action,
            vec![],
        ),
        EmailKind::PasswordReset => (
            t.email_reset_subject,
            vec![t.email_reset.to_string()],
            t.email_reset_action,
            vec![t.email_reset_footer.to_string()],
        ),
        _ => (
            t.email_change_subject,
            vec![fill(t.email_change, &args)],
            t.email_change_action,
            vec![t.email_change_footer.to_string()],
        ),
    };
    Draft {
        subject: subject.into(),
        greeting: fill(t.email_hello_name, &[("name", &p.name)]),
        paragraphs,
        quotes: Vec::new(),
        links: Vec::new(),
        action: Some((action.into(), p.link.url(base))),
        footer,
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn render(d: &Draft, lang: &str) -> ComposedEmail {
    let mut text = format!("{}\n\n", d.greeting);
    let mut html = format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}</title></head>\
         <body style=\"margin:0;padding:16px;font-family:system-ui,sans-serif;font-size:17px;line-height:1.5;color:#1b1b1b;background:#ffffff;overflow-wrap:anywhere;word-break:break-word\">\
         <main style=\"max-width:36em;margin:0 auto\"><p>{}</p>",
        escape(&d.subject),
        escape(&d.greeting)
    );
    for p in &d.paragraphs {
        text.push_str(p);
        text.push_str("\n\n");
        html.push_str(&format!("<p>{}</p>", escape(p)));
    }
    for (label, body) in &d.quotes {
        text.push_str(&format!("{label}:\n"));
        for line in body.lines() {
            text.push_str(&format!("> {line}\n"));
        }
        text.push('\n');
        html.push_str(&format!(
            "<p style=\"margin-bottom:4px\"><strong>{}:</strong></p>\
             <blockquote style=\"margin:0 0 16px;padding:8px 12px;border-left:4px solid #59636e;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word\">{}</blockquote>",
            escape(label),
            escape(body)
        ));
    }
    if !d.links.is_empty() {
        html.push_str("<ul style=\"padding-left:20px\">");
        for (label, url) in &d.links {
            text.push_str(&format!("- {label}: {url}\n"));
            html.push_str(&format!(
                "<li style=\"margin-bottom:12px\"><a href=\"{}\" style=\"color:#0b5394;font-weight:bold\">{}</a></li>",
                escape(url),
                escape(label)
            ));
        }
        html.push_str("</ul>");
        text.push('\n');
    }
    if let Some((label, url)) = &d.action {
        text.push_str(&format!("{label}: {url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{0}\" style=\"display:inline-block;padding:12px 20px;background:#0b5394;color:#ffffff;\
             text-decoration:underline;border-radius:6px;font-weight:bold\">{1}</a></p>\
             <p style=\"font-size:15px;color:#3b3b3b;word-break:break-all\">{0}</p>",
            escape(url),
            escape(label)
        ));
    }
    for f in &d.footer {
        text.push_str(f);
        text.push('\n');
        html.push_str(&format!(
            "<p style=\"font-size:15px;color:#3b3b3b\">{}</p>",
            escape(f)
        ));
    }
    text.push_str("\n-- \nHandoff\n");
    html.push_str("</main></body></html>");
    ComposedEmail {
        subject: d.subject.clone(),
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{OutboxId, ReferralId, UserId};

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";
    const BASE: LinkBase<'static> = LinkBase {
        public_url: "https://handoff.example",
        key: KEY,
    };

    fn row(kind: EmailKind, language: &str, payload: serde_json::Value) -> OutboxRow {
        OutboxRow {
            id: OutboxId(1),
            kind,
            recipient_email: "x@example.test".into(),
            language: language.into(),
            referral_id: Some(ReferralId(5)),
            payload: payload.to_string(),
            state: crate::model::OutboxState::Pending,
            attempts: 0,
            next_attempt_at: 0,
            last_error: None,
            message_id: "<m@handoff>".into(),
            created_at: 1_000,
            sent_at: None,
        }
    }

    fn referral_payload(recipient: &str, to_status: Option<&str>) -> serde_json::Value {
        serde_json::json!({
            "referral_id": 5, "recipient": recipient, "user_id": 3, "to_status": to_status,
            "program_name": "Weekly <Groceries>", "seeker_name": "Dana R.",
            "comments": "Needs a ride\non Tuesdays", "by": "Ana N., Eastside",
        })
    }

    #[test]
    fn a_status_update_names_the_program_status_and_next_step_with_a_signed_link() {
        let r = row(
            EmailKind::StatusUpdate,
            "en",
            referral_payload("seeker", Some("needs_client_action")),
        );
        let email = compose(&r, EmailKind::StatusUpdate, &BASE).unwrap();
        assert_eq!(email.subject, "Weekly <Groceries>: Needs client action");
        assert!(email.text.contains("Hello Dana R.,"));
        assert!(email.text.contains("needs something from you"));
        assert!(email.text.contains("> Needs a ride\n> on Tuesdays"));
        // The link is a valid status link for this referral and this seeker.
        let url = email
            .text
            .lines()
            .find_map(|l| l.split_once(": https://handoff.example/r/").map(|(_, t)| t))
            .unwrap();
        let link = StatusLink::verify(url, KEY, 2_000).unwrap();
        assert_eq!(link.referral, ReferralId(5));
        assert_eq!(link.holder, LinkHolder::Seeker);
        assert_eq!(link.expires_at, 1_000 + STATUS_LINK_LIFETIME_MS);
        // HTML is escaped and carries the same link.
        assert!(email.html.contains("Weekly &lt;Groceries&gt;"));
        assert!(!email.html.contains("<Groceries>"));
        assert!(email.html.contains(&format!("/r/{url}")));
        assert!(email.html.starts_with("<!doctype html><html lang=\"en\">"));
    }

    #[test]
    fn spanish_recipients_get_spanish() {
        let r = row(
            EmailKind::StatusUpdate,
            "es",
            referral_payload("seeker", Some("couldnt_contact")),
        );
        let email = compose(&r, EmailKind::StatusUpdate, &BASE).unwrap();
        assert_eq!(email.subject, "Weekly <Groceries>: No pudimos comunicarnos");
        assert!(email.text.starts_with("Hola, Dana R.:"));
        assert!(email.html.contains("lang=\"es\""));
    }

    #[test]
    fn each_recipient_gets_a_link_bound_to_them() {
        for (recipient, holder) in [
            ("referring_helper", LinkHolder::Helper(UserId(3))),
            ("program_staff", LinkHolder::Staff(UserId(3))),
            ("program_listed_email", LinkHolder::ListedEmail),
        ] {
            let kind = EmailKind::NewInboundReferral;
            let email = compose(
                &row(kind, "en", referral_payload(recipient, None)),
                kind,
                &BASE,
            )
            .unwrap();
            let token = email
                .text
                .split("/r/")
                .nth(1)
                .unwrap()
                .split('\n')
                .next()
                .unwrap();
            assert_eq!(StatusLink::verify(token, KEY, 0).unwrap().holder, holder);
        }
    }

    #[test]
    fn no_email_carries_contact_details() {
        // The payload has none to carry: the inbound email points to the signed page instead.
        let kind = EmailKind::NewInboundReferral;
        let email = compose(
            &row(kind, "en", referral_payload("program_staff", None)),
            kind,
            &BASE,
        )
        .unwrap();
        assert!(
            email
                .text
                .contains("Ana N., Eastside referred Dana R. to Weekly <Groceries>.")
        );
        assert!(email.text.contains("how to reach them"));
        assert!(!email.text.contains("x@example.test"));
    }

    #[test]
    fn a_broken_payload_is_an_error_not_a_panic() {
        let r = row(
            EmailKind::StatusUpdate,
            "en",
            serde_json::json!({"nope": 1}),
        );
        assert!(compose(&r, EmailKind::StatusUpdate, &BASE).is_err());
        let r = row(
            EmailKind::StatusUpdate,
            "en",
            referral_payload("seeker", Some("no_such_status")),
        );
        assert!(compose(&r, EmailKind::StatusUpdate, &BASE).is_err());
    }

    #[test]
    fn invitations_claims_and_verification_carry_their_link() {
        let cases = [
            (
                EmailKind::GroupInvitation,
                serde_json::json!({"to": "Eastside", "invited_by": "Ana N.", "link": "https://h/invitations/t1"}),
                "https://h/invitations/t1",
            ),
            (
                EmailKind::StaffInvitation,
                serde_json::json!({"to": "Clinic", "invited_by": "Omar O.", "link": "https://h/invitations/t2"}),
                "https://h/invitations/t2",
            ),
            (
                EmailKind::ClaimVerification,
                serde_json::json!({"program": "Rent", "claimant": "Rita", "claimant_email": "r@x.test", "link": "https://h/claims/t3"}),
                "https://h/claims/t3",
            ),
            (
                EmailKind::AccountVerification,
                serde_json::json!({"name": "Dana", "link": "https://h/verify/t4"}),
                "https://h/verify/t4",
            ),
        ];
        for (kind, payload, link) in cases {
            for lang in ["en", "es"] {
                let email = compose(&row(kind, lang, payload.clone()), kind, &BASE).unwrap();
                assert!(email.text.contains(link), "{kind:?} {lang}");
                assert!(
                    email.html.contains(&format!("href=\"{link}\"")),
                    "{kind:?} {lang}"
                );
            }
        }
    }

    #[test]
    fn a_check_in_offers_three_answers_through_the_seekers_own_link_in_their_language() {
        let kind = EmailKind::CheckIn;
        let email = compose(
            &row(kind, "es", referral_payload("seeker", None)),
            kind,
            &BASE,
        )
        .unwrap();
        assert_eq!(email.subject, "¿Recibió ayuda de Weekly <Groceries>?");
        let links: Vec<&str> = email.text.lines().filter(|l| l.starts_with("- ")).collect();
        assert_eq!(links.len(), 3, "{}", email.text);
        for (line, answer) in links
            .iter()
            .zip(["got_help", "couldnt_get_help", "still_waiting"])
        {
            let url = line.rsplit(' ').next().unwrap();
            let token = url
                .strip_prefix("https://handoff.example/r/")
                .and_then(|rest| rest.strip_suffix(&format!("?answer={answer}")))
                .unwrap_or_else(|| panic!("{line}"));
            let link = StatusLink::verify(token, KEY, 1_001).unwrap();
            assert_eq!(link.holder, LinkHolder::Seeker);
            assert_eq!(link.referral, ReferralId(5));
        }
        assert!(email.text.contains("Sí, recibí ayuda"));
        assert!(email.text.contains("https://handoff.example/programs"));
        // Escaped in HTML like everything else.
        assert!(email.html.contains("Weekly &lt;Groceries&gt;"));
    }

    #[test]
    fn a_reminder_lists_names_each_with_the_recipients_own_link_and_counts_the_rest() {
        let kind = EmailKind::OverdueReminder;
        let payload = serde_json::json!({
            "recipient": "program_staff", "user_id": 3, "total": 12,
            "referrals": [
                {"referral_id": 5, "program_name": "Food", "seeker_name": "Dana R.", "overdue_since": "2026-12-09"},
                {"referral_id": 6, "program_name": "Rent", "seeker_name": "Rosa D.", "overdue_since": "2026-12-10"},
            ],
        });
        let email = compose(&row(kind, "en", payload), kind, &BASE).unwrap();
        assert_eq!(email.subject, "Referrals waiting for an answer: 12");
        assert!(
            email
                .text
                .contains("- Dana R., Food: overdue since 2026-12-09: https://handoff.example/r/")
        );
        assert!(email.text.contains("…and 10 more on Inbound Referrals"));
        let tokens: Vec<StatusLink> = email
            .text
            .lines()
            .filter(|l| l.starts_with("- "))
            .map(|l| {
                let token = l.rsplit("/r/").next().unwrap();
                StatusLink::verify(token, KEY, 1_001).unwrap()
            })
            .collect();
        assert_eq!(
            tokens
                .iter()
                .map(|l| (l.referral, l.holder))
                .collect::<Vec<_>>(),
            vec![
                (ReferralId(5), LinkHolder::Staff(UserId(3))),
                (ReferralId(6), LinkHolder::Staff(UserId(3)))
            ]
        );
    }

    #[test]
    fn an_escalation_tells_the_helper_and_links_to_the_referral() {
        let kind = EmailKind::Escalation;
        let email = compose(
            &row(kind, "en", referral_payload("referring_helper", None)),
            kind,
            &BASE,
        )
        .unwrap();
        assert_eq!(
            email.subject,
            "No answer yet from Weekly <Groceries> for Dana R."
        );
        assert!(email.text.contains("refer Dana R. somewhere else"));
        assert!(email.text.contains("https://handoff.example/r/"));
    }
}
