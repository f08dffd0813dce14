//! A Tabular Data Package's files, from a folder or a .zip: `datapackage.json` names each
//! resource's CSV file; the CSV files are parsed into the model's tables.

use crate::model::directory::tabular::{self, Row, Table};
use crate::model::directory::{Place, Problem, Reading};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Component, Path, PathBuf};

/// The largest file read from a package (a guard against a zip that inflates without end).
const FILE_MAX: u64 = 512 * 1024 * 1024;

/// Where a package's files are.
pub trait Files {
    /// A file's bytes, by its path inside the package; `None` when there is no such file.
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, String>;
}

pub struct Folder(PathBuf);

impl Folder {
    pub fn new(path: &Path) -> Self {
        Folder(path.to_path_buf())
    }
}

impl Files for Folder {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, String> {
        // A resource path stays inside the package folder.
        let relative = Path::new(path);
        if !relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err("is not a path inside the package".into());
        }
        let full = self.0.join(relative);
        let file = match std::fs::File::open(&full) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot be read: {e}")),
        };
        let mut bytes = Vec::new();
        file.take(FILE_MAX + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot be read: {e}"))?;
        if bytes.len() as u64 > FILE_MAX {
            return Err(format!("is larger than {} MiB", FILE_MAX >> 20));
        }
        Ok(Some(bytes))
    }
}

/// A .zip holding the package, at its root or in one folder.
pub struct Zip {
    archive: zip::ZipArchive<Cursor<Vec<u8>>>,
    prefix: String,
}

impl Zip {
    pub fn new(bytes: Vec<u8>) -> Result<Self, String> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| format!("is not a readable .zip: {e}"))?;
        let prefix = archive
            .file_names()
            .filter_map(|n| n.strip_suffix("datapackage.json"))
            .filter(|p| p.is_empty() || p.ends_with('/'))
            .min_by_key(|p| p.len())
            .ok_or("holds no datapackage.json")?
            .to_string();
        Ok(Zip { archive, prefix })
    }
}

impl Files for Zip {
    fn read(&mut self, path: &str) -> Result<Option<Vec<u8>>, String> {
        let name = format!("{}{}", self.prefix, path.trim_start_matches("./"));
        let entry = match self.archive.by_name(&name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(format!("cannot be read from the .zip: {e}")),
        };
        let mut bytes = Vec::new();
        entry
            .take(FILE_MAX + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot be read from the .zip: {e}"))?;
        if bytes.len() as u64 > FILE_MAX {
            return Err(format!("is larger than {} MiB", FILE_MAX >> 20));
        }
        Ok(Some(bytes))
    }
}

fn problem(place: Place, field: &str, reason: impl Into<String>) -> Problem {
    Problem {
        place,
        field: field.to_string(),
        reason: reason.into(),
    }
}

fn whole(file: &str) -> Place {
    Place::File {
        file: file.to_string(),
    }
}

/// Reads a package: its descriptor, then each resource Handoff uses.
pub fn read(files: &mut dyn Files) -> Reading {
    let mut problems = Vec::new();
    let descriptor = match files.read("datapackage.json") {
        Ok(Some(bytes)) => serde_json::from_slice::<serde_json::Value>(&bytes)
            .map_err(|e| format!("is not JSON: {e}")),
        Ok(None) => {
            Err("is missing: an HSDS Tabular Data Package names its CSV files in it".into())
        }
        Err(reason) => Err(reason),
    };
    let descriptor = match descriptor {
        Ok(d) => d,
        Err(reason) => {
            problems.push(problem(whole("datapackage.json"), "", reason));
            return Reading {
                problems,
                incomplete: true,
                ..Reading::default()
            };
        }
    };
    let mut tables = BTreeMap::new();
    let mut incomplete = false;
    let resources = descriptor
        .get("resources")
        .and_then(|r| r.as_array())
        .cloned()
        .unwrap_or_default();
    for resource in &resources {
        let name = resource.get("name").and_then(|n| n.as_str()).unwrap_or("");
        let Some(path) = resource.get("path").and_then(|p| p.as_str()) else {
            continue;
        };
        if !tabular::is_read(name) {
            continue;
        }
        match files.read(path) {
            Ok(Some(bytes)) => match parse_csv(path, &bytes) {
                Ok(table) => {
                    tables.insert(name.to_string(), table);
                }
                Err(mut found) => {
                    problems.append(&mut found);
                    incomplete = true;
                }
            },
            // A listed table that is absent is empty (packages leave unused tables out);
            // without a service table the reader says so.
            Ok(None) => {}
            Err(reason) => {
                problems.push(problem(whole(path), "", reason));
                incomplete = true;
            }
        }
    }
    let mut reading = tabular::read(&tables);
    reading.incomplete |= incomplete;
    reading.problems.append(&mut problems);
    reading.problems.sort();
    reading
}

/// One CSV file as a table. A file that is not CSV at all is one problem; a row with the
/// wrong number of values (often an unbalanced quote, which shifts every row after it) is
/// a problem on that row, and the file is not used.
pub fn parse_csv(file: &str, bytes: &[u8]) -> Result<Table, Vec<Problem>> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_string()).collect(),
        Err(e) => return Err(vec![problem(whole(file), "", format!("is not CSV: {e}"))]),
    };
    let mut table = Table {
        file: file.to_string(),
        rows: Vec::new(),
    };
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                let reason = match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "is not UTF-8 text".to_string(),
                    _ => e.to_string(),
                };
                let place = Place::Row {
                    file: file.to_string(),
                    line,
                };
                problems.push(problem(place, "", reason));
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() != header.len() {
            let place = Place::Row {
                file: file.to_string(),
                line,
            };
            let reason = format!(
                "has {} values, the header has {}",
                record.len(),
                header.len()
            );
            problems.push(problem(place, "", reason));
            continue;
        }
        table.rows.push(Row {
            line,
            fields: header
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect(),
        });
    }
    if problems.is_empty() {
        Ok(table)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keep_their_line_even_after_a_quoted_line_break() {
        let csv = "\u{feff}id,name\n1,\"two\nlines\"\n2,after\n";
        let table = parse_csv("t.csv", csv.as_bytes()).unwrap();
        assert_eq!(table.rows[0].get("name"), "two\nlines");
        assert_eq!(table.rows[1].line, 4);
        assert_eq!(table.rows[1].get("id"), "2");
    }

    #[test]
    fn a_row_of_the_wrong_width_is_named() {
        let problems = parse_csv("t.csv", b"id,name\n1,a,extra\n").unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "t.csv line 2: has 3 values, the header has 2"
        );
    }

    /// A .zip of the 1.1 sample inside one folder, as exports often are, reads like the folder.
    #[test]
    fn a_zipped_package_reads_like_its_folder() {
        use std::io::Write;
        let folder =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hsds/sample-1.1-fictional");
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                let name = format!("export/{}", path.file_name().unwrap().to_string_lossy());
                zip.start_file(name, options).unwrap();
                zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
            }
            zip.finish().unwrap();
        }
        let from_zip = read(&mut Zip::new(bytes).unwrap());
        let from_folder = read(&mut Folder::new(&folder));
        assert_eq!(from_zip.listings.len(), 13);
        assert_eq!(from_zip, from_folder);
        assert!(Zip::new(b"PK\x03\x04 not really".to_vec()).is_err());
    }

    #[test]
    fn resource_paths_stay_inside_the_folder() {
        let mut folder = Folder::new(Path::new("/tmp"));
        assert_eq!(
            folder.read("../etc/passwd"),
            Err("is not a path inside the package".into())
        );
        assert!(folder.read("/etc/passwd").is_err());
    }
}
