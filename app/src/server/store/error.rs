//! The store's error: a database failure with its source chain, a row the code cannot
//! read, or a refusal meant for the user (not found, a conflict, a rule of
//! `model::change`). It becomes the user-facing `AppError` only at the API edge
//! (`From<StoreError> for AppError`), where an internal cause is logged with its whole
//! chain inside the request's span (so with its request id) and the user gets an apology.

use crate::error::AppError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// Stored data the code cannot read, or an invariant a statement broke.
    #[error("inconsistent data: {0}")]
    Inconsistent(String),
    /// A refusal for the user, passed to the API unchanged.
    #[error("refused: {0:?}")]
    Refused(AppError),
}

impl StoreError {
    pub fn inconsistent(what: impl std::fmt::Display) -> StoreError {
        StoreError::Inconsistent(what.to_string())
    }

    /// The refusal for the user, when this is one (tests and callers that branch on it).
    pub fn refusal(&self) -> Option<&AppError> {
        match self {
            StoreError::Refused(e) => Some(e),
            _ => None,
        }
    }
}

impl From<AppError> for StoreError {
    fn from(e: AppError) -> Self {
        StoreError::Refused(e)
    }
}

impl From<crate::model::Refusal> for StoreError {
    fn from(refusal: crate::model::Refusal) -> Self {
        StoreError::Refused(refusal.into())
    }
}

/// "database error: error returned from database: relation \"x\" does not exist": every
/// cause, outermost first.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        out.push_str(": ");
        out.push_str(&cause.to_string());
        source = cause.source();
    }
    out
}

impl From<StoreError> for AppError {
    #[track_caller]
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Refused(e) => e,
            internal => {
                let at = std::panic::Location::caller();
                tracing::error!(%at, error = %chain(&internal), "internal error");
                AppError::Internal
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_passes_through_and_a_failure_becomes_an_apology() {
        let refused = StoreError::from(AppError::NotFound);
        assert_eq!(refused.refusal(), Some(&AppError::NotFound));
        assert_eq!(AppError::from(refused), AppError::NotFound);
        let failed = StoreError::Database(sqlx::Error::RowNotFound);
        assert_eq!(failed.refusal(), None);
        assert_eq!(
            chain(&failed),
            "database error: no rows returned by a query that expected to return at least one row"
        );
        assert_eq!(AppError::from(failed), AppError::Internal);
    }
}
