//! The one error type of the application, as it crosses from server to browser.
//!
//! User errors (bad input, no access, a conflict) carry a message for the user, worded in
//! the user's language where it is shown (`message`). Internal
//! errors carry nothing: their cause is logged on the server with `tracing` where they are
//! made (`AppError::internal`), and the user sees a generic apology.

use crate::i18n::{Key, Lang, Msg};
use crate::model::FieldError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Bad input, one message per field, shown next to the field.
    Validation(Vec<FieldError>),
    /// A login that failed; deliberately the same for an unknown email and a wrong password.
    InvalidCredentials,
    Throttled {
        retry_after_minutes: u64,
    },
    Unauthorized,
    Forbidden,
    /// Also the answer for things that exist but the user may not know about.
    NotFound,
    /// Someone else changed the thing in the meantime, or it already exists.
    Conflict(Msg),
    /// A request understood but refused (an expired or altered link); the message says what
    /// to do instead.
    Refused(Msg),
    /// The browser could not reach the server.
    Unreachable,
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

    /// The HTTP status this error means, for server functions and pages.
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) => 422,
            AppError::InvalidCredentials | AppError::Unauthorized => 401,
            AppError::Throttled { .. } => 429,
            AppError::Forbidden | AppError::Refused(_) => 403,
            AppError::NotFound => 404,
            AppError::Conflict(_) => 409,
            AppError::Unreachable => 503,
            AppError::Internal => 500,
        }
    }

    pub fn field(field: &str, message: impl Into<Msg>) -> AppError {
        AppError::Validation(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// The message for one field, if this is a validation error that names it.
    pub fn message_for(&self, field: &str) -> Option<Msg> {
        match self {
            AppError::Validation(errors) => errors
                .iter()
                .find(|e| e.field == field)
                .map(|e| e.message.clone()),
            _ => None,
        }
    }

    /// What the user reads, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let t = lang.strings();
        match self {
            AppError::Validation(_) => t.err_fix_fields.into(),
            AppError::InvalidCredentials => t.err_invalid_credentials.into(),
            AppError::Throttled {
                retry_after_minutes,
            } => Msg::new(Key::err_throttled)
                .with("minutes", retry_after_minutes)
                .render(lang),
            AppError::Unauthorized => t.err_unauthorized.into(),
            AppError::Forbidden => t.err_forbidden.into(),
            AppError::NotFound => t.err_not_found.into(),
            AppError::Conflict(msg) | AppError::Refused(msg) => msg.render(lang),
            AppError::Unreachable => t.err_unreachable.into(),
            AppError::Internal => t.err_internal.into(),
        }
    }
}

/// A change the rules refused (`model::change`): next to its field when it has one, else a
/// conflict with the state as it is now.
impl From<crate::model::Refusal> for AppError {
    fn from(refusal: crate::model::Refusal) -> Self {
        match refusal.field() {
            Some(field) => AppError::field(field, refusal.message()),
            None => AppError::Conflict(refusal.message()),
        }
    }
}

/// English, for logs; users read `message` in their own language.
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => AppError::Unreachable,
            // Arguments that fail to deserialise were posted by hand (a form can't produce
            // them): say so plainly, it is the sender's mistake, not ours.
            ServerFnErrorErr::Args(cause) => {
                tracing::info!("unreadable form arguments: {cause}");
                AppError::field("form", Key::err_bad_form)
            }
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
    pub fn field<T>(&mut self, field: &str, parsed: Result<T, Msg>) -> Option<T> {
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

    pub fn fail(&mut self, field: &str, message: impl Into<Msg>) {
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
        let a: Option<i32> = form.field("email", Err(Key::err_email_shape.into()));
        let b = form.field("name", Ok::<_, Msg>("Ana"));
        form.field::<()>(
            "password",
            Err(Msg::new(Key::err_too_short).with("min", 10)),
        );
        assert_eq!(a, None);
        assert_eq!(b, Some("Ana"));
        let err = form.finish().unwrap_err();
        assert_eq!(err.message_for("email"), Some(Key::err_email_shape.into()));
        let password = err.message_for("password").unwrap();
        assert_eq!(password.render(Lang::En), "Use at least 10 characters.");
        assert_eq!(password.render(Lang::Es), "Use por lo menos 10 caracteres.");
        assert_eq!(err.message_for("name"), None);
    }

    #[test]
    fn each_error_answers_with_the_status_it_means() {
        let cases = [
            (AppError::field("x", Key::err_name_missing), 422),
            (AppError::InvalidCredentials, 401),
            (AppError::Unauthorized, 401),
            (
                AppError::Throttled {
                    retry_after_minutes: 1,
                },
                429,
            ),
            (AppError::Forbidden, 403),
            (AppError::Refused(Key::err_link_expired.into()), 403),
            (AppError::NotFound, 404),
            (AppError::Conflict(Key::err_invitation_used.into()), 409),
            (AppError::Unreachable, 503),
            (AppError::Internal, 500),
        ];
        for (e, status) in cases {
            assert_eq!(e.status(), status, "{e:?}");
        }
    }

    #[test]
    fn every_error_reads_in_both_languages() {
        let all = [
            AppError::field("x", Key::err_name_missing),
            AppError::InvalidCredentials,
            AppError::Throttled {
                retry_after_minutes: 15,
            },
            AppError::Unauthorized,
            AppError::Forbidden,
            AppError::NotFound,
            AppError::Conflict(Key::err_invitation_used.into()),
            AppError::Refused(Key::err_link_expired.into()),
            AppError::Unreachable,
            AppError::Internal,
        ];
        for e in all {
            let (en, es) = (e.message(Lang::En), e.message(Lang::Es));
            assert_ne!(en, es, "{e:?}");
            assert!(!en.contains('{') && !es.contains('{'), "{e:?}: {en} / {es}");
        }
    }
}
