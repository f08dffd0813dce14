use super::*;
use crate::model::directory::ServiceStatus;

/// A table from a header and rows written with `|` between values.
fn table(file: &str, header: &str, rows: &[&str]) -> Table {
    let columns: Vec<&str> = header.split('|').collect();
    Table {
        file: file.to_string(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| Row {
                line: i as u64 + 2,
                fields: columns
                    .iter()
                    .zip(r.split('|'))
                    .map(|(c, v)| (c.to_string(), v.to_string()))
                    .collect(),
            })
            .collect(),
    }
}

/// A small 3.0 package: one organisation, two services, one at a location.
fn package() -> BTreeMap<String, Table> {
    BTreeMap::from([
        (
            "organization".to_string(),
            table(
                "organizations.csv",
                "id|name|description|email|website",
                &["o1|Eastside Aid|Helps.|office@eastside.example|https://eastside.example"],
            ),
        ),
        (
            "service".to_string(),
            table(
                "services.csv",
                "id|organization_id|name|description|url|email|status|eligibility_description",
                &[
                    "s1|o1|Food Pantry|Groceries <b>weekly</b>.||pantry@eastside.example|active|Residents",
                    "s2|o1|Rent Help||||temporarily closed|",
                ],
            ),
        ),
        (
            "location".to_string(),
            table(
                "locations.csv",
                "id|organization_id|name",
                &["l1|o-missing|Hall"],
            ),
        ),
        (
            "service_at_location".to_string(),
            table(
                "service_at_location.csv",
                "id|service_id|location_id",
                &["sal1|s1|l1"],
            ),
        ),
        (
            "address".to_string(),
            table(
                "addresses.csv",
                "id|location_id|address_1|address_2|city|state_province|postal_code|address_type",
                &[
                    "a0|l1|PO Box 1||Springfield|OR|97477|postal",
                    "a1|l1|12 Main St|Suite 2|Springfield|OR|97477|physical",
                ],
            ),
        ),
        (
            "phone".to_string(),
            table(
                "phones.csv",
                "id|service_id|location_id|organization_id|contact_id|number",
                &[
                    "p0|||o1||541-555-0100",
                    "p1|s1|||c-missing|\"541-555-0101\"",
                ],
            ),
        ),
        (
            "schedule".to_string(),
            table(
                "schedules.csv",
                "id|service_id|byday|opens_at|closes_at|description",
                &[
                    "h1|s1|MO,WE|09:00:00|17:00:00|",
                    "h2|s1|||| Saturdays by appointment",
                ],
            ),
        ),
        (
            "language".to_string(),
            table(
                "languages.csv",
                "id|service_id|name|code",
                &["g1|s1|Spanish|es", "g2|s1|English|EN", "g3|s1|Tagalog|"],
            ),
        ),
        (
            "service_area".to_string(),
            table(
                "service_areas.csv",
                "id|service_id|name|description",
                &["z1|s1|Lane County|"],
            ),
        ),
        (
            "taxonomy_term".to_string(),
            table(
                "taxonomy_terms.csv",
                "id|name|taxonomy_id",
                &["t1|Food|tax-missing", "t2|Emergency Food|"],
            ),
        ),
        (
            "attribute".to_string(),
            table(
                "attributes.csv",
                "id|link_id|taxonomy_term_id|link_entity",
                &[
                    "at1|s1|t1|service",
                    "at2|s1|t2|",
                    "at3|x9|t-missing|location",
                ],
            ),
        ),
    ])
}

fn with_row(mut tables: BTreeMap<String, Table>, name: &str, row: &str) -> BTreeMap<String, Table> {
    let t = tables.get_mut(name).unwrap();
    // `column=value` pairs, each a column the fixture's table has.
    let columns: Vec<String> = t.rows[0].fields.keys().cloned().collect();
    let line = t.rows.len() as u64 + 2;
    t.rows.push(Row {
        line,
        fields: row
            .split('|')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                assert!(columns.contains(&k.to_string()), "no column {k}");
                (k.to_string(), v.to_string())
            })
            .collect(),
    });
    tables
}

