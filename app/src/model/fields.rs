//! Domain values parsed once at the edge: if you hold an `EmailAddress`, it is valid.
//!
//! Each `parse` returns a message for the person filling in the form (worded in their
//! language when shown); the caller attaches it to the field it came from (`FieldError`).

use crate::i18n::{Key, Msg};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A message about one form field, shown next to that field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: Msg,
}

/// What the one text rule (`super::text`) found wrong, as a field's message; a name's
/// control characters have their own wording.
pub fn text_message(problem: super::text::TextProblem, name: bool) -> Msg {
    use super::text::TextProblem;
    match problem {
        TextProblem::TooLong(max) => Msg::new(Key::err_too_long).with("max", max),
        TextProblem::Control if name => Key::err_name_control.into(),
        TextProblem::Control => Key::err_text_control.into(),
        TextProblem::Invisible => Key::err_text_invisible.into(),
    }
}

/// A lower-cased email address of plausible shape (`local@domain.tld`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err(Key::err_email_missing.into());
        }
        if s.len() > 254 {
            return Err(Key::err_email_too_long.into());
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(Key::err_email_shape.into());
        };
        // Labels of letters, digits and inner hyphens (fuzzing against lettre found a label
        // that began with one).
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        // A dot-atom: letters, digits and the few signs mail allows, dots only between them.
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        if !(domain_ok && local_ok) {
            return Err(Key::err_email_shape.into());
        }
        Ok(EmailAddress(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A phone number as the person typed it (spaces, dashes, dots, brackets and a leading `+`
/// allowed), with 7 to 15 digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Key::err_phone_missing.into());
        }
        let allowed = s
            .char_indices()
            .all(|(i, c)| c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0));
        let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
        if !allowed || !(7..=15).contains(&digits) {
            return Err(Key::err_phone_shape.into());
        }
        Ok(PhoneNumber(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name (or one part of it): 1 to 100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX: usize = 100;

    pub fn parse(input: &str) -> Result<Self, Msg> {
        use super::text::{Shape, check};
        let s = check(input, Shape::Name, Self::MAX).map_err(|p| text_message(p, true))?;
        if s.is_empty() {
            return Err(Key::err_name_missing.into());
        }
        Ok(PersonName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// "Maria" from "Maria Lopez", for the history's "first name, last initial".
    pub fn first_name_last_initial(&self) -> String {
        let mut words = self.0.split_whitespace();
        let first = words.next().unwrap_or_default();
        match words.last().and_then(|w| w.chars().next()) {
            Some(initial) => format!("{first} {initial}."),
            None => first.to_string(),
        }
    }
}

/// A note or comment: 1 to 2,000 characters after trimming.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoteText(String);

impl NoteText {
    pub const MAX: usize = 2000;

    pub fn parse(input: &str) -> Result<Self, Msg> {
        use super::text::{Shape, TextProblem, check};
        let s = check(input, Shape::Lines, Self::MAX).map_err(|p| match p {
            TextProblem::TooLong(max) => Msg::new(Key::err_note_too_long)
                .with("max", max)
                .with("count", input.trim().chars().count()),
            other => text_message(other, false),
        })?;
        if s.is_empty() {
            return Err(Key::err_note_missing.into());
        }
        Ok(NoteText(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 10 to 128 characters. Only its hash is ever stored; it never
/// serialises and its `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(input: &str) -> Result<Self, Msg> {
        let n = input.chars().count();
        if n < Self::MIN {
            return Err(Msg::new(Key::err_too_short).with("min", Self::MIN));
        }
        if n > Self::MAX {
            return Err(Msg::new(Key::err_too_long).with("max", Self::MAX));
        }
        Ok(Password(input.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

/// A preferred language as a short BCP 47 tag ("en", "es", "pt-BR"). The UI is translated
/// into a few of them; the others still tell a program which language to speak.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Language(String);

impl Language {
    pub fn parse(input: &str) -> Result<Self, Msg> {
        let s = input.trim();
        let mut parts = s.split('-');
        let primary = parts.next().unwrap_or_default();
        let primary_ok =
            (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = parts
            .all(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !primary_ok || !rest_ok {
            return Err(Key::err_language.into());
        }
        Ok(Language(s.to_ascii_lowercase()))
    }

    pub fn english() -> Self {
        Language("en".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            EmailAddress::parse("  Ana@Example.org ").unwrap().as_str(),
            "ana@example.org"
        );
        for good in [
            "a@b.co",
            "first.last+tag@sub.example.com",
            "x@xn--bcher-kva.de",
        ] {
            assert!(EmailAddress::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            " ",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "ana@@example.org",
            "ana @example.org",
            "ana@exa mple.org",
            "ana@.example.org",
            "ana@example..org",
            "ana@example.org.",
            "ana@exam_ple.org",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn phones() {
        for good in [
            "555-123-4567",
            "+1 (555) 123 4567",
            "5551234",
            "07700.900123",
        ] {
            assert!(PhoneNumber::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "123",
            "555-CALL-NOW",
            "1+555",
            "1234567890123456",
            "555\n1234567",
        ] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            PersonName::parse("  Maria José ").unwrap().as_str(),
            "Maria José"
        );
        assert!(PersonName::parse("").is_err());
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse("a\u{0007}b").is_err());
        assert!(PersonName::parse(&"x".repeat(100)).is_ok());
        assert!(PersonName::parse(&"x".repeat(101)).is_err());
        let n = PersonName::parse("Maria de la Cruz").unwrap();
        assert_eq!(n.first_name_last_initial(), "Maria C.");
        assert_eq!(
            PersonName::parse("Cher").unwrap().first_name_last_initial(),
            "Cher"
        );
    }

    #[test]
    fn notes() {
        assert!(NoteText::parse(" \n ").is_err());
        assert!(NoteText::parse(&"é".repeat(2000)).is_ok());
        let err = NoteText::parse(&"é".repeat(2001)).unwrap_err();
        assert!(err.to_string().contains("2001"), "{err}");
    }

    #[test]
    fn passwords_are_bounded_and_redacted() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"p".repeat(129)).is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
    }

    #[test]
    fn languages() {
        assert_eq!(Language::parse("ES").unwrap().as_str(), "es");
        assert_eq!(Language::parse("pt-BR").unwrap().as_str(), "pt-br");
        for bad in ["", "e", "english", "en_US", "12", "en-"] {
            assert!(Language::parse(bad).is_err(), "{bad:?}");
        }
    }
}
