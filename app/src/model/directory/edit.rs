//! Editing a listing in the app: its fields, who may change which, the rules a typed value
//! must meet, what a change is (for the program's history), and how a newer feed meets
//! edits made in the app.
//!
//! A site administrator may change every field; a program's own staff the fields that say
//! how to get help (the list: description, hours, languages, contact, eligibility,
//! categories); anyone may *suggest* a change to any field, which an administrator accepts
//! or declines.

use super::check::{NAME_MAX, TEXT_MAX};
use super::{Listing, ServiceStatus};
use crate::i18n::{Key, Msg};
use crate::model::codes::text_codes;
use crate::model::{EmailAddress, PhoneNumber};
use serde::{Deserialize, Serialize};

/// One field of a listing that can be edited.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum ListingField {
    Name,
    Description,
    Status,
    Url,
    Email,
    Phone,
    Address,
    City,
    StateProvince,
    Zip,
    ServiceArea,
    Hours,
    Languages,
    Eligibility,
    Categories,
}

// The codes are also the form's field names.
text_codes!(ListingField {
    Name => "name",
    Description => "description",
    Status => "status",
    Url => "url",
    Email => "email",
    Phone => "phone",
    Address => "address",
    City => "city",
    StateProvince => "state_province",
    Zip => "zip",
    ServiceArea => "service_area",
    Hours => "hours",
    Languages => "languages",
    Eligibility => "eligibility",
    Categories => "categories",
});

impl From<ListingField> for String {
    fn from(f: ListingField) -> String {
        f.as_str().to_string()
    }
}

impl TryFrom<String> for ListingField {
    type Error = crate::model::codes::UnknownCode;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// What a row of a program's history records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum EditKind {
    /// Made in the app, or first read from a feed.
    Listed,
    /// Changed by a site administrator or the program's staff.
    Edited,
    /// A suggestion, accepted by an administrator.
    Suggestion,
    /// Changed by a newer feed.
    Imported,
    Archived,
    Restored,
    /// Whether it takes referrals (its staff say).
    Capacity,
    /// Checked and found current: nothing changed but the date.
    Reviewed,
}

text_codes!(EditKind {
    Listed => "listed",
    Edited => "edited",
    Suggestion => "suggestion",
    Imported => "imported",
    Archived => "archived",
    Restored => "restored",
    Capacity => "capacity",
    Reviewed => "reviewed",
});

impl From<EditKind> for String {
    fn from(k: EditKind) -> String {
        k.as_str().to_string()
    }
}

impl TryFrom<String> for EditKind {
    type Error = crate::model::codes::UnknownCode;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl EditKind {
    pub fn label(self) -> Key {
        match self {
            Self::Listed => Key::history_kind_listed,
            Self::Edited => Key::history_kind_edited,
            Self::Suggestion => Key::history_kind_suggestion,
            Self::Imported => Key::history_kind_imported,
            Self::Archived => Key::history_kind_archived,
            Self::Restored => Key::history_kind_restored,
            Self::Capacity => Key::history_kind_capacity,
            Self::Reviewed => Key::history_kind_reviewed,
        }
    }
}

/// Where a suggestion stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SuggestionState {
    Pending,
    Accepted,
    Declined,
}

text_codes!(SuggestionState {
    Pending => "pending",
    Accepted => "accepted",
    Declined => "declined",
});

/// The most lines a list field (languages, categories) holds.
pub const LIST_MAX: usize = 30;
/// The longest item of a list (a language, a category).
pub const ITEM_MAX: usize = 100;
/// The longest note a suggestion carries.
pub const COMMENT_MAX: usize = 2_000;

/// How a field is typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Line,
    /// Several lines of free text.
    Text,
    /// One item per line.
    List,
    /// One of `ServiceStatus::ALL`.
    Status,
}

impl ListingField {
    pub fn label(self) -> Key {
        match self {
            Self::Name => Key::listing_name,
            Self::Description => Key::listing_description,
            Self::Status => Key::listing_status,
            Self::Url => Key::program_website,
            Self::Email => Key::email,
            Self::Phone => Key::phone,
            Self::Address => Key::program_address,
            Self::City => Key::listing_city,
            Self::StateProvince => Key::listing_state,
            Self::Zip => Key::listing_zip,
            Self::ServiceArea => Key::program_serves,
            Self::Hours => Key::program_hours,
            Self::Languages => Key::program_languages,
            Self::Eligibility => Key::program_eligibility,
            Self::Categories => Key::program_categories,
        }
    }

    pub fn shape(self) -> Shape {
        match self {
            Self::Description | Self::Hours | Self::Eligibility => Shape::Text,
            Self::Languages | Self::Categories => Shape::List,
            Self::Status => Shape::Status,
            _ => Shape::Line,
        }
    }

