//! The one error type of the application, as it crosses from server to browser.
//!
//! User errors (bad input, no access, a conflict) carry a message for the user. Internal
//! errors carry nothing: their cause is logged on the server with `tracing` where they are
//! made (`AppError::internal`), and the user sees a generic apology.

use crate::model::FieldError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Bad input, one message per field, shown next to the field.
    #[error("Please correct the fields marked below.")]
    Validation(Vec<FieldError>),
    /// A login that failed; deliberately the same for an unknown email and a wrong password.
    #[error("That email and password don't match an account.")]
    InvalidCredentials,
    #[error("Too many tries. Please wait {retry_after_minutes} minutes and try again.")]
    Throttled { retry_after_minutes: u64 },
    #[error("Please log in to continue.")]
    Unauthorized,
    #[error("You can't do that here.")]
    Forbidden,
    /// Also the answer for things that exist but the user may not know about.
    #[error("We couldn't find that.")]
    NotFound,
    /// Someone else changed the thing in the meantime, or it already exists.
    #[error("{0}")]
    Conflict(String),
    /// A request understood but refused (an expired or altered link); the message says what
    /// to do instead.
    #[error("{0}")]
    Refused(String),
    /// The browser could not reach the server.
    #[error("We couldn't reach Handoff. Check your connection and try again.")]
    Unreachable,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
}

impl AppError {
    /// Logs the real cause and returns the opaque internal error.
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        let at = std::panic::Location::caller();
        tracing::error!(%at, "internal error: {cause}");
        AppError::Internal
    }

    pub fn field(field: &str, message: impl Into<String>) -> AppError {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// The message for one field, if this is a validation error that names it.
    pub fn message_for(&self, field: &str) -> Option<String> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            // Arguments that fail to deserialise were posted by hand (a form can't produce
            // them): say so plainly, it is the sender's mistake, not ours.
            ServerFnErrorErr::Args(cause) => AppError::field(
                "form",
                format!("The form was not filled in correctly ({cause})."),
            ),
            other => AppError::internal(other),
        }
    }
}

/// Collects field errors while parsing a form, so every bad field is reported at once.
#[derive(Default)]
pub struct FormCheck {
    errors: Vec<FieldError>,
}

impl FormCheck {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the value if it parsed; records the message against `field` if it did not.
    pub fn field<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.push(FieldError {
                    field: field.into(),
                    message,
                });
                None
            }
        }
    }

    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    /// `Ok` when every field parsed; the caller then unwraps the `Option`s it kept.
    pub fn finish(self) -> Result<(), AppError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self.errors))
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_no_cause() {
        let e = AppError::internal("password_hash column missing");
        let wire = serde_json::to_string(&e).unwrap();
        assert!(!wire.contains("password_hash"), "{wire}");
        assert!(!e.to_string().contains("password_hash"));
    }

    #[test]
    fn form_check_reports_every_bad_field() {
        let mut form = FormCheck::new();
        let a: Option<i32> = form.field("email", Err("bad email".into()));
        let b = form.field("name", Ok::<_, String>("Ana"));
        form.field::<()>("password", Err("too short".into()));
        assert_eq!(a, None);
        assert_eq!(b, Some("Ana"));
        let err = form.finish().unwrap_err();
        assert_eq!(err.message_for("email").as_deref(), Some("bad email"));
        assert_eq!(err.message_for("password").as_deref(), Some("too short"));
        assert_eq!(err.message_for("name"), None);
    }
}
