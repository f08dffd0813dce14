//! Field rules for directory data. Each returns the clean value or the reason it is refused,
//! worded for the operator who reads the import report ("is required", "is not an email
//! address"); the reader attaches the file, row and field.

use super::ServiceStatus;
use crate::model::text::{Shape, TextProblem, check};
use crate::model::{EmailAddress, PhoneNumber};

/// The longest name (of a service or organisation) kept.
pub const NAME_MAX: usize = 200;
/// The longest free text (description, eligibility, hours) kept.
pub const TEXT_MAX: usize = 10_000;

/// The one text rule (`model::text`: feeds written on Windows end lines with CR LF, kept
/// as LF), worded for the import report.
fn checked(value: &str, shape: Shape, max: usize) -> Result<String, String> {
    check(value, shape, max).map_err(|p| match p {
        TextProblem::TooLong(max) => format!(
            "is {} characters long, more than {max}",
            value.trim().chars().count()
        ),
        TextProblem::Control if shape == Shape::Lines => "holds a control character".into(),
        TextProblem::Control => "holds a control character or line break".into(),
        TextProblem::Invisible => {
            "holds an invisible character that changes how it reads (a direction override, a zero-width space)".into()
        }
    })
}

fn check_length(value: &str, max: usize) -> Result<(), String> {
    checked(value, Shape::Line, max).map(|_| ())
}

/// A name: present, one line, at most [`NAME_MAX`] characters.
pub fn name(value: &str) -> Result<String, String> {
    let v = checked(value, Shape::Name, NAME_MAX)?;
    if v.is_empty() {
        return Err("is required".into());
    }
    Ok(v)
}

/// An identifier: present, one line, no spaces around it.
pub fn id(value: &str) -> Result<String, String> {
    let v = checked(value, Shape::Name, NAME_MAX)?;
    if v.is_empty() {
        return Err("is required".into());
    }
    Ok(v)
}

/// Free text, possibly empty, possibly several lines; tabs and line breaks are its only
/// control characters.
pub fn text(value: &str) -> Result<String, String> {
    checked(value, Shape::Lines, TEXT_MAX)
}

/// Short one-line text, possibly empty (a city, a postal code).
pub fn line(value: &str) -> Result<String, String> {
    checked(value, Shape::Line, NAME_MAX)
}

/// An email address or nothing.
pub fn optional_email(value: &str) -> Result<Option<String>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    EmailAddress::parse(value)
        .map(|e| Some(e.as_str().to_string()))
        .map_err(|_| format!("{:?} is not an email address", value.trim()))
}

/// A phone number or nothing. Some feeds quote the number inside the field
/// (`"+44 1234 234567"` with the quotes); those quotes are not part of it.
pub fn optional_phone(value: &str) -> Result<Option<String>, String> {
    let v = value.trim().trim_matches('"').trim();
    if v.is_empty() {
        return Ok(None);
    }
    PhoneNumber::parse(v)
        .map(|p| Some(p.as_str().to_string()))
        .map_err(|_| format!("{v:?} is not a phone number (7 to 15 digits)"))
}

/// A web address people may follow: `http` or `https` only, so a feed cannot put a
/// `javascript:` link on a program page.
pub fn optional_url(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(String::new());
    }
    let lower = v.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    if !scheme_ok || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{v:?} is not an http or https address"));
    }
    check_length(v, 2_000)?;
    Ok(v.to_string())
}

/// A service status; the feed must give one (HSDS requires it).
pub fn status(value: &str) -> Result<ServiceStatus, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("is required".into());
    }
    v.to_lowercase().parse().map_err(|_| {
        let allowed: Vec<&str> = ServiceStatus::ALL.iter().map(|s| s.as_str()).collect();
        format!("{v:?} is not one of {}", allowed.join(", "))
    })
}

/// A category from a taxonomy term's name: lower-cased, one line.
pub fn category(value: &str) -> Result<String, String> {
    line(value).map(|v| v.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_required_single_line_and_capped() {
        assert_eq!(name("  Food Pantry "), Ok("Food Pantry".into()));
        assert_eq!(name(" "), Err("is required".into()));
        assert!(name("two\nlines").is_err());
        assert!(name(&"x".repeat(NAME_MAX)).is_ok());
        assert_eq!(
            name(&"x".repeat(NAME_MAX + 1)),
            Err(format!(
                "is {} characters long, more than {NAME_MAX}",
                NAME_MAX + 1
            ))
        );
    }

    #[test]
    fn text_keeps_line_breaks_but_no_other_control_characters() {
        assert_eq!(text("a\r\nb\tc "), Ok("a\nb\tc".into()));
        assert_eq!(text(""), Ok(String::new()));
        assert!(text("bell\u{7}").is_err());
        assert!(text(&"x".repeat(TEXT_MAX + 1)).is_err());
        assert!(line("a\nb").is_err());
    }

    #[test]
    fn emails_and_phones_are_optional_but_well_formed() {
        assert_eq!(optional_email(""), Ok(None));
        assert_eq!(
            optional_email(" Help@Example.org "),
            Ok(Some("help@example.org".into()))
        );
        assert_eq!(
            optional_email("help@"),
            Err("\"help@\" is not an email address".into())
        );
        assert_eq!(optional_phone(""), Ok(None));
        assert_eq!(
            optional_phone("\"+44 1234 234567\""),
            Ok(Some("+44 1234 234567".into()))
        );
        assert_eq!(
            optional_phone("(223) 346 12361"),
            Ok(Some("(223) 346 12361".into()))
        );
        assert!(optional_phone("call us").is_err());
        assert!(optional_phone("12").is_err());
    }

    #[test]
    fn only_http_addresses_become_links() {
        assert_eq!(optional_url(""), Ok(String::new()));
        assert_eq!(
            optional_url("https://example.org/a"),
            Ok("https://example.org/a".into())
        );
        assert!(optional_url("HTTP://EXAMPLE.ORG").is_ok());
        assert!(optional_url("javascript:alert(1)").is_err());
        assert!(optional_url("example.org").is_err());
        assert!(optional_url("https://exa mple.org").is_err());
    }

    #[test]
    fn statuses_are_the_four_of_hsds() {
        assert_eq!(status("active"), Ok(ServiceStatus::Active));
        assert_eq!(status("Inactive"), Ok(ServiceStatus::Inactive));
        assert_eq!(
            status("temporarily closed"),
            Ok(ServiceStatus::TemporarilyClosed)
        );
        assert_eq!(status(""), Err("is required".into()));
        assert_eq!(
            status("open"),
            Err("\"open\" is not one of active, inactive, defunct, temporarily closed".into())
        );
        assert_eq!(category(" Food "), Ok("food".into()));
    }
}
