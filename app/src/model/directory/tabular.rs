//! An HSDS Tabular Data Package (3.0, and the 1.1 layout) read into listings.
//!
//! The tables arrive parsed (`server::hsds` reads the CSV files that `datapackage.json`
//! names); this module checks every row, follows the links a listing is built from, and
//! builds one [`Listing`] per service. Only the links Handoff follows are checked: the 3.0
//! example itself names contacts and taxonomies it does not include, in fields no listing
//! uses, and refusing it for those would refuse most real feeds.

use super::{Listing, Organization, Place, Problem, Reading, check};
use std::collections::{BTreeMap, HashMap, HashSet};

/// One CSV row: its line in the file (the header is line 1) and its values by column.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    pub line: u64,
    pub fields: HashMap<String, String>,
}

impl Row {
    /// The value of a column; a column the file lacks reads as empty.
    pub fn get(&self, column: &str) -> &str {
        self.fields.get(column).map(String::as_str).unwrap_or("")
    }
}

/// One resource of the package: the file it came from and its rows in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub file: String,
    pub rows: Vec<Row>,
}

/// The resources Handoff reads, each with its 3.0 name first and its 1.1 name after.
pub const RESOURCES: &[(&str, &[&str])] = &[
    ("organization", &["organization"]),
    ("service", &["service"]),
    ("location", &["location"]),
    ("address", &["address", "physical_address"]),
    ("phone", &["phone"]),
    ("schedule", &["schedule", "regular_schedule"]),
    ("service_area", &["service_area"]),
    ("service_at_location", &["service_at_location"]),
    ("language", &["language"]),
    ("attribute", &["attribute"]),
    ("taxonomy_term", &["taxonomy_term", "taxonomy"]),
    ("service_taxonomy", &["service_taxonomy"]),
    ("eligibility", &["eligibility"]),
];

/// Whether a datapackage resource (by its name) is one Handoff reads.
pub fn is_read(resource: &str) -> bool {
    RESOURCES.iter().any(|(_, names)| names.contains(&resource))
}

/// Problems found so far, and the rows that have one.
#[derive(Default)]
struct Checks {
    problems: Vec<Problem>,
    bad: HashSet<(String, u64)>,
}

impl Checks {
    fn add(&mut self, table: &Table, row: &Row, field: &str, reason: impl Into<String>) {
        self.problems.push(Problem {
            place: Place::Row {
                file: table.file.clone(),
                line: row.line,
            },
            field: field.to_string(),
            reason: reason.into(),
        });
        self.bad.insert((table.file.clone(), row.line));
    }

    /// The clean value, or "" with the problem recorded.
    fn take<T: Default>(
        &mut self,
        table: &Table,
        row: &Row,
        field: &str,
        rule: fn(&str) -> Result<T, String>,
    ) -> T {
        match rule(row.get(field)) {
            Ok(v) => v,
            Err(reason) => {
                self.add(table, row, field, reason);
                T::default()
            }
        }
    }

    fn is_bad(&self, table: &Table, row: &Row) -> bool {
        self.bad.contains(&(table.file.clone(), row.line))
    }
}

/// Rows of a table by their id; a repeated id is a problem on the later row.
fn by_id<'a>(table: &'a Table, checks: &mut Checks) -> HashMap<&'a str, &'a Row> {
    let mut index: HashMap<&str, &Row> = HashMap::new();
    for row in &table.rows {
        let id = row.get("id").trim();
        if id.is_empty() {
            checks.add(table, row, "id", "is required");
            continue;
        }
        if let Some(first) = index.get(id) {
            let reason = format!("repeats the id of line {}", first.line);
            checks.add(table, row, "id", reason);
            continue;
        }
        index.insert(id, row);
    }
    index
}

/// Rows of a table grouped by the value of one column, in file order.
fn grouped<'a>(table: &'a Table, column: &str) -> HashMap<&'a str, Vec<&'a Row>> {
    let mut index: HashMap<&str, Vec<&Row>> = HashMap::new();
    for row in &table.rows {
        let key = row.get(column).trim();
        if !key.is_empty() {
            index.entry(key).or_default().push(row);
        }
    }
    index
}

