//! What an import changes: the feed's listings against what the database already holds
//! from the same feed (its source), matched by HSDS id.

use super::Listing;
use crate::model::ProgramId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A program the database holds from this feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Existing {
    pub id: ProgramId,
    pub listing: Listing,
    pub archived: bool,
}

/// The writes that bring the database in line with the feed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub create: Vec<Listing>,
    /// Changed listings, and archived ones the feed lists again (they come back).
    pub update: Vec<(ProgramId, Listing)>,
    pub unchanged: usize,
    /// Programs the feed no longer lists: archived, never deleted.
    pub archive: Vec<ProgramId>,
}

/// The counts an import reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub archived: usize,
    pub skipped: usize,
}

impl ImportPlan {
    pub fn summary(&self, skipped: usize) -> ImportSummary {
        ImportSummary {
            created: self.create.len(),
            updated: self.update.len(),
            unchanged: self.unchanged,
            archived: self.archive.len(),
            skipped,
        }
    }

    pub fn writes(&self) -> usize {
        self.create.len() + self.update.len() + self.archive.len()
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged, {} archived, {} skipped",
            self.created, self.updated, self.unchanged, self.archived, self.skipped
        )
    }
}

/// Plans an import. `existing` is keyed by HSDS id; `invalid` names the services the feed
/// lists but that could not be read (`--skip-invalid`): they are left as they are, not
/// archived, since the feed did not say they are gone. A later listing with an id already
/// seen is ignored (the reader reports duplicates as problems).
pub fn plan_import(
    existing: &BTreeMap<String, Existing>,
    incoming: Vec<Listing>,
    invalid: &BTreeSet<String>,
) -> ImportPlan {
    let mut plan = ImportPlan::default();
    let mut seen = BTreeSet::new();
    for listing in incoming {
        if !seen.insert(listing.hsds_id.clone()) {
            continue;
        }
        match existing.get(&listing.hsds_id) {
            None => plan.create.push(listing),
            Some(old) if old.listing == listing && !old.archived => plan.unchanged += 1,
            Some(old) => plan.update.push((old.id, listing)),
        }
    }
    plan.archive = existing
        .iter()
        .filter(|(id, old)| !old.archived && !seen.contains(*id) && !invalid.contains(*id))
        .map(|(_, old)| old.id)
        .collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing(id: &str, name: &str) -> Listing {
        Listing {
            hsds_id: id.into(),
            name: name.into(),
            ..Listing::default()
        }
    }

    fn held(rows: &[(i64, &str, &str, bool)]) -> BTreeMap<String, Existing> {
        rows.iter()
            .map(|&(id, hsds, name, archived)| {
                (
                    hsds.to_string(),
                    Existing {
                        id: ProgramId(id),
                        listing: listing(hsds, name),
                        archived,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_first_import_creates_everything() {
        let plan = plan_import(
            &BTreeMap::new(),
            vec![listing("a", "A"), listing("b", "B")],
            &BTreeSet::new(),
        );
        assert_eq!(plan.create.len(), 2);
        assert_eq!(
            plan.summary(0).to_string(),
            "2 created, 0 updated, 0 unchanged, 0 archived, 0 skipped"
        );
    }

    #[test]
    fn the_same_feed_again_changes_nothing() {
        let existing = held(&[(1, "a", "A", false), (2, "b", "B", false)]);
        let plan = plan_import(
            &existing,
            vec![listing("a", "A"), listing("b", "B")],
            &BTreeSet::new(),
        );
        assert_eq!(plan.writes(), 0);
        assert_eq!(plan.unchanged, 2);
    }

    #[test]
    fn a_newer_feed_updates_in_place_adds_and_archives() {
        let existing = held(&[(1, "a", "A", false), (2, "b", "B", false)]);
        let plan = plan_import(
            &existing,
            vec![listing("a", "A renamed"), listing("c", "C")],
            &BTreeSet::new(),
        );
        assert_eq!(plan.update, vec![(ProgramId(1), listing("a", "A renamed"))]);
        assert_eq!(plan.create, vec![listing("c", "C")]);
        assert_eq!(plan.archive, vec![ProgramId(2)]);
        assert_eq!(plan.unchanged, 0);
    }

    #[test]
    fn an_archived_program_listed_again_comes_back_and_is_not_archived_twice() {
        let existing = held(&[(1, "a", "A", true), (2, "b", "B", true)]);
        let plan = plan_import(&existing, vec![listing("a", "A")], &BTreeSet::new());
        assert_eq!(plan.update, vec![(ProgramId(1), listing("a", "A"))]);
        assert!(plan.archive.is_empty(), "b is archived already");
    }

    #[test]
    fn a_service_skipped_as_invalid_is_not_archived() {
        let existing = held(&[(1, "a", "A", false), (2, "b", "B", false)]);
        let invalid = BTreeSet::from(["b".to_string()]);
        let plan = plan_import(&existing, vec![listing("a", "A")], &invalid);
        assert!(plan.archive.is_empty());
        assert_eq!(plan.summary(1).skipped, 1);
    }

    #[test]
    fn a_repeated_id_counts_once() {
        let plan = plan_import(
            &BTreeMap::new(),
            vec![listing("a", "A"), listing("a", "A again")],
            &BTreeSet::new(),
        );
        assert_eq!(plan.create, vec![listing("a", "A")]);
    }
}
