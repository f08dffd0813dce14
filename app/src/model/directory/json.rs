//! HSDS 3.0 JSON (`service_full` objects: one, a list, a page of the API with `contents`,
//! or NDJSON) read into listings.
//!
//! Each object is laid out as the rows of a tabular package and read by the same rules
//! (`tabular::read`), so a value is checked once, one way, whichever form the feed takes;
//! each row remembers the JSON path it came from, and problems are reported by that path.

use super::tabular::{self, Row, Table};
use super::{Place, Problem, Reading};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The service objects of a document, with the path of each.
fn services_in(file: &str, text: &str) -> Result<Vec<(String, Value)>, Problem> {
    let problem = |reason: String| Problem {
        place: Place::File {
            file: file.to_string(),
        },
        field: String::new(),
        reason,
    };
    let whole: Result<Value, _> = serde_json::from_str(text);
    let values = match whole {
        Ok(Value::Array(items)) => items,
        Ok(Value::Object(mut page)) if page.get("contents").is_some_and(Value::is_array) => {
            match page.remove("contents") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            }
        }
        Ok(object @ Value::Object(_)) => vec![object],
        Ok(_) => return Err(problem("is not a service object or a list of them".into())),
        Err(whole_error) => {
            // NDJSON: one object per line.
            let mut items = Vec::new();
            for (i, line) in text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                match serde_json::from_str::<Value>(line) {
                    Ok(v) => items.push((format!("line {}", i + 1), v)),
                    Err(e) if i == 0 => {
                        return Err(problem(format!("is not JSON: {whole_error}; {e}")));
                    }
                    Err(e) => {
                        return Err(Problem {
                            place: Place::Json {
                                file: file.to_string(),
                                path: format!("line {}", i + 1),
                            },
                            field: String::new(),
                            reason: format!("is not JSON: {e}"),
                        });
                    }
                }
            }
            return Ok(items);
        }
    };
    Ok(values
        .into_iter()
        .enumerate()
        .map(|(i, v)| (format!("[{i}]"), v))
        .collect())
}

/// The tables being filled, and where each row came from.
#[derive(Default)]
struct Layout {
    tables: BTreeMap<String, Table>,
    paths: HashMap<(String, u64), String>,
    /// Shared records (organisations, locations, terms) are laid out once per id.
    seen: HashSet<(String, String)>,
    next_line: u64,
}

