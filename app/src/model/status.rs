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

super::codes::text_codes!(Status {
    NotUpdated => "not_updated",
    NeedsClientAction => "needs_client_action",
    Pending => "pending",
    ReferredElsewhere => "referred_elsewhere",
    Eligible => "eligible",
    GotHelp => "got_help",
    CouldntContact => "couldnt_contact",
    NotEligible => "not_eligible",
    NoCapacity => "no_capacity",
    CouldntGetHelp => "couldnt_get_help",
    NoLongerInterested => "no_longer_interested",
});

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatusGroup {
    InProgress,
    GotHelp,
    NeedsFurtherAction,
}

impl Status {
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
    fn only_two_statuses_ask_more_of_the_seeker() {
        let asking: Vec<_> = Status::ALL
            .into_iter()
            .filter(|s| s.asks_more_of_seeker())
            .collect();
        assert_eq!(asking, [Status::NeedsClientAction, Status::CouldntContact]);
    }
}
