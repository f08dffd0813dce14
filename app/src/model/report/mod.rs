//! What the Reports page counts (SPEC: "Reports") and who may count what, as pure
//! functions: whose referrals a report covers and what an export row may hold (here), the
//! cells each referral counts in (`cells`), and every figure as a sum of cells, each with
//! the definition the page prints beside it (`figures`). The store keeps and reads the
//! cells (`server::store::reports`); nothing here is typed in by anyone.

use super::{GroupId, ProgramId};
use serde::{Deserialize, Serialize};

pub mod cells;
pub mod figures;
pub mod kept;
#[cfg(test)]
mod tests_figures;

pub use cells::{ReportReferral, ResponseStep};
pub use figures::{Figures, Period, PeriodCount, Share, TopLists, TopRow, figures, period_start};

/// Whose referrals a report counts (SPEC: "Reports"): a program's (its staff), those made
/// by a group's members (its admins), or all (the site administrator).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportScope {
    Program(ProgramId),
    Group(GroupId),
    All,
}

impl ReportScope {
    /// The form value: `program:7`, `group:3`, `all`.
    pub fn code(self) -> String {
        match self {
            ReportScope::Program(id) => format!("program:{id}"),
            ReportScope::Group(id) => format!("group:{id}"),
            ReportScope::All => "all".into(),
        }
    }

    pub fn parse(code: &str) -> Option<ReportScope> {
        match code.split_once(':') {
            None if code == "all" => Some(ReportScope::All),
            Some(("program", id)) => id.parse().ok().map(|n| ReportScope::Program(ProgramId(n))),
            Some(("group", id)) => id.parse().ok().map(|n| ReportScope::Group(GroupId(n))),
            _ => None,
        }
    }
}

/// Every scope a person may report on, in the order offered: their programs, the groups
/// they administer, everything for a site administrator. Empty for a seeker, or a group
/// member who is not its admin: they have no reports.
pub fn report_scopes(
    staff_of: &[ProgramId],
    admin_of: &[GroupId],
    site_admin: bool,
) -> Vec<ReportScope> {
    let mut scopes: Vec<ReportScope> = staff_of.iter().map(|p| ReportScope::Program(*p)).collect();
    scopes.extend(admin_of.iter().map(|g| ReportScope::Group(*g)));
    if site_admin {
        scopes.push(ReportScope::All);
    }
    scopes
}

/// Whether an exported row carries the seeker's contact details: only when the exporter
/// ticked "include contact details", may read them on their dashboard in that role, and
/// the seeker is not "don't reach out" (nor withdrew consent, which reads the same):
/// stricter than the dashboard, where the helper who made it still sees them, since a file
/// travels further than a screen.
pub fn export_shows_contact(
    include_contact: bool,
    relations: super::Relations,
    role: super::Role,
    preference: super::ContactPreference,
) -> bool {
    include_contact
        && preference != super::ContactPreference::DontReachOut
        && relations.may_read_contact_details_as(role, preference)
}

/// The role an export row is read in: the scope's (staff for a program's report, helper
/// for a group's), else the exporter's own first role on the row.
pub fn export_role(scope: ReportScope, relations: super::Relations) -> Option<super::Role> {
    let wanted = match scope {
        ReportScope::Program(_) => Some(super::Role::Program),
        ReportScope::Group(_) => Some(super::Role::Helper),
        ReportScope::All => None,
    };
    relations
        .acting_role(wanted)
        .or_else(|| relations.acting_role(None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_group_admins_and_the_site_administrator_have_reports() {
        let (p, g) = (ProgramId(4), GroupId(9));
        assert_eq!(
            report_scopes(&[], &[], false),
            vec![],
            "a seeker, or a mere member"
        );
        assert_eq!(
            report_scopes(&[p], &[], false),
            vec![ReportScope::Program(p)]
        );
        assert_eq!(report_scopes(&[], &[g], false), vec![ReportScope::Group(g)]);
        assert_eq!(
            report_scopes(&[p], &[g], true),
            vec![
                ReportScope::Program(p),
                ReportScope::Group(g),
                ReportScope::All
            ]
        );
        for scope in report_scopes(&[p], &[g], true) {
            assert_eq!(ReportScope::parse(&scope.code()), Some(scope));
        }
        for bad in ["", "program:", "program:x", "group", "everything", "all:1"] {
            assert_eq!(ReportScope::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn an_export_shows_contact_details_only_when_asked_and_allowed() {
        use crate::model::{ContactPreference, Relations, Role};
        let staff = Relations {
            program_staff: true,
            ..Relations::default()
        };
        let helper = Relations {
            referrer: true,
            ..Relations::default()
        };
        for pref in ContactPreference::ALL {
            let dro = pref == ContactPreference::DontReachOut;
            assert!(
                !export_shows_contact(false, staff, Role::Program, pref),
                "not asked"
            );
            assert_eq!(export_shows_contact(true, staff, Role::Program, pref), !dro);
            assert_eq!(
                export_shows_contact(true, helper, Role::Helper, pref),
                !dro,
                "their own referral, but never a don't-reach-out seeker's"
            );
            assert!(!export_shows_contact(
                true,
                Relations::default(),
                Role::Program,
                pref
            ));
        }
        let (p, g) = (ProgramId(1), GroupId(2));
        assert_eq!(
            export_role(ReportScope::Program(p), staff),
            Some(Role::Program)
        );
        assert_eq!(
            export_role(ReportScope::Group(g), helper),
            Some(Role::Helper)
        );
        assert_eq!(export_role(ReportScope::All, Relations::default()), None);
    }
}
