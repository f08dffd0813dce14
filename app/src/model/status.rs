//! Referral statuses and the groups users see them in (SPEC: "Statuses").

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

    /// The English label (translations arrive with the i18n work).
    pub fn label(self) -> &'static str {
        match self {
            Status::NotUpdated => "Not updated",
            Status::NeedsClientAction => "Needs client action",
            Status::Pending => "Pending",
            Status::ReferredElsewhere => "Referred elsewhere",
            Status::Eligible => "Eligible",
            Status::GotHelp => "Got help",
            Status::CouldntContact => "Couldn't contact",
            Status::NotEligible => "Not eligible",
            Status::NoCapacity => "No capacity",
            Status::CouldntGetHelp => "Couldn't get help",
            Status::NoLongerInterested => "No longer interested",
        }
    }

    /// A program status that asks the seeker for something: these reach the seeker by email.
    /// The label in Spanish (emails today; the whole UI with the translation work).
    pub fn label_es(self) -> &'static str {
        match self {
            Status::NotUpdated => "Sin actualizar",
            Status::NeedsClientAction => "Se necesita algo de usted",
            Status::Pending => "Pendiente",
            Status::ReferredElsewhere => "Enviado a otro lugar",
            Status::Eligible => "Califica",
            Status::GotHelp => "Recibió ayuda",
            Status::CouldntContact => "No pudimos comunicarnos",
            Status::NotEligible => "No califica",
            Status::NoCapacity => "Sin cupo",
            Status::CouldntGetHelp => "No pudo recibir ayuda",
            Status::NoLongerInterested => "Ya no le interesa",
        }
    }

    /// The label in `language` (an ISO 639-1 code), English where there is no translation.
    pub fn label_in(self, language: &str) -> &'static str {
        match language {
            "es" => self.label_es(),
            _ => self.label(),
        }
    }

    pub fn asks_more_of_seeker(self) -> bool {
        matches!(self, Status::NeedsClientAction | Status::CouldntContact)
    }
}

impl StatusGroup {
    pub fn label(self) -> &'static str {
        match self {
            StatusGroup::InProgress => "In progress",
            StatusGroup::GotHelp => "Got help",
            StatusGroup::NeedsFurtherAction => "Needs further action",
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
            assert_eq!(status.label(), label);
            assert_eq!(status.group(), group, "{label}");
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
