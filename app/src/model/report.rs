//! What the Reports page counts (SPEC: "Reports"), as pure functions over one fact row per
//! referral, each figure with the definition the page prints beside it. The store reads the
//! rows a viewer may count (`server::store::reports`); nothing here is typed in by anyone.

use super::{GroupId, ProgramId, Status, StatusGroup};
use serde::{Deserialize, Serialize};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

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

/// One referral, as far as the reports need to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportReferral {
    pub created_at: i64,
    /// Made by the seeker for themselves.
    pub self_referral: bool,
    /// Its status now.
    pub status: Status,
    /// The first status change made by the program (staff or its listed email).
    pub first_response_at: Option<i64>,
    /// The first time it left "Not updated", whoever moved it.
    pub left_not_updated_at: Option<i64>,
    /// When it became overdue under the program's response standard, if it has one.
    pub overdue_at: Option<i64>,
}

/// A share: `part` of `whole`, kept as counts so a page and a CSV print the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Share {
    pub part: u64,
    pub whole: u64,
}

impl Share {
    /// Percent with one decimal, or `None` of nothing.
    pub fn percent(self) -> Option<f64> {
        (self.whole > 0).then(|| (self.part as f64 * 1000.0 / self.whole as f64).round() / 10.0)
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub referrals: u64,
    pub self_referrals: u64,
    pub helper_referrals: u64,
    /// How many are in each status now, in `Status::ALL` order.
    pub by_status: Vec<(Status, u64)>,
    pub by_group: Vec<(StatusGroup, u64)>,
    /// With a final status now (Got help or any Needs further action status), of all.
    pub closed: Option<Share>,
    /// Got help, of those closed.
    pub got_help_of_closed: Option<Share>,
    /// Milliseconds from creation to the program's first status change, of those answered
    /// (nearest rank: the smallest time at least half, or 90 %, were answered within).
    pub response_median_ms: Option<i64>,
    pub response_p90_ms: Option<i64>,
    /// Answered by the program before it became overdue, of those with a standard.
    pub answered_within_standard: Option<Share>,
    /// Still "Not updated" 7 (30) days after creation, of those at least 7 (30) days old.
    pub not_updated_after_7_days: Option<Share>,
    pub not_updated_after_30_days: Option<Share>,
    /// Referrals made per week or month (`made_per_period`), filled in by the caller.
    #[serde(default)]
    pub over_time: Vec<PeriodCount>,
    pub period: Option<Period>,
}

fn share(part: u64, whole: u64) -> Option<Share> {
    Some(Share { part, whole })
}

/// How referrals made over time are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Period {
    /// Weeks from Monday.
    Week,
    Month,
}

/// Referrals made in one week or month (its first local day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodCount {
    pub first_day: super::calendar::Day,
    pub self_referrals: u64,
    pub helper_referrals: u64,
}

/// Weeks for up to four months of referrals, months beyond.
pub fn period_for(first_day: super::calendar::Day, last_day: super::calendar::Day) -> Period {
    if last_day - first_day <= 120 {
        Period::Week
    } else {
        Period::Month
    }
}

/// The first day of the week (Monday) or month holding `day`.
pub fn period_start(period: Period, day: super::calendar::Day) -> super::calendar::Day {
    match period {
        Period::Week => day - super::calendar::weekday(day),
        Period::Month => {
            let (y, m, _) = super::time::civil_from_day(day);
            super::time::days_from_civil_date(y, m, 1)
        }
    }
}

/// Referrals made per week or month, self and helper apart, oldest first, with the empty
/// periods between kept (a chart must not hide a quiet month). `day_of` turns an instant
/// into its local day (the deployment's time zone).
pub fn made_per_period(
    rows: &[ReportReferral],
    period: Period,
    day_of: impl Fn(i64) -> super::calendar::Day,
) -> Vec<PeriodCount> {
    let mut counts: std::collections::BTreeMap<super::calendar::Day, (u64, u64)> =
        std::collections::BTreeMap::new();
    for r in rows {
        let entry = counts
            .entry(period_start(period, day_of(r.created_at)))
            .or_default();
        if r.self_referral {
            entry.0 += 1;
        } else {
            entry.1 += 1;
        }
    }
    let (Some(&first), Some(&last)) = (counts.keys().next(), counts.keys().next_back()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut at = first;
    while at <= last {
        let (s, h) = counts.get(&at).copied().unwrap_or_default();
        out.push(PeriodCount {
            first_day: at,
            self_referrals: s,
            helper_referrals: h,
        });
        // The next period's first day: a week on, or past the month's end.
        at = match period {
            Period::Week => at + 7,
            Period::Month => period_start(Period::Month, at + 31),
        };
    }
    out
}

/// The nearest-rank percentile `p` (0 < p ≤ 100) of sorted values.
pub fn nearest_rank(sorted: &[i64], p: u64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as u64).div_ceil(100).max(1) as usize;
    Some(sorted[rank - 1])
}

