//! The request's identity, read once. A middleware reads the session cookie, loads the
//! signed-in user and what they may see (their groups and programs: `model::Viewer`) and
//! puts them in the request; server functions and pages read them from there
//! (`api::request`), however many of them a page calls. The event stream reads its own:
//! it checks again for as long as it stays open.

use super::AppState;
use super::auth::{cookie_value, session_cookie_name, token_hash};
use super::clock::now_ms;
use super::store::UserRow;
use crate::error::AppError;
use crate::model::Viewer;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The signed-in user and their relations, as loaded for this request.
#[derive(Clone, Debug)]
pub struct Identity {
    pub user: UserRow,
    pub viewer: Viewer,
    /// The names of the user's groups, by name (the header shows them).
    pub group_names: Vec<String>,
    /// The hash of the session token (to end this session, or keep it when others end).
    pub session: String,
}

/// What the middleware found: someone signed in, nobody, or that the database could not
/// say (the error is answered by whatever needs the identity).
#[derive(Clone, Debug)]
pub struct RequestIdentity(pub Result<Option<Arc<Identity>>, AppError>);

/// Server functions the page calls by itself when a live change arrives (a card or a
/// count re-reading): they do not count as the user being active, so an unattended
/// dashboard still reaches the idle timeout.
pub const BACKGROUND_READS: &[&str] = &["/api/referral", "/api/inbound_not_updated"];

/// Paths that never need the identity (files, the health check, the event stream, the
/// public HSDS API).
fn needs_identity(path: &str) -> bool {
    !(path.starts_with("/pkg/")
        || path == "/healthz"
        || path == "/api/events"
        || path == "/hsds"
        || path.starts_with("/hsds/"))
}

pub async fn load_identity(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if needs_identity(path) {
        let background = BACKGROUND_READS.contains(&path);
        let name = session_cookie_name(state.config.secure_cookies());
        let identity = match cookie_value(req.headers(), name) {
            Some(token) => load(&state, token_hash(&token), background).await,
            None => Ok(None),
        };
        req.extensions_mut().insert(RequestIdentity(identity));
    }
    next.run(req).await
}

async fn load(
    state: &AppState,
    session: String,
    background: bool,
) -> Result<Option<Arc<Identity>>, AppError> {
    let now = now_ms();
    let user = if background {
        state.store.session_user(&session, now).await?
    } else {
        // A request the user made counts as activity.
        state.store.session_user_touching(&session, now).await?
    };
    let Some(user) = user else {
        return Ok(None);
    };
    let (viewer, group_names) = state.store.viewer_with_group_names(user.id).await?;
    Ok(Some(Arc::new(Identity {
        user,
        viewer,
        group_names,
        session,
    })))
}
