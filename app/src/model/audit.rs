//! The audit trail (issue 18, item 3; SPEC "Records and privacy"): what is recorded about
//! security-relevant events, and how a site administrator searches it. An entry names who
//! (an account, or a status link's holder), what happened, which referral or account it was
//! about and where; it never holds contact details or anything typed by anyone.

use super::calendar::Day;
use super::{ReferralId, UserId};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditEvent {
    /// A seeker's email or phone was shown to someone (a dashboard, a status link, an
    /// export with contact details).
    ContactShown,
    LoggedIn,
    LogInFailed,
    /// A request refused for want of permission (403), or for a thing the asker may not
    /// know exists (404).
    Refused,
    /// A report or its rows downloaded.
    Export,
    /// A site administrator's action (an account disabled, a claim decided, an email sent
    /// again, a directory imported).
    AdminAction,
    /// A password or email changed or reset, an account created.
    AccountChange,
}

impl AuditEvent {
    pub const ALL: [AuditEvent; 7] = [
        AuditEvent::ContactShown,
        AuditEvent::LoggedIn,
        AuditEvent::LogInFailed,
        AuditEvent::Refused,
        AuditEvent::Export,
        AuditEvent::AdminAction,
        AuditEvent::AccountChange,
    ];

    /// How the store writes it.
    pub fn code(self) -> &'static str {
        match self {
            AuditEvent::ContactShown => "contact_shown",
            AuditEvent::LoggedIn => "logged_in",
            AuditEvent::LogInFailed => "log_in_failed",
            AuditEvent::Refused => "refused",
            AuditEvent::Export => "export",
            AuditEvent::AdminAction => "admin_action",
            AuditEvent::AccountChange => "account_change",
        }
    }

    pub fn parse(code: &str) -> Option<AuditEvent> {
        AuditEvent::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// Server functions whose success is an administrator's action (site or group).
pub const ADMIN_ACTIONS: [&str; 20] = [
    "decide_claim",
    "erase_person",
    "disable_account",
    "retry_email",
    "directory_import",
    "mark_listing_reviewed",
    "archive_program",
    "decide_suggestion",
    "save_organization",
    "archive_organization",
    "add_program",
    "invite_staff",
    "remove_staff",
    "create_group",
    "close_group",
    "rename_group",
    "add_group_admin",
    "invite_to_group",
    "remove_from_group",
    "set_team_navigation",
];

/// Server functions whose success changes an account (its own holder's, or by a link).
pub const ACCOUNT_CHANGES: [&str; 8] = [
    "sign_up",
    "update_profile",
    "change_password",
    "request_email_change",
    "confirm_email_change",
    "log_out_everywhere",
    "verify_email",
    "reset_password",
];

/// What the success of a server function (`/api/{name}`) records, if anything; the
/// directory upload (`/admin/import`) is an administrator's action too.
pub fn event_of_success(path: &str) -> Option<AuditEvent> {
    if path == "/admin/import" {
        return Some(AuditEvent::AdminAction);
    }
    let name = path.strip_prefix("/api/")?;
    if ADMIN_ACTIONS.contains(&name) {
        Some(AuditEvent::AdminAction)
    } else if ACCOUNT_CHANGES.contains(&name) {
        Some(AuditEvent::AccountChange)
    } else {
        None
    }
}

/// Whether an answer is a refusal the trail keeps: 403 always; 404 when someone signed in
/// asked (a thing they may not know exists: not a mistyped address or a crawler's guess).
pub fn is_refusal(status: u16, signed_in: bool) -> bool {
    status == 403 || (status == 404 && signed_in)
}

/// One thing to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub event: AuditEvent,
    /// Who acted: an account, or none (a status link's holder, someone not logged in).
    pub actor: Option<UserId>,
    /// For an actor without an account: "status link (seeker)", the address a failed login
    /// came from.
    pub actor_label: String,
    pub referral: Option<ReferralId>,
    /// The account it was about (a failed login's, one an administrator changed).
    pub subject: Option<UserId>,
    /// Where: the page or server function, "export", "status link".
    pub place: String,
    /// A short, fixed description (an export's filters, an action's name); never contact
    /// details or free text.
    pub detail: String,
}

