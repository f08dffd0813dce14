//! `GET /reports/export.csv`: a report's figures, or the referral rows behind them, as CSV
//! (RFC 4180, UTF-8, one header row, ISO dates). Rows pass the access rules one by one
//! (a row the exporter may not see on a dashboard is not exported), carry contact details
//! only where `model::report::export_shows_contact` allows, and stream a page at a time.
//! Every export is recorded (`report_exports`) before its first byte.

use crate::model::report::{ReportScope, Share, export_role, export_shows_contact};
use crate::model::time::format_rfc3339;
use crate::model::{ReferralId, Relations, Viewer};
use crate::server::AppState;
use crate::server::clock::now_ms;
use crate::server::identity::RequestIdentity;
use crate::server::reports::{ReportQuery, compute, resolve};
use crate::server::store::{ReferralListRow, ReportFilter, Store};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

pub fn routes() -> Router<AppState> {
    Router::new().route("/reports/export.csv", get(export))
}

#[derive(serde::Deserialize)]
struct ExportQuery {
    #[serde(flatten)]
    report: ReportQuery,
    /// `figures` or `rows`.
    #[serde(default)]
    what: String,
    /// `1`: include contact details where the exporter may see them.
    #[serde(default)]
    contact: String,
}

async fn export(
    State(state): State<AppState>,
    Extension(RequestIdentity(identity)): Extension<RequestIdentity>,
    Query(q): Query<ExportQuery>,
) -> Response {
    let user = match identity {
        Ok(Some(i)) => i.user.clone(),
        Ok(None) => {
            return (StatusCode::UNAUTHORIZED, "Log in to export a report.").into_response();
        }
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let request = match resolve(&state.store, &user, &q.report).await {
        Ok(r) => r,
        Err(e) => {
            return (
                StatusCode::from_u16(e.status()).unwrap_or(StatusCode::FORBIDDEN),
                "You cannot export this report.",
            )
                .into_response();
        }
    };
    if request.filter_errors.is_some() {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            "A filter could not be read: fix it on the Reports page first.",
        )
            .into_response();
    }
    let include_contact = q.contact == "1";
    let what = match (q.what.as_str(), include_contact) {
        ("figures" | "", _) => "figures",
        ("rows", false) => "rows",
        ("rows", true) => "rows_with_contact",
        _ => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Export `figures` or `rows`.",
            )
                .into_response();
        }
    };
    let filters = q.report.encoded(request.scope);
    let now = now_ms();
    let record = match state
        .store
        .record_export(user.id, what, &filters, now)
        .await
    {
        Ok(id) => id,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let entry = crate::model::audit::AuditEntry {
        detail: format!("{what} (export {record}): {filters}"),
        ..crate::model::audit::AuditEntry::new(
            crate::model::audit::AuditEvent::Export,
            Some(user.id),
            "/reports/export.csv",
        )
    };
    if state.store.record_audit(&[entry], now).await.is_err() {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let day = crate::model::time::format_date(now);
    let body = if what == "figures" {
        match figures_csv(&state.store, request.scope, &request.filter, now).await {
            Ok((csv, rows)) => {
                let _ = state.store.finish_export(record, rows).await;
                axum::body::Body::from(csv)
            }
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    } else {
        let viewer = match state.store.viewer(user.id).await {
            Ok(v) => v,
            Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
        };
        axum::body::Body::from_stream(rows_stream(
            state.store.clone(),
            viewer,
            request.scope,
            request.filter,
            include_contact,
            record,
        ))
    };
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"handoff-{what}-{day}.csv\""
    )) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

fn csv_line(fields: &[&str]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(fields);
    w.into_inner().unwrap_or_default()
}

/// Each figure a line: its name, what it names (a program or category in the top lists, a
/// status), its count, what it is a share of, and the percent.
async fn figures_csv(
    store: &Store,
    scope: ReportScope,
    filter: &ReportFilter,
    now: i64,
) -> Result<(Vec<u8>, i64), crate::server::store::StoreError> {
    let (f, _) = compute(store, scope, filter, now).await?;
    let mut out = csv_line(&["figure", "name", "count", "of", "percent"]);
    let mut line = |figure: &str, name: &str, count: String, of: String, percent: String| {
        out.extend(csv_line(&[figure, name, &count, &of, &percent]));
    };
    let total = f.referrals.to_string();
    line("referrals", "", total.clone(), String::new(), String::new());
    line(
        "self_referrals",
        "",
        f.self_referrals.to_string(),
        total.clone(),
        String::new(),
    );
    line(
        "helper_referrals",
        "",
        f.helper_referrals.to_string(),
        total.clone(),
        String::new(),
    );
    let share = |s: Option<Share>| match s {
        Some(s) => (
            s.part.to_string(),
            s.whole.to_string(),
            s.percent().map(|p| format!("{p:.1}")).unwrap_or_default(),
        ),
        None => Default::default(),
    };
    for (figure, s) in [
        ("loop_closed", f.closed),
        ("got_help_of_closed", f.got_help_of_closed),
        ("answered_within_standard", f.answered_within_standard),
        ("not_updated_after_7_days", f.not_updated_after_7_days),
        ("not_updated_after_30_days", f.not_updated_after_30_days),
    ] {
        let (part, whole, percent) = share(s);
        line(figure, "", part, whole, percent);
    }
    // A response time is the bound of its step, in hours; past the last step, "more than a year".
    for (figure, step) in [
        ("first_response_median_within_hours", f.response_median),
        ("first_response_p90_within_hours", f.response_p90),
    ] {
        let (name, hours) = match step.map(|s| s.bound_ms()) {
            Some(Some(ms)) => ("", format!("{:.2}", ms as f64 / 3_600_000.0)),
            Some(None) => ("more_than_a_year", String::new()),
            None => ("", String::new()),
        };
        line(figure, name, hours, String::new(), String::new());
    }
    for (status, n) in &f.by_status {
        line(
            "status",
            status.as_str(),
            n.to_string(),
            total.clone(),
            String::new(),
        );
    }
    for p in &f.over_time {
        let day = crate::model::time::format_day(p.first_day);
        line(
            "made_self",
            &day,
            p.self_referrals.to_string(),
            String::new(),
            String::new(),
        );
        line(
            "made_by_helper",
            &day,
            p.helper_referrals.to_string(),
            String::new(),
            String::new(),
        );
    }
    if let Some(top) = &f.top {
        for (figure, rows) in [
            ("top_program_by_received", &top.programs_by_received),
            ("top_program_by_closure", &top.programs_by_closure),
            ("top_category_by_received", &top.categories_by_received),
            ("top_category_by_closure", &top.categories_by_closure),
        ] {
            for r in rows {
                let (part, whole, percent) = share(Some(r.closure()));
                line(figure, &r.name, part, whole, percent);
            }
        }
    }
    Ok((out, f.referrals as i64))
}

/// The rows, a page at a time: memory holds one page, whatever the export's size.
fn rows_stream(
    store: Store,
    viewer: Viewer,
    scope: ReportScope,
    filter: ReportFilter,
    include_contact: bool,
    record: i64,
) -> impl futures::Stream<Item = Result<Vec<u8>, std::io::Error>> {
    let mut header = vec![
        "referral_id",
        "created_at",
        "program",
        "organization",
        "referred_by",
        "status",
        "status_group",
        "first_response_at",
        "seeker",
    ];
    if include_contact {
        header.extend(["contact_email", "contact_phone"]);
    }
    let first = csv_line(&header);
    // (after this id, rows written, the header still to send, done)
    let start = (ReferralId(0), 0i64, Some(first), false);
    // Fused: the compression layer polls once more after the end, which `unfold` forbids.
    futures::StreamExt::fuse(futures::stream::unfold(
        start,
        move |(after, written, header, done)| {
            let (store, viewer, filter) = (store.clone(), viewer.clone(), filter.clone());
            async move {
                if let Some(h) = header {
                    return Some((Ok(h), (after, written, None, false)));
                }
                if done {
                    return None;
                }
                let page = match store.report_export_page(scope, &filter, after).await {
                    Ok(p) => p,
                    Err(e) => {
                        return Some((
                            Err(std::io::Error::other(e.to_string())),
                            (after, written, None, true),
                        ));
                    }
                };
                let Some(last) = page.last().map(|r| r.id) else {
                    let _ = store.finish_export(record, written).await;
                    return None;
                };
                let mut out = Vec::new();
                let mut count = 0;
                let mut shown = Vec::new();
                for row in &page {
                    if let Some((line, with_contact)) =
                        export_line(&viewer, scope, row, include_contact)
                    {
                        out.extend(line);
                        count += 1;
                        if with_contact {
                            shown.push(row.id);
                        }
                    }
                }
                // Each row's contact details, exported, are in the audit trail first.
                if let Err(e) = crate::api::audit::contact_shown(
                    &store,
                    Some(viewer.user),
                    "",
                    &shown,
                    "export",
                )
                .await
                {
                    return Some((
                        Err(std::io::Error::other(e.to_string())),
                        (after, written, None, true),
                    ));
                }
                Some((Ok(out), (last, written + count, None, false)))
            }
        },
    ))
}

/// One row as the exporter may see it, and whether it holds contact details; `None` when
/// they may not see the referral.
fn export_line(
    viewer: &Viewer,
    scope: ReportScope,
    row: &ReferralListRow,
    include_contact: bool,
) -> Option<(Vec<u8>, bool)> {
    let facts = row.facts();
    let relations = Relations::of(Some(viewer), &facts);
    if !relations.may_see() {
        return None;
    }
    let role = export_role(scope, relations)?;
    let referred_by = match &row.referrer_name {
        Some(name) => match &row.group_name {
            Some(group) => format!("{}, {group}", crate::model::change::short_name(name)),
            None => crate::model::change::short_name(name),
        },
        None => "self".to_string(),
    };
    let status_group = match row.status.group() {
        crate::model::StatusGroup::InProgress => "in_progress",
        crate::model::StatusGroup::GotHelp => "got_help",
        crate::model::StatusGroup::NeedsFurtherAction => "needs_further_action",
    };
    let mut fields = vec![
        row.id.to_string(),
        format_rfc3339(row.created_at),
        row.program_name.clone(),
        row.program_organization.clone(),
        referred_by,
        row.status.as_str().to_string(),
        status_group.to_string(),
        row.first_response_at
            .map(format_rfc3339)
            .unwrap_or_default(),
        format!("{} {}", row.first_name, row.last_name),
    ];
    let mut with_contact = false;
    if include_contact {
        if export_shows_contact(true, relations, role, facts.contact_preference) {
            fields.push(row.contact_email.clone().unwrap_or_default());
            fields.push(row.contact_phone.clone().unwrap_or_default());
            with_contact = true;
        } else {
            fields.extend([String::new(), String::new()]);
        }
    }
    let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
    Some((csv_line(&refs), with_contact))
}
