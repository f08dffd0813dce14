//! The HSDS 3.0 API, read-only and public: the directory as other systems read it (211s,
//! directory vendors, another Handoff). It answers only with directory data (programs,
//! organisations, categories), never referrals or people, and any site may read it
//! (`Access-Control-Allow-Origin: *`). Archived programs are not in it.

use crate::model::directory::export;
use crate::model::time::{format_rfc3339, parse_timestamp};
use crate::server::AppState;
use crate::server::store::ServiceFilter;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The most a page holds; 50 unless asked.
pub const PER_PAGE_MAX: u64 = 500;
const PER_PAGE_DEFAULT: u64 = 50;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hsds", get(about))
        .route("/hsds/services", get(services))
        .route("/hsds/services/{id}", get(service))
        .route("/hsds/organizations", get(organizations))
        .route("/hsds/taxonomies", get(taxonomies))
        .route("/hsds/taxonomy_terms", get(taxonomy_terms))
}

/// A JSON answer any site may read; public data, so shared caches may keep it a minute.
fn answer(status: StatusCode, body: Value) -> Response {
    let mut response = (status, axum::Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}

fn bad_request(parameter: &str, reason: &str) -> Response {
    answer(
        StatusCode::BAD_REQUEST,
        json!({"error": format!("{parameter}: {reason}"), "parameter": parameter}),
    )
}

fn failed(e: impl std::fmt::Display) -> Response {
    tracing::error!("HSDS API: {e}");
    answer(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({"error": "the directory could not be read"}),
    )
}

/// `page` and `per_page`, checked: or the 400 answer naming the parameter.
fn paging(q: &HashMap<String, String>) -> Result<(u64, u64), Box<Response>> {
    let number = |name: &str, default: u64, max: u64| -> Result<u64, Box<Response>> {
        match q.get(name).map(|v| v.trim()) {
            None | Some("") => Ok(default),
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (1..=max).contains(&n) => Ok(n),
                _ => Err(Box::new(bad_request(
                    name,
                    &format!("must be a whole number from 1 to {max}"),
                ))),
            },
        }
    };
    Ok((
        number("page", 1, u32::MAX as u64)?,
        number("per_page", PER_PAGE_DEFAULT, PER_PAGE_MAX)?,
    ))
}

/// `GET /hsds`: what this API is.
async fn about() -> Response {
    answer(
        StatusCode::OK,
        json!({
            "version": export::HSDS_VERSION,
            "profile": "https://docs.openreferral.org/en/v3.0/",
            "openapi_url": "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json",
        }),
    )
}

fn text_param(q: &HashMap<String, String>, name: &str) -> Option<String> {
    q.get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `GET /hsds/services`: a page of services, filtered.
async fn services(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (page, per_page) = match paging(&q) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let modified_after = match text_param(&q, "modified_after") {
        None => None,
        Some(v) => match parse_timestamp(&v) {
            Some(t) => Some(t),
            None => {
                return bad_request(
                    "modified_after",
                    "must be a date (2026-12-01) or an RFC 3339 date-time (2026-12-01T09:30:00Z)",
                );
            }
        },
    };
    let filter = ServiceFilter {
        id: None,
        search: text_param(&q, "search").unwrap_or_default(),
        taxonomy_term_id: text_param(&q, "taxonomy_term_id"),
        organization_id: text_param(&q, "organization_id"),
        modified_after,
        page,
        per_page,
    };
    match state.store.directory_services(&filter).await {
        Ok((total, listings)) => {
            let contents = listings
                .iter()
                .map(|(l, modified)| export::service_full(l, &format_rfc3339(*modified)))
                .collect();
            answer(
                StatusCode::OK,
                export::page(contents, total, page, per_page),
            )
        }
        Err(e) => failed(e),
    }
}

/// `GET /hsds/services/{id}`: one service, in full.
async fn service(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let filter = ServiceFilter {
        id: Some(id),
        page: 1,
        per_page: 1,
        ..ServiceFilter::default()
    };
    match state.store.directory_services(&filter).await {
        Ok((_, listings)) => match listings.first() {
            Some((l, modified)) => answer(
                StatusCode::OK,
                export::service_full(l, &format_rfc3339(*modified)),
            ),
            None => answer(
                StatusCode::NOT_FOUND,
                json!({"error": "no such service in the directory"}),
            ),
        },
        Err(e) => failed(e),
    }
}

/// `GET /hsds/organizations`: the organisations with a program in the directory.
async fn organizations(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (page, per_page) = match paging(&q) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    match state.store.directory_organizations(page, per_page).await {
        Ok((total, orgs)) => {
            let contents = orgs.iter().map(export::organization).collect();
            answer(
                StatusCode::OK,
                export::page(contents, total, page, per_page),
            )
        }
        Err(e) => failed(e),
    }
}

/// `GET /hsds/taxonomies`: the one taxonomy, the directory's categories.
async fn taxonomies(Query(q): Query<HashMap<String, String>>) -> Response {
    let (page, per_page) = match paging(&q) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    let contents = if page == 1 {
        vec![export::taxonomy()]
    } else {
        vec![]
    };
    answer(StatusCode::OK, export::page(contents, 1, page, per_page))
}

/// `GET /hsds/taxonomy_terms`: the categories in use by listed programs.
async fn taxonomy_terms(
    State(state): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (page, per_page) = match paging(&q) {
        Ok(p) => p,
        Err(r) => return *r,
    };
    match state.store.directory_terms(page, per_page).await {
        Ok((total, terms)) => {
            let contents = terms.iter().map(|t| export::taxonomy_term(t)).collect();
            answer(
                StatusCode::OK,
                export::page(contents, total, page, per_page),
            )
        }
        Err(e) => failed(e),
    }
}