/// A link column: required or not, and when given it must name a row of `target`.
fn check_link(
    checks: &mut Checks,
    table: &Table,
    row: &Row,
    column: &str,
    required: bool,
    target: (&str, &HashMap<&str, &Row>),
) {
    let value = row.get(column).trim();
    if value.is_empty() {
        if required {
            checks.add(table, row, column, "is required");
        }
    } else if !target.1.contains_key(value) {
        checks.add(
            table,
            row,
            column,
            format!("names no {} ({value:?})", target.0),
        );
    }
}

/// 3.0 attributes link taxonomy terms to many kinds of records; only a service's count.
fn links_a_service(row: &Row, services: &HashMap<&str, &Row>) -> bool {
    let entity = row.get("link_entity").trim();
    entity == "service" || (entity.is_empty() && services.contains_key(row.get("link_id").trim()))
}

/// "MO,TU" (3.0 byday) or "1" (1.1 weekday, ISO numbering: 1 is Monday) as day names.
fn day_names(row: &Row) -> String {
    const DAYS: [(&str, &str); 7] = [
        ("MO", "Mon"),
        ("TU", "Tue"),
        ("WE", "Wed"),
        ("TH", "Thu"),
        ("FR", "Fri"),
        ("SA", "Sat"),
        ("SU", "Sun"),
    ];
    let weekday = row.get("weekday").trim();
    if let Ok(n) = weekday.parse::<usize>()
        && (1..=7).contains(&n)
    {
        return DAYS[n - 1].1.to_string();
    }
    let named: Vec<&str> = row
        .get("byday")
        .split(',')
        .filter_map(|d| {
            let d = d.trim().to_uppercase();
            DAYS.iter()
                .find(|(code, _)| d.ends_with(code))
                .map(|(_, n)| *n)
        })
        .collect();
    if named.is_empty() {
        weekday.to_string()
    } else {
        named.join(", ")
    }
}

/// "10:00:00" as "10:00".
fn clock(time: &str) -> &str {
    let t = time.trim();
    if t.len() == 8 && t.as_bytes()[5] == b':' {
        &t[..5]
    } else {
        t
    }
}

