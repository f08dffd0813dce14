//! The directory as Open Referral HSDS feeds describe it, and the rules of loading one.
//!
//! A feed (an HSDS Tabular Data Package or HSDS JSON) is read into [`Listing`]s, one per HSDS
//! service, by [`tabular`] and [`json`]; every bad value becomes a [`Problem`] that names its
//! file, row (or JSON path), field and reason. [`plan::plan_import`] then compares the
//! listings with what the database holds from the same feed. All of it is pure: the server
//! reads the files and writes the plan (`server::hsds`, `server::store::directory`).

pub mod check;
pub mod edit;
pub mod export;
pub mod json;
pub mod plan;
pub mod search;
pub mod tabular;

use crate::model::codes::text_codes;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// An HSDS service's status. Only active and temporarily closed services are found by
/// search; only active ones take referrals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum ServiceStatus {
    #[default]
    Active,
    Inactive,
    Defunct,
    TemporarilyClosed,
}

text_codes!(ServiceStatus {
    Active => "active",
    Inactive => "inactive",
    Defunct => "defunct",
    TemporarilyClosed => "temporarily closed",
});

impl From<ServiceStatus> for String {
    fn from(s: ServiceStatus) -> String {
        s.as_str().to_string()
    }
}

impl TryFrom<String> for ServiceStatus {
    type Error = crate::model::codes::UnknownCode;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl ServiceStatus {
    /// Shown in directory search (a temporarily closed service is shown, marked closed).
    pub fn searchable(self) -> bool {
        matches!(self, Self::Active | Self::TemporarilyClosed)
    }

    /// Takes new referrals.
    pub fn takes_referrals(self) -> bool {
        self == Self::Active
    }

    /// What people read.
    pub fn label(self) -> crate::i18n::Key {
        use crate::i18n::Key;
        match self {
            Self::Active => Key::service_status_active,
            Self::Inactive => Key::service_status_inactive,
            Self::Defunct => Key::service_status_defunct,
            Self::TemporarilyClosed => Key::service_status_temporarily_closed,
        }
    }
}

/// The organisation that delivers a service, as the feed describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    pub hsds_id: String,
    pub name: String,
    pub description: String,
    /// Empty when the feed gives none.
    pub email: String,
    pub url: String,
}

/// One HSDS service, in the shape Handoff keeps a program. Text is trimmed; lists are sorted
/// and without repeats, so two readings of the same data compare equal.
/// Kept as JSON too: the feed's last version of a listing (see `edit::merge_feed`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    pub hsds_id: String,
    pub name: String,
    pub description: String,
    pub status: ServiceStatus,
    pub organization: Organization,
    pub url: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// Street lines, joined with ", ".
    pub address: String,
    pub city: String,
    pub state_province: String,
    pub zip: String,
    /// Opening hours as people read them ("Mon–Fri 09:00–17:00" or the feed's own words).
    pub hours: String,
    /// Language codes (or names, where the feed gives no code).
    pub languages: Vec<String>,
    pub service_area: String,
    pub eligibility: String,
    /// Taxonomy term names, lower-cased: the directory's categories.
    pub categories: Vec<String>,
}

impl Listing {
    /// Sorts and deduplicates the lists, so equal content compares equal.
    pub fn normalized(mut self) -> Self {
        for list in [&mut self.languages, &mut self.categories] {
            let set: BTreeSet<String> = list.drain(..).filter(|s| !s.is_empty()).collect();
            list.extend(set);
        }
        self
    }
}

/// Where in a feed a value was read.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Place {
    /// A file as a whole (missing, unreadable, not the expected shape).
    File { file: String },
    /// A CSV row; `line` counts the header as line 1.
    Row { file: String, line: u64 },
    /// A value in a JSON document, by its path (`[2].phones[0].number`).
    Json { file: String, path: String },
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Place::File { file } => write!(f, "{file}"),
            Place::Row { file, line } => write!(f, "{file} line {line}"),
            Place::Json { file, path } => write!(f, "{file} at {path}"),
        }
    }
}

/// One thing wrong with a feed: where, which field, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Problem {
    pub place: Place,
    pub field: String,
    pub reason: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.place, self.reason)
        } else {
            write!(f, "{}, {}: {}", self.place, self.field, self.reason)
        }
    }
}

/// What reading a feed gave: the listings that are whole, every problem found, and the
/// HSDS ids of services left out because a row they are built from has a problem.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub listings: Vec<Listing>,
    pub problems: Vec<Problem>,
    /// Services (by HSDS id) not read because of a problem: never archived for being absent.
    pub invalid_services: BTreeSet<String>,
    /// A file could not be read whole (missing descriptor, broken CSV, not JSON): the
    /// feed is incomplete, so nothing may be written from it, even skipping what is invalid
    /// (what it lacks would be archived).
    pub incomplete: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_active_and_temporarily_closed_services_are_found_and_only_active_take_referrals() {
        let found: Vec<_> = ServiceStatus::ALL
            .into_iter()
            .filter(|s| s.searchable())
            .collect();
        assert_eq!(
            found,
            [ServiceStatus::Active, ServiceStatus::TemporarilyClosed]
        );
        let taking: Vec<_> = ServiceStatus::ALL
            .into_iter()
            .filter(|s| s.takes_referrals())
            .collect();
        assert_eq!(taking, [ServiceStatus::Active]);
        assert_eq!(
            "temporarily closed".parse::<ServiceStatus>(),
            Ok(ServiceStatus::TemporarilyClosed)
        );
        assert!("closed".parse::<ServiceStatus>().is_err());
    }

    #[test]
    fn a_problem_names_file_row_field_and_reason() {
        let p = Problem {
            place: Place::Row {
                file: "services.csv".into(),
                line: 3,
            },
            field: "status".into(),
            reason: "\"open\" is not one of active, inactive, defunct, temporarily closed".into(),
        };
        assert_eq!(
            p.to_string(),
            "services.csv line 3, status: \"open\" is not one of active, inactive, defunct, temporarily closed"
        );
        let j = Place::Json {
            file: "feed.json".into(),
            path: "[0].phones[1].number".into(),
        };
        assert_eq!(j.to_string(), "feed.json at [0].phones[1].number");
    }

    #[test]
    fn normalized_listings_compare_by_content() {
        let a = Listing {
            languages: vec!["es".into(), "en".into(), "es".into()],
            categories: vec!["food".into(), "".into()],
            ..Listing::default()
        }
        .normalized();
        assert_eq!(a.languages, ["en", "es"]);
        assert_eq!(a.categories, ["food"]);
    }
}