/// Every figure of the Reports page for these referrals, as of `now`.
pub fn figures(rows: &[ReportReferral], now: i64) -> Figures {
    let count = |f: &dyn Fn(&ReportReferral) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
    let total = rows.len() as u64;
    let by_status = Status::ALL
        .into_iter()
        .map(|s| (s, count(&|r| r.status == s)))
        .collect();
    let by_group = [
        StatusGroup::InProgress,
        StatusGroup::GotHelp,
        StatusGroup::NeedsFurtherAction,
    ]
    .into_iter()
    .map(|g| (g, count(&|r| r.status.group() == g)))
    .collect();
    let closed = count(&|r| r.status.group() != StatusGroup::InProgress);
    let got_help = count(&|r| r.status == Status::GotHelp);
    let mut response_ms: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.first_response_at.map(|at| at - r.created_at))
        .collect();
    response_ms.sort_unstable();
    let with_standard = count(&|r| r.overdue_at.is_some());
    let within = count(&|r| match (r.first_response_at, r.overdue_at) {
        (Some(answered), Some(overdue)) => answered < overdue,
        _ => false,
    });
    let still_not_updated = |days: i64| {
        let old_enough = count(&|r| r.created_at + days * DAY_MS <= now);
        let still = count(&|r| {
            r.created_at + days * DAY_MS <= now
                && r.left_not_updated_at
                    .is_none_or(|left| left > r.created_at + days * DAY_MS)
        });
        share(still, old_enough)
    };
    Figures {
        referrals: total,
        self_referrals: count(&|r| r.self_referral),
        helper_referrals: count(&|r| !r.self_referral),
        by_status,
        by_group,
        closed: share(closed, total),
        got_help_of_closed: share(got_help, closed),
        response_median_ms: nearest_rank(&response_ms, 50),
        response_p90_ms: nearest_rank(&response_ms, 90),
        answered_within_standard: share(within, with_standard),
        not_updated_after_7_days: still_not_updated(7),
        not_updated_after_30_days: still_not_updated(30),
        over_time: Vec::new(),
        period: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3_600_000;

    fn made(day: i64, status: Status) -> ReportReferral {
        ReportReferral {
            created_at: day * DAY_MS,
            self_referral: false,
            status,
            first_response_at: None,
            left_not_updated_at: None,
            overdue_at: Some(day * DAY_MS + 3 * DAY_MS),
        }
    }

    #[test]
    fn nearest_rank_is_the_smallest_value_covering_the_share() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5], 50), Some(3));
        let ten: Vec<i64> = (1..=10).collect();
        assert_eq!(nearest_rank(&ten, 90), Some(9));
        assert_eq!(nearest_rank(&ten, 100), Some(10));
    }

    /// Five referrals, worked out by hand: a helper referral answered in 2 hours and
    /// closed with Got help; one answered in 4 days (after its standard) then reopened to
    /// Pending; a self-referral nobody answered for 40 days; one moved only by its helper
    /// (Not eligible on day 1: closed, but no program response); one made yesterday.
    #[test]
    fn every_figure_matches_a_hand_count() {
        let now = 100 * DAY_MS;
        let answered = ReportReferral {
            first_response_at: Some(50 * DAY_MS + 2 * HOUR),
            left_not_updated_at: Some(50 * DAY_MS + 2 * HOUR),
            ..made(50, Status::GotHelp)
        };
        let reopened = ReportReferral {
            first_response_at: Some(50 * DAY_MS + 4 * DAY_MS),
            left_not_updated_at: Some(50 * DAY_MS + 4 * DAY_MS),
            ..made(50, Status::Pending)
        };
        let ignored = ReportReferral {
            self_referral: true,
            ..made(60, Status::NotUpdated)
        };
        let helper_only = ReportReferral {
            left_not_updated_at: Some(91 * DAY_MS),
            ..made(90, Status::NotEligible)
        };
        let new = made(99, Status::NotUpdated);
        let f = figures(&[answered, reopened, ignored, helper_only, new], now);
        assert_eq!(
            (f.referrals, f.self_referrals, f.helper_referrals),
            (5, 1, 4)
        );
        let status = |s| f.by_status.iter().find(|(x, _)| *x == s).unwrap().1;
        assert_eq!(status(Status::NotUpdated), 2);
        assert_eq!(status(Status::GotHelp), 1);
        assert_eq!(status(Status::Pending), 1);
        assert_eq!(status(Status::NotEligible), 1);
        assert_eq!(
            f.by_group,
            vec![
                (StatusGroup::InProgress, 3),
                (StatusGroup::GotHelp, 1),
                (StatusGroup::NeedsFurtherAction, 1)
            ]
        );
        // Closed now: Got help and Not eligible (the reopened one is open again).
        assert_eq!(f.closed, share(2, 5));
        assert_eq!(f.got_help_of_closed, share(1, 2));
        // Answered by the program: 2 hours and 4 days.
        assert_eq!(f.response_median_ms, Some(2 * HOUR));
        assert_eq!(f.response_p90_ms, Some(4 * DAY_MS));
        // Within the 3-day standard: only the 2-hour answer, of all five with a standard.
        assert_eq!(f.answered_within_standard, share(1, 5));
        // At least 7 days old: the first four. Still Not updated at day 7: the ignored one.
        assert_eq!(f.not_updated_after_7_days, share(1, 4));
        // At least 30 days old: the first three; the ignored one still.
        assert_eq!(f.not_updated_after_30_days, share(1, 3));
        assert_eq!(f.closed.unwrap().percent(), Some(40.0));
        assert_eq!(share(1, 3).unwrap().percent(), Some(33.3));
    }

    #[test]
    fn nothing_to_count_gives_no_shares_and_no_times() {
        let f = figures(&[], 0);
        assert_eq!(f.referrals, 0);
        assert_eq!(f.closed.unwrap().percent(), None);
        assert_eq!(f.response_median_ms, None);
    }

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

    #[test]
    fn referrals_made_per_week_and_month_keep_the_quiet_ones() {
        use crate::model::calendar::parse_day;
        let day = |s: &str| parse_day(s).unwrap();
        let at = |s: &str, self_referral| ReportReferral {
            self_referral,
            ..made(day(s), Status::NotUpdated)
        };
        // Thursday 3rd, Sunday 6th (same week from Monday 30 Nov), then Tuesday 22nd.
        let rows = [
            at("2026-12-03", true),
            at("2026-12-06", false),
            at("2026-12-22", false),
        ];
        let weeks = made_per_period(&rows, Period::Week, |ms| ms.div_euclid(DAY_MS));
        let firsts: Vec<_> = weeks.iter().map(|w| w.first_day).collect();
        assert_eq!(
            firsts,
            vec![
                day("2026-11-30"),
                day("2026-12-07"),
                day("2026-12-14"),
                day("2026-12-21")
            ]
        );
        assert_eq!((weeks[0].self_referrals, weeks[0].helper_referrals), (1, 1));
        assert_eq!(
            (weeks[1].self_referrals, weeks[1].helper_referrals),
            (0, 0),
            "kept"
        );
        assert_eq!(weeks[3].helper_referrals, 1);
        let rows = [at("2026-11-30", false), at("2027-02-01", true)];
        let months = made_per_period(&rows, Period::Month, |ms| ms.div_euclid(DAY_MS));
        let firsts: Vec<_> = months.iter().map(|m| m.first_day).collect();
        assert_eq!(
            firsts,
            vec![
                day("2026-11-01"),
                day("2026-12-01"),
                day("2027-01-01"),
                day("2027-02-01")
            ]
        );
        assert!(made_per_period(&[], Period::Week, |ms| ms).is_empty());
        assert_eq!(period_for(0, 120), Period::Week);
        assert_eq!(period_for(0, 121), Period::Month);
    }
}