    /// The field's value as a form shows it (lists one item per line).
    pub fn form_value(self, l: &Listing) -> String {
        match self {
            Self::Languages => l.languages.join("\n"),
            Self::Categories => l.categories.join("\n"),
            _ => self.display(l),
        }
    }

    /// The field's value as the history shows it (lists joined with commas).
    pub fn display(self, l: &Listing) -> String {
        match self {
            Self::Name => l.name.clone(),
            Self::Description => l.description.clone(),
            Self::Status => l.status.as_str().to_string(),
            Self::Url => l.url.clone(),
            Self::Email => l.email.clone().unwrap_or_default(),
            Self::Phone => l.phone.clone().unwrap_or_default(),
            Self::Address => l.address.clone(),
            Self::City => l.city.clone(),
            Self::StateProvince => l.state_province.clone(),
            Self::Zip => l.zip.clone(),
            Self::ServiceArea => l.service_area.clone(),
            Self::Hours => l.hours.clone(),
            Self::Languages => l.languages.join(", "),
            Self::Eligibility => l.eligibility.clone(),
            Self::Categories => l.categories.join(", "),
        }
    }

    /// Whether two listings agree on this field.
    pub fn same(self, a: &Listing, b: &Listing) -> bool {
        match self {
            Self::Languages => a.languages == b.languages,
            Self::Categories => a.categories == b.categories,
            _ => self.display(a) == self.display(b),
        }
    }

    /// Copies this field's value from one listing to another.
    pub fn copy(self, from: &Listing, to: &mut Listing) {
        match self {
            Self::Name => to.name = from.name.clone(),
            Self::Description => to.description = from.description.clone(),
            Self::Status => to.status = from.status,
            Self::Url => to.url = from.url.clone(),
            Self::Email => to.email = from.email.clone(),
            Self::Phone => to.phone = from.phone.clone(),
            Self::Address => to.address = from.address.clone(),
            Self::City => to.city = from.city.clone(),
            Self::StateProvince => to.state_province = from.state_province.clone(),
            Self::Zip => to.zip = from.zip.clone(),
            Self::ServiceArea => to.service_area = from.service_area.clone(),
            Self::Hours => to.hours = from.hours.clone(),
            Self::Languages => to.languages = from.languages.clone(),
            Self::Eligibility => to.eligibility = from.eligibility.clone(),
            Self::Categories => to.categories = from.categories.clone(),
        }
    }

    /// Checks a typed value and writes it into `to`.
    pub fn set(self, raw: &str, to: &mut Listing) -> Result<(), Msg> {
        match self {
            Self::Name => to.name = check_line(raw, true)?,
            Self::Description => to.description = check_text(raw)?,
            Self::Status => {
                to.status = raw
                    .trim()
                    .parse::<ServiceStatus>()
                    .map_err(|_| Msg::new(Key::err_service_status))?
            }
            Self::Url => to.url = check_url(raw)?,
            Self::Email => {
                to.email = optional(raw, |v| EmailAddress::parse(v).map(|e| e.as_str().into()))?
            }
            Self::Phone => {
                to.phone = optional(raw, |v| PhoneNumber::parse(v).map(|p| p.as_str().into()))?
            }
            Self::Address => to.address = check_line(raw, false)?,
            Self::City => to.city = check_line(raw, false)?,
            Self::StateProvince => to.state_province = check_line(raw, false)?,
            Self::Zip => to.zip = check_line(raw, false)?,
            Self::ServiceArea => to.service_area = check_line(raw, false)?,
            Self::Hours => to.hours = check_text(raw)?,
            Self::Languages => to.languages = list(raw, |v| v.to_string())?,
            Self::Eligibility => to.eligibility = check_text(raw)?,
            Self::Categories => to.categories = list(raw, str::to_lowercase)?,
        }
        Ok(())
    }
}

/// Who is changing a listing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editor {
    SiteAdmin,
    /// Staff of the program itself.
    ProgramStaff,
    /// Anyone, proposing a change for an administrator to decide.
    Suggester,
}

/// The fields a program's staff keep current themselves.
pub const STAFF_FIELDS: [ListingField; 8] = [
    ListingField::Description,
    ListingField::Hours,
    ListingField::Languages,
    ListingField::Email,
    ListingField::Phone,
    ListingField::Url,
    ListingField::Eligibility,
    ListingField::Categories,
];

impl Editor {
    pub fn may_change(self, field: ListingField) -> bool {
        match self {
            Editor::SiteAdmin | Editor::Suggester => true,
            Editor::ProgramStaff => STAFF_FIELDS.contains(&field),
        }
    }

    /// The fields this editor's form shows, in form order.
    pub fn fields(self) -> Vec<ListingField> {
        ListingField::ALL
            .into_iter()
            .filter(|f| self.may_change(*f))
            .collect()
    }
}

/// Why a posted form was refused: each message belongs to a field (by its code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormRefusal {
    /// The editor posted a field they may not change (a hand-made form).
    NotAllowed(ListingField),
    Invalid(Vec<(ListingField, Msg)>),
}

