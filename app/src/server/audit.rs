//! The audit layer (`model::audit`): records what a request did that the trail keeps: a
//! refusal (`model::audit::is_refusal`) of any page, endpoint or server function, and the
//! success of an administrator's action or an account change. Contact details shown,
//! logins and exports are recorded where they happen (`api::audit`).

use super::AppState;
use super::identity::RequestIdentity;
use crate::error::AppError;
use crate::model::audit::{AuditEntry, AuditEvent, event_of_success, is_refusal};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// A server function's error, read from its answer (leptos answers every error with 500,
/// the `serverfnerror` header and the error as JSON), and the answer, whole again.
pub async fn server_fn_error(response: Response) -> (Response, Option<AppError>) {
    if !response.headers().contains_key("serverfnerror") {
        return (response, None);
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (Response::from_parts(parts, Body::empty()), None);
    };
    let error = serde_json::from_slice::<AppError>(&bytes).ok();
    (Response::from_parts(parts, Body::from(bytes)), error)
}

/// The layer, inside the no-JavaScript one (it sees a plain post's error before that
/// becomes a redirect back to the form).
pub async fn audit_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let actor = req
        .extensions()
        .get::<RequestIdentity>()
        .and_then(|i| i.0.as_ref().ok().cloned().flatten())
        .map(|identity| identity.user.id);
    let (response, error) = server_fn_error(next.run(req).await).await;
    let status = match &error {
        Some(e) => e.status(),
        None => response.status().as_u16(),
    };
    let event = if is_refusal(status, actor.is_some()) {
        Some(AuditEvent::Refused)
    } else if error.is_none() && (200..400).contains(&status) {
        event_of_success(&path)
    } else {
        None
    };
    if let Some(event) = event {
        let entry = AuditEntry::new(event, actor, &path);
        if let Err(e) = state
            .store
            .record_audit(&[entry], super::clock::now_ms())
            .await
        {
            tracing::error!("the audit log refused an entry: {e}");
        }
    }
    response
}
