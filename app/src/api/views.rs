//! Wire types: what a page receives about referrals. Built on the server from store rows
//! after the access rules have run; nothing here is a database row.

use crate::model::capacity::Capacity;
use crate::model::directory::ServiceStatus;
use crate::model::{ContactPreference, PersonId, ProgramId, ReferralId, Role, Status, UserId};
use serde::{Deserialize, Serialize};

/// The seeker's contact details as one viewer may see them. `Withheld` carries nothing, so
/// a withheld email or phone cannot ride along by accident.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SeekerContact {
    Shown {
        email: Option<String>,
        phone: Option<String>,
    },
    Withheld,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistoryKind {
    Created,
    StatusChanged {
        from: Status,
        to: Status,
        comment: Option<String>,
    },
    Note {
        text: String,
    },
    /// The program's staff opened it for the first time.
    Seen,
    ConsentWithdrawn,
    ConsentGiven,
    /// The seeker answered a check-in "still waiting".
    StillWaiting,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: i64,
    pub kind: HistoryKind,
    /// "Ana P., Eastside Community Navigators", as it was at the time.
    pub who: String,
    pub at: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralView {
    pub id: ReferralId,
    /// Sent back with a status change, so a stale change is caught.
    pub version: i64,
    pub status: Status,
    pub program_id: ProgramId,
    pub program_name: String,
    pub program_organization: String,
    pub person_id: PersonId,
    pub seeker_name: String,
    /// The helper and their group, or `None` for a self-referral.
    pub referred_by: Option<String>,
    pub referrer_id: Option<UserId>,
    pub contact_preference: ContactPreference,
    pub contact: SeekerContact,
    pub language: String,
    pub comments: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// Still "Not updated" past the program's response standard.
    pub overdue: bool,
    /// When the program's staff first opened it.
    pub seen_at: Option<i64>,
    /// When the seeker's consent to share contact details was withdrawn (while it is).
    pub consent_withdrawn_at: Option<i64>,
    /// Whether this viewer may withdraw consent (seeker, helper) or give it again (seeker).
    pub may_withdraw_consent: bool,
    pub may_give_consent: bool,
    pub history: Vec<HistoryEntry>,
    pub can_add_note: bool,
    /// The role this viewer acts in from the page that asked.
    pub acting_as: Role,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramCard {
    pub id: ProgramId,
    pub name: String,
    pub organization: String,
    pub description: String,
    pub city: String,
    pub zip: String,
    pub categories: Vec<String>,
    /// Listed but not taking referrals for now (HSDS "temporarily closed").
    pub temporarily_closed: bool,
    pub capacity: Capacity,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramDetails {
    pub id: ProgramId,
    pub name: String,
    pub organization: String,
    pub description: String,
    pub address: String,
    pub city: String,
    pub state_province: String,
    pub zip: String,
    pub service_area: String,
    pub categories: Vec<String>,
    pub languages: Vec<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub hours: String,
    pub url: String,
    pub eligibility: String,
    pub status: ServiceStatus,
    /// No longer in the directory (left its feed, or archived): its referrals stay.
    pub archived: bool,
    /// Takes new referrals (listed and active).
    pub takes_referrals: bool,
    /// When the listing last changed (epoch ms), or when it was made.
    pub last_reviewed: i64,
    pub capacity: Capacity,
    pub capacity_note: String,
    pub claimed: bool,
    /// The signed-in user is staff of this program (may invite colleagues).
    pub i_am_staff: bool,
    /// The program's own response standard in business days, and the deployment's (shown
    /// to its staff only; `None` for anyone else).
    pub response_days: Option<(Option<u32>, u32)>,
    /// Staff or a site administrator: may edit the listing.
    pub i_can_edit: bool,
    /// The signed-in user may ask to claim it (it is unclaimed).
    pub i_can_claim: bool,
}

/// One recorded report export, as the site administrator lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportView {
    pub who: String,
    pub what: String,
    pub filters: String,
    pub rows: Option<i64>,
    pub at: i64,
}