#[test]
fn a_package_reads_into_whole_listings() {
    let reading = read(&package());
    assert_eq!(
        reading.problems,
        vec![],
        "links no listing follows are not checked"
    );
    assert!(reading.invalid_services.is_empty());
    let [pantry, rent] = reading.listings.as_slice() else {
        panic!("two listings: {:?}", reading.listings)
    };
    assert_eq!(
        *pantry,
        Listing {
            hsds_id: "s1".into(),
            name: "Food Pantry".into(),
            description: "Groceries <b>weekly</b>.".into(),
            status: ServiceStatus::Active,
            organization: Organization {
                hsds_id: "o1".into(),
                name: "Eastside Aid".into(),
                description: "Helps.".into(),
                email: "office@eastside.example".into(),
                url: "https://eastside.example".into(),
            },
            url: "https://eastside.example".into(),
            email: Some("pantry@eastside.example".into()),
            phone: Some("541-555-0101".into()),
            address: "12 Main St, Suite 2".into(),
            city: "Springfield".into(),
            state_province: "OR".into(),
            zip: "97477".into(),
            hours: "Mon, Wed 09:00–17:00; Saturdays by appointment".into(),
            languages: vec!["Tagalog".into(), "en".into(), "es".into()],
            service_area: "Lane County".into(),
            eligibility: "Residents".into(),
            categories: vec!["emergency food".into(), "food".into()],
        }
    );
    // No location, phone or email of its own: the organisation's, where it has them.
    assert_eq!(rent.status, ServiceStatus::TemporarilyClosed);
    assert_eq!(rent.phone.as_deref(), Some("541-555-0100"));
    assert_eq!(rent.email.as_deref(), Some("office@eastside.example"));
    assert_eq!(rent.address, "");
}

#[test]
fn every_bad_value_is_named_by_file_line_and_field_and_its_service_is_left_out() {
    let tables = with_row(
        package(),
        "service",
        "id=s3|organization_id=o1|name=Clinic|status=open|email=clinic@|description=|url=|eligibility_description=",
    );
    let tables = with_row(
        tables,
        "service",
        "id=s4|organization_id=o-gone|name=|status=active|email=|description=|url=javascript:alert(1)|eligibility_description=",
    );
    let tables = with_row(
        tables,
        "phone",
        "id=p2|service_id=s2|location_id=|organization_id=|contact_id=|number=call us",
    );
    let tables = with_row(
        tables,
        "language",
        "id=g4|service_id=s-none|name=French|code=fr",
    );
    let reading = read(&tables);
    let found: Vec<String> = reading.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(
        found,
        [
            "languages.csv line 5, service_id: names no service (\"s-none\")",
            "phones.csv line 4, number: \"call us\" is not a phone number (7 to 15 digits)",
            "services.csv line 4, email: \"clinic@\" is not an email address",
            "services.csv line 4, status: \"open\" is not one of active, inactive, defunct, temporarily closed",
            "services.csv line 5, name: is required",
            "services.csv line 5, organization_id: names no organization (\"o-gone\")",
            "services.csv line 5, url: \"javascript:alert(1)\" is not an http or https address",
        ]
    );
    let left_out: Vec<&str> = reading
        .invalid_services
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(left_out, ["s2", "s3", "s4"], "s2's phone row is bad");
    let read_ids: Vec<&str> = reading
        .listings
        .iter()
        .map(|l| l.hsds_id.as_str())
        .collect();
    assert_eq!(read_ids, ["s1"]);
}

#[test]
fn a_bad_organisation_leaves_all_its_services_out() {
    let mut tables = package();
    let orgs = tables.get_mut("organization").unwrap();
    orgs.rows[0]
        .fields
        .insert("email".into(), "not-an-address".into());
    let reading = read(&tables);
    assert_eq!(reading.problems.len(), 1);
    assert_eq!(
        reading.problems[0].to_string(),
        "organizations.csv line 2, email: \"not-an-address\" is not an email address"
    );
    assert!(reading.listings.is_empty());
    assert_eq!(reading.invalid_services.len(), 2);
}