/// A JSON scalar as CSV would hold it.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Layout {
    /// Adds an object's scalar fields (and `extra` links) as a row of `table`.
    fn row(&mut self, table: &str, path: &str, object: &Value, extra: &[(&str, &str)]) {
        let Some(map) = object.as_object() else {
            return;
        };
        let id = map.get("id").and_then(scalar).unwrap_or_default();
        let shared = matches!(table, "organization" | "location" | "taxonomy_term");
        if shared && !id.is_empty() && !self.seen.insert((table.to_string(), id)) {
            return;
        }
        let mut fields: HashMap<String, String> = map
            .iter()
            .filter_map(|(k, v)| scalar(v).map(|s| (k.clone(), s)))
            .collect();
        for (k, v) in extra {
            fields.insert(k.to_string(), v.to_string());
        }
        self.next_line += 1;
        let line = self.next_line;
        let t = self
            .tables
            .entry(table.to_string())
            .or_insert_with(|| Table {
                file: table.to_string(),
                rows: Vec::new(),
            });
        t.rows.push(Row { line, fields });
        self.paths
            .insert((table.to_string(), line), path.to_string());
    }

    fn each<'v>(object: &'v Value, key: &str) -> impl Iterator<Item = (usize, &'v Value)> {
        object
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
    }

    fn service(&mut self, path: &str, s: &Value) {
        let id = s.get("id").and_then(scalar).unwrap_or_default();
        let org = s.get("organization");
        let org_id = org
            .and_then(|o| o.get("id"))
            .and_then(scalar)
            .unwrap_or_default();
        if let Some(o) = org {
            self.row("organization", &format!("{path}.organization"), o, &[]);
        }
        let organization_id = s
            .get("organization_id")
            .and_then(scalar)
            .filter(|v| !v.is_empty())
            .unwrap_or(org_id);
        self.row(
            "service",
            path,
            s,
            &[("organization_id", organization_id.as_str())],
        );
        let link = [("service_id", id.as_str())];
        for (i, p) in Self::each(s, "phones") {
            self.row("phone", &format!("{path}.phones[{i}]"), p, &link);
        }
        for (i, p) in Self::each(s, "schedules") {
            self.row("schedule", &format!("{path}.schedules[{i}]"), p, &link);
        }
        for (i, p) in Self::each(s, "service_areas") {
            self.row(
                "service_area",
                &format!("{path}.service_areas[{i}]"),
                p,
                &link,
            );
        }
        for (i, p) in Self::each(s, "languages") {
            self.row("language", &format!("{path}.languages[{i}]"), p, &link);
        }
        for (i, a) in Self::each(s, "attributes") {
            let at = format!("{path}.attributes[{i}]");
            let term = a.get("taxonomy_term");
            let term_id = term
                .and_then(|t| t.get("id"))
                .and_then(scalar)
                .or_else(|| a.get("taxonomy_term_id").and_then(scalar))
                .unwrap_or_default();
            if let Some(t) = term {
                self.row("taxonomy_term", &format!("{at}.taxonomy_term"), t, &[]);
            }
            let links = [
                ("link_id", id.as_str()),
                ("link_entity", "service"),
                ("taxonomy_term_id", term_id.as_str()),
            ];
            self.row("attribute", &at, a, &links);
        }
        for (i, sal) in Self::each(s, "service_at_locations") {
            let at = format!("{path}.service_at_locations[{i}]");
            let sal_id = sal.get("id").and_then(scalar).unwrap_or_default();
            let location = sal.get("location");
            let location_id = location
                .and_then(|l| l.get("id"))
                .and_then(scalar)
                .or_else(|| sal.get("location_id").and_then(scalar))
                .unwrap_or_default();
            if let Some(l) = location {
                self.row("location", &format!("{at}.location"), l, &[]);
                for (j, a) in Self::each(l, "addresses") {
                    let here = [("location_id", location_id.as_str())];
                    self.row(
                        "address",
                        &format!("{at}.location.addresses[{j}]"),
                        a,
                        &here,
                    );
                }
            }
            let links = [
                ("service_id", id.as_str()),
                ("location_id", location_id.as_str()),
            ];
            self.row("service_at_location", &at, sal, &links);
            let here = [("service_at_location_id", sal_id.as_str())];
            for (j, p) in Self::each(sal, "phones") {
                self.row("phone", &format!("{at}.phones[{j}]"), p, &here);
            }
            for (j, p) in Self::each(sal, "schedules") {
                self.row("schedule", &format!("{at}.schedules[{j}]"), p, &here);
            }
        }
    }
}

