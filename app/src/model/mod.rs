//! The typed referral model and the SPEC's rules as pure functions.
//!
//! Nothing in here does I/O or depends on a feature flag: the same code runs on the server
//! (where it decides) and in the browser (where it only shapes what is shown). If you want to
//! know "who may see this referral" or "who is emailed when the program changes a status",
//! the answer is one function in this module.

pub mod access;
pub mod audit;
pub mod calendar;
pub mod capacity;
pub mod change;
pub mod codes;
pub mod contact;
pub mod directory;
pub mod email;
pub mod fields;
pub mod follow_up;
pub mod ids;
pub mod live;
pub mod notify;
pub mod report;
pub mod status;
pub mod text;
pub mod time;

pub use access::{GroupRole, ReferralFacts, Relations, Role, Viewer};
pub use change::{Actor, Decision, Refusal, Standing};
pub use contact::ContactPreference;
pub use fields::{EmailAddress, FieldError, Language, NoteText, Password, PersonName, PhoneNumber};
pub use live::ChangeKind;
pub use notify::{
    Channel, EmailKind, Event, Notification, NotifyFacts, OutboxState, Recipient, notifications_for,
};
pub use status::{Status, StatusGroup};

pub use ids::{
    ClaimId, GroupId, InvitationId, OrganizationId, OutboxId, PersonId, ProgramId, ReferralId,
    UserId,
};