#[test]
fn a_repeated_service_id_is_a_problem_on_the_later_row() {
    let tables = with_row(
        package(),
        "service",
        "id=s1|organization_id=o1|name=Again|status=active|email=|description=|url=|eligibility_description=",
    );
    let reading = read(&tables);
    assert_eq!(
        reading
            .problems
            .iter()
            .map(|p| p.to_string())
            .collect::<Vec<_>>(),
        ["services.csv line 4, id: repeats the id of line 2"]
    );
    assert_eq!(reading.listings[0].name, "Food Pantry");
}

#[test]
fn a_package_without_services_says_so() {
    let mut tables = package();
    tables.remove("service");
    let reading = read(&tables);
    assert!(reading.listings.is_empty());
    assert_eq!(
        reading.problems[0].to_string(),
        "datapackage.json, resources: names no service table"
    );
}

#[test]
fn the_1_1_layout_reads_too() {
    let tables = BTreeMap::from([
        (
            "organization".to_string(),
            table(
                "organizations.csv",
                "id|name|url|email",
                &["o1|Sanctuary|http://example.com|"],
            ),
        ),
        (
            "service".to_string(),
            table(
                "services.csv",
                "id|organization_id|name|status|description",
                &["s1|o1|Helpline|active|Calls"],
            ),
        ),
        (
            "location".to_string(),
            table(
                "locations.csv",
                "id|organization_id|name",
                &["l1|o1|Office"],
            ),
        ),
        (
            "service_at_location".to_string(),
            table(
                "services_at_location.csv",
                "id|service_id|location_id",
                &["x1|s1|l1"],
            ),
        ),
        (
            "physical_address".to_string(),
            table(
                "physical_addresses.csv",
                "id|location_id|address_1|address_2|address_3|city|state_province|postal_code",
                &["a1|l1|Address 1|Address 2||New York City|NY|10001"],
            ),
        ),
        (
            "regular_schedule".to_string(),
            table(
                "regular_schedules.csv",
                "id|service_id|weekday|opens_at|closes_at",
                &["r1|s1|1|09:00:00|17:00:00", "r2|s1|2|09:00:00|17:00:00"],
            ),
        ),
        (
            "language".to_string(),
            table(
                "languages.csv",
                "id|service_id|language",
                &["g1|s1|English", "g2|s1|Spanish"],
            ),
        ),
        (
            "service_area".to_string(),
            table(
                "service_areas.csv",
                "id|service_id|service_area|description",
                &["z1|s1|Sample area|About it"],
            ),
        ),
        (
            "eligibility".to_string(),
            table(
                "eligibility.csv",
                "id|service_id|eligibility",
                &["e1|s1|adult"],
            ),
        ),
        (
            "taxonomy".to_string(),
            table("taxonomy.csv", "id|name|parent_id", &["t1|Housing|"]),
        ),
        (
            "service_taxonomy".to_string(),
            table(
                "services_taxonomy.csv",
                "id|service_id|taxonomy_id",
                &["st1|s1|t1"],
            ),
        ),
    ]);
    let reading = read(&tables);
    assert_eq!(reading.problems, vec![]);
    let l = &reading.listings[0];
    assert_eq!(l.address, "Address 1, Address 2");
    assert_eq!(
        (l.city.as_str(), l.zip.as_str()),
        ("New York City", "10001")
    );
    assert_eq!(l.hours, "Mon 09:00–17:00; Tue 09:00–17:00");
    assert_eq!(l.languages, ["English", "Spanish"]);
    assert_eq!(l.service_area, "Sample area");
    assert_eq!(l.eligibility, "adult");
    assert_eq!(l.categories, ["housing"]);
    assert_eq!(l.url, "http://example.com");
    assert_eq!(l.email, None);
}
