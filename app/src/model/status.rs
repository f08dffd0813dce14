//! Referral statuses and the groups users see them in (SPEC: "Statuses").

use crate::i18n::{Key, Lang};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotUpdated,
    NeedsClientAction,
    Pending,
    ReferredElsewhere,
    Eligible,
    GotHelp,
    CouldntContact,
    NotEligible,
    NoCapacity,
    CouldntGetHelp,
    NoLongerInterested,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusGroup {
    InProgress,
    GotHelp,
    NeedsFurtherAction,
}

impl Status {
    /// Every status, in the order they are offered to users.
    pub const ALL: [Status; 11] = [
        Status::NotUpdated,
        Status::NeedsClientAction,
        Status::Pending,
        Status::ReferredElsewhere,
        Status::Eligible,
        Status::GotHelp,
        Status::CouldntContact,
        Status::NotEligible,
        Status::NoCapacity,
        Status::CouldntGetHelp,
        Status::NoLongerInterested,
    ];

    pub fn group(self) -> StatusGroup {
        match self {
            Status::NotUpdated
            | Status::NeedsClientAction
            | Status::Pending
            | Status::ReferredElsewhere
            | Status::Eligible => StatusGroup::InProgress,
            Status::GotHelp => StatusGroup::GotHelp,
            Status::CouldntContact
            | Status::NotEligible
            | Status::NoCapacity
            | Status::CouldntGetHelp
            | Status::NoLongerInterested => StatusGroup::NeedsFurtherAction,
        }
    }

    /// The stable code stored in the database and sent over the wire.
    pub fn code(self) -> &'static str {
        match self {
            Status::NotUpdated => "not_updated",
            Status::NeedsClientAction => "needs_client_action",
            Status::Pending => "pending",
            Status::ReferredElsewhere => "referred_elsewhere",
            Status::Eligible => "eligible",
            Status::GotHelp => "got_help",
            Status::CouldntContact => "couldnt_contact",
            Status::NotEligible => "not_eligible",
            Status::NoCapacity => "no_capacity",
            Status::CouldntGetHelp => "couldnt_get_help",
            Status::NoLongerInterested => "no_longer_interested",
        }
    }

    /// Parses a stored or posted code; anything else is refused, never guessed.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status's name in the catalog.
    pub fn key(self) -> Key {
        match self {
            Status::NotUpdated => Key::status_not_updated,
            Status::NeedsClientAction => Key::status_needs_client_action,
            Status::Pending => Key::status_pending,
            Status::ReferredElsewhere => Key::status_referred_elsewhere,
            Status::Eligible => Key::status_eligible,
            Status::GotHelp => Key::status_got_help,
            Status::CouldntContact => Key::status_couldnt_contact,
            Status::NotEligible => Key::status_not_eligible,
            Status::NoCapacity => Key::status_no_capacity,
            Status::CouldntGetHelp => Key::status_couldnt_get_help,
            Status::NoLongerInterested => Key::status_no_longer_interested,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        lang.strings().get(self.key())
    }

    /// A program status that asks the seeker for something: these reach the seeker by email.
    pub fn asks_more_of_seeker(self) -> bool {
        matches!(self, Status::NeedsClientAction | Status::CouldntContact)
    }
}

impl StatusGroup {
    pub fn label(self, lang: Lang) -> &'static str {
        let t = lang.strings();
        match self {
            StatusGroup::InProgress => t.status_group_in_progress,
            StatusGroup::GotHelp => t.status_group_got_help,
            StatusGroup::NeedsFurtherAction => t.status_group_needs_action,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_match_the_spec_table() {
        use StatusGroup::*;
        let expected = [
            ("Not updated", InProgress),
            ("Needs client action", InProgress),
            ("Pending", InProgress),
            ("Referred elsewhere", InProgress),
            ("Eligible", InProgress),
            ("Got help", GotHelp),
            ("Couldn't contact", NeedsFurtherAction),
            ("Not eligible", NeedsFurtherAction),
            ("No capacity", NeedsFurtherAction),
            ("Couldn't get help", NeedsFurtherAction),
            ("No longer interested", NeedsFurtherAction),
        ];
        assert_eq!(Status::ALL.len(), expected.len());
        for (status, (label, group)) in Status::ALL.into_iter().zip(expected) {
            assert_eq!(status.group(), group, "{label}");
            assert_eq!(status.label(Lang::En), label);
        }
    }

    #[test]
    fn codes_round_trip_and_are_unique() {
        for status in Status::ALL {
            assert_eq!(Status::from_code(status.code()), Some(status));
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.code()));
        }
        let mut codes: Vec<_> = Status::ALL.iter().map(|s| s.code()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 11);
    }

    #[test]
    fn unknown_codes_are_refused() {
        for bad in ["", "closed", "Pending", "got help", "not_updated "] {
            assert_eq!(Status::from_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_two_statuses_ask_more_of_the_seeker() {
        let asking: Vec<_> = Status::ALL
            .into_iter()
            .filter(|s| s.asks_more_of_seeker())
            .collect();
        assert_eq!(asking, [Status::NeedsClientAction, Status::CouldntContact]);
    }
}
