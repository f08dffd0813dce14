//! `/reports`: is the loop closing? The figures of one scope (a program, a group's
//! referrals, or all), each with its definition, a chart where a picture helps, and the
//! same numbers as a table. Server-rendered SVG: no JavaScript needed.

use super::error_view;
use crate::api::reports::report;
use crate::i18n::{Strings, fill};
use crate::model::StatusGroup;
use crate::model::report::{Figures, ResponseStep, Share, TopRow};
use crate::ui::components::form::{FormAlert, field_message};
use crate::ui::{page_title, use_lang, use_strings};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Reports() -> impl IntoView {
    let query = use_query_map();
    let param = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let page = Resource::new(
        move || {
            (
                param("scope"),
                param("from"),
                param("to"),
                param("category"),
                param("status_group"),
                (param("program"), param("group"), param("helper")),
            )
        },
        |(scope, from, to, category, status_group, (program, group, helper))| {
            report(
                scope,
                from,
                to,
                category,
                status_group,
                program,
                group,
                helper,
            )
        },
    );
    let (t, lang) = (use_strings(), use_lang());
    view! {
        <Title text=page_title(t.report_title) />
        <h1>{t.report_title}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let errors = Signal::stored(p.filter_errors.clone());
                        let (from_msg, to_msg) = (field_message(errors, "from"), field_message(errors, "to"));
                        let category = param("category");
                        let group = param("status_group");
                        view! {
                            <FormAlert error=errors />
                            <form method="get" action="/reports" class="search filters">
                                <div class="field">
                                    <label for="report-scope">{t.report_scope}</label>
                                    <select id="report-scope" name="scope">
                                        {p.scopes.iter().map(|(code, label)| view! {
                                            <option value=code.clone() selected=*code == p.scope>{label.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="report-from">{t.inbound_from}</label>
                                    <input id="report-from" name="from" type="date" value=param("from")
                                        aria-invalid=move || from_msg.get().map(|_| "true") aria-describedby="report-from-error" />
                                    <p class="field-error" id="report-from-error">{move || from_msg.get()}</p>
                                </div>
                                <div class="field">
                                    <label for="report-to">{t.inbound_to}</label>
                                    <input id="report-to" name="to" type="date" value=param("to")
                                        aria-invalid=move || to_msg.get().map(|_| "true") aria-describedby="report-to-error" />
                                    <p class="field-error" id="report-to-error">{move || to_msg.get()}</p>
                                </div>
                                <div class="field">
                                    <label for="report-category">{t.report_category}</label>
                                    <select id="report-category" name="category">
                                        <option value="">{t.report_any_category}</option>
                                        {p.categories.iter().map(|c| view! {
                                            <option value=c.clone() selected=*c == category>{c.clone()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="report-group">{t.report_status_group}</label>
                                    <select id="report-group" name="status_group">
                                        <option value="">{t.report_any_status_group}</option>
                                        {[("in_progress", StatusGroup::InProgress), ("got_help", StatusGroup::GotHelp), ("needs_further_action", StatusGroup::NeedsFurtherAction)]
                                            .into_iter()
                                            .map(|(code, g)| view! { <option value=code selected=group == code>{g.label(lang)}</option> })
                                            .collect_view()}
                                    </select>
                                </div>
                                <IdFilter id="report-program" name="program" label=t.report_program
                                    any=t.report_any_program choices=p.programs.clone() chosen=param("program") errors />
                                <IdFilter id="report-group-filter" name="group" label=t.report_group
                                    any=t.report_any_group choices=p.groups.clone() chosen=param("group") errors />
                                <IdFilter id="report-helper" name="helper" label=t.report_helper_filter
                                    any=t.report_any_helper choices=p.helpers.clone() chosen=param("helper") errors />
                                <button type="submit">{t.inbound_show}</button>
                            </form>
                            <FiguresView f=p.figures scope=p.scope.clone() />
                            <ExportForm scope=p.scope.clone() filters=["from", "to", "category", "status_group", "program", "group", "helper"]
                                .into_iter().map(|k| (k, param(k))).collect() />
                        }.into_any()
                    }
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}

/// One of the program, group and helper filters: a select of what the scope offers, left
/// out where it offers nothing (and kept if one was chosen, so it can be cleared).
#[component]
fn IdFilter(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    any: &'static str,
    choices: Vec<(i64, String)>,
    chosen: String,
    errors: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    if choices.is_empty() && chosen.is_empty() {
        return ().into_any();
    }
    let message = field_message(errors, name);
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name aria-invalid=move || message.get().map(|_| "true") aria-describedby=error_id.clone()>
                <option value="">{any}</option>
                {choices.into_iter().map(|(value, text)| {
                    let value = value.to_string();
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id=error_id>{move || message.get()}</p>
        </div>
    }
    .into_any()
}

/// Download the figures, or the rows behind them, as CSV (a plain GET form: it works
/// without JavaScript). The server decides again what the rows may hold.
#[component]
fn ExportForm(scope: String, filters: Vec<(&'static str, String)>) -> impl IntoView {
    let t = use_strings();
    view! {
        <section aria-labelledby="export-heading">
            <h2 id="export-heading">{t.report_export}</h2>
            <form method="get" action="/reports/export.csv" class="stack">
                <input type="hidden" name="scope" value=scope />
                {filters.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value /> }).collect_view()}
                <fieldset>
                    <legend>{t.report_export_what}</legend>
                    <label><input type="radio" name="what" value="figures" checked=true />" "{t.report_export_figures}</label>
                    <label><input type="radio" name="what" value="rows" />" "{t.report_export_rows}</label>
                </fieldset>
                <label><input type="checkbox" name="contact" value="1" aria-describedby="export-contact-hint" />" "{t.report_export_contact}</label>
                <p class="hint" id="export-contact-hint">{t.report_export_contact_hint}</p>
                <button type="submit">{t.report_export_download}</button>
            </form>
        </section>
    }
}

/// "3 of 8 (37.5 %)", or a dash when there is nothing to count.
fn share_text(share: Option<Share>, t: &Strings) -> String {
    match share {
        Some(s) => match s.percent() {
            Some(p) => fill(
                t.report_share,
                &[
                    ("part", &s.part.to_string()),
                    ("whole", &s.whole.to_string()),
                    ("percent", &format!("{p:.1}")),
                ],
            ),
            None => t.report_nothing.to_string(),
        },
        None => t.report_nothing.to_string(),
    }
}

/// "within 2 hours": the bound of the step a time to answer was counted in.
fn step_text(step: Option<ResponseStep>, t: &Strings) -> String {
    let Some(step) = step else {
        return t.report_nothing.to_string();
    };
    let Some(ms) = step.bound_ms() else {
        return t.report_over_a_year.to_string();
    };
    let minutes = ms / 60_000;
    let (key, n) = if minutes < 60 {
        (t.report_within_minutes, minutes as f64)
    } else if minutes < 48 * 60 {
        (t.report_within_hours, minutes as f64 / 60.0)
    } else {
        (t.report_within_days, minutes as f64 / 1440.0)
    };
    // Steps are whole or half hours and days: "1.5 days", "2 days".
    let n = if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    };
    fill(key, &[("n", &n)])
}

#[component]
fn FiguresView(f: Figures, scope: String) -> impl IntoView {
    let (t, lang) = (use_strings(), use_lang());
    let rows: Vec<(&'static str, String, &'static str)> = vec![
        (
            t.report_referrals,
            f.referrals.to_string(),
            t.report_referrals_def,
        ),
        (
            t.report_self,
            f.self_referrals.to_string(),
            t.report_self_def,
        ),
        (
            t.report_helper,
            f.helper_referrals.to_string(),
            t.report_helper_def,
        ),
        (
            t.report_closed,
            share_text(f.closed, t),
            t.report_closed_def,
        ),
        (
            t.report_got_help,
            share_text(f.got_help_of_closed, t),
            t.report_got_help_def,
        ),
        (
            t.report_response_median,
            step_text(f.response_median, t),
            t.report_response_def,
        ),
        (
            t.report_response_p90,
            step_text(f.response_p90, t),
            t.report_response_p90_def,
        ),
        (
            t.report_within,
            share_text(f.answered_within_standard, t),
            t.report_within_def,
        ),
        (
            t.report_stale_7,
            share_text(f.not_updated_after_7_days, t),
            t.report_stale_def,
        ),
        (
            t.report_stale_30,
            share_text(f.not_updated_after_30_days, t),
            t.report_stale_def,
        ),
    ];
    let groups: Vec<(String, u64, &'static str)> = f
        .by_group
        .iter()
        .map(|(g, n)| {
            let class = match g {
                StatusGroup::InProgress => "in-progress",
                StatusGroup::GotHelp => "got-help",
                StatusGroup::NeedsFurtherAction => "needs-action",
            };
            (g.label(lang).to_string(), *n, class)
        })
        .collect();
    view! {
        <section aria-labelledby="figures-heading">
            <h2 id="figures-heading">{t.report_figures}</h2>
            <dl class="report-figures">
                {rows.into_iter().map(|(name, value, def)| view! {
                    <div class="figure">
                        <dt>{name}</dt>
                        <dd class="value">{value}</dd>
                        <dd class="definition">{def}</dd>
                    </div>
                }).collect_view()}
            </dl>
        </section>
        {(!f.over_time.is_empty()).then(|| {
            let (heading, first_label) = match f.period {
                Some(crate::model::report::Period::Month) => (t.report_per_month, t.report_month_of),
                _ => (t.report_per_week, t.report_week_of),
            };
            let bars: Vec<(String, u64, &'static str)> = f
                .over_time
                .iter()
                .map(|p| (crate::model::time::format_day(p.first_day), p.self_referrals + p.helper_referrals, "made"))
                .collect();
            view! {
                <section aria-labelledby="over-time-heading">
                    <h2 id="over-time-heading">{heading}</h2>
                    <BarChart chart="over-time" title=heading desc=t.report_over_time_desc bars />
                    // A region that may scroll sideways on a phone: focusable, so a keyboard reaches it.
                    <div class="table-scroll" tabindex="0" role="region" aria-labelledby="over-time-heading">
                    <table class="report-table">
                        <caption>{heading}</caption>
                        <thead><tr>
                            <th scope="col">{first_label}</th><th scope="col">{t.report_self}</th>
                            <th scope="col">{t.report_helper}</th><th scope="col">{t.report_count}</th>
                        </tr></thead>
                        <tbody>
                            {f.over_time.iter().map(|p| view! {
                                <tr>
                                    <th scope="row">{crate::model::time::format_day(p.first_day)}</th>
                                    <td>{p.self_referrals}</td><td>{p.helper_referrals}</td>
                                    <td>{p.self_referrals + p.helper_referrals}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                </section>
            }
        })}
        <section aria-labelledby="standing-heading">
            <h2 id="standing-heading">{t.report_by_status}</h2>
            <BarChart chart="by-group" title=t.report_by_group desc=t.report_by_group_desc bars=groups.clone() />
            <table class="report-table">
                <caption>{t.report_by_status}</caption>
                <thead><tr><th scope="col">{t.report_status}</th><th scope="col">{t.report_count}</th></tr></thead>
                <tbody>
                    {f.by_status.iter().map(|(s, n)| view! {
                        <tr><th scope="row">{s.label(lang)}</th><td>{*n}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        {f.top.map(|top| view! { <TopListsView top scope /> })}
    }
    .into_any()
}

/// The top programs and categories (network and group reports): one chart of the programs
/// that received most, and the four lists as tables. A program's name links to the same
/// report narrowed to it.
#[component]
fn TopListsView(top: crate::model::report::TopLists, scope: String) -> impl IntoView {
    let t = use_strings();
    let bars: Vec<(String, u64, &'static str)> = top
        .programs_by_received
        .iter()
        .map(|r| (r.name.clone(), r.received, "made"))
        .collect();
    let table = move |caption: &'static str, rows: Vec<TopRow>| {
        let scope = scope.clone();
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label=caption>
            <table class="report-table">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{t.report_name}</th><th scope="col">{t.report_received}</th>
                    <th scope="col">{t.report_closed_share}</th><th scope="col">{t.report_got_help_count}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let closed = share_text(Some(r.closure()), t);
                        let name = match r.program {
                            Some(p) => {
                                let href = format!("/reports?scope={}&program={p}", scope);
                                view! { <a href=href>{r.name.clone()}</a> }.into_any()
                            }
                            None => r.name.clone().into_any(),
                        };
                        view! {
                            <tr><th scope="row">{name}</th><td>{r.received}</td><td>{closed}</td><td>{r.got_help}</td></tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="top-heading">
            <h2 id="top-heading">{t.report_top}</h2>
            <p class="definition">{t.report_top_def}</p>
            {(!bars.is_empty()).then(|| view! {
                <BarChart chart="top-programs" title=t.report_top_programs_received desc=t.report_top_chart_desc bars />
            })}
            {table(t.report_top_programs_received, top.programs_by_received)}
            {table(t.report_top_programs_closure, top.programs_by_closure)}
            {table(t.report_top_categories_received, top.categories_by_received)}
            {table(t.report_top_categories_closure, top.categories_by_closure)}
        </section>
    }
    .into_any()
}

/// A horizontal bar chart in SVG that scales to the width it is given: a title and a
/// description for screen readers, and each bar's label and number written beside it, so
/// colour is never the only cue.
#[component]
fn BarChart(
    chart: &'static str,
    title: &'static str,
    desc: &'static str,
    bars: Vec<(String, u64, &'static str)>,
) -> impl IntoView {
    let most = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let row = 34;
    let height = row * bars.len().max(1);
    view! {
        <svg class="bar-chart" role="img" viewBox=format!("0 0 320 {height}")
            aria-labelledby=format!("{chart}-title {chart}-desc") preserveAspectRatio="xMinYMin meet">
            <title id=format!("{chart}-title")>{title}</title>
            <desc id=format!("{chart}-desc")>{desc}</desc>
            {bars.into_iter().enumerate().map(|(i, (label, n, class))| {
                let y = i * row;
                let width = 4 + (n * 200 / most) as usize;
                view! {
                    <g class=format!("bar {class}")>
                        <rect x="0" y=y + 14 width=width height="16" rx="3" />
                        <text x="0" y=y + 11 class="bar-label">{format!("{label}: {n}")}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

/// `/admin/exports`: every report export, newest first (site administrators).
#[component]
pub fn AdminExports() -> impl IntoView {
    let exports = Resource::new(|| (), |_| crate::api::reports::report_exports());
    let t = use_strings();
    view! {
        <Title text=page_title(t.exports_title) />
        <h1>{t.exports_title}</h1>
        <Transition fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match exports.await {
                    Ok(list) if list.is_empty() => view! { <p>{t.exports_none}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-scroll" tabindex="0" role="region" aria-label=t.exports_title>
                        <table class="report-table">
                            <thead><tr>
                                <th scope="col">{t.exports_when}</th><th scope="col">{t.exports_who}</th>
                                <th scope="col">{t.exports_what}</th><th scope="col">{t.exports_filters}</th>
                                <th scope="col">{t.exports_rows}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|e| view! {
                                    <tr>
                                        <td>{crate::model::time::format_utc(e.at)}</td>
                                        <td>{e.who}</td>
                                        <td>{e.what}</td>
                                        <td><code>{e.filters}</code></td>
                                        <td>{e.rows.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
                    }.into_any(),
                    Err(e) => error_view(e),
                }
            })}
        </Transition>
    }
}