/// Applies a posted form to a listing: the fields posted (others keep their value), each
/// checked; every bad value is reported, not just the first.
pub fn apply_form(
    current: &Listing,
    editor: Editor,
    posted: &[(ListingField, String)],
) -> Result<Listing, FormRefusal> {
    let mut next = current.clone();
    let mut problems = Vec::new();
    for (field, raw) in posted {
        if !editor.may_change(*field) {
            return Err(FormRefusal::NotAllowed(*field));
        }
        if let Err(msg) = field.set(raw, &mut next) {
            problems.push((*field, msg));
        }
    }
    if problems.is_empty() {
        Ok(next)
    } else {
        Err(FormRefusal::Invalid(problems))
    }
}

/// One field's change, as the history keeps and shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// A `ListingField` code, or `capacity` / `capacity_note` for a capacity change.
    pub field: String,
    pub before: String,
    pub after: String,
}

/// The fields that differ between two versions of a listing, in form order.
pub fn changed_fields(before: &Listing, after: &Listing) -> Vec<ListingField> {
    ListingField::ALL
        .into_iter()
        .filter(|f| !f.same(before, after))
        .collect()
}

/// What changed between two versions of a listing, for the history.
pub fn changes(before: &Listing, after: &Listing) -> Vec<FieldChange> {
    changed_fields(before, after)
        .into_iter()
        .map(|f| FieldChange {
            field: f.as_str().to_string(),
            before: f.display(before),
            after: f.display(after),
        })
        .collect()
}

/// A listing with the given fields taken from a proposal (an accepted suggestion).
pub fn take_fields(current: &Listing, proposal: &Listing, fields: &[ListingField]) -> Listing {
    let mut next = current.clone();
    for f in fields {
        f.copy(proposal, &mut next);
    }
    next
}

/// Meets a newer feed with the listing as the app holds it (`current`, perhaps edited
/// since) and the feed's previous version (`last_feed`): a field the feed changed takes
/// the feed's new value; a field it left alone keeps the app's, so an edit made in the app
/// survives re-imports until the feed itself changes that field. The organisation is the
/// feed's (an imported organisation is edited at its source).
pub fn merge_feed(current: &Listing, last_feed: &Listing, feed: &Listing) -> Listing {
    let mut merged = current.clone();
    for f in ListingField::ALL {
        if !f.same(last_feed, feed) {
            f.copy(feed, &mut merged);
        }
    }
    merged.hsds_id = feed.hsds_id.clone();
    merged.organization = feed.organization.clone();
    merged
}

/// A name (required) or a short line of text: one line, capped at [`NAME_MAX`].
pub fn check_line(raw: &str, required: bool) -> Result<String, Msg> {
    use crate::model::text::{Shape, check};
    let v = check(raw, Shape::Name, NAME_MAX)
        .map_err(|p| crate::model::fields::text_message(p, false))?;
    if required && v.is_empty() {
        return Err(Msg::new(Key::err_name_missing));
    }
    Ok(v)
}

/// Free text of several lines (browsers post CR LF; Handoff keeps LF).
pub fn check_text(raw: &str) -> Result<String, Msg> {
    use crate::model::text::{Shape, check};
    check(raw, Shape::Lines, TEXT_MAX).map_err(|p| crate::model::fields::text_message(p, false))
}

/// A web address people may follow: http or https only (never `javascript:`).
pub fn check_url(raw: &str) -> Result<String, Msg> {
    super::check::optional_url(raw).map_err(|_| Msg::new(Key::err_url))
}

fn optional(raw: &str, parse: impl Fn(&str) -> Result<String, Msg>) -> Result<Option<String>, Msg> {
    let v = raw.trim();
    if v.is_empty() {
        Ok(None)
    } else {
        parse(v).map(Some)
    }
}

/// One item per line, each a short line; sorted and without repeats, as listings keep them.
fn list(raw: &str, clean: impl Fn(&str) -> String) -> Result<Vec<String>, Msg> {
    let mut items = std::collections::BTreeSet::new();
    for item in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let item = crate::model::text::check(item, crate::model::text::Shape::Line, ITEM_MAX)
            .map_err(|p| crate::model::fields::text_message(p, false))?;
        items.insert(clean(&item));
    }
    if items.len() > LIST_MAX {
        return Err(Msg::new(Key::err_list_long).with("max", LIST_MAX));
    }
    Ok(items.into_iter().collect())
}

/// A suggestion's note: optional, several lines, capped.
pub fn comment(raw: &str) -> Result<String, Msg> {
    let v = check_text(raw)?;
    if v.chars().count() > COMMENT_MAX {
        return Err(Msg::new(Key::err_too_long).with("max", COMMENT_MAX));
    }
    Ok(v)
}

#[cfg(test)]
mod tests;