/// A schedule row as one line of opening hours: its own description when it has one.
fn hours_line(row: &Row) -> String {
    let description = row.get("description").trim();
    if !description.is_empty() {
        return description.to_string();
    }
    let (opens, closes) = (clock(row.get("opens_at")), clock(row.get("closes_at")));
    let times = match (opens.is_empty(), closes.is_empty()) {
        (false, false) => format!("{opens}–{closes}"),
        (false, true) => format!("from {opens}"),
        (true, false) => format!("until {closes}"),
        (true, true) => String::new(),
    };
    [day_names(row), times]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Pushes `value` unless it is empty or there already.
fn push_unique(list: &mut Vec<String>, value: String) {
    if !value.is_empty() && !list.contains(&value) {
        list.push(value);
    }
}

/// Reads a package's tables (by resource name) into listings and problems.
pub fn read(tables: &BTreeMap<String, Table>) -> Reading {
    let empty = Table::default();
    let table = |logical: &str| -> &Table {
        RESOURCES
            .iter()
            .find(|(name, _)| *name == logical)
            .and_then(|(_, names)| names.iter().find_map(|n| tables.get(*n)))
            .unwrap_or(&empty)
    };
    let mut checks = Checks::default();
    let (organizations_t, services_t, locations_t) =
        (table("organization"), table("service"), table("location"));
    let incomplete = services_t.file.is_empty();
    if incomplete {
        checks.problems.push(Problem {
            place: Place::File {
                file: "datapackage.json".into(),
            },
            field: "resources".into(),
            reason: "names no service table".into(),
        });
    }
    let organizations = by_id(organizations_t, &mut checks);
    let services = by_id(services_t, &mut checks);
    let locations = by_id(locations_t, &mut checks);
    let terms = by_id(table("taxonomy_term"), &mut checks);
    let sal_t = table("service_at_location");
    by_id(sal_t, &mut checks); // only to report repeated ids

    // Every row of the tables read is checked, used by a listing or not.
    for row in &organizations_t.rows {
        checks.take(organizations_t, row, "name", check::name);
        checks.take(organizations_t, row, "description", check::text);
        checks.take(organizations_t, row, "email", check::optional_email);
        for column in ["website", "url"] {
            checks.take(organizations_t, row, column, check::optional_url);
        }
    }
    for row in &services_t.rows {
        checks.take(services_t, row, "name", check::name);
        checks.take(services_t, row, "description", check::text);
        checks.take(services_t, row, "eligibility_description", check::text);
        checks.take(services_t, row, "email", check::optional_email);
        checks.take(services_t, row, "url", check::optional_url);
        if let Err(reason) = check::status(row.get("status")) {
            checks.add(services_t, row, "status", reason);
        }
        let orgs = ("organization", &organizations);
        check_link(&mut checks, services_t, row, "organization_id", true, orgs);
    }
    let service_link = ("service", &services);
    for row in &sal_t.rows {
        check_link(&mut checks, sal_t, row, "service_id", true, service_link);
        let target = ("location", &locations);
        check_link(&mut checks, sal_t, row, "location_id", true, target);
    }
    let address_t = table("address");
    for row in &address_t.rows {
        let target = ("location", &locations);
        check_link(&mut checks, address_t, row, "location_id", true, target);
        for column in ["address_1", "address_2", "address_3", "address_4"] {
            checks.take(address_t, row, column, check::line);
        }
        for column in ["city", "state_province", "postal_code"] {
            checks.take(address_t, row, column, check::line);
        }
    }
    let phone_t = table("phone");
    for row in &phone_t.rows {
        check_link(&mut checks, phone_t, row, "service_id", false, service_link);
        if row.get("number").trim().trim_matches('"').trim().is_empty() {
            checks.add(phone_t, row, "number", "is required");
        } else {
            checks.take(phone_t, row, "number", check::optional_phone);
        }
    }
    let schedule_t = table("schedule");
    for row in &schedule_t.rows {
        check_link(
            &mut checks,
            schedule_t,
            row,
            "service_id",
            false,
            service_link,
        );
        checks.take(schedule_t, row, "description", check::text);
        for column in ["opens_at", "closes_at", "byday", "weekday"] {
            checks.take(schedule_t, row, column, check::line);
        }
    }
    let area_t = table("service_area");
    for row in &area_t.rows {
        check_link(&mut checks, area_t, row, "service_id", false, service_link);
        for column in ["name", "service_area", "description"] {
            checks.take(area_t, row, column, check::text);
        }
    }
    let language_t = table("language");
    for row in &language_t.rows {
        check_link(
            &mut checks,
            language_t,
            row,
            "service_id",
            false,
            service_link,
        );
        for column in ["name", "code", "language"] {
            checks.take(language_t, row, column, check::line);
        }
    }
    let eligibility_t = table("eligibility");
    for row in &eligibility_t.rows {
        check_link(
            &mut checks,
            eligibility_t,
            row,
            "service_id",
            true,
            service_link,
        );
        checks.take(eligibility_t, row, "eligibility", check::text);
    }
    let term_t = table("taxonomy_term");
    for row in &term_t.rows {
        checks.take(term_t, row, "name", check::name);
    }
    let attribute_t = table("attribute");
    for row in &attribute_t.rows {
        if links_a_service(row, &services) {
            check_link(&mut checks, attribute_t, row, "link_id", true, service_link);
            let target = ("taxonomy term", &terms);
            check_link(
                &mut checks,
                attribute_t,
                row,
                "taxonomy_term_id",
                true,
                target,
            );
        }
    }
    let service_taxonomy_t = table("service_taxonomy");
    for row in &service_taxonomy_t.rows {
        check_link(
            &mut checks,
            service_taxonomy_t,
            row,
            "service_id",
            true,
            service_link,
        );
        let target = ("taxonomy term", &terms);
        check_link(
            &mut checks,
            service_taxonomy_t,
            row,
            "taxonomy_id",
            true,
            target,
        );
    }

    let sal_of = grouped(sal_t, "service_id");
    let addresses_at = grouped(address_t, "location_id");
    let phones_of_service = grouped(phone_t, "service_id");
    let phones_of_sal = grouped(phone_t, "service_at_location_id");
    let phones_at = grouped(phone_t, "location_id");
    let phones_of_org = grouped(phone_t, "organization_id");
    let schedules_of = grouped(schedule_t, "service_id");
    let schedules_of_sal = grouped(schedule_t, "service_at_location_id");
    let areas_of = grouped(area_t, "service_id");
    let languages_of = grouped(language_t, "service_id");
    let eligibility_of = grouped(eligibility_t, "service_id");
    let attributes_of = grouped(attribute_t, "link_id");
    let taxonomy_of = grouped(service_taxonomy_t, "service_id");

    let mut reading = Reading {
        incomplete,
        ..Reading::default()
    };
    for row in &services_t.rows {
        let id = row.get("id").trim();
        if services.get(id).map(|r| r.line) != Some(row.line) {
            continue; // no id, or a repeated one: reported above
        }
        // Every row the listing is built from; one with a problem leaves the service out.
        let mut used: Vec<(&Table, &Row)> = vec![(services_t, row)];
        let org_row = organizations
            .get(row.get("organization_id").trim())
            .copied();
        if let Some(o) = org_row {
            used.push((organizations_t, o));
        }
        let sal_rows = sal_of.get(id).cloned().unwrap_or_default();
        used.extend(sal_rows.iter().map(|r| (sal_t, *r)));
        let location_row = sal_rows
            .iter()
            .find_map(|sal| locations.get(sal.get("location_id").trim()).copied());
        let address_rows = location_row
            .and_then(|l| addresses_at.get(l.get("id").trim()))
            .cloned()
            .unwrap_or_default();
        let address_row = address_rows
            .iter()
            .find(|a| a.get("address_type").trim() != "postal")
            .or(address_rows.first())
            .copied();
        if let Some(a) = address_row {
            used.push((address_t, a));
        }
        let phone_row = phones_of_service
            .get(id)
            .and_then(|p| p.first())
            .or_else(|| {
                sal_rows.iter().find_map(|s| {
                    phones_of_sal
                        .get(s.get("id").trim())
                        .and_then(|p| p.first())
                })
            })
            .or_else(|| {
                location_row.and_then(|l| phones_at.get(l.get("id").trim()).and_then(|p| p.first()))
            })
            .or_else(|| {
                org_row.and_then(|o| {
                    phones_of_org
                        .get(o.get("id").trim())
                        .and_then(|p| p.first())
                })
            })
            .copied();
        if let Some(p) = phone_row {
            used.push((phone_t, p));
        }
        let mut schedule_rows = schedules_of.get(id).cloned().unwrap_or_default();
        for sal in &sal_rows {
            for s in schedules_of_sal
                .get(sal.get("id").trim())
                .into_iter()
                .flatten()
            {
                if !schedule_rows.iter().any(|r| r.line == s.line) {
                    schedule_rows.push(s);
                }
            }
        }
        used.extend(schedule_rows.iter().map(|r| (schedule_t, *r)));
        let area_rows = areas_of.get(id).cloned().unwrap_or_default();
        used.extend(area_rows.iter().map(|r| (area_t, *r)));
        let language_rows = languages_of.get(id).cloned().unwrap_or_default();
        used.extend(language_rows.iter().map(|r| (language_t, *r)));
        let eligibility_rows = eligibility_of.get(id).cloned().unwrap_or_default();
        used.extend(eligibility_rows.iter().map(|r| (eligibility_t, *r)));
        let mut term_rows = Vec::new();
        for a in attributes_of.get(id).into_iter().flatten() {
            if links_a_service(a, &services) {
                used.push((attribute_t, a));
                term_rows.extend(terms.get(a.get("taxonomy_term_id").trim()).copied());
            }
        }
        for st in taxonomy_of.get(id).into_iter().flatten() {
            used.push((service_taxonomy_t, st));
            term_rows.extend(terms.get(st.get("taxonomy_id").trim()).copied());
        }
        used.extend(term_rows.iter().map(|r| (term_t, *r)));

        if org_row.is_none() || used.iter().any(|(t, r)| checks.is_bad(t, r)) {
            reading.invalid_services.insert(id.to_string());
            continue;
        }
        reading.listings.push(build(BuiltFrom {
            service: row,
            organization: org_row.expect("checked above"),
            address: address_row,
            phone: phone_row,
            schedules: &schedule_rows,
            areas: &area_rows,
            languages: &language_rows,
            eligibility: &eligibility_rows,
            terms: &term_rows,
        }));
    }
    checks.problems.sort();
    checks.problems.dedup();
    reading.problems = checks.problems;
    reading
}

/// The rows one listing is made of, all checked.
struct BuiltFrom<'a> {
    service: &'a Row,
    organization: &'a Row,
    address: Option<&'a Row>,
    phone: Option<&'a Row>,
    schedules: &'a [&'a Row],
    areas: &'a [&'a Row],
    languages: &'a [&'a Row],
    eligibility: &'a [&'a Row],
    terms: &'a [&'a Row],
}

