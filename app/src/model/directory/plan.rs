//! What an import changes: the feed's listings against what the database already holds
//! from the same feed (its source), matched by HSDS id.

use super::Listing;
use super::edit::merge_feed;
use crate::model::ProgramId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Whether, and by whom, a program was taken out of the directory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Archived {
    #[default]
    No,
    /// It left its feed: it comes back when the feed lists it again.
    ByFeed,
    /// An administrator archived it: it stays archived whatever the feed says.
    ByAdmin,
}

/// A program the database holds from this feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Existing {
    pub id: ProgramId,
    /// As the app holds it (perhaps edited in the app since it was imported).
    pub listing: Listing,
    /// The feed's version at the last import; `None` for one imported before it was kept.
    pub feed: Option<Listing>,
    pub archived: Archived,
}

/// A listing the import writes over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Update {
    pub id: ProgramId,
    pub before: Listing,
    /// What the program becomes: the feed's changes over the app's edits.
    pub after: Listing,
    /// The feed's version, kept for the next import to compare with.
    pub feed: Listing,
    /// It left the feed earlier and is listed again.
    pub restore: bool,
}

/// The writes that bring the database in line with the feed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub create: Vec<Listing>,
    /// Changed listings, and archived ones the feed lists again (they come back).
    pub update: Vec<Update>,
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
///
/// A listing is compared with the feed's own last version, not with the program as the app
/// holds it: the same feed again changes nothing, even where the listing was edited in the
/// app since; a newer feed changes only what it changed (`edit::merge_feed`).
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
        let Some(old) = existing.get(&listing.hsds_id) else {
            plan.create.push(listing);
            continue;
        };
        let last_feed = old.feed.as_ref().unwrap_or(&old.listing);
        let restore = old.archived == Archived::ByFeed;
        if *last_feed == listing && !restore {
            plan.unchanged += 1;
            continue;
        }
        plan.update.push(Update {
            id: old.id,
            before: old.listing.clone(),
            after: merge_feed(&old.listing, last_feed, &listing),
            feed: listing,
            restore,
        });
    }
    plan.archive = existing
        .iter()
        .filter(|(id, old)| {
            old.archived == Archived::No && !seen.contains(*id) && !invalid.contains(*id)
        })
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
                        feed: None,
                        archived: if archived {
                            Archived::ByFeed
                        } else {
                            Archived::No
                        },
                    },
                )
            })
            .collect()
    }

    fn written(plan: &ImportPlan) -> Vec<(ProgramId, Listing)> {
        plan.update
            .iter()
            .map(|u| (u.id, u.after.clone()))
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
        assert_eq!(
            written(&plan),
            vec![(ProgramId(1), listing("a", "A renamed"))]
        );
        assert_eq!(plan.update[0].before, listing("a", "A"));
        assert!(!plan.update[0].restore);
        assert_eq!(plan.create, vec![listing("c", "C")]);
        assert_eq!(plan.archive, vec![ProgramId(2)]);
        assert_eq!(plan.unchanged, 0);
    }

    #[test]
    fn an_archived_program_listed_again_comes_back_and_is_not_archived_twice() {
        let existing = held(&[(1, "a", "A", true), (2, "b", "B", true)]);
        let plan = plan_import(&existing, vec![listing("a", "A")], &BTreeSet::new());
        assert_eq!(written(&plan), vec![(ProgramId(1), listing("a", "A"))]);
        assert!(plan.update[0].restore);
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

    #[test]
    fn an_edit_made_in_the_app_survives_the_same_feed_and_a_newer_one() {
        let mut existing = held(&[(1, "a", "A", false)]);
        let entry = existing.get_mut("a").unwrap();
        entry.feed = Some(entry.listing.clone());
        entry.listing.description = "Edited in the app".into();
        let same = plan_import(&existing, vec![listing("a", "A")], &BTreeSet::new());
        assert_eq!(same.unchanged, 1, "the feed did not change");
        let mut newer = listing("a", "A");
        newer.hours = "Mon 09:00".into();
        let plan = plan_import(&existing, vec![newer.clone()], &BTreeSet::new());
        let update = &plan.update[0];
        assert_eq!(update.after.description, "Edited in the app");
        assert_eq!(update.after.hours, "Mon 09:00");
        assert_eq!(
            update.feed, newer,
            "the feed's own version is kept for next time"
        );
    }

    #[test]
    fn a_program_an_administrator_archived_stays_archived() {
        let mut existing = held(&[(1, "a", "A", false)]);
        existing.get_mut("a").unwrap().archived = Archived::ByAdmin;
        let plan = plan_import(&existing, vec![listing("a", "A")], &BTreeSet::new());
        assert_eq!(plan.unchanged, 1);
        let gone = plan_import(&existing, vec![], &BTreeSet::new());
        assert!(gone.archive.is_empty(), "archived already");
        let changed = plan_import(&existing, vec![listing("a", "A2")], &BTreeSet::new());
        assert!(!changed.update[0].restore, "updated, still archived");
    }
}