impl AuditEntry {
    pub fn new(event: AuditEvent, actor: Option<UserId>, place: &str) -> AuditEntry {
        AuditEntry {
            event,
            actor,
            actor_label: String::new(),
            referral: None,
            subject: None,
            place: place.to_string(),
            detail: String::new(),
        }
    }
}

/// A site administrator's search: by person (as actor or subject), referral, days (local,
/// inclusive) and event; each `None` leaves it out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub person: Option<UserId>,
    pub referral: Option<ReferralId>,
    pub from_day: Option<Day>,
    pub to_day: Option<Day>,
    pub event: Option<AuditEvent>,
}

/// The search form's fields, each checked: `Err(field)` names the one that is not a
/// number, a day or an event.
pub fn parse_query(
    person: &str,
    referral: &str,
    from: &str,
    to: &str,
    event: &str,
) -> Result<AuditQuery, &'static str> {
    let id = |s: &str, field: &'static str| match s.trim() {
        "" => Ok(None),
        t => t
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .map(Some)
            .ok_or(field),
    };
    let day = |s: &str, field: &'static str| match s.trim() {
        "" => Ok(None),
        t => super::calendar::parse_day(t).map(Some).ok_or(field),
    };
    let query = AuditQuery {
        person: id(person, "person")?.map(UserId),
        referral: id(referral, "referral")?.map(ReferralId),
        from_day: day(from, "from")?,
        to_day: day(to, "to")?,
        event: match event.trim() {
            "" => None,
            t => Some(AuditEvent::parse(t).ok_or("event")?),
        },
    };
    match (query.from_day, query.to_day) {
        (Some(f), Some(t)) if f > t => Err("to"),
        _ => Ok(query),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_its_own_code_and_reads_back() {
        let codes: std::collections::HashSet<&str> =
            AuditEvent::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(codes.len(), AuditEvent::ALL.len());
        for e in AuditEvent::ALL {
            assert_eq!(AuditEvent::parse(e.code()), Some(e));
        }
        assert_eq!(AuditEvent::parse("deleted"), None);
    }

    #[test]
    fn actions_and_account_changes_are_known_by_their_server_function() {
        assert_eq!(
            event_of_success("/api/disable_account"),
            Some(AuditEvent::AdminAction)
        );
        assert_eq!(
            event_of_success("/admin/import"),
            Some(AuditEvent::AdminAction)
        );
        assert_eq!(
            event_of_success("/api/change_password"),
            Some(AuditEvent::AccountChange)
        );
        assert_eq!(event_of_success("/api/inbound"), None, "a read");
        assert_eq!(event_of_success("/disable_account"), None);
        let all: std::collections::HashSet<&str> = ADMIN_ACTIONS
            .iter()
            .chain(ACCOUNT_CHANGES.iter())
            .copied()
            .collect();
        assert_eq!(
            all.len(),
            ADMIN_ACTIONS.len() + ACCOUNT_CHANGES.len(),
            "each once"
        );
    }

    #[test]
    fn refusals_are_403s_and_the_404s_of_someone_signed_in() {
        assert!(is_refusal(403, false) && is_refusal(403, true));
        assert!(is_refusal(404, true));
        assert!(!is_refusal(404, false), "a stranger's 404 is noise");
        assert!(!is_refusal(401, true) && !is_refusal(200, true) && !is_refusal(409, true));
    }

    #[test]
    fn a_search_is_checked_field_by_field() {
        assert_eq!(parse_query("", "", "", "", ""), Ok(AuditQuery::default()));
        let q = parse_query(" 7 ", "12", "2026-11-01", "2026-11-30", "contact_shown").unwrap();
        assert_eq!(q.person, Some(UserId(7)));
        assert_eq!(q.referral, Some(ReferralId(12)));
        assert_eq!(q.event, Some(AuditEvent::ContactShown));
        assert!(q.from_day.unwrap() < q.to_day.unwrap());
        assert_eq!(parse_query("ana", "", "", "", ""), Err("person"));
        assert_eq!(parse_query("", "-3", "", "", ""), Err("referral"));
        assert_eq!(parse_query("", "", "yesterday", "", ""), Err("from"));
        assert_eq!(
            parse_query("", "", "2026-12-02", "2026-12-01", ""),
            Err("to")
        );
        assert_eq!(parse_query("", "", "", "", "everything"), Err("event"));
    }
}