/// A checked value (the rules passed when the row was checked).
fn ok<T: Default>(r: Result<T, String>) -> T {
    r.unwrap_or_default()
}

fn build(from: BuiltFrom<'_>) -> Listing {
    let (s, o) = (from.service, from.organization);
    let org_url = [o.get("website"), o.get("url")]
        .into_iter()
        .map(|u| ok(check::optional_url(u)))
        .find(|u| !u.is_empty())
        .unwrap_or_default();
    let organization = Organization {
        hsds_id: o.get("id").trim().to_string(),
        name: ok(check::name(o.get("name"))),
        description: ok(check::text(o.get("description"))),
        email: ok(check::optional_email(o.get("email"))).unwrap_or_default(),
        url: org_url,
    };
    let email = ok(check::optional_email(s.get("email")))
        .or_else(|| Some(organization.email.clone()).filter(|e| !e.is_empty()));
    let mut url = ok(check::optional_url(s.get("url")));
    if url.is_empty() {
        url = organization.url.clone();
    }
    let (mut address, mut city, mut state_province, mut zip) = Default::default();
    if let Some(a) = from.address {
        address = ["address_1", "address_2", "address_3", "address_4"]
            .into_iter()
            .map(|c| ok(check::line(a.get(c))))
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        city = ok(check::line(a.get("city")));
        state_province = ok(check::line(a.get("state_province")));
        zip = ok(check::line(a.get("postal_code")));
    }
    let mut hours = Vec::new();
    for row in from.schedules {
        push_unique(&mut hours, hours_line(row));
    }
    let mut areas = Vec::new();
    for row in from.areas {
        let name = [
            row.get("name"),
            row.get("service_area"),
            row.get("description"),
        ]
        .into_iter()
        .map(|v| ok(check::text(v)))
        .find(|v| !v.is_empty())
        .unwrap_or_default();
        push_unique(&mut areas, name);
    }
    let mut eligibility = Vec::new();
    push_unique(
        &mut eligibility,
        ok(check::text(s.get("eligibility_description"))),
    );
    for row in from.eligibility {
        push_unique(&mut eligibility, ok(check::text(row.get("eligibility"))));
    }
    let languages = from
        .languages
        .iter()
        .map(|row| {
            let code = ok(check::line(row.get("code"))).to_lowercase();
            if code.is_empty() {
                [row.get("name"), row.get("language")]
                    .into_iter()
                    .map(|v| ok(check::line(v)))
                    .find(|v| !v.is_empty())
                    .unwrap_or_default()
            } else {
                code
            }
        })
        .collect();
    Listing {
        hsds_id: s.get("id").trim().to_string(),
        name: ok(check::name(s.get("name"))),
        description: ok(check::text(s.get("description"))),
        status: ok(check::status(s.get("status"))),
        organization,
        url,
        email,
        phone: from
            .phone
            .and_then(|p| ok(check::optional_phone(p.get("number")))),
        address,
        city,
        state_province,
        zip,
        hours: hours.join("; "),
        languages,
        service_area: areas.join("; "),
        eligibility: eligibility.join("; "),
        categories: from
            .terms
            .iter()
            .map(|t| ok(check::category(t.get("name"))))
            .collect(),
    }
    .normalized()
}

#[cfg(test)]
mod tests;