/// Reads an HSDS JSON document (its file name is used in problems).
pub fn read(file: &str, text: &str) -> Reading {
    let services = match services_in(file, text) {
        Ok(s) => s,
        Err(problem) => {
            return Reading {
                problems: vec![problem],
                incomplete: true,
                ..Reading::default()
            };
        }
    };
    let mut layout = Layout::default();
    for (path, s) in &services {
        if s.is_object() {
            layout.service(path, s);
        }
    }
    let Layout { tables, paths, .. } = layout;
    let mut reading = tabular::read(&tables);
    for problem in &mut reading.problems {
        if let Place::Row { file: table, line } = &problem.place
            && let Some(path) = paths.get(&(table.clone(), *line))
        {
            // "repeats the id of line N": N is a row of the same table, named by its path.
            if let Some(first) = problem
                .reason
                .strip_prefix("repeats the id of line ")
                .and_then(|n| n.parse::<u64>().ok())
                .and_then(|n| paths.get(&(table.clone(), n)))
            {
                problem.reason = format!("repeats the id at {first}");
            }
            problem.place = Place::Json {
                file: file.to_string(),
                path: path.clone(),
            };
        }
        if let Place::File { file: f } = &mut problem.place {
            *f = file.to_string();
            problem.field = String::new();
            problem.reason = "holds no service objects".into();
        }
    }
    reading.problems.sort();
    reading
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::directory::ServiceStatus;

    const SERVICE: &str = r#"{
        "id": "s1", "name": "Food Pantry", "status": "active", "description": "Weekly.",
        "email": "pantry@eastside.example", "eligibility_description": "Residents",
        "organization": {"id": "o1", "name": "Eastside Aid", "website": "https://eastside.example"},
        "phones": [{"id": "p1", "number": "\"541-555-0101\"", "extension": 100}],
        "schedules": [{"id": "h1", "byday": "MO,FR", "opens_at": "09:00", "closes_at": "12:00"}],
        "languages": [{"id": "g1", "name": "Spanish", "code": "es"}],
        "service_areas": [{"id": "z1", "name": "Lane County"}],
        "attributes": [{"id": "a1", "taxonomy_term": {"id": "t1", "name": "Food"}}],
        "service_at_locations": [{"id": "sal1", "location": {"id": "l1", "name": "Hall",
            "addresses": [{"id": "ad1", "address_1": "12 Main St", "city": "Springfield",
                           "state_province": "OR", "postal_code": "97477", "address_type": "physical"}]}}]
    }"#;

    #[test]
    fn a_service_full_object_reads_like_its_tables() {
        let reading = read("feed.json", SERVICE);
        assert_eq!(reading.problems, vec![]);
        let l = &reading.listings[0];
        assert_eq!(l.name, "Food Pantry");
        assert_eq!(l.status, ServiceStatus::Active);
        assert_eq!(l.organization.name, "Eastside Aid");
        assert_eq!(l.url, "https://eastside.example");
        assert_eq!(l.phone.as_deref(), Some("541-555-0101"));
        assert_eq!(l.hours, "Mon, Fri 09:00–12:00");
        assert_eq!(
            (l.address.as_str(), l.zip.as_str()),
            ("12 Main St", "97477")
        );
        assert_eq!(l.languages, ["es"]);
        assert_eq!(l.categories, ["food"]);
        assert_eq!(l.eligibility, "Residents");
    }

    #[test]
    fn a_list_ndjson_and_an_api_page_read_alike_and_shared_records_count_once() {
        let second = SERVICE.replace("\"s1\"", "\"s2\"").replace("sal1", "sal2");
        let list = format!("[{SERVICE}, {second}]");
        let ndjson = format!(
            "{}\n{}\n",
            SERVICE.replace('\n', " "),
            second.replace('\n', " ")
        );
        let page = format!("{{\"total_items\": 2, \"contents\": {list}}}");
        for text in [list, ndjson, page] {
            let reading = read("feed.json", &text);
            assert_eq!(reading.problems, vec![], "{text}");
            assert_eq!(reading.listings.len(), 2);
        }
    }

    #[test]
    fn problems_are_named_by_json_path() {
        let bad = SERVICE
            .replace("\"active\"", "\"open\"")
            .replace("\"541-555-0101\\\"\"", "\"call\\\"\"");
        let bad = bad.replace("\"s1\"", "\"s2\"").replace("sal1", "sal2");
        let text = format!("[{SERVICE}, {bad}]");
        let reading = read("feed.json", &text);
        let found: Vec<String> = reading.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            found,
            [
                "feed.json at [1], status: \"open\" is not one of active, inactive, defunct, temporarily closed",
                "feed.json at [1].phones[0], number: \"call\" is not a phone number (7 to 15 digits)",
            ]
        );
        assert_eq!(reading.listings.len(), 1);
        assert!(reading.invalid_services.contains("s2"));
    }

    #[test]
    fn a_repeated_id_names_the_first_by_path() {
        let reading = read("feed.json", &format!("[{SERVICE}, {SERVICE}]"));
        let found: Vec<String> = reading.problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            found,
            [
                "feed.json at [1], id: repeats the id at [0]",
                "feed.json at [1].service_at_locations[0], id: repeats the id at [0].service_at_locations[0]",
            ]
        );
    }

    #[test]
    fn a_service_without_its_organisation_is_refused() {
        let text = r#"{"id": "s1", "name": "Lonely", "status": "active"}"#;
        let reading = read("feed.json", text);
        assert_eq!(
            reading.problems[0].to_string(),
            "feed.json at [0], organization_id: is required"
        );
        assert!(reading.listings.is_empty());
    }

    #[test]
    fn text_that_is_not_json_is_one_clear_problem() {
        let reading = read("feed.json", "id,name\n1,x\n");
        assert_eq!(reading.problems.len(), 1);
        assert!(
            reading.problems[0]
                .to_string()
                .starts_with("feed.json: is not JSON")
        );
    }
}
